#define _GNU_SOURCE /* pthread_setname_np */
#include "dsp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h" /* HARK_LANES_MAX */

/* Frames taken from the ring per pass. */
#define CHUNK 2048u
#define MIN_IDLE_NS 500000L
#define MAX_IDLE_NS 500000000L /* a very long hop: still wake twice a second */

struct hark_dsp {
    hark_ring *samples, *rows;
    void (*on_rows)(void *ctx);
    void *on_rows_ctx;
    unsigned lanes, row_floats;
    hark_spectro *spectro[HARK_LANES_MAX];
    hark_framer *framer[HARK_LANES_MAX];
    float *chunk;              /* frames as read: lanes floats each */
    float *lane[HARK_LANES_MAX]; /* the same, a lane at a time */
    float *row;                /* the ring's element: every lane's row */
    pthread_t thread;
    atomic_int stop, paused;
    atomic_uint_fast64_t computed, dropped;
    unsigned hop, half;
    double rate_hz;
};

/* Nothing to do: sleep until the samples the next frame needs should be there (at least
 * 0.5 ms, at most a hop or 0.5 s): one or two wake-ups a frame, and the frame is made as soon as its
 * last sample has come. */
static void idle(const hark_dsp *d)
{
    uint64_t want = hark_framer_frames(d->framer[0]) * d->hop + d->half;
    uint64_t have = hark_framer_samples(d->framer[0]) + hark_ring_readable(d->samples);
    double missing = want > have ? (double)(want - have) : 0.0;
    double ns = 1e9 * (missing < d->hop ? missing : d->hop) / d->rate_hz;
    ns = ns < MIN_IDLE_NS ? MIN_IDLE_NS : ns > MAX_IDLE_NS ? MAX_IDLE_NS : ns;
    struct timespec ts = {0, (long)ns};
    nanosleep(&ts, NULL);
}

/* Each lane's row of the next frame, if the analysis has one, into d->row: 1, else 0. */
static int next_row(hark_dsp *d)
{
    for (unsigned k = 0; k < d->lanes; k++) {
        uint64_t index;
        const float *row = hark_spectro_next(d->spectro[k], &index);
        if (!row)
            return 0; /* the lanes go in step: none has one */
        memcpy(d->row + (size_t)k * d->row_floats, row, sizeof(float) * d->row_floats);
    }
    return 1;
}

/* The frames of n samples of every lane, and the rows they complete; 1 if any was written. */
static int analyse(hark_dsp *d, size_t n)
{
    const float *x[HARK_LANES_MAX];
    size_t left[HARK_LANES_MAX];
    for (unsigned k = 0; k < d->lanes; k++) {
        for (size_t i = 0; i < n; i++)
            d->lane[k][i] = d->chunk[i * d->lanes + k];
        x[k] = d->lane[k];
        left[k] = n;
    }
    int wrote = 0;
    for (;;) {
        const float *frame[HARK_LANES_MAX] = {0};
        for (unsigned k = 0; k < d->lanes; k++) /* every framer takes the whole block */
            frame[k] = hark_framer_next(d->framer[k], &x[k], &left[k]);
        if (!frame[0])
            return wrote;
        for (unsigned k = 0; k < d->lanes; k++)
            hark_spectro_push(d->spectro[k], frame[k]);
        while (next_row(d)) {
            if (hark_ring_write(d->rows, d->row, 1) == 0)
                atomic_fetch_add_explicit(&d->dropped, 1, memory_order_relaxed);
            else
                wrote = 1;
            atomic_fetch_add_explicit(&d->computed, 1, memory_order_relaxed);
        }
    }
}

static void *dsp_main(void *arg)
{
    hark_dsp *d = arg;
    pthread_setname_np(pthread_self(), "hark-dsp"); /* for top -H and bench/live.sh */
    while (!atomic_load_explicit(&d->stop, memory_order_acquire)) {
        size_t n = atomic_load_explicit(&d->paused, memory_order_relaxed)
                       ? 0
                       : hark_ring_read(d->samples, d->chunk, CHUNK);
        if (n == 0) {
            idle(d);
            continue;
        }
        if (analyse(d, n) && d->on_rows)
            d->on_rows(d->on_rows_ctx);
    }
    return NULL;
}

