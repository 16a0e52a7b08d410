#ifndef HARK_TRACES_H
#define HARK_TRACES_H
/*
 * The traces of the live spectrum, over the lines of lines.h (bins, or weighted fractional-
 * octave bands), one STFT frame at a time:
 *   current    the newest frame;
 *   average    an exponential average of power with time constant average_s (after a step,
 *              the average has gone 1 - 1/e of the way in power after average_s); off (0):
 *              the current frame;
 *   peak       the largest level since the last reset, falling by peak_decay_db_s once past
 *              (0: held until reset);
 *   min        the smallest level since the last reset;
 *   reference  the average as it was when captured, until cleared.
 * Levels are dBFS, never below the floor (the STFT's): no NaN or -inf comes out, except a
 * reference that was never captured (hark_traces_point says so).
 * Pure. Thread: one owner.
 */
#include <stdint.h>

#include "error.h"
#include "lines.h"

typedef struct {
    hark_lines_config lines;
    double frame_s;          /* seconds per frame: hop / rate */
    double average_s;        /* 0: off; else 0.1 .. 10 */
    double peak_decay_db_s;  /* 0: held */
    double floor_db;
} hark_traces_config;

/* The averaging time constants a key cycles through (s; 0 = off), in order, and how many. */
extern const double hark_traces_average_steps[];
extern const unsigned hark_traces_average_step_count;

/* HARK_ERR_USAGE unless s is 0 or within 0.1 .. 10 ("--average"). */
hark_err hark_traces_check_average(double s);

typedef struct hark_traces hark_traces;

hark_err hark_traces_create(const hark_traces_config *cfg, hark_traces **out);
void hark_traces_destroy(hark_traces *t); /* NULL-safe */

/* Add a frame of fft_size/2 + 1 dBFS bins. */
void hark_traces_push(hark_traces *t, const float *bins_db);
uint64_t hark_traces_frames(const hark_traces *t);

void hark_traces_set_average(hark_traces *t, double seconds); /* checked by the caller */
double hark_traces_average_s(const hark_traces *t);
void hark_traces_set_peak_decay(hark_traces *t, double db_per_s);
double hark_traces_peak_decay(const hark_traces *t);
void hark_traces_reset_holds(hark_traces *t);       /* peak and min start again from now */
void hark_traces_capture_reference(hark_traces *t); /* the average, now */
void hark_traces_clear_reference(hark_traces *t);
int hark_traces_has_reference(const hark_traces *t);

/* The lines: how many, and line i. */
typedef struct {
    double hz, current, average, peak, min, reference; /* reference: NaN when none */
} hark_trace_point;

unsigned hark_traces_lines(const hark_traces *t);
const hark_lines *hark_traces_line_set(const hark_traces *t);
void hark_traces_point(const hark_traces *t, unsigned i, hark_trace_point *out);

/* Which trace: for drawing one at a time. */
typedef enum {
    HARK_TRACE_CURRENT, HARK_TRACE_AVERAGE, HARK_TRACE_PEAK, HARK_TRACE_MIN,
    HARK_TRACE_REFERENCE, HARK_TRACE_COUNT
} hark_trace_kind;

/* Trace k's levels (dBFS), one per line; NULL for a reference not captured. */
const float *hark_traces_levels(const hark_traces *t, hark_trace_kind k);

#endif
