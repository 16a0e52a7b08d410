#ifndef HARK_LTAS_H
#define HARK_LTAS_H
/*
 * The long-term average spectrum of a stream of STFT frames (dBFS bins, as the STFT gives
 * them): for each line, the mean power over all frames and the largest level any frame had.
 * A line is one bin, or a fractional-octave band (IEC 61260-1: base-10 centres
 * 1000 Hz * G^(x/b) for odd b and G^((2x+1)/(2b)) for even b, G = 10^(3/10), edges at
 * G^(+-1/(2b)) of the centre) whose power is the sum of the bins whose centres lie in it,
 * divided by the window's equivalent noise bandwidth in bins: so a sine reads its own level in
 * a band, as in a bin, and noise reads the power in the band. Bands with no bin centre in
 * them (narrower than a bin, at low frequencies) are left out. A frequency weighting (IEC
 * 61672-1 A or C; Z is none) applies to each bin's power first.
 * Pure; one accumulator per thread.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "window.h"

typedef enum { HARK_WEIGHT_Z, HARK_WEIGHT_A, HARK_WEIGHT_C } hark_weighting;

/* "Z", "A" or "C" (either case). */
hark_err hark_weighting_parse(const char *name, hark_weighting *out);
/* The weighting's gain in dB at f_hz (IEC 61672-1's analytic curves, 0 dB at 1 kHz). */
double hark_weighting_db(hark_weighting w, double f_hz);

typedef struct {
    unsigned fft_size;       /* the STFT's: bins = fft_size / 2 + 1 */
    double rate_hz;
    hark_window_kind window; /* for the bands' noise bandwidth */
    unsigned octave;         /* 0: bins; else 1, 3, 6, 12 or 24: 1/octave-octave bands */
    hark_weighting weighting;
} hark_ltas_config;

typedef struct hark_ltas hark_ltas;

/* A 1/octave-octave band's edges are its centre times this ratio and over it: G^(1/(2b)). */
double hark_ltas_band_ratio(unsigned octave);

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
