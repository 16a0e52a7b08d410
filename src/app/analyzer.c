#include "analyzer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "outfile.h"

#define SOUND_CHUNK 1024u /* frames taken from the source at a time */

struct hark_analyzer {
    hark_analyzer_config cfg;
    hark_traces *traces;
    hark_levels *levels;
    float *sound;         /* SOUND_CHUNK frames of cfg.channels */
};

hark_err hark_analyzer_create(const hark_analyzer_config *cfg, hark_analyzer **out)
{
    *out = NULL;
    hark_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return hark_fail(HARK_ERR_NOMEM);
    a->cfg = *cfg;
    a->sound = malloc(sizeof(float) * SOUND_CHUNK * (cfg->channels ? cfg->channels : 1));
    hark_err err = a->sound ? hark_traces_create(&cfg->traces, &a->traces)
                            : hark_fail(HARK_ERR_NOMEM);
    if (!err)
        err = hark_levels_create(cfg->channels, cfg->rate_hz, &a->levels);
    if (err) {
        hark_analyzer_destroy(a);
        return err;
    }
    *out = a;
    return HARK_OK;
}

void hark_analyzer_destroy(hark_analyzer *a)
{
    if (!a)
        return;
    hark_traces_destroy(a->traces);
    hark_levels_destroy(a->levels);
    free(a->sound);
    free(a);
}

void hark_analyzer_row(hark_analyzer *a, const float *bins_db)
{
    hark_traces_push(a->traces, bins_db);
}

hark_err hark_analyzer_take_sound(hark_analyzer *a, hark_stream *s)
{
    size_t n;
    hark_err err = HARK_OK;
    while (!err && (n = hark_stream_take_frames(s, a->sound, SOUND_CHUNK)) > 0)
        err = hark_levels_add(a->levels, a->sound, n);
    return err;
}

hark_traces *hark_analyzer_traces(hark_analyzer *a) { return a->traces; }
hark_levels *hark_analyzer_levels(hark_analyzer *a) { return a->levels; }
const char *hark_analyzer_trace_out(const hark_analyzer *a) { return a->cfg.trace_out; }

hark_err hark_analyzer_set_lines(hark_analyzer *a, unsigned octave, hark_weighting w)
{
    hark_traces_config tc = a->cfg.traces;
    tc.lines.octave = octave;
    tc.lines.weighting = w;
    tc.average_s = hark_traces_average_s(a->traces);
    tc.peak_decay_db_s = hark_traces_peak_decay(a->traces);
    hark_traces *t;
    hark_err err = hark_traces_create(&tc, &t);
    if (err)
        return err;
    hark_traces_destroy(a->traces);
    a->traces = t;
    a->cfg.traces = tc;
    return HARK_OK;
}

/* A level for the CSV: with 3 decimals, or nothing. */
static void csv_level(FILE *fp, double db)
{
    if (isfinite(db))
        fprintf(fp, ",%.3f", db);
    else
        fputc(',', fp);
}

hark_err hark_analyzer_write_traces(const hark_analyzer *a)
{
    if (!a->cfg.trace_out)
        return HARK_OK;
    hark_outfile of = {0};
    hark_err err = hark_outfile_open(&of, a->cfg.trace_out);
    if (err)
        return err;
    fprintf(of.fp, "hz,current_dbfs,average_dbfs,peak_dbfs,min_dbfs,reference_dbfs\n");
    for (unsigned i = 0; i < hark_traces_lines(a->traces); i++) {
        hark_trace_point p;
        hark_traces_point(a->traces, i, &p);
        fprintf(of.fp, "%.4f", p.hz);
        csv_level(of.fp, p.current);
        csv_level(of.fp, p.average);
        csv_level(of.fp, p.peak);
        csv_level(of.fp, p.min);
        csv_level(of.fp, p.reference);
        fputc('\n', of.fp);
    }
    return hark_outfile_commit(&of);
}

/* " -20.0 <unit>", or " none" for NAN. */
static int level_text(char *buf, size_t size, const char *what, double v, const char *unit)
{
    return isfinite(v) ? snprintf(buf, size, "%s %.1f %s", what, v, unit)
                       : snprintf(buf, size, "%s none", what);
}

void hark_analyzer_levels_line(const hark_analyzer *a, uint64_t unmetered, char *buf,
                               size_t size)
{
    hark_level_set set;
    hark_levels_programme(a->levels, &set);
    char peak[48], tp[48], rms[48], il[48], lra[48];
    level_text(peak, sizeof peak, "sample peak", set.sample_peak_dbfs, "dBFS");
    level_text(tp, sizeof tp, "true peak", set.true_peak_dbtp, "dBTP");
    level_text(rms, sizeof rms, "RMS", set.rms_dbfs, "dBFS");
    level_text(il, sizeof il, "integrated", set.integrated_lufs, "LUFS");
    level_text(lra, sizeof lra, "range", set.range_lu, "LU");
    char missed[96] = "";
    if (unmetered)
        snprintf(missed, sizeof missed, " (%llu frames not metered: the main thread was late)",
                 (unsigned long long)unmetered);
    snprintf(buf, size, "levels: %s, %s, %s, %s, %s, %llu clipped samples%s", peak, tp, rms, il,
             lra, (unsigned long long)set.clipped, missed);
}
