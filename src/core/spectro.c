#include "spectro.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct hark_spectro {
    hark_spectro_config cfg;
    hark_stft *stft;
    hark_pcen *pcen;            /* cfg.pcen or cfg.both */
    unsigned bins, rows, delay, slots;
    uint64_t first;             /* the stream's first frame */
    uint64_t pushed;            /* frames pushed */
    uint64_t emitted;           /* rows given (from first) */
    int finished;
    int plain_ready;            /* plain: row holds frame first+pushed-1, not yet given */
    float reassign_power;       /* the threshold as power */
    float inv_enbw;
    float *power, *bin_at, *time_at, *pcen_bins, *db_bins;
    float *acc;                 /* reassign: slots x bins of power, frame r in slot r % slots */
    float *row;                 /* the row given */
};

static void spectro_free(hark_spectro *s)
{
    hark_stft_destroy(s->stft);
    hark_pcen_destroy(s->pcen);
    free(s->power);
    free(s->bin_at);
    free(s->time_at);
    free(s->pcen_bins);
    free(s->db_bins);
    free(s->acc);
    free(s->row);
    free(s);
}

static int plain(const hark_spectro_config *c) { return !c->reassign && !c->pcen && !c->both; }

unsigned hark_spectro_delay(const hark_spectro_config *c)
{
    if (!c->reassign)
        return 0;
    unsigned w = c->stft.window_size ? c->stft.window_size : c->stft.fft_size;
    return (w / 2 + c->hop - 1) / c->hop;
}

uint64_t hark_spectro_lead(const hark_spectro_config *cfg, double rate_hz)
{
    uint64_t lead = hark_spectro_delay(cfg);
    if (cfg->pcen)
        lead += hark_pcen_warmup_frames(&cfg->pcen_params, rate_hz, cfg->hop);
    return lead;
}

static hark_err allocate(hark_spectro *s)
{
    size_t b = s->bins;
    s->power = malloc(sizeof(float) * b);
    s->db_bins = malloc(sizeof(float) * b);
    s->pcen_bins = malloc(sizeof(float) * b);
    s->row = malloc(sizeof(float) * (s->cfg.both ? 2 * b : s->rows > b ? s->rows : b));
    int ok = s->power && s->db_bins && s->pcen_bins && s->row;
    if (ok && s->cfg.reassign) {
        s->bin_at = malloc(sizeof(float) * b);
        s->time_at = malloc(sizeof(float) * b);
        s->acc = calloc((size_t)s->slots * b, sizeof(float));
        ok = s->bin_at && s->time_at && s->acc;
    }
    return ok ? HARK_OK : hark_error_set(HARK_ERR_NOMEM, "out of memory for the analysis");
}

hark_err hark_spectro_create(const hark_spectro_config *cfg, uint64_t first_frame,
                             hark_spectro **out)
{
    *out = NULL;
    if (cfg->both && (cfg->stft.scale != HARK_SCALE_LINEAR ||
                      (cfg->stft.rows && cfg->stft.rows != cfg->stft.fft_size / 2 + 1)))
        return hark_error_set(HARK_ERR_USAGE, "rows of dB and PCEN bins are on no scale");
    hark_spectro *s = calloc(1, sizeof *s);
    if (!s)
        return hark_fail(HARK_ERR_NOMEM);
    s->cfg = *cfg;
    s->cfg.stft.reassign = cfg->reassign;
    hark_err err = hark_stft_create(&s->cfg.stft, &s->stft);
    if (!err) {
        s->bins = hark_stft_bins(s->stft);
        s->rows = hark_stft_rows(s->stft);
        s->delay = hark_spectro_delay(cfg);
        s->slots = 2 * s->delay + 1;
        s->reassign_power = powf(10.0f, cfg->reassign_db / 10.0f);
        s->inv_enbw = (float)(1.0 / hark_stft_enbw(s->stft));
        err = allocate(s);
    }
    if (!err && (cfg->pcen || cfg->both))
        err = hark_pcen_create(&cfg->pcen_params, cfg->stft.rate_hz, cfg->hop, s->bins,
                               &s->pcen);
    if (err) {
        spectro_free(s);
        return err;
    }
    hark_spectro_restart(s, first_frame);
    *out = s;
    return HARK_OK;
}

void hark_spectro_destroy(hark_spectro *s)
{
    if (s)
        spectro_free(s);
}

