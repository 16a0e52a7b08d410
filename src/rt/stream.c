#include "stream.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

/* Rows the DSP thread computes that the owner never takes (it fell behind) are given up this
 * long after everything was heard. */
#define GIVE_UP_S 2.0
#define DRAIN_NAP_NS 5000000L

struct hark_stream {
    hark_source *source;
    hark_ring *samples, *rows;
    hark_dsp *dsp;
    hark_dsp_config dsp_cfg;
    hark_streamclock clock;
    unsigned nrows, hop, lanes;
    size_t stride;
    uint64_t next_row;      /* the next row's index since the last (re)start */
    double heard_s;         /* the last position known to be heard */
    uint64_t gaps;          /* an input's samples missing where its clock jumped */
    double all_heard_at;    /* when everything had been heard (0: not yet) */
};

static void nap(void)
{
    struct timespec ts = {0, DRAIN_NAP_NS};
    nanosleep(&ts, NULL);
}

hark_err hark_stream_create(const hark_stream_config *cfg, hark_stream **out)
{
    *out = NULL;
    hark_stream *s = calloc(1, sizeof *s);
    if (!s) {
        hark_source_destroy(cfg->source);
        return hark_fail(HARK_ERR_NOMEM);
    }
    s->source = cfg->source;
    s->samples = cfg->source->samples;
    const hark_analysis *an = &cfg->analysis;
    const hark_source_info *info = &cfg->source->info;
    s->nrows = an->fft_size / 2 + 1;
    s->hop = an->hop;
    s->lanes = info->lanes ? info->lanes : 1;
    hark_streamclock_init(&s->clock, info->rate_hz, info->file.rate_hz);
    s->dsp_cfg = (hark_dsp_config){
        .samples = s->samples, .lanes = s->lanes, .hop = an->hop, .on_rows = cfg->on_rows,
        .on_rows_ctx = cfg->on_rows_ctx,
        .spectro = {.hop = an->hop, .reassign = an->reassign, .reassign_db = an->reassign_db,
                    .pcen_params = an->pcen_params, .both = cfg->pcen_rows}};
    hark_analysis_stft_config(an, info->rate_hz, 0, &s->dsp_cfg.spectro.stft);
    s->dsp_cfg.spectro.stft.scale = HARK_SCALE_LINEAR;
    s->stride = (size_t)s->nrows * (cfg->pcen_rows ? 2 : 1);
    hark_err err = hark_ring_create(sizeof(float) * s->stride * s->lanes, cfg->row_ring, &s->rows);
    if (!err) {
        s->dsp_cfg.rows = s->rows;
        err = hark_dsp_start(&s->dsp_cfg, &s->dsp);
    }
    if (err) {
        hark_stream_destroy(s);
        return err;
    }
    *out = s;
    return HARK_OK;
}

void hark_stream_destroy(hark_stream *s)
{
    if (!s)
        return;
    if (s->source)
        s->source->ops->stop(s->source); /* it may be abandoned here (source.h) */
    hark_dsp_stop(s->dsp); /* before the source: it reads the source's ring */
    hark_source_destroy(s->source); /* an abandoned one frees nothing its thread touches */
    hark_ring_destroy(s->rows);
    free(s);
}

hark_err hark_stream_start(hark_stream *s, int64_t from)
{
    s->heard_s = s->source->info.file.rate_hz > 0 ? (double)from / s->source->info.file.rate_hz : 0;
    return s->source->ops->start(s->source, from);
}

hark_err hark_stream_stop(hark_stream *s)
{
    return s->source->ops->stop(s->source);
}

int hark_stream_drain(hark_stream *s)
{
    if (!s->dsp)
        return 0;
    hark_dsp_pause_for_test(s->dsp, 0);
    int left = hark_ring_readable(s->samples) > 0;
    nap(); /* the pass that takes the last samples, or the one after it */
    return left;
}

size_t hark_stream_take_frames(hark_stream *s, float *out, size_t max)
{
    return s->source->ops->take_frames ? s->source->ops->take_frames(s->source, out, max) : 0;
}

const hark_source_info *hark_stream_source(const hark_stream *s) { return &s->source->info; }
unsigned hark_stream_rows(const hark_stream *s) { return s->nrows; }

unsigned hark_stream_delay(const hark_stream *s)
{
    return hark_spectro_delay(&s->dsp_cfg.spectro);
}
double hark_stream_now(const hark_stream *s) { return s->source->ops->now(s->source); }

void hark_stream_poll(hark_stream *s)
{
    hark_stamp stamps[64];
    hark_segment segs[16];
    size_t n;
    if (s->source->ops->take_segments)
        while ((n = s->source->ops->take_segments(s->source, segs, 16)) > 0)
            for (size_t i = 0; i < n; i++)
                hark_streamclock_add_segment(&s->clock, segs[i]);
    while ((n = s->source->ops->take_stamps(s->source, stamps, 64)) > 0)
        for (size_t i = 0; i < n; i++) {
            if (!s->source->info.plays) /* samples an input's clock says are missing */
                s->gaps += hark_streamclock_gap(&s->clock, stamps[i]);
            hark_streamclock_add_stamp(&s->clock, stamps[i]);
        }
}