static void dsp_free(hark_dsp *d)
{
    for (unsigned k = 0; k < HARK_LANES_MAX; k++) {
        hark_spectro_destroy(d->spectro[k]);
        hark_framer_destroy(d->framer[k]);
        free(d->lane[k]);
    }
    free(d->chunk);
    free(d->row);
    free(d);
}

/* A lane's framer, analysis and buffer. */
static hark_err make_lane(hark_dsp *d, const hark_dsp_config *cfg, unsigned k)
{
    hark_err err = hark_spectro_create(&cfg->spectro, 0, &d->spectro[k]);
    if (!err)
        err = hark_framer_create(cfg->spectro.stft.fft_size, cfg->hop, 0, &d->framer[k]);
    if (!err && !(d->lane[k] = malloc(sizeof(float) * CHUNK)))
        err = hark_fail(HARK_ERR_NOMEM);
    return err;
}

hark_err hark_dsp_start(const hark_dsp_config *cfg, hark_dsp **out)
{
    *out = NULL;
    hark_dsp *d = calloc(1, sizeof *d);
    if (!d)
        return hark_fail(HARK_ERR_NOMEM);
    d->samples = cfg->samples;
    d->rows = cfg->rows;
    d->on_rows = cfg->on_rows;
    d->on_rows_ctx = cfg->on_rows_ctx;
    d->hop = cfg->hop;
    d->half = cfg->spectro.stft.fft_size / 2;
    d->rate_hz = cfg->spectro.stft.rate_hz;
    atomic_init(&d->stop, 0);
    atomic_init(&d->paused, 0);
    atomic_init(&d->computed, 0);
    atomic_init(&d->dropped, 0);
    d->lanes = cfg->lanes ? cfg->lanes : 1;
    hark_err err = d->lanes > HARK_LANES_MAX ? hark_error_set(HARK_ERR_USAGE, "%u lanes: at most "
                                                              "%u", d->lanes, HARK_LANES_MAX)
                                             : HARK_OK;
    for (unsigned k = 0; !err && k < d->lanes; k++)
        err = make_lane(d, cfg, k);
    d->row_floats = d->spectro[0] ? hark_spectro_row_floats(d->spectro[0]) : 0;
    size_t floats = (size_t)d->lanes * d->row_floats;
    if (!err && (hark_ring_elem_size(cfg->rows) != sizeof(float) * floats ||
                 hark_ring_elem_size(cfg->samples) != sizeof(float) * d->lanes))
        err = hark_error_set(HARK_ERR_USAGE, "ring elements are not frames of %u lanes and rows "
                             "of %zu floats", d->lanes, floats);
    if (!err) {
        d->chunk = malloc(sizeof(float) * CHUNK * d->lanes);
        d->row = malloc(sizeof(float) * floats);
        if (!d->chunk || !d->row)
            err = hark_fail(HARK_ERR_NOMEM);
    }
    if (!err && pthread_create(&d->thread, NULL, dsp_main, d) != 0)
        err = hark_error_set(HARK_ERR_NOMEM, "cannot start the DSP thread");
    if (err) {
        dsp_free(d);
        return err;
    }
    *out = d;
    return HARK_OK;
}

void hark_dsp_stop(hark_dsp *d)
{
    if (!d)
        return;
    atomic_store_explicit(&d->stop, 1, memory_order_release);
    pthread_join(d->thread, NULL);
    dsp_free(d);
}

uint64_t hark_dsp_rows(const hark_dsp *d)
{
    return atomic_load_explicit(&d->computed, memory_order_relaxed);
}

uint64_t hark_dsp_rows_dropped(const hark_dsp *d)
{
    return atomic_load_explicit(&d->dropped, memory_order_relaxed);
}

void hark_dsp_pause_for_test(hark_dsp *d, int paused)
{
    atomic_store_explicit(&d->paused, paused, memory_order_relaxed);
}
