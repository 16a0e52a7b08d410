#ifndef HARK_SCALE_H
#define HARK_SCALE_H
/*
 * Frequency scales: where each output row sits in frequency, and the map that resamples the
 * linear FFT bins onto those rows. Row 0 is the lowest frequency (drawn at the bottom).
 *   linear: rows spread evenly over [0, Nyquist]; with rows == bins, row r is exactly bin r.
 *   log:    rows spread evenly in log frequency over [rate/fft (bin 1), Nyquist].
 *   mel:    rows spread evenly on the HTK mel scale, 2595 log10(1 + f/700), over [0, Nyquist].
 * Resampling: a row whose span covers two or more bin centres takes their maximum (so a tone
 * keeps its level); a row narrower than a bin interpolates linearly in dB between the two
 * nearest bins.
 * Pure functions. Thread: any.
 */
#include "error.h"

typedef enum { HARK_SCALE_LINEAR, HARK_SCALE_LOG, HARK_SCALE_MEL, HARK_SCALE_COUNT } hark_scale_kind;

hark_err hark_scale_parse(const char *name, hark_scale_kind *out);
const char *hark_scale_name(hark_scale_kind kind);

typedef struct {
    hark_scale_kind kind;
    unsigned rows;     /* >= 2 */
    double rate_hz;
    unsigned fft_size; /* even */
    double lo_hz, hi_hz; /* frequencies of row 0 and row rows-1 */
} hark_scale;

void hark_scale_init(hark_scale *s, hark_scale_kind kind, unsigned rows, double rate_hz,
                     unsigned fft_size);

/* Frequency at a (fractional) row, and its inverse (rows outside [0, rows-1] extrapolate). */
double hark_scale_freq(const hark_scale *s, double row);
double hark_scale_row(const hark_scale *s, double freq_hz);

/* One output row's recipe: if count >= 2, the max of bins [first, first+count);
 * else bins first and first+1 mixed as (1-frac)*a + frac*b. */
typedef struct {
    unsigned first;
    unsigned count;
    float frac;
} hark_scale_tap;

/* Fill taps[0..rows-1] for an FFT with fft_size/2+1 bins. */
void hark_scale_make_taps(const hark_scale *s, hark_scale_tap *taps);

/* One row's value from bins_db by its tap. */
static inline float hark_scale_tap_value(const hark_scale_tap *t, const float *bins_db)
{
    const float *b = bins_db + t->first;
    if (t->count < 2)
        return b[0] + t->frac * (b[1] - b[0]);
    float m = b[0];
    for (unsigned i = 1; i < t->count; i++)
        m = b[i] > m ? b[i] : m;
    return m;
}

/* rows_db[r] from bins_db by the taps. */
void hark_scale_apply(const hark_scale_tap *taps, unsigned rows, const float *bins_db,
                      float *rows_db);

#endif
