#include "ltas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    unsigned first, count; /* bins */
    double centre_hz;
    double scale;          /* 1 for a bin; 1 / ENBW for a band */
} line;

struct hark_ltas {
    unsigned bins, nlines;
    line *lines;
    float *gain;           /* per bin: the weighting, as a power ratio */
    double *power;         /* per bin, this frame's (scratch) */
    double *sum, *max;     /* per line: summed and largest power */
    uint64_t frames;
};

hark_err hark_weighting_parse(const char *name, hark_weighting *out)
{
    static const char *const names[] = {"Z", "A", "C"};
    for (int k = 0; k < 3; k++)
        if (strcasecmp(name, names[k]) == 0) {
            *out = (hark_weighting)k;
            return HARK_OK;
        }
    return hark_error_set(HARK_ERR_USAGE, "--weighting '%s': expected Z, A or C", name);
}

/* IEC 61672-1, annex E: the pole frequencies, and the normalisations that make 0 dB at 1 kHz. */
double hark_weighting_db(hark_weighting w, double f)
{
    if (w == HARK_WEIGHT_Z)
        return 0.0;
    const double f1 = 20.598997, f2 = 107.65265, f3 = 737.86223, f4 = 12194.217;
    double f_2 = f * f, r;
    if (w == HARK_WEIGHT_C) {
        r = f4 * f4 * f_2 / ((f_2 + f1 * f1) * (f_2 + f4 * f4));
        return 20.0 * log10(r) + 0.0619;
    }
    r = f4 * f4 * f_2 * f_2 /
        ((f_2 + f1 * f1) * sqrt((f_2 + f2 * f2) * (f_2 + f3 * f3)) * (f_2 + f4 * f4));
    return 20.0 * log10(r) + 2.0;
}

/* The window's equivalent noise bandwidth in bins: N sum(w^2) / sum(w)^2. */
static double enbw_bins(hark_window_kind kind, unsigned n)
{
    float *w = malloc(sizeof(float) * n);
    if (!w)
        return 1.0;
    hark_window_fill(kind, w, n);
    double s = 0, s2 = 0;
    for (unsigned i = 0; i < n; i++)
        s += w[i], s2 += (double)w[i] * w[i];
    free(w);
    return s > 0 ? n * s2 / (s * s) : 1.0;
}

double hark_ltas_band_ratio(unsigned octave)
{
    return pow(pow(10.0, 0.3), 1.0 / (2.0 * octave));
}

/* The band lines: IEC 61260-1 centres from below the first bin above DC to Nyquist. */
static unsigned make_bands(const hark_ltas_config *cfg, unsigned bins, line *out)
{
    const double G = pow(10.0, 0.3), b = cfg->octave, bin_hz = cfg->rate_hz / cfg->fft_size;
    const double nyquist = cfg->rate_hz / 2;
    unsigned n = 0;
    for (int x = -400; x <= 400; x++) {
        double e = ((int)cfg->octave % 2) ? x / b : (2.0 * x + 1) / (2.0 * b);
        double centre = 1000.0 * pow(G, e);
        double lo = centre / hark_ltas_band_ratio(cfg->octave);
        double hi = centre * hark_ltas_band_ratio(cfg->octave);
        if (hi <= bin_hz * 0.5 || lo >= nyquist)
            continue;
        unsigned first = (unsigned)ceil(lo / bin_hz), last = (unsigned)ceil(hi / bin_hz);
        first = first < 1 ? 1 : first; /* DC belongs to no band */
        last = last > bins ? bins : last;
        if (last <= first)
            continue; /* no bin centre in it */
        out[n++] = (line){first, last - first, centre, 0.0};
    }
    return n;
}

hark_err hark_ltas_create(const hark_ltas_config *cfg, hark_ltas **out)
{
    *out = NULL;
    unsigned oct = cfg->octave;
    if (oct != 0 && oct != 1 && oct != 3 && oct != 6 && oct != 12 && oct != 24)
        return hark_error_set(HARK_ERR_USAGE, "--octave %u: expected 1, 3, 6, 12 or 24", oct);
    hark_ltas *a = calloc(1, sizeof *a);
    if (!a)
        return hark_fail(HARK_ERR_NOMEM);
    a->bins = cfg->fft_size / 2 + 1;
    a->lines = calloc(oct ? 801 : a->bins, sizeof *a->lines);
    a->gain = malloc(sizeof(float) * a->bins);
    a->power = malloc(sizeof(double) * a->bins);
    if (!a->lines || !a->gain || !a->power) {
        hark_ltas_destroy(a);
        return hark_fail(HARK_ERR_NOMEM);
    }
    double bin_hz = cfg->rate_hz / cfg->fft_size;
    for (unsigned k = 0; k < a->bins; k++)
        a->gain[k] = (float)(k == 0 && cfg->weighting != HARK_WEIGHT_Z
                                 ? 0.0
                                 : pow(10.0, hark_weighting_db(cfg->weighting, k * bin_hz) / 10));
    if (oct) {
        a->nlines = make_bands(cfg, a->bins, a->lines);
        double scale = 1.0 / enbw_bins(cfg->window, cfg->fft_size);
        for (unsigned i = 0; i < a->nlines; i++)
            a->lines[i].scale = scale;
    } else {
        a->nlines = a->bins;
        for (unsigned k = 0; k < a->bins; k++)
            a->lines[k] = (line){k, 1, k * bin_hz, 1.0};
    }
    a->sum = calloc(a->nlines ? a->nlines : 1, sizeof *a->sum);
    a->max = calloc(a->nlines ? a->nlines : 1, sizeof *a->max);
    if (!a->sum || !a->max) {
        hark_ltas_destroy(a);
        return hark_fail(HARK_ERR_NOMEM);
    }
    *out = a;
    return HARK_OK;
}

void hark_ltas_destroy(hark_ltas *a)
{
    if (!a)
        return;
    free(a->lines);
    free(a->gain);
    free(a->power);
    free(a->sum);
    free(a->max);
    free(a);
}

void hark_ltas_add(hark_ltas *a, const float *bins_db, size_t n)
{
    for (size_t f = 0; f < n; f++, bins_db += a->bins) {
        for (unsigned k = 0; k < a->bins; k++)
            a->power[k] = a->gain[k] * pow(10.0, bins_db[k] / 10.0);
        for (unsigned i = 0; i < a->nlines; i++) {
            const line *l = &a->lines[i];
            double p = 0;
            for (unsigned k = l->first; k < l->first + l->count; k++)
                p += a->power[k];
            p *= l->scale;
            a->sum[i] += p;
            a->max[i] = p > a->max[i] ? p : a->max[i];
        }
        a->frames++;
    }
}

unsigned hark_ltas_lines(const hark_ltas *a)
{
    return a->nlines;
}

uint64_t hark_ltas_frames(const hark_ltas *a)
{
    return a->frames;
}

static double level_db(double power, double floor_db)
{
    double db = power > 0 ? 10.0 * log10(power) : floor_db;
    return db > floor_db ? db : floor_db;
}

void hark_ltas_line(const hark_ltas *a, unsigned i, double floor_db, double *hz, double *mean_db,
                    double *max_db)
{
    *hz = a->lines[i].centre_hz;
    *mean_db = a->frames ? level_db(a->sum[i] / (double)a->frames, floor_db) : NAN;
    *max_db = a->frames ? level_db(a->max[i], floor_db) : NAN;
}
