/* What a session writes (session_out.h). */
#include "session_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "npy_sink.h"
#include "outfile.h"
#include "params_json.h"
#include "tile_sink.h"

/* Each snapshot and strip written is a result of the command: its path goes to stdout. */
static void print_written(const char *path, unsigned width, unsigned height, void *ctx)
{
    (void)ctx;
    printf("%s (%u x %u)\n", path, width, height);
    fflush(stdout);
}

static hark_err start_writer(hark_session_out *o, const char *dir)
{
    return o->writer ? HARK_OK : hark_writer_start(dir, print_written, NULL, &o->writer);
}

static hark_sink_start sink_start(const hark_session_out *o, uint64_t first_frame)
{
    hark_sink_start start = {.params = o->params, .scale = &o->scale, .total_frames = -1};
    start.params.first_frame = first_frame;
    return start;
}

/* ---- --raw ------------------------------------------------------------------------------------ */

static hark_err open_raw(hark_session_out *o)
{
    const char *raw = o->cfg->raw;
    char *json = hark_sidecar_path(raw);
    hark_err err = json ? HARK_OK : hark_fail(HARK_ERR_NOMEM);
    if (!err && hark_outfile_same(raw, json))
        err = hark_error_at(HARK_ERR_USAGE, raw, "its sidecar would have its name");
    if (!err && !(err = hark_outfile_check(raw)) && !(err = hark_outfile_check(json)) &&
        !(err = hark_sinks_add(&o->raw, hark_npy_sink_create(raw))) &&
        !(err = hark_sinks_add(&o->raw, hark_sidecar_sink_create(json, raw)))) {
        hark_sink_start start = sink_start(o, 0);
        err = hark_sinks_begin(&o->raw, &start);
        o->raw_begun = !err;
    }
    free(json);
    return err;
}

/* ---- --record and R ----------------------------------------------------------------------------- */

static hark_err start_recording(hark_session_out *o, const char *dir, uint64_t next_frame)
{
    const hark_session *c = o->cfg;
    hark_err made = hark_outfile_make_folder(dir);
    if (made)
        return made;
    /* Headless, the writer only writes strips: its folder is theirs. */
    hark_err err = start_writer(o, c->headless ? dir : c->snapshot_dir);
    if (err)
        return err;
    size_t n = strlen(dir) + 64;
    char *path = malloc(n);
    if (!path)
        return hark_fail(HARK_ERR_NOMEM);
    snprintf(path, n, "%s/hark-%s.png", dir, o->session);
    hark_tile_sink_config tc = {.path = path, .tile_seconds = c->record_seconds,
                                .strips = o->writer};
    o->strips = hark_tile_sink_create(&tc);
    free(path);
    if (!o->strips)
        return hark_fail(HARK_ERR_NOMEM);
    if (o->frame0_epoch_s > 0)
        hark_tile_sink_set_start(o->strips, o->frame0_epoch_s);
    hark_sink_start start = sink_start(o, next_frame);
    if ((err = o->strips->ops->begin(o->strips, &start))) {
        o->strips->ops->destroy(o->strips);
        o->strips = NULL;
        return err;
    }
    o->recording = 1;
    return HARK_OK;
}

hark_err hark_session_out_toggle_recording(hark_session_out *o, uint64_t next_frame)
{
    if (!o->strips) {
        const hark_session *c = o->cfg;
        return start_recording(o, c->snapshot_dir ? c->snapshot_dir : ".", next_frame);
    }
    o->recording = !o->recording;
    /* Pausing hands the partial strip over; frames after a pause start a new strip. */
    return o->recording ? HARK_OK : hark_tile_sink_flush(o->strips);
}

int hark_session_out_recording(const hark_session_out *o)
{
    return o->strips && o->recording;
}

/* ---- play --stats ------------------------------------------------------------------------------- */

/* The log stops at its first failed write; the session goes on and ends with it. */
static void stats_failed(hark_session_out *o, int e)
{
    if (o->stats_failed)
        return;
    o->stats_failed = 1;
    hark_error_fill(&o->stats_error, HARK_ERR_WRITE, o->cfg->stats,
                    "cannot write the sync log: %s", strerror(e));
}

/* The log is written where it is named as it goes (a script may follow it), so it may be a
 * pipe or a terminal; never the input. */
static hark_err open_stats(hark_session_out *o)
{
    const char *path = o->cfg->stats;
    if (o->cfg->path && hark_outfile_is_input(path, o->cfg->path))
        return hark_error_at(HARK_ERR_USAGE, path, "is the input file: choose another name");
    if (!(o->stats = fopen(path, "w")))
        return hark_error_at(HARK_ERR_WRITE, path, "cannot write the sync log: %s",
                             strerror(errno));
    if (fputs("row,file_s,dac_s,shown_s,offset_ms\n", o->stats) < 0 || fflush(o->stats) != 0)
        stats_failed(o, errno);
    return HARK_OK;
}

void hark_session_out_sync(hark_session_out *o, uint64_t index, double file_s, double dac_s,
                           double shown_s)
{
    if (!o->stats || o->stats_failed)
        return;
    /* Whole lines as they happen: scripts may follow the log. */
    if (fprintf(o->stats, "%llu,%.6f,%.6f,%.6f,%.3f\n", (unsigned long long)index, file_s, dac_s,
                shown_s, 1000 * (shown_s - dac_s)) < 0 ||
        fflush(o->stats) != 0)
        stats_failed(o, errno);
}

/* ---- the session ------------------------------------------------------------------------------ */

static void name_session(hark_session_out *o)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char second[32];
    strftime(second, sizeof second, "%Y-%m-%dT%H-%M-%S", &tm);
    snprintf(o->session, sizeof o->session, "%s.%03dZ", second, (int)(tv.tv_usec / 1000));
}

