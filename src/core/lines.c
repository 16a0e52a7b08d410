#include "lines.h"

#include <math.h>
#include <stdlib.h>
#include <strings.h>

typedef struct {
    unsigned first, count; /* bins */
    double centre_hz;
    double scale;          /* 1 for a bin; 1 / ENBW for a band */
} line;

struct hark_lines {
    hark_lines_config cfg;
    unsigned bins, n;
    line *lines;
    float *gain;           /* per bin: the weighting, as a power ratio */
    double *power;         /* per bin, this frame's (scratch) */
};

static const char *const weight_names[] = {"Z", "A", "C"};

hark_err hark_weighting_parse(const char *name, hark_weighting *out)
{
    for (int k = 0; k < 3; k++)
        if (strcasecmp(name, weight_names[k]) == 0) {
            *out = (hark_weighting)k;
            return HARK_OK;
        }
    return hark_error_set(HARK_ERR_USAGE, "--weighting '%s': expected Z, A or C", name);
}

const char *hark_weighting_name(hark_weighting w)
{
    return weight_names[w];
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

hark_err hark_lines_check_octave(unsigned oct)
{
    if (oct != 0 && oct != 1 && oct != 3 && oct != 6 && oct != 12 && oct != 24)
        return hark_error_set(HARK_ERR_USAGE, "--octave %u: expected 1, 3, 6, 12 or 24", oct);
    return HARK_OK;
}

double hark_lines_band_ratio(unsigned octave)
{
    return pow(pow(10.0, 0.3), 1.0 / (2.0 * octave));
}

/* The band lines: IEC 61260-1 centres from below the first bin above DC to Nyquist. */
static unsigned make_bands(const hark_lines_config *cfg, unsigned bins, line *out)
{
    const double G = pow(10.0, 0.3), b = cfg->octave, bin_hz = cfg->rate_hz / cfg->fft_size;
    const double nyquist = cfg->rate_hz / 2;
    unsigned n = 0;
    for (int x = -400; x <= 400; x++) {
        double e = ((int)cfg->octave % 2) ? x / b : (2.0 * x + 1) / (2.0 * b);
        double centre = 1000.0 * pow(G, e);
        double lo = centre / hark_lines_band_ratio(cfg->octave);
        double hi = centre * hark_lines_band_ratio(cfg->octave);
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

hark_err hark_lines_create(const hark_lines_config *cfg, hark_lines **out)
{
    *out = NULL;
    hark_err err = hark_lines_check_octave(cfg->octave);
    if (err)
        return err;
    hark_lines *l = calloc(1, sizeof *l);
    if (!l)
        return hark_fail(HARK_ERR_NOMEM);
    l->cfg = *cfg;
    l->bins = cfg->fft_size / 2 + 1;
    l->lines = calloc(cfg->octave ? 801 : l->bins, sizeof *l->lines);
    l->gain = malloc(sizeof(float) * l->bins);
    l->power = malloc(sizeof(double) * l->bins);
    if (!l->lines || !l->gain || !l->power) {
        hark_lines_destroy(l);
        return hark_fail(HARK_ERR_NOMEM);
    }
    double bin_hz = cfg->rate_hz / cfg->fft_size;
    for (unsigned k = 0; k < l->bins; k++)
        l->gain[k] = (float)(k == 0 && cfg->weighting != HARK_WEIGHT_Z
                                 ? 0.0
                                 : pow(10.0, hark_weighting_db(cfg->weighting, k * bin_hz) / 10));
    if (cfg->octave) {
        l->n = make_bands(cfg, l->bins, l->lines);
        unsigned w = cfg->window_size ? cfg->window_size : cfg->fft_size;
        double enbw = enbw_bins(cfg->window, w) * cfg->fft_size / w;
        double scale = cfg->reassigned ? 1.0 : 1.0 / enbw;
        for (unsigned i = 0; i < l->n; i++)
            l->lines[i].scale = scale;
    } else {
        l->n = l->bins;
        for (unsigned k = 0; k < l->bins; k++)
            l->lines[k] = (line){k, 1, k * bin_hz, 1.0};
    }
    *out = l;
    return HARK_OK;
}

void hark_lines_destroy(hark_lines *l)
{
    if (!l)
        return;
    free(l->lines);
    free(l->gain);
    free(l->power);
    free(l);
}

unsigned hark_lines_count(const hark_lines *l)
{
    return l->n;
}

unsigned hark_lines_octave(const hark_lines *l)
{
    return l->cfg.octave;
}

hark_weighting hark_lines_weighting(const hark_lines *l)
{
    return l->cfg.weighting;
}

double hark_lines_hz(const hark_lines *l, unsigned i)
{
    return l->lines[i].centre_hz;
}

void hark_lines_power(hark_lines *l, const float *bins_db, double *power)
{
    for (unsigned k = 0; k < l->bins; k++)
        l->power[k] = l->gain[k] * pow(10.0, bins_db[k] / 10.0);
    for (unsigned i = 0; i < l->n; i++) {
        const line *ln = &l->lines[i];
        double p = 0;
        for (unsigned k = ln->first; k < ln->first + ln->count; k++)
            p += l->power[k];
        power[i] = p * ln->scale;
    }
}

double hark_lines_db(double power, double floor_db)
{
    double db = power > 0 ? 10.0 * log10(power) : floor_db;
    return db > floor_db ? db : floor_db;
}
