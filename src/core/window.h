#ifndef HARK_WINDOW_H
#define HARK_WINDOW_H
/*
 * Analysis window functions. All windows are *periodic* (DFT-even): w[n] for n = 0..N-1 is the
 * first N points of the symmetric window of length N+1. That is the right choice for spectral
 * analysis (scipy.signal.get_window and librosa default to it): the Hann window then sums to
 * exactly N/2 and overlaps to a constant at hop N/2. The seed used numpy's symmetric hanning;
 * because hark scales by the actual sum (coherent gain) the dBFS reading is right either way.
 * Pure functions. Thread: any.
 */
#include <stddef.h>

#include "error.h"

typedef enum {
    HARK_WINDOW_HANN,
    HARK_WINDOW_HAMMING,
    HARK_WINDOW_BLACKMAN,
    HARK_WINDOW_BLACKMAN_HARRIS, /* 4-term, -92 dB side lobes */
    HARK_WINDOW_RECT,
    HARK_WINDOW_COUNT
} hark_window_kind;

/* "hann" -> HARK_WINDOW_HANN ...; HARK_ERR_USAGE (with a detail listing the names) if unknown. */
hark_err hark_window_parse(const char *name, hark_window_kind *out);
const char *hark_window_name(hark_window_kind kind);

/* Every window is a generalised cosine window, w[n] = sum_k (-1)^k a_k cos(2 pi k n / N):
 * its four terms a_0..a_3 (for a window's response in closed form). */
const double *hark_window_terms(hark_window_kind kind);

/* Fill w[0..n-1] with the periodic window. n >= 1. */
void hark_window_fill(hark_window_kind kind, float *w, size_t n);

/* Fill dw[0..n-1] with the derivative of the same window with respect to the sample index,
 * dw/dn, from its cosine terms (exact for the continuous window; 0 everywhere for rect). The
 * reassigned spectrogram (stft.h) uses it. */
void hark_window_fill_derivative(hark_window_kind kind, float *dw, size_t n);

/* Sum of the window (its coherent gain times n), computed in double. */
double hark_window_sum(const float *w, size_t n);

#endif
