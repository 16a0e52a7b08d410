#ifndef HARK_DSP_H
#define HARK_DSP_H
/*
 * The DSP thread of the live side: samples from one ring, through the framer and the same
 * analysis as `render` (spectro.h), to rows in another ring. The samples come as frames of
 * `lanes` floats (a sample per channel analysed); each lane has its framer and analysis, and
 * they go in step, so a row of the ring holds every lane's row of one frame, lane 0's first:
 * hark_spectro_row_floats() floats each (with `both`, the linear bins in dBFS followed by their
 * PCEN values). Reassigned rows come the analysis's delay late. Everything it needs (FFTW
 * plans, framers, buffers) is made by hark_dsp_start before the thread runs. When the row ring is full the
 * row is dropped and counted. When there are no samples it sleeps until the next frame's last
 * sample is due (at least 0.5 ms, at most a hop or 0.5 s): no busy loop.
 *
 * Threads: start, stop and pause_for_test: the thread that owns the rings (main).
 * hark_dsp_rows and hark_dsp_rows_dropped: any thread. The DSP thread is the only consumer of
 * cfg->samples and the only producer of cfg->rows.
 */
#include <stdint.h>

#include "error.h"
#include "ring.h"
#include "spectro.h"

typedef struct {
    hark_ring *samples;       /* frames of `lanes` floats */
    hark_ring *rows;          /* elements of lanes x hark_spectro_row_floats() floats */
    unsigned lanes;           /* 1..HARK_LANES_MAX (0: 1) */
    hark_spectro_config spectro;
    unsigned hop;
    /* Called on the DSP thread after each pass that wrote rows (may be NULL): lets the consumer
     * wake at once instead of polling. It must be thread-safe and must not block for long. */
    void (*on_rows)(void *ctx);
    void *on_rows_ctx;
} hark_dsp_config;

typedef struct hark_dsp hark_dsp;

hark_err hark_dsp_start(const hark_dsp_config *cfg, hark_dsp **out);
/* Stop the thread, join it and free everything. NULL-safe. */
void hark_dsp_stop(hark_dsp *dsp);

uint64_t hark_dsp_rows(const hark_dsp *dsp);         /* rows made */
uint64_t hark_dsp_rows_dropped(const hark_dsp *dsp); /* of those, rows the ring had no room for */

/* Test hook: a paused DSP thread stops consuming samples, so the capture ring fills and the
 * callback must drop and count, never wait. */
void hark_dsp_pause_for_test(hark_dsp *dsp, int paused);

#endif
