#ifndef HARK_SCALE_H
#define HARK_SCALE_H
/*
 * Frequency scales: where each output row sits in frequency, and the map that resamples the
 * linear FFT bins onto those rows. Row 0 is the lowest frequency (drawn at the bottom).
 *   linear: rows spread evenly over [0, Nyquist]; with rows == bins, row r is exactly bin r.
 *   log:    rows spread evenly in log frequency over [rate/fft (bin 1), Nyquist].
 *   mel:    rows spread evenly on the HTK mel scale, 2595 log10(1 + f/700), over [0, Nyquist].
 *   cqt:    constant Q: rows spread evenly in log frequency from --fmin, each a kernel over
 *           the bins (hark_scale_init_cqt).
 * Resampling: a row whose span covers two or more bin centres takes their maximum (so a tone
 * keeps its level); a row narrower than a bin interpolates linearly in dB between the two
 * nearest bins.
 * Pure functions. Thread: any.
 */
#include <math.h>

#include "error.h"
#include "window.h"

typedef enum {
    HARK_SCALE_LINEAR,
    HARK_SCALE_LOG,
    HARK_SCALE_MEL,
    HARK_SCALE_CQT,
    HARK_SCALE_COUNT
} hark_scale_kind;

/* The constant-Q scale's defaults: C1 and twelve rows an octave. */
#define HARK_CQT_FMIN_HZ 32.703195662574829
#define HARK_CQT_BPO 12u
#define HARK_CQT_BPO_MIN 12u
#define HARK_CQT_BPO_MAX 96u

hark_err hark_scale_parse(const char *name, hark_scale_kind *out);
const char *hark_scale_name(hark_scale_kind kind);

typedef struct {
    hark_scale_kind kind;
    unsigned rows;     /* >= 2 */
    double rate_hz;
    unsigned fft_size; /* even */
    double lo_hz, hi_hz; /* frequencies of row 0 and row rows-1 */
    /* cqt only: rows an octave (which sets Q), and the analysis window whose response the
     * kernels are normalised by (its kind and length in samples, centred in fft_size) */
    unsigned bins_per_octave;
    hark_window_kind window;
    unsigned window_size;
} hark_scale;

/* linear, log, mel; cqt with its defaults (C1, 12 an octave, a hann window of fft_size). */
void hark_scale_init(hark_scale *s, hark_scale_kind kind, unsigned rows, double rate_hz,
                     unsigned fft_size);

/* cqt: rows spread evenly in log frequency from fmin_hz up to the highest row of the note
 * grid fmin * 2^(k/bpo) below Nyquist (so with hark_scale_cqt_rows() rows, row k is exactly
 * fmin * 2^(k/bpo)); each row's kernel has the bandwidth of a constant-Q filter with
 * Q = 1/(2^(1/bpo) - 1), whatever the rows. */
void hark_scale_init_cqt(hark_scale *s, unsigned rows, double rate_hz, unsigned fft_size,
                         unsigned bins_per_octave, double fmin_hz, hark_window_kind window,
                         unsigned window_size);

/* The note grid's rows from fmin to Nyquist at bpo an octave (0 if fmin is not below it). */
unsigned hark_scale_cqt_rows(double rate_hz, unsigned bins_per_octave, double fmin_hz);

/* Frequency at a (fractional) row, and its inverse (rows outside [0, rows-1] extrapolate). */
double hark_scale_freq(const hark_scale *s, double row);
double hark_scale_row(const hark_scale *s, double freq_hz);

/* The name of the equal-tempered note nearest f (A4 = 440 Hz), "A4", "C#3", into buf (>= 8
 * bytes), and its offset in cents; for the cqt axis and the readout. */
void hark_scale_note_name(double freq_hz, char *buf, int *cents);

/*
 * One output row's recipe over the linear bins:
 *   kernel < 0, count >= 2: the max of bins [first, first+count);
 *   kernel < 0, count 1:   bins first and first+1 mixed as (1-frac)*a + frac*b;
 *   kernel >= 0 (cqt):     the weighted power sum of bins [first, first+count) with the
 *                          weights from offset `kernel` of the map's weights: 10 log10 of
 *                          sum w_i 10^(b_i/10), bins at or below the floor counting as no
 *                          power, never below the floor. The weights are those of a
 *                          constant-Q filter's power response (a Hann main lobe of bandwidth
 *                          f/Q about the row's frequency, at least one bin either side),
 *                          normalised so a steady sine at the row's frequency reads its level.
 *                          Rows that are not dB (PCEN) take the weighted mean instead.
 */
typedef struct {
    unsigned first;
    unsigned count;
    float frac;
    int kernel;
} hark_scale_tap;

/* Every row's tap, and the kernels' weights. */
typedef struct {
    unsigned rows;
    hark_scale_tap *taps;
    float *weights;   /* NULL unless cqt */
    float floor_db;   /* bins at or below it carry no power in a kernel */
    int not_db;       /* the bins are not dB (PCEN): kernels take the weighted mean */
} hark_scale_map;

/* Make the map of s for an FFT with fft_size/2+1 bins. HARK_ERR_NOMEM. */
hark_err hark_scale_map_make(const hark_scale *s, float floor_db, hark_scale_map *m);
void hark_scale_map_free(hark_scale_map *m); /* zeroes it; safe on a zeroed map */

/* One row's value from bins by its tap. */
static inline float hark_scale_tap_value(const hark_scale_map *m, unsigned row, const float *bins)
{
    const hark_scale_tap *t = &m->taps[row];
    const float *b = bins + t->first;
    if (t->kernel >= 0) {
        const float *w = m->weights + t->kernel;
        float sum = 0.0f, wsum = 0.0f;
        if (m->not_db) {
            for (unsigned i = 0; i < t->count; i++) {
                sum += w[i] * b[i];
                wsum += w[i];
            }
            return wsum > 0.0f ? sum / wsum : b[0];
        }
        for (unsigned i = 0; i < t->count; i++)
            sum += b[i] > m->floor_db ? w[i] * expf(0.230258509f * b[i]) : 0.0f;
        float db = sum > 0.0f ? 10.0f * log10f(sum) : m->floor_db;
        return db > m->floor_db ? db : m->floor_db;
    }
    if (t->count < 2)
        return b[0] + t->frac * (b[1] - b[0]);
    float v = b[0];
    for (unsigned i = 1; i < t->count; i++)
        v = b[i] > v ? b[i] : v;
    return v;
}

/* rows[r] from bins by the map. */
void hark_scale_apply(const hark_scale_map *m, const float *bins, float *rows);

#endif
