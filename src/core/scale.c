#include "scale.h"

#include <math.h>
#include <complex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[HARK_SCALE_COUNT] = {
    [HARK_SCALE_LINEAR] = "linear",
    [HARK_SCALE_LOG] = "log",
    [HARK_SCALE_MEL] = "mel",
    [HARK_SCALE_CQT] = "cqt",
};

hark_err hark_scale_parse(const char *name, hark_scale_kind *out)
{
    for (int k = 0; k < HARK_SCALE_COUNT; k++) {
        if (strcmp(name, names[k]) == 0) {
            *out = (hark_scale_kind)k;
            return HARK_OK;
        }
    }
    return hark_error_set(HARK_ERR_USAGE, "unknown scale '%s' (linear, log, mel, cqt)", name);
}

const char *hark_scale_name(hark_scale_kind kind)
{
    return (kind >= 0 && kind < HARK_SCALE_COUNT) ? names[kind] : "?";
}

static double hz_to_mel(double f) { return 2595.0 * log10(1.0 + f / 700.0); }
static double mel_to_hz(double m) { return 700.0 * (pow(10.0, m / 2595.0) - 1.0); }

void hark_scale_init(hark_scale *s, hark_scale_kind kind, unsigned rows, double rate_hz,
                     unsigned fft_size)
{
    if (kind == HARK_SCALE_CQT) {
        hark_scale_init_cqt(s, rows, rate_hz, fft_size, HARK_CQT_BPO, HARK_CQT_FMIN_HZ,
                            HARK_WINDOW_HANN, fft_size);
        return;
    }
    *s = (hark_scale){.kind = kind, .rows = rows < 2 ? 2 : rows, .rate_hz = rate_hz,
                      .fft_size = fft_size, .hi_hz = rate_hz / 2.0,
                      .lo_hz = kind == HARK_SCALE_LOG ? rate_hz / fft_size : 0.0,
                      .window = HARK_WINDOW_HANN, .window_size = fft_size};
}

unsigned hark_scale_cqt_rows(double rate_hz, unsigned bins_per_octave, double fmin_hz)
{
    if (!(fmin_hz > 0) || !(fmin_hz < rate_hz / 2.0))
        return 0;
    /* A hair of tolerance, so a note exactly at Nyquist counts. */
    return (unsigned)floor(bins_per_octave * log2(rate_hz / 2.0 / fmin_hz) + 1e-9) + 1;
}

void hark_scale_init_cqt(hark_scale *s, unsigned rows, double rate_hz, unsigned fft_size,
                         unsigned bins_per_octave, double fmin_hz, hark_window_kind window,
                         unsigned window_size)
{
    unsigned notes = hark_scale_cqt_rows(rate_hz, bins_per_octave, fmin_hz);
    notes = notes < 2 ? 2 : notes;
    *s = (hark_scale){.kind = HARK_SCALE_CQT, .rows = rows < 2 ? 2 : rows, .rate_hz = rate_hz,
                      .fft_size = fft_size, .lo_hz = fmin_hz,
                      .hi_hz = fmin_hz * pow(2.0, (notes - 1) / (double)bins_per_octave),
                      .bins_per_octave = bins_per_octave, .window = window,
                      .window_size = window_size ? window_size : fft_size};
}

void hark_scale_note_name(double freq_hz, char *buf, int *cents)
{
    static const char *const notes[12] = {"C", "C#", "D", "D#", "E", "F",
                                          "F#", "G", "G#", "A", "A#", "B"};
    double midi = 69.0 + 12.0 * log2(freq_hz / 440.0);
    if (!isfinite(midi) || midi < -1000 || midi > 1000) {
        snprintf(buf, 8, "-");
        *cents = 0;
        return;
    }
    long note = lround(midi);
    *cents = (int)lround((midi - (double)note) * 100.0);
    int octave = (int)((note >= 0 ? note / 12 : (note - 11) / 12) - 1);
    snprintf(buf, 8, "%s%d", notes[((note % 12) + 12) % 12], octave % 1000);
}