int hark_stream_next(hark_stream *s, double now, hark_stream_row *row, int *wait_ms)
{
    *wait_ms = -1;
    const float *db = hark_ring_peek(s->rows);
    if (!db)
        return 0;
    uint64_t centre = s->next_row * s->hop;
    double t;
    int known = hark_streamclock_time(&s->clock, centre, &t);
    if (s->source->info.plays) {
        if (known == 0)
            return 0; /* its stamp is on its way */
        if (known > 0 && t > now) {
            *wait_ms = (int)ceil((t - now) * 1000);
            return 0;
        }
    }
    *row = (hark_stream_row){.db = db, .pcen = s->dsp_cfg.spectro.both ? db + s->nrows : NULL,
                             .lanes = s->lanes, .stride = s->stride, .index = s->next_row,
                             .time = known > 0 ? t : now, .file_s = -1};
    if (s->source->info.file.rate_hz > 0)
        row->file_s = hark_streamclock_file_seconds(&s->clock, (double)centre);
    return 1;
}

void hark_stream_release(hark_stream *s)
{
    hark_ring_skip(s->rows, 1);
    s->next_row++;
}

int hark_stream_sample_time(const hark_stream *s, uint64_t n, double *t)
{
    return hark_streamclock_time(&s->clock, n, t) > 0;
}

double hark_stream_heard(hark_stream *s, double now)
{
    double pos;
    if (hark_streamclock_heard(&s->clock, now, &pos))
        s->heard_s = hark_streamclock_file_seconds(&s->clock, pos);
    return s->heard_s;
}

int hark_stream_finished(hark_stream *s, double now)
{
    hark_source_status st;
    hark_stream_status(s, &st);
    double pos;
    if (!st.ended || (st.end_sample > 0 && !(hark_streamclock_heard(&s->clock, now, &pos) &&
                                             pos >= (double)st.end_sample)))
        return 0;
    if (s->all_heard_at == 0)
        s->all_heard_at = now;
    uint64_t half = s->dsp_cfg.spectro.stft.fft_size / 2;
    uint64_t rows = st.end_sample >= half ? (st.end_sample - half) / s->hop + 1 : 0;
    unsigned late = hark_stream_delay(s); /* reassigned rows wait for frames that never come */
    rows = rows > late ? rows - late : 0;
    return (hark_dsp_rows(s->dsp) >= rows && hark_ring_readable(s->rows) == 0) ||
           now - s->all_heard_at > GIVE_UP_S;
}

hark_err hark_stream_seek(hark_stream *s, double seconds)
{
    const hark_decoder_info *file = &s->source->info.file;
    if (!s->source->ops->seek_begin || !file->seekable)
        return hark_error_set(HARK_ERR_READ, "cannot seek: the input is not seekable");
    double len = file->frames >= 0 ? (double)file->frames / file->rate_hz : INFINITY;
    double t = seconds < 0 ? 0 : seconds > len - 0.1 ? (len > 0.1 ? len - 0.1 : 0) : seconds;
    hark_err err = s->source->ops->seek_begin(s->source);
    if (err)
        return err; /* the source never answered: its device is gone (the DSP goes on) */
    hark_dsp_stop(s->dsp);
    s->dsp = NULL;
    hark_ring_reset(s->samples);
    hark_ring_reset(s->rows);
    hark_streamclock_reset(&s->clock);
    s->next_row = 0;
    s->heard_s = t;
    s->all_heard_at = 0;
    if ((err = hark_dsp_start(&s->dsp_cfg, &s->dsp)))
        return err;
    return s->source->ops->seek_end(s->source, (int64_t)llround(t * file->rate_hz));
}

void hark_stream_pause(hark_stream *s, int paused)
{
    if (s->source->ops->set_paused)
        s->source->ops->set_paused(s->source, paused);
}

void hark_stream_set_speed(hark_stream *s, double speed)
{
    if (s->source->ops->set_speed)
        s->source->ops->set_speed(s->source, speed);
}

void hark_stream_set_loop(hark_stream *s, double from, double to)
{
    hark_streamclock_set_loop(&s->clock, from, to);
    if (s->source->ops->set_loop && to > from)
        s->source->ops->set_loop(s->source, from, to);
}

void hark_stream_status(const hark_stream *s, hark_source_status *out)
{
    s->source->ops->status(s->source, out);
    out->gaps = s->gaps;
    out->dropped += s->gaps;
}

hark_err hark_stream_failure(const hark_stream *s)
{
    return s->source->ops->failure ? s->source->ops->failure(s->source) : HARK_OK;
}

uint64_t hark_stream_rows_dropped(const hark_stream *s)
{
    return s->dsp ? hark_dsp_rows_dropped(s->dsp) : 0;
}

void hark_stream_stall_for_test(hark_stream *s, int stalled)
{
    if (s->dsp)
        hark_dsp_pause_for_test(s->dsp, stalled);
}