/* Headless, rows are written on --scale and --height: the map from the bins to them. Stacked
 * channels go out as render's tall row (the last channel's rows first). */
static hark_err make_map(hark_session_out *o, const hark_analysis *an, unsigned rows)
{
    unsigned lanes = o->params.stacked ? o->params.stacked : 1;
    int mapped = !(an->scale == HARK_SCALE_LINEAR && rows == an->fft_size / 2 + 1);
    if (!mapped && lanes == 1)
        return HARK_OK;
    o->mapped = malloc(sizeof *o->mapped * rows * lanes);
    if (!o->mapped)
        return hark_fail(HARK_ERR_NOMEM);
    if (!mapped)
        return HARK_OK;
    hark_err err = hark_scale_map_make(&o->scale, hark_analysis_floor_db(an), &o->map);
    o->map.not_db = an->pcen;
    return err;
}

hark_err hark_session_out_open(hark_session_out *o, const hark_session *cfg,
                               const hark_source_info *src)
{
    *o = (hark_session_out){.cfg = cfg};
    name_session(o);
    const hark_analysis *an = cfg->headless ? &cfg->analysis : &cfg->dsp;
    hark_err err = hark_analysis_check_rate(&cfg->analysis, src->rate_hz);
    if (err)
        return err;
    unsigned rows = hark_analysis_rows(an, src->rate_hz);
    o->params = (hark_params){.command = cfg->command, .source = src->name,
                              .rate_hz = src->rate_hz,
                              .channels = src->file.rate_hz > 0 ? src->file.channels
                                                                : src->channels,
                              .analysis = *an, .rows = rows};
    if (src->stacked) {
        o->params.stacked = src->lanes;
        memcpy(o->params.stacked_channels, src->lane, sizeof(int) * src->lanes);
    }
    hark_analysis_scale(an, src->rate_hz, rows, &o->scale);
    err = make_map(o, an, rows);
    if (err)
        return err;
    if (cfg->raw)
        err = open_raw(o);
    if (!err && cfg->stats)
        err = open_stats(o);
    if (!err && cfg->record_dir)
        err = start_recording(o, cfg->record_dir, 0);
    if (!err && !cfg->headless)
        err = start_writer(o, cfg->snapshot_dir);
    return err;
}

void hark_session_out_anchor(hark_session_out *o, double epoch_s)
{
    o->frame0_epoch_s = epoch_s;
    if (o->strips)
        hark_tile_sink_set_start(o->strips, epoch_s);
}

/* A row as written: each lane's values (on the scale), stacked as render does. */
static const float *written_row(hark_session_out *o, const float *values, size_t stride)
{
    unsigned lanes = o->params.stacked, rows = o->params.rows;
    if (!o->mapped)
        return values;
    if (!lanes) {
        hark_scale_apply(&o->map, values, o->mapped);
        return o->mapped;
    }
    for (unsigned k = 0; k < lanes; k++) {
        float *band = o->mapped + (size_t)(lanes - 1 - k) * rows;
        if (o->map.taps)
            hark_scale_apply(&o->map, values + k * stride, band);
        else
            memcpy(band, values + k * stride, sizeof(float) * rows);
    }
    return o->mapped;
}

hark_err hark_session_out_row(hark_session_out *o, uint64_t frame, const float *db,
                              const float *pcen, size_t stride, uint64_t dropped)
{
    hark_err err = HARK_OK;
    db = written_row(o, o->params.analysis.pcen ? pcen : db, stride);
    if (o->raw_begun)
        err = hark_sinks_frames(&o->raw, frame, 1, db);
    if (!err && o->strips && o->recording) {
        hark_tile_sink_set_dropped(o->strips, dropped);
        err = o->strips->ops->frames(o->strips, frame, 1, db);
    }
    return err;
}

void hark_session_out_snapshot(hark_session_out *o, const hark_view *view, uint8_t *rgb,
                               unsigned width, unsigned height)
{
    hark_params p = o->params;
    hark_view_describe(view, &p);
    hark_json j;
    hark_json_init(&j);
    hark_params_object(&j, &p);
    const char *text;
    if (hark_json_text(&j, &text) == HARK_OK)
        hark_writer_snapshot(o->writer, rgb, width, height, text);
    else
        free(rgb);
    hark_json_free(&j);
}

/* --raw appears whole with what was captured, whatever ended the session. */
static hark_err close_raw(hark_session_out *o, const hark_session_out_summary *sum)
{
    if (!o->raw_begun)
        return HARK_OK;
    hark_sink_summary s = {.frames = sum->frames, .samples = sum->samples, .peak_db = sum->peak_db};
    hark_err err = hark_sinks_end(&o->raw, &s);
    if (!err)
        err = hark_sinks_commit(&o->raw);
    else
        hark_sinks_abort(&o->raw);
    return err;
}

hark_err hark_session_out_close(hark_session_out *o, const hark_session_out_summary *summary)
{
    hark_err err = close_raw(o, summary);
    hark_sinks_destroy(&o->raw);
    if (o->strips) { /* the last, partial strip goes to the writer too */
        hark_sink_summary s = {.frames = summary->frames};
        hark_err e = o->strips->ops->end(o->strips, &s);
        err = err ? err : e;
        o->strips->ops->destroy(o->strips);
        o->strips = NULL;
    }
    hark_err w = hark_writer_stop(o->writer); /* writes what is queued */
    o->writer = NULL;
    err = err ? err : w;
    if (o->stats) {
        if (fclose(o->stats) != 0)
            stats_failed(o, errno);
        o->stats = NULL;
    }
    if (o->stats_failed && !err)
        err = hark_error_raise(&o->stats_error);
    hark_scale_map_free(&o->map);
    free(o->mapped);
    o->mapped = NULL;
    return err;
}
