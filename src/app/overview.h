#ifndef HARK_OVERVIEW_H
#define HARK_OVERVIEW_H
/*
 * play's overview: the whole file's spectrogram at the resolution of a strip of the window,
 * computed on a thread of its own through render's analysis (its own decoder, framer and
 * STFT on the session's scale and range, without reassignment or PCEN), so it fills in from
 * the left while the file plays and never holds playback up. Each column is the maximum of
 * the frames it covers (a frame every --fft samples), row by row, coloured with the session's
 * map: an RGB image of `rows` lines (the highest frequency first) by `cols` columns.
 * Threads: start, done and stop: the owner (main). The image's columns below done() are
 * complete and never change again (done() is an acquire of what the thread released).
 */
#include <stdint.h>

#include "analysis.h"
#include "error.h"

typedef struct hark_overview hark_overview;

/* Start on `path` (NULL when the file cannot be read twice: a pipe; then *out is NULL and
 * nothing is started, as for a file whose length is not known). */
hark_err hark_overview_start(const char *path, const hark_analysis *an, unsigned cols,
                             unsigned rows, hark_overview **out);
/* Stop the thread (at its next block) and free everything. NULL-safe. */
void hark_overview_stop(hark_overview *o);

/* Columns complete so far (0..cols), the image (rows x cols x 3 bytes, row-major), its size
 * and the file's length in seconds. */
unsigned hark_overview_done(const hark_overview *o);
const uint8_t *hark_overview_image(const hark_overview *o);
void hark_overview_size(const hark_overview *o, unsigned *cols, unsigned *rows);
double hark_overview_seconds(const hark_overview *o);

#endif
