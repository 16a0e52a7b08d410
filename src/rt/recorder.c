#include "recorder.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "json.h"

struct hark_recorder {
    hark_recorder_config cfg;
    char dir[1024];
    char session[48];         /* "2026-11-24T14-05-00.123Z" */
    struct timeval start;     /* wall clock of frame 0 */
    double frames_per_strip;  /* S rate / hop, unrounded */
    uint8_t *strip;           /* frame-major palette indices */
    size_t cap, frames;       /* frames in the strip now */
    uint64_t first_frame, strips;
    uint64_t dropped, dropped_at_start; /* samples lost upstream: now, and at the strip's start */
    int paused;
};

static size_t strip_length(const hark_recorder *r)
{
    double k = (double)r->strips;
    double end = floor((k + 1) * r->frames_per_strip + 0.5), start = floor(k * r->frames_per_strip + 0.5);
    return end - start < 1 ? 1 : (size_t)(end - start);
}

static hark_err new_strip(hark_recorder *r)
{
    r->cap = strip_length(r);
    r->strip = malloc(r->cap * r->cfg.rows);
    r->frames = 0;
    return r->strip ? HARK_OK
                    : hark_error_set(HARK_ERR_NOMEM, "out of memory for a %zu x %u strip", r->cap,
                                     r->cfg.rows);
}

hark_err hark_recorder_create(const hark_recorder_config *cfg, hark_recorder **out)
{
    *out = NULL;
    if (mkdir(cfg->dir, 0777) != 0 && errno != EEXIST)
        return hark_error_set(HARK_ERR_WRITE, "cannot make the folder: %s", strerror(errno));
    hark_recorder *r = calloc(1, sizeof *r);
    if (!r)
        return HARK_ERR_NOMEM;
    r->cfg = *cfg;
    snprintf(r->dir, sizeof r->dir, "%s", cfg->dir);
    r->cfg.dir = r->dir;
    gettimeofday(&r->start, NULL);
    struct tm tm;
    gmtime_r(&r->start.tv_sec, &tm);
    char second[32];
    strftime(second, sizeof second, "%Y-%m-%dT%H-%M-%S", &tm);
    snprintf(r->session, sizeof r->session, "%s.%03dZ", second, (int)(r->start.tv_usec / 1000));
    r->frames_per_strip = cfg->strip_seconds * cfg->rate_hz / cfg->hop;
    hark_err err = new_strip(r);
    if (err) {
        free(r);
        return err;
    }
    *out = r;
    return HARK_OK;
}

void hark_recorder_set_start(hark_recorder *r, double epoch_s)
{
    double whole = floor(epoch_s);
    r->start.tv_sec = (time_t)whole;
    r->start.tv_usec = (suseconds_t)((epoch_s - whole) * 1e6);
}

/* "2026-11-24T14:05:01.234Z": when frame `frame` of the session was centred. */
static void utc_of_frame(const hark_recorder *r, uint64_t frame, char *buf, size_t size)
{
    double t = (double)r->start.tv_sec + r->start.tv_usec * 1e-6 + frame * r->cfg.hop / r->cfg.rate_hz;
    time_t whole = (time_t)floor(t);
    struct tm tm;
    gmtime_r(&whole, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%03dZ", stamp, (int)((t - (double)whole) * 1000.0));
}

static void hand_over(hark_recorder *r)
{
    if (!r->frames)
        return;
    const hark_recorder_config *c = &r->cfg;
    char path[1200], start[40], params[1000], device[300];
    hark_json_escape(c->device, device, sizeof device);
    snprintf(path, sizeof path, "%s/hark-%s-%04llu.png", r->dir, r->session,
             (unsigned long long)r->strips + 1);
    utc_of_frame(r, r->first_frame, start, sizeof start);
    snprintf(params, sizeof params,
             "{\"version\": \"%s\", \"source\": \"%s\", \"device\": \"%s\", \"start_utc\": \"%s\", "
             "\"rate_hz\": %.17g, \"fft\": %u, \"hop\": %u, \"window\": \"%s\", \"scale\": \"%s\", "
             "\"rows\": %u, \"range_db\": [%.9g, %.9g], \"colormap\": \"%s\", "
             "\"framing\": \"centered\", \"strip\": %llu, \"first_frame\": %llu, \"frames\": %zu, "
             "\"samples_dropped\": [%llu, %llu], \"units\": \"dBFS\"}",
             HARK_VERSION, c->source ? c->source : "live", device, start, c->rate_hz, c->fft_size, c->hop, c->window,
             hark_scale_name(c->scale), c->rows, (double)c->min_db, (double)c->max_db,
             hark_colormap_name(c->colormap), (unsigned long long)r->strips + 1,
             (unsigned long long)r->first_frame, r->frames,
             (unsigned long long)r->dropped_at_start, (unsigned long long)r->dropped);
    hark_snapshots_submit_strip(c->writer, r->strip, (unsigned)r->frames, c->rows,
                                hark_colormap_table(c->colormap), path, params);
    r->strip = NULL;
    r->first_frame += r->frames;
    r->frames = 0;
    r->strips++;
    r->dropped_at_start = r->dropped;
}

void hark_recorder_set_dropped(hark_recorder *r, uint64_t samples)
{
    r->dropped = samples;
}

void hark_recorder_set_paused(hark_recorder *r, int paused)
{
    if (paused && !r->paused)
        hand_over(r);
    r->paused = paused;
}

int hark_recorder_paused(const hark_recorder *r)
{
    return r->paused;
}

hark_err hark_recorder_push(hark_recorder *r, const float *row_db)
{
    if (r->paused) {
        r->first_frame++; /* the next strip's first frame is still the session's frame */
        return HARK_OK;
    }
    if (!r->strip) {
        hark_err err = new_strip(r);
        if (err)
            return err;
    }
    uint8_t *column = r->strip + r->frames * r->cfg.rows;
    for (unsigned i = 0; i < r->cfg.rows; i++)
        column[i] = hark_colormap_index(row_db[i], r->cfg.min_db, r->cfg.max_db);
    if (++r->frames == r->cap)
        hand_over(r);
    return HARK_OK;
}

void hark_recorder_finish(hark_recorder *r)
{
    if (!r)
        return;
    hand_over(r);
    free(r->strip);
    free(r);
}
