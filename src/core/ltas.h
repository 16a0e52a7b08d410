#ifndef HARK_LTAS_H
#define HARK_LTAS_H
/*
 * The long-term average spectrum of a stream of STFT frames (dBFS bins, as the STFT gives
 * them): for each line (lines.h: a bin, or a fractional-octave band, weighted), the mean power
 * over all frames and the largest level any frame had.
 * Pure; one accumulator per thread.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "lines.h"

typedef hark_lines_config hark_ltas_config;

typedef struct hark_ltas hark_ltas;

hark_err hark_ltas_create(const hark_ltas_config *cfg, hark_ltas **out);
void hark_ltas_destroy(hark_ltas *a); /* NULL-safe */

/* Add n frames of bins (fft_size / 2 + 1 dBFS values each, frame-major). */
void hark_ltas_add(hark_ltas *a, const float *bins_db, size_t n);

/* The lines, lowest first: how many, and line i's frequency (its centre), mean and max
 * level in dBFS (NaN before any frame; clamped below at floor_db otherwise). */
unsigned hark_ltas_lines(const hark_ltas *a);
void hark_ltas_line(const hark_ltas *a, unsigned i, double floor_db, double *hz, double *mean_db,
                    double *max_db);
uint64_t hark_ltas_frames(const hark_ltas *a);

#endif
