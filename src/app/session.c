#include "session.h"

#include "decoder.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int hark_session_device_gone(hark_session_watch *w, uint64_t count, int stream_active)
{
    double now = hark_session_now();
    if (count != w->count || w->moved_at == 0) {
        w->count = count;
        w->moved_at = now;
        return !stream_active;
    }
    return !stream_active || now - w->moved_at >= HARK_DEVICE_SILENT_S;
}

double hark_session_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void hark_session_options_defaults(hark_session_options *o)
{
    *o = (hark_session_options){.record_seconds = 60, .newest_at_top = 1, .width = 1280,
                                .height = 720};
}

static hark_err parse_size(hark_session_options *o, const char *v)
{
    if (sscanf(v, "%dx%d", &o->width, &o->height) != 2 || o->width < 320 || o->height < 200 ||
        o->width > 16384 || o->height > 16384)
        return hark_error_set(HARK_ERR_USAGE, "--size '%s': expected WxH, at least 320x200", v);
    return HARK_OK;
}

int hark_session_option(hark_session_options *o, int code, const char *v, hark_err *err)
{
    *err = HARK_OK;
    switch (code) {
    case HARK_OPT_DEVICE: o->device = v; return 1;
    case HARK_OPT_RATE: {
        char *end;
        o->rate_hz = strtod(v, &end);
        if (*end || !(o->rate_hz >= HARK_RATE_MIN && o->rate_hz <= HARK_RATE_MAX))
            *err = hark_error_set(HARK_ERR_USAGE, "--rate '%s': expected %.0f to %.0f Hz", v,
                                  HARK_RATE_MIN, HARK_RATE_MAX);
        return 1;
    }
    case HARK_OPT_HEADLESS: o->headless = 1; return 1;
    case HARK_OPT_ORIENT:
        if (strcmp(v, "top") != 0 && strcmp(v, "right") != 0)
            *err = hark_error_set(HARK_ERR_USAGE, "--orient '%s': expected top or right", v);
        o->newest_at_top = strcmp(v, "top") == 0;
        return 1;
    case HARK_OPT_SNAPSHOT_DIR: o->snapshot_dir = v; return 1;
    case HARK_OPT_RECORD: o->record_dir = v; return 1;
    case HARK_OPT_RECORD_SECONDS:
        *err = hark_session_seconds("--record-seconds", v, &o->record_seconds);
        return 1;
    case HARK_OPT_SIZE: *err = parse_size(o, v); return 1;
    default: return 0;
    }
}

hark_err hark_session_seconds(const char *opt, const char *v, double *out)
{
    char *end;
    double s = strtod(v, &end);
    if (*end || !(s > 0) || !isfinite(s))
        return hark_error_set(HARK_ERR_USAGE, "%s '%s': expected seconds > 0", opt, v);
    *out = s;
    return HARK_OK;
}

/* Each snapshot and strip written is a result of the command: its path goes to stdout. */
static void print_written(const char *path, unsigned width, unsigned height, void *ctx)
{
    (void)ctx;
    printf("%s (%u x %u)\n", path, width, height);
    fflush(stdout);
}

hark_err hark_session_writer(hark_session_out *o, const char *dir)
{
    return o->writer ? HARK_OK : hark_snapshots_start(dir, print_written, NULL, &o->writer);
}

hark_err hark_session_record_start(hark_session_out *o, const hark_session_record *r,
                                   const char **subject)
{
    if (r->headless && mkdir(r->dir, 0777) != 0 && errno != EEXIST) {
        *subject = r->dir;
        return hark_error_set(HARK_ERR_WRITE, "cannot make the folder: %s", strerror(errno));
    }
    hark_err err = hark_session_writer(o, r->headless ? r->dir : r->snapshot_dir);
    if (err)
        return err;
    const hark_analysis *an = r->analysis;
    hark_recorder_config rc = {.dir = r->dir, .strip_seconds = r->strip_seconds,
                               .rate_hz = r->rate_hz, .fft_size = an->fft_size, .hop = an->hop,
                               .rows = r->rows, .window = hark_window_name(an->window),
                               .scale = an->scale, .min_db = an->min_db, .max_db = an->max_db,
                               .colormap = an->colormap, .device = r->device,
                               .source = r->source,
                               .writer = o->writer};
    if ((err = hark_recorder_create(&rc, &o->recorder)))
        *subject = r->dir;
    return err;
}

hark_err hark_session_finish(hark_session_out *o, const char **bad_path)
{
    hark_recorder_finish(o->recorder); /* the last, partial strip goes to the writer too */
    o->recorder = NULL;
    *bad_path = NULL;
    hark_err err = hark_snapshots_stop(o->writer, bad_path); /* writes what is queued */
    o->writer = NULL;
    return err;
}