double hark_scale_freq(const hark_scale *s, double row)
{
    double t = row / (double)(s->rows - 1);
    switch (s->kind) {
    case HARK_SCALE_LOG:
    case HARK_SCALE_CQT:
        return s->lo_hz * pow(s->hi_hz / s->lo_hz, t);
    case HARK_SCALE_MEL:
    {
        double m0 = hz_to_mel(s->lo_hz); /* 0 unless zoomed: the same numbers as without */
        return mel_to_hz(m0 + t * (hz_to_mel(s->hi_hz) - m0));
    }
    default:
        return s->lo_hz + t * (s->hi_hz - s->lo_hz);
    }
}

double hark_scale_row(const hark_scale *s, double freq_hz)
{
    double t;
    switch (s->kind) {
    case HARK_SCALE_LOG:
    case HARK_SCALE_CQT:
        t = freq_hz > 0 ? log(freq_hz / s->lo_hz) / log(s->hi_hz / s->lo_hz) : -INFINITY;
        break;
    case HARK_SCALE_MEL:
        t = (hz_to_mel(freq_hz) - hz_to_mel(s->lo_hz)) / (hz_to_mel(s->hi_hz) - hz_to_mel(s->lo_hz));
        break;
    default:
        t = (freq_hz - s->lo_hz) / (s->hi_hz - s->lo_hz);
        break;
    }
    return t * (double)(s->rows - 1);
}

static void make_plain_taps(const hark_scale *s, hark_scale_tap *taps)
{
    unsigned bins = s->fft_size / 2 + 1;
    double bin_hz = s->rate_hz / s->fft_size;
    for (unsigned r = 0; r < s->rows; r++) {
        /* The row spans half a row either side of its centre; bins whose centres fall in that
         * span are its members. */
        double lo = hark_scale_freq(s, r - 0.5) / bin_hz;
        double hi = hark_scale_freq(s, r + 0.5) / bin_hz;
        double first = ceil(lo), last = ceil(hi) - 1.0;
        if (first < 0)
            first = 0;
        if (last > bins - 1)
            last = bins - 1;
        if (last - first >= 1.0) {
            taps[r] = (hark_scale_tap){(unsigned)first, (unsigned)(last - first) + 1, 0.0f, -1};
            continue;
        }
        double pos = hark_scale_freq(s, r) / bin_hz;
        if (pos < 0)
            pos = 0;
        if (pos > bins - 1)
            pos = bins - 1;
        unsigned i = (unsigned)pos;
        if (i >= bins - 1)
            i = bins - 2;
        taps[r] = (hark_scale_tap){i, 1, (float)(pos - i), -1};
    }
}

/* ---- cqt kernels ------------------------------------------------------------------------- */

/* sum_{n<W} e^{-2 pi i nu n / W}, nu in bins of the W-point transform. */
static double complex dirichlet(double nu, unsigned W)
{
    double den = sin(M_PI * nu / W);
    double complex phase = cexp(-I * M_PI * nu * (W - 1) / W);
    if (fabs(den) < 1e-12)
        return phase * (double)W * cos(M_PI * nu) / cos(M_PI * nu / W); /* the limit */
    return phase * sin(M_PI * nu) / den;
}

/* The analysis window's power response at an offset of delta bins of the fft_size grid,
 * relative to its peak: what a steady sine delta bins away puts in a bin. */
static double window_response(const hark_scale *s, double delta)
{
    const double *a = hark_window_terms(s->window);
    unsigned W = s->window_size;
    double nu = delta * W / s->fft_size;
    double complex sum = a[0] * dirichlet(nu, W);
    for (int k = 1; k < 4; k++) {
        double sign = k % 2 ? -0.5 : 0.5;
        sum += sign * a[k] * (dirichlet(nu - k, W) + dirichlet(nu + k, W));
    }
    double peak = a[0] * W;
    return creal(sum * conj(sum)) / (peak * peak);
}

