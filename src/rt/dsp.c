#define _GNU_SOURCE /* pthread_setname_np */
#include "dsp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* Samples taken from the ring per pass. */
#define CHUNK 2048u
#define MIN_IDLE_NS 500000L
#define MAX_IDLE_NS 500000000L /* a very long hop: still wake twice a second */

struct hark_dsp {
    hark_ring *samples, *rows;
    void (*on_rows)(void *ctx);
    void *on_rows_ctx;
    hark_spectro *spectro;
    hark_framer *framer;
    float *chunk;
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
    uint64_t want = hark_framer_frames(d->framer) * d->hop + d->half;
    uint64_t have = hark_framer_samples(d->framer) + hark_ring_readable(d->samples);
    double missing = want > have ? (double)(want - have) : 0.0;
    double ns = 1e9 * (missing < d->hop ? missing : d->hop) / d->rate_hz;
    ns = ns < MIN_IDLE_NS ? MIN_IDLE_NS : ns > MAX_IDLE_NS ? MAX_IDLE_NS : ns;
    struct timespec ts = {0, (long)ns};
    nanosleep(&ts, NULL);
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
        const float *x = d->chunk, *frame;
        int wrote = 0;
        while ((frame = hark_framer_next(d->framer, &x, &n))) {
            hark_spectro_push(d->spectro, frame);
            const float *row;
            uint64_t index;
            while ((row = hark_spectro_next(d->spectro, &index))) {
                if (hark_ring_write(d->rows, row, 1) == 0)
                    atomic_fetch_add_explicit(&d->dropped, 1, memory_order_relaxed);
                else
                    wrote = 1;
                atomic_fetch_add_explicit(&d->computed, 1, memory_order_relaxed);
            }
        }
        if (wrote && d->on_rows)
            d->on_rows(d->on_rows_ctx);
    }
    return NULL;
}

static void dsp_free(hark_dsp *d)
{
    hark_spectro_destroy(d->spectro);
    hark_framer_destroy(d->framer);
    free(d->chunk);
    free(d);
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
    hark_err err = hark_spectro_create(&cfg->spectro, 0, &d->spectro);
    if (!err)
        err = hark_framer_create(cfg->spectro.stft.fft_size, cfg->hop, 0, &d->framer);
    unsigned floats = d->spectro ? hark_spectro_row_floats(d->spectro) : 0;
    if (!err && hark_ring_elem_size(cfg->rows) != sizeof(float) * floats)
        err = hark_error_set(HARK_ERR_USAGE, "row ring elements are not rows of %u floats",
                             floats);
    if (!err) {
        d->chunk = malloc(sizeof(float) * CHUNK);
        if (!d->chunk)
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
