#ifndef HARK_ANALYZER_H
#define HARK_ANALYZER_H
/*
 * The analyzer of a live or play session, window or headless: the spectrum traces of its rows
 * (traces.h: current, average, peak and min holds, reference, over bins or octave bands) and
 * the level meters of its sound (levels.h: per channel and for the session), kept by the main
 * thread for the window's panels, --trace-out and the levels line printed at the end.
 * Thread: main.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "levels.h"
#include "stream.h"
#include "traces.h"

typedef struct hark_analyzer hark_analyzer;

typedef struct {
    hark_traces_config traces;
    unsigned channels;        /* of the sound the source hands over (source.h, take_frames) */
    double rate_hz;
    const char *trace_out;    /* --trace-out FILE.csv, or NULL */
} hark_analyzer_config;

hark_err hark_analyzer_create(const hark_analyzer_config *cfg, hark_analyzer **out);
void hark_analyzer_destroy(hark_analyzer *a); /* NULL-safe */

/* A row of the session's linear bins. */
void hark_analyzer_row(hark_analyzer *a, const float *bins_db);
/* Take the sound the stream's source has for the meters (call once a pass). */
hark_err hark_analyzer_take_sound(hark_analyzer *a, hark_stream *s);

hark_traces *hark_analyzer_traces(hark_analyzer *a);
hark_levels *hark_analyzer_levels(hark_analyzer *a);
/* Octave view: 0 (bins) or 1, 3, 6, 12, 24; and the weighting. The traces start again. */
hark_err hark_analyzer_set_lines(hark_analyzer *a, unsigned octave, hark_weighting w);

/* --trace-out (a key, or the end): the CSV of every line (hz, current, average, peak, min,
 * reference dBFS; reference empty when none was captured), replacing the file whole. NULL
 * path: nothing. */
hark_err hark_analyzer_write_traces(const hark_analyzer *a);
const char *hark_analyzer_trace_out(const hark_analyzer *a);

/* The levels line printed at the end: "levels: sample peak -20.0 dBFS, true peak ... ", and
 * how many frames the meters missed when there were any (unmetered: source.h). */
void hark_analyzer_levels_line(const hark_analyzer *a, uint64_t unmetered, char *buf,
                               size_t size);

#endif
