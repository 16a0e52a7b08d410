#include "ltas.h"

#include <math.h>
#include <stdlib.h>

struct hark_ltas {
    hark_lines *lines;
    unsigned bins, n;
    double *power;         /* per line, this frame's (scratch) */
    double *sum, *max;     /* per line: summed and largest power */
    uint64_t frames;
};

hark_err hark_ltas_create(const hark_ltas_config *cfg, hark_ltas **out)
{
    *out = NULL;
    hark_ltas *a = calloc(1, sizeof *a);
    if (!a)
        return hark_fail(HARK_ERR_NOMEM);
    hark_err err = hark_lines_create(cfg, &a->lines);
    if (err) {
        free(a);
        return err;
    }
    a->bins = cfg->fft_size / 2 + 1;
    a->n = hark_lines_count(a->lines);
    size_t n = a->n ? a->n : 1;
    a->power = calloc(n, sizeof *a->power);
    a->sum = calloc(n, sizeof *a->sum);
    a->max = calloc(n, sizeof *a->max);
    if (!a->power || !a->sum || !a->max) {
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
    hark_lines_destroy(a->lines);
    free(a->power);
    free(a->sum);
    free(a->max);
    free(a);
}

void hark_ltas_add(hark_ltas *a, const float *bins_db, size_t n)
{
    for (size_t f = 0; f < n; f++, bins_db += a->bins) {
        hark_lines_power(a->lines, bins_db, a->power);
        for (unsigned i = 0; i < a->n; i++) {
            double p = a->power[i];
            a->sum[i] += p;
            a->max[i] = p > a->max[i] ? p : a->max[i];
        }
        a->frames++;
    }
}

unsigned hark_ltas_lines(const hark_ltas *a)
{
    return a->n;
}

uint64_t hark_ltas_frames(const hark_ltas *a)
{
    return a->frames;
}

void hark_ltas_line(const hark_ltas *a, unsigned i, double floor_db, double *hz, double *mean_db,
                    double *max_db)
{
    *hz = hark_lines_hz(a->lines, i);
    *mean_db = a->frames ? hark_lines_db(a->sum[i] / (double)a->frames, floor_db) : NAN;
    *max_db = a->frames ? hark_lines_db(a->max[i], floor_db) : NAN;
}
