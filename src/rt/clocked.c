#define _GNU_SOURCE /* pthread_setname_np */
#include "clocked.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine.h"
#include "player.h"

/* Frames the timer takes per pull at most (a late wake-up takes several). */
#define PULL_FRAMES 1024u

typedef struct {
    hark_player_source ps; /* the source, and its player */
    double latency_s, period_s;
    pthread_t thread;
    int running;
    atomic_int stop;
    double t0;                  /* when frame 0 was due (the timer's own after start) */
    float out[PULL_FRAMES * 2];  /* the sound, which goes nowhere */
} clocked;

/* The device's stand-in: at each step, every frame due by now, a buffer at a time. */
static void *timer_main(void *arg)
{
    clocked *c = arg;
    pthread_setname_np(pthread_self(), "hark-clock");
    const double rate = c->ps.base.info.rate_hz;
    uint64_t taken = 0;
    struct timespec step = {0, (long)(c->period_s * 1e9)};
    while (!atomic_load_explicit(&c->stop, memory_order_acquire)) {
        uint64_t due = (uint64_t)floor((hark_now_s() - c->t0) * rate);
        while (taken < due) {
            unsigned long n = due - taken < PULL_FRAMES ? (unsigned long)(due - taken) : PULL_FRAMES;
            hark_player_pull(c->ps.player, c->out, n, c->t0 + (double)taken / rate + c->latency_s);
            taken += n;
        }
        nanosleep(&step, NULL);
    }
    return NULL;
}

static hark_err clocked_start(hark_source *s, int64_t from)
{
    clocked *c = (clocked *)s;
    hark_err err = hark_player_start(c->ps.player, from);
    if (err)
        return err;
    c->t0 = hark_now_s();
    atomic_store(&c->stop, 0);
    if (pthread_create(&c->thread, NULL, timer_main, c) != 0)
        return hark_error_set(HARK_ERR_NOMEM, "cannot start the clock thread");
    c->running = 1;
    return HARK_OK;
}

static hark_err clocked_stop(hark_source *s)
{
    clocked *c = (clocked *)s;
    if (c->running) {
        atomic_store_explicit(&c->stop, 1, memory_order_release);
        pthread_join(c->thread, NULL);
        c->running = 0;
    }
    hark_player_stop(c->ps.player);
    return HARK_OK;
}

static void clocked_destroy(hark_source *s)
{
    clocked *c = (clocked *)s;
    clocked_stop(s);
    hark_player_destroy(c->ps.player);
    hark_ring_destroy(s->samples);
    free(c);
}

static double clocked_now(const hark_source *s)
{
    (void)s;
    return hark_now_s();
}



static void clocked_status(const hark_source *s, hark_source_status *out)
{
    const clocked *c = (const clocked *)s;
    *out = (hark_source_status){0};
    hark_player_status(c->ps.player, out);
    out->active = c->running;
}

static const hark_source_ops clocked_ops = {
    .start = clocked_start,
    .stop = clocked_stop,
    .destroy = clocked_destroy,
    .now = clocked_now,
    .take_stamps = hark_player_source_stamps,
    .take_frames = hark_player_source_frames,
    .take_segments = hark_player_source_segments,
    .status = clocked_status,
    .failure = hark_player_source_failure,
    .seek_begin = hark_player_source_seek_begin,
    .seek_end = hark_player_source_seek_end,
    .set_paused = hark_player_source_pause,
    .set_speed = hark_player_source_speed,
    .set_loop = hark_player_source_loop,
};

hark_err hark_clocked_open(const hark_clocked_config *cfg, hark_source **out)
{
    *out = NULL;
    clocked *c = calloc(1, sizeof *c);
    if (!c)
        return hark_fail(HARK_ERR_NOMEM);
    c->ps.base.ops = &clocked_ops;
    c->latency_s = cfg->plays ? cfg->latency_s : 0.0;
    c->period_s = cfg->period_s > 0 ? cfg->period_s : 0.005;
    atomic_init(&c->stop, 0);
    hark_source_info *info = &c->ps.base.info;
    info->plays = cfg->plays;
    hark_err err = hark_player_create(cfg->path, cfg->raw, cfg->loop, cfg->stop, &c->ps.player);
    if (!err) {
        info->file = *hark_player_file(c->ps.player);
        const char *slash = strrchr(cfg->path, '/');
        snprintf(info->name, sizeof info->name, "%s", slash ? slash + 1 : cfg->path);
        info->rate_hz = cfg->rate_hz > 0 ? cfg->rate_hz : info->file.rate_hz;
        info->channels = info->file.channels < 2 ? info->file.channels : 2;
        if ((err = hark_source_lanes(cfg->selection, info->file.channels, 0, info)))
            hark_error_subject(cfg->path);
    }
    if (!err && !(err = hark_source_make_ring(&c->ps.base, 0)))
        err = hark_player_prepare(c->ps.player, info->rate_hz, info->channels, &c->ps.base);
    if (err) {
        clocked_destroy(&c->ps.base);
        return err;
    }
    info->resampling = hark_player_resampling(c->ps.player);
    *out = &c->ps.base;
    return HARK_OK;
}
