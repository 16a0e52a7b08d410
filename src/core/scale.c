#include "scale.h"

#include <math.h>
#include <string.h>

static const char *const names[HARK_SCALE_COUNT] = {
    [HARK_SCALE_LINEAR] = "linear",
    [HARK_SCALE_LOG] = "log",
    [HARK_SCALE_MEL] = "mel",
};

hark_err hark_scale_parse(const char *name, hark_scale_kind *out)
{
    for (int k = 0; k < HARK_SCALE_COUNT; k++) {
        if (strcmp(name, names[k]) == 0) {
            *out = (hark_scale_kind)k;
            return HARK_OK;
        }
    }
    return hark_error_set(HARK_ERR_USAGE, "unknown scale '%s' (linear, log, mel)", name);
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
    s->kind = kind;
    s->rows = rows < 2 ? 2 : rows;
    s->rate_hz = rate_hz;
    s->fft_size = fft_size;
    s->hi_hz = rate_hz / 2.0;
    s->lo_hz = kind == HARK_SCALE_LOG ? rate_hz / fft_size : 0.0;
}

double hark_scale_freq(const hark_scale *s, double row)
{
    double t = row / (double)(s->rows - 1);
    switch (s->kind) {
    case HARK_SCALE_LOG:
        return s->lo_hz * pow(s->hi_hz / s->lo_hz, t);
    case HARK_SCALE_MEL:
        return mel_to_hz(t * hz_to_mel(s->hi_hz));
    default:
        return s->lo_hz + t * (s->hi_hz - s->lo_hz);
    }
}

double hark_scale_row(const hark_scale *s, double freq_hz)
{
    double t;
    switch (s->kind) {
    case HARK_SCALE_LOG:
        t = freq_hz > 0 ? log(freq_hz / s->lo_hz) / log(s->hi_hz / s->lo_hz) : -INFINITY;
        break;
    case HARK_SCALE_MEL:
        t = hz_to_mel(freq_hz) / hz_to_mel(s->hi_hz);
        break;
    default:
        t = (freq_hz - s->lo_hz) / (s->hi_hz - s->lo_hz);
        break;
    }
    return t * (double)(s->rows - 1);
}

void hark_scale_make_taps(const hark_scale *s, hark_scale_tap *taps)
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
            taps[r].first = (unsigned)first;
            taps[r].count = (unsigned)(last - first) + 1;
            taps[r].frac = 0.0f;
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
        taps[r].first = i;
        taps[r].count = 1;
        taps[r].frac = (float)(pos - i);
    }
}

void hark_scale_apply(const hark_scale_tap *taps, unsigned rows, const float *bins_db,
                      float *rows_db)
{
    for (unsigned r = 0; r < rows; r++)
        rows_db[r] = hark_scale_tap_value(&taps[r], bins_db);
}