int hark_spectro_matches(const hark_spectro *s, const hark_spectro_config *cfg)
{
    const hark_spectro_config *m = &s->cfg;
    hark_stft_config want = cfg->stft;
    want.reassign = cfg->reassign;
    return hark_stft_matches(s->stft, &want) && m->hop == cfg->hop &&
           m->reassign == cfg->reassign && m->reassign_db == cfg->reassign_db &&
           m->pcen == cfg->pcen && m->both == cfg->both &&
           memcmp(&m->pcen_params, &cfg->pcen_params, sizeof m->pcen_params) == 0;
}

void hark_spectro_restart(hark_spectro *s, uint64_t first_frame)
{
    s->first = first_frame;
    s->pushed = s->emitted = 0;
    s->finished = s->plain_ready = 0;
    if (s->acc)
        memset(s->acc, 0, sizeof(float) * (size_t)s->slots * s->bins);
    if (s->pcen)
        hark_pcen_reset(s->pcen);
}

unsigned hark_spectro_row_floats(const hark_spectro *s)
{
    return s->cfg.both ? 2 * s->bins : s->rows;
}

const hark_stft *hark_spectro_stft(const hark_spectro *s) { return s->stft; }

/* ---- reassignment ------------------------------------------------------------------------ */

static float *slot(hark_spectro *s, uint64_t frame)
{
    return s->acc + (size_t)(frame % s->slots) * s->bins;
}

/* Frame m's power, each bin to where it belongs (rows before the stream's first are not
 * kept). */
static void deposit(hark_spectro *s, uint64_t m)
{
    const float thr = s->reassign_power, scale = s->inv_enbw, hop = (float)s->cfg.hop;
    const long d = (long)s->delay, last = (long)s->bins - 1;
    float *here = slot(s, m);
    for (unsigned k = 0; k < s->bins; k++) {
        float p = s->power[k] * scale;
        if (!(s->power[k] >= thr)) {
            here[k] += p;
            continue;
        }
        long kb = lroundf(s->bin_at[k]), dt = lroundf(s->time_at[k] / hop);
        if (kb < 0 || kb > last || dt < -d || dt > d) {
            here[k] += p;
            continue;
        }
        if (dt < 0 && (uint64_t)-dt > m - s->first)
            continue; /* a row before the stream's first */
        slot(s, (uint64_t)((long)m + dt))[kb] += p;
    }
}

/* ---- rows --------------------------------------------------------------------------------- */

/* A row from bins of power: dB (and PCEN) on the scale, or both on no scale. */
static void make_row(hark_spectro *s, const float *power)
{
    const hark_scale_map *map = hark_stft_map(s->stft);
    const float floor_db = s->cfg.stft.floor_db;
    if (s->pcen)
        hark_pcen_process(s->pcen, power, s->pcen_bins);
    if (s->cfg.both || !s->cfg.pcen)
        for (unsigned k = 0; k < s->bins; k++)
            s->db_bins[k] = hark_db_from_power(power[k], floor_db);
    if (s->cfg.both) {
        memcpy(s->row, s->db_bins, sizeof(float) * s->bins);
        memcpy(s->row + s->bins, s->pcen_bins, sizeof(float) * s->bins);
        return;
    }
    const float *bins = s->cfg.pcen ? s->pcen_bins : s->db_bins;
    if (!map) {
        memcpy(s->row, bins, sizeof(float) * s->bins);
        return;
    }
    hark_scale_map m = *map;
    m.not_db = s->cfg.pcen;
    hark_scale_apply(&m, bins, s->row);
}

void hark_spectro_push(hark_spectro *s, const float *frame)
{
    uint64_t m = s->first + s->pushed++;
    if (plain(&s->cfg)) {
        hark_stft_process(s->stft, frame, s->row);
        s->plain_ready = 1;
        return;
    }
    if (!s->cfg.reassign) {
        hark_stft_power(s->stft, frame, s->power);
        make_row(s, s->power);
        s->plain_ready = 1;
        return;
    }
    hark_stft_reassign(s->stft, frame, s->power, s->bin_at, s->time_at);
    deposit(s, m);
}

void hark_spectro_finish(hark_spectro *s) { s->finished = 1; }

const float *hark_spectro_next(hark_spectro *s, uint64_t *index)
{
    if (!s->cfg.reassign) {
        if (!s->plain_ready)
            return NULL;
        s->plain_ready = 0;
        *index = s->first + s->emitted++;
        return s->row;
    }
    /* Row r is complete once frame r + delay is in, or when no more frames come. */
    uint64_t r = s->emitted;
    if (r >= s->pushed || (!s->finished && r + s->delay >= s->pushed))
        return NULL;
    float *acc = slot(s, s->first + r);
    make_row(s, acc);
    memset(acc, 0, sizeof(float) * s->bins);
    s->emitted++;
    *index = s->first + r;
    return s->row;
}
