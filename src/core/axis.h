#ifndef HARK_AXIS_H
#define HARK_AXIS_H
/*
 * Tick positions and labels for the time, frequency and dB axes. Pure. Thread: any.
 * Positions are fractions along the axis: 0 at the start (left for time, bottom for frequency
 * and dB), 1 at the end. Steps are "nice" (1, 2, 5 x 10^k, and for frequency on the log scale
 * 1-2-5 per decade), chosen so that no more than max_ticks ticks appear.
 */
#include <stddef.h>

#include "scale.h"

typedef struct {
    double value; /* seconds, Hz or dB */
    double pos;   /* 0..1 along the axis */
    char label[24];
} hark_tick;

/* Time from t0_s to t1_s. Labels in seconds ("0", "1.5", "120") with as many decimals as the
 * step needs; the unit goes in the axis title. Returns the tick count (<= cap). */
size_t hark_axis_time(double t0_s, double t1_s, size_t max_ticks, hark_tick *out, size_t cap);

/* Frequency on a scale, from row 0 to row rows-1. Labels "0", "500", "1k", "2.5k", "20k"
 * (Hz; k = kHz). Returns the tick count (<= cap). */
size_t hark_axis_freq(const hark_scale *scale, size_t max_ticks, hark_tick *out, size_t cap);

/* Levels from min_db to max_db. Labels "-120", "-60", "0". Returns the tick count (<= cap). */
size_t hark_axis_db(double min_db, double max_db, size_t max_ticks, hark_tick *out, size_t cap);

#endif