/* A constant-Q filter's power response at x bandwidths from its centre: the main lobe of a
 * Hann window whose length gives the bandwidth, (sinc x / (1 - x^2))^2, zero past |x| = 2. */
static double cq_response(double x)
{
    x = fabs(x);
    if (x >= 2.0)
        return 0.0;
    if (x < 1e-9)
        return 1.0;
    if (fabs(x - 1.0) < 1e-9)
        return 0.25;
    double v = sin(M_PI * x) / (M_PI * x) / (1.0 - x * x);
    return v * v;
}

/* The bins row r's kernel spans: half-width 2 bandwidths, at least one bin either side. */
static void kernel_span(const hark_scale *s, unsigned r, double *centre, double *bw,
                        unsigned *first, unsigned *count)
{
    double bin_hz = s->rate_hz / s->fft_size, q = 1.0 / (pow(2.0, 1.0 / s->bins_per_octave) - 1.0);
    double f = hark_scale_freq(s, r);
    *centre = f / bin_hz;
    *bw = f / q / bin_hz;
    if (*bw < 0.5)
        *bw = 0.5;
    double bins = s->fft_size / 2 + 1;
    double lo = ceil(*centre - 2.0 * *bw), hi = floor(*centre + 2.0 * *bw);
    lo = lo < 0 ? 0 : lo;
    hi = hi > bins - 1 ? bins - 1 : hi;
    if (hi < lo) /* a row beyond Nyquist: the last bin */
        lo = hi = bins - 1;
    *first = (unsigned)lo;
    *count = (unsigned)(hi - lo) + 1;
}

static hark_err make_kernels(const hark_scale *s, hark_scale_map *m)
{
    size_t total = 0;
    for (unsigned r = 0; r < s->rows; r++) {
        double c, bw;
        kernel_span(s, r, &c, &bw, &m->taps[r].first, &m->taps[r].count);
        total += m->taps[r].count;
    }
    if (total > (size_t)1 << 30)
        return hark_error_set(HARK_ERR_USAGE, "the cqt kernels would be too large");
    m->weights = malloc(sizeof(float) * total);
    if (!m->weights)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the cqt kernels");
    size_t at = 0;
    for (unsigned r = 0; r < s->rows; r++) {
        hark_scale_tap *t = &m->taps[r];
        double c, bw, norm = 0.0;
        kernel_span(s, r, &c, &bw, &t->first, &t->count);
        for (unsigned i = 0; i < t->count; i++) {
            double d = t->first + i - c, g = cq_response(d / bw);
            m->weights[at + i] = (float)g;
            norm += g * window_response(s, d);
        }
        for (unsigned i = 0; i < t->count; i++)
            m->weights[at + i] = norm > 0 ? (float)(m->weights[at + i] / norm) : 0.0f;
        t->frac = 0.0f;
        t->kernel = (int)at;
        at += t->count;
    }
    return HARK_OK;
}

hark_err hark_scale_map_make(const hark_scale *s, float floor_db, hark_scale_map *m)
{
    *m = (hark_scale_map){.rows = s->rows, .floor_db = floor_db};
    m->taps = malloc(sizeof *m->taps * s->rows);
    if (!m->taps)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for the frequency scale");
    hark_err err = HARK_OK;
    if (s->kind == HARK_SCALE_CQT)
        err = make_kernels(s, m);
    else
        make_plain_taps(s, m->taps);
    if (err)
        hark_scale_map_free(m);
    return err;
}

void hark_scale_map_free(hark_scale_map *m)
{
    free(m->taps);
    free(m->weights);
    *m = (hark_scale_map){0};
}

void hark_scale_apply(const hark_scale_map *m, const float *bins, float *rows)
{
    for (unsigned r = 0; r < m->rows; r++)
        rows[r] = hark_scale_tap_value(m, r, bins);
}
