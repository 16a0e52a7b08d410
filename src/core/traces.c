#include "traces.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double hark_traces_average_steps[] = {0.0, 0.1, 0.3, 1.0, 3.0, 10.0};
const unsigned hark_traces_average_step_count =
    sizeof hark_traces_average_steps / sizeof hark_traces_average_steps[0];

#define AVERAGE_MIN_S 0.1
#define AVERAGE_MAX_S 10.0

struct hark_traces {
    hark_traces_config cfg;
    hark_lines *lines;
    unsigned n;
    uint64_t frames, since_reset;
    double alpha;        /* the average's step per frame, from its time constant */
    double *power;       /* this frame's, per line */
    double *avg_power;   /* the average's */
    float *level[HARK_TRACE_COUNT];
    int has_reference;
};

hark_err hark_traces_check_average(double s)
{
    if (s == 0.0 || (s >= AVERAGE_MIN_S && s <= AVERAGE_MAX_S))
        return HARK_OK;
    return hark_error_set(HARK_ERR_USAGE, "--average %g: expected 0 (off) or %g to %g s", s,
                          AVERAGE_MIN_S, AVERAGE_MAX_S);
}

static double alpha_for(double average_s, double frame_s)
{
    return average_s > 0 ? 1.0 - exp(-frame_s / average_s) : 1.0;
}

hark_err hark_traces_create(const hark_traces_config *cfg, hark_traces **out)
{
    *out = NULL;
    hark_err err = hark_traces_check_average(cfg->average_s);
    if (err)
        return err;
    hark_traces *t = calloc(1, sizeof *t);
    if (!t)
        return hark_fail(HARK_ERR_NOMEM);
    t->cfg = *cfg;
    if ((err = hark_lines_create(&cfg->lines, &t->lines))) {
        free(t);
        return err;
    }
    t->n = hark_lines_count(t->lines);
    size_t n = t->n ? t->n : 1;
    t->power = calloc(n, sizeof *t->power);
    t->avg_power = calloc(n, sizeof *t->avg_power);
    int ok = t->power && t->avg_power;
    for (int k = 0; k < HARK_TRACE_COUNT; k++)
        ok = ok && (t->level[k] = malloc(n * sizeof(float)));
    if (!ok) {
        hark_traces_destroy(t);
        return hark_fail(HARK_ERR_NOMEM);
    }
    for (int k = 0; k < HARK_TRACE_COUNT; k++)
        for (unsigned i = 0; i < t->n; i++)
            t->level[k][i] = (float)cfg->floor_db;
    t->alpha = alpha_for(cfg->average_s, cfg->frame_s);
    *out = t;
    return HARK_OK;
}

void hark_traces_destroy(hark_traces *t)
{
    if (!t)
        return;
    hark_lines_destroy(t->lines);
    free(t->power);
    free(t->avg_power);
    for (int k = 0; k < HARK_TRACE_COUNT; k++)
        free(t->level[k]);
    free(t);
}

void hark_traces_push(hark_traces *t, const float *bins_db)
{
    const double floor = t->cfg.floor_db;
    const float fall = (float)(t->cfg.peak_decay_db_s * t->cfg.frame_s);
    const int first = t->frames == 0, fresh = t->since_reset == 0;
    hark_lines_power(t->lines, bins_db, t->power);
    float *cur = t->level[HARK_TRACE_CURRENT], *avg = t->level[HARK_TRACE_AVERAGE];
    float *peak = t->level[HARK_TRACE_PEAK], *min = t->level[HARK_TRACE_MIN];
    for (unsigned i = 0; i < t->n; i++) {
        double p = t->power[i];
        t->avg_power[i] = first ? p : t->avg_power[i] + t->alpha * (p - t->avg_power[i]);
        float c = (float)hark_lines_db(p, floor);
        cur[i] = c;
        avg[i] = (float)hark_lines_db(t->avg_power[i], floor);
        float held = fresh ? c : peak[i] - fall;
        peak[i] = c > held ? c : (held > (float)floor ? held : (float)floor);
        min[i] = fresh || c < min[i] ? c : min[i];
    }
    t->frames++;
    t->since_reset++;
}

uint64_t hark_traces_frames(const hark_traces *t)
{
    return t->frames;
}

void hark_traces_set_average(hark_traces *t, double seconds)
{
    t->cfg.average_s = seconds;
    t->alpha = alpha_for(seconds, t->cfg.frame_s);
}

double hark_traces_average_s(const hark_traces *t)
{
    return t->cfg.average_s;
}

void hark_traces_set_peak_decay(hark_traces *t, double db_per_s)
{
    t->cfg.peak_decay_db_s = db_per_s;
}

double hark_traces_peak_decay(const hark_traces *t)
{
    return t->cfg.peak_decay_db_s;
}

void hark_traces_reset_holds(hark_traces *t)
{
    t->since_reset = 0;
}

void hark_traces_capture_reference(hark_traces *t)
{
    memcpy(t->level[HARK_TRACE_REFERENCE], t->level[HARK_TRACE_AVERAGE], t->n * sizeof(float));
    t->has_reference = 1;
}

void hark_traces_clear_reference(hark_traces *t)
{
    t->has_reference = 0;
}

int hark_traces_has_reference(const hark_traces *t)
{
    return t->has_reference;
}

unsigned hark_traces_lines(const hark_traces *t)
{
    return t->n;
}

const hark_lines *hark_traces_line_set(const hark_traces *t)
{
    return t->lines;
}

void hark_traces_point(const hark_traces *t, unsigned i, hark_trace_point *out)
{
    out->hz = hark_lines_hz(t->lines, i);
    out->current = t->level[HARK_TRACE_CURRENT][i];
    out->average = t->level[HARK_TRACE_AVERAGE][i];
    out->peak = t->level[HARK_TRACE_PEAK][i];
    out->min = t->level[HARK_TRACE_MIN][i];
    out->reference = t->has_reference ? t->level[HARK_TRACE_REFERENCE][i] : NAN;
}

const float *hark_traces_levels(const hark_traces *t, hark_trace_kind k)
{
    return k == HARK_TRACE_REFERENCE && !t->has_reference ? NULL : t->level[k];
}
