#ifndef HARK_SPECTRO_H
#define HARK_SPECTRO_H
/*
 * The analysis of a stream of frames: what render's workers and the DSP thread run. Frames go
 * in in order; rows come out in order, each with its frame's index:
 *   plain:      the STFT's rows (stft.h): dBFS on the scale, one row per frame at once;
 *   reassign:   each bin's power moved to its instantaneous frequency and group-delay time
 *               (hark_stft_reassign), to the nearest bin and frame, divided by the window's
 *               equivalent noise bandwidth so a steady sine reads its level whatever its
 *               offset from the bins. Bins below the threshold, or whose place is beyond
 *               the window's half length or the bins, stay where they are. A row is complete
 *               once the frames up to `delay` after it are in: rows come out that many frames
 *               late, and hark_spectro_finish gives the last ones;
 *   pcen:       per-channel energy normalisation (pcen.h) of each bin, in time order, then
 *               the scale (kernels take the weighted mean): rows in PCEN's own units.
 * With `both` (the DSP thread), each row is the bins in dBFS followed by the bins' PCEN
 * values: 2 x bins floats, on no scale (the window and the session map them).
 * Thread: one hark_spectro per thread. No allocation after create.
 */
#include <stdint.h>

#include "error.h"
#include "pcen.h"
#include "stft.h"

typedef struct {
    hark_stft_config stft;
    unsigned hop;
    int reassign;
    float reassign_db;     /* bins below this (dBFS) are not moved */
    int pcen;
    hark_pcen_params pcen_params;
    int both;              /* rows of dB bins then PCEN bins (stft.rows must be the bins) */
} hark_spectro_config;

typedef struct hark_spectro hark_spectro;

/* A stream whose first frame is first_frame (rows before it are never given). */
hark_err hark_spectro_create(const hark_spectro_config *cfg, uint64_t first_frame,
                             hark_spectro **out);
void hark_spectro_destroy(hark_spectro *s); /* NULL-safe */

/* 1 if s was made with this configuration (render's worker keeps its own from file to file). */
int hark_spectro_matches(const hark_spectro *s, const hark_spectro_config *cfg);
/* Start again at first_frame: nothing of the last stream is kept. */
void hark_spectro_restart(hark_spectro *s, uint64_t first_frame);

/* Floats per row: the rows (or 2 x bins with `both`). */
unsigned hark_spectro_row_floats(const hark_spectro *s);
const hark_stft *hark_spectro_stft(const hark_spectro *s);

/* Frames a row waits for (reassign: ceil(window_size / 2 / hop); else 0). */
unsigned hark_spectro_delay(const hark_spectro_config *cfg);
/* Frames before its share a split worker must start at for its rows to be those of one
 * stream from frame 0: the delay, plus PCEN's warm-up. */
uint64_t hark_spectro_lead(const hark_spectro_config *cfg, double rate_hz);

/* The next frame (fft_size samples). Then take every row it completed with hark_spectro_next
 * before the next push. */
void hark_spectro_push(hark_spectro *s, const float *frame);
/* No more frames: the rows still waiting become ready. */
void hark_spectro_finish(hark_spectro *s);
/* The next ready row (valid until the next call of any function here) and its frame index,
 * or NULL when none is ready. */
const float *hark_spectro_next(hark_spectro *s, uint64_t *index);

#endif
