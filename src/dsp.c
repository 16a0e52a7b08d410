#define _GNU_SOURCE /* pthread_setname_np */
#include "dsp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* Samples taken from the ring per pass. */
#define CHUNK 2048u
#define MIN_IDLE_NS 1000000L

struct hark_dsp {
    hark_ring *samples, *rows;
    hark_stft *stft;
    hark_framer *framer;
    float *chunk, *row;
    pthread_t thread;
    atomic_int stop, paused;
    atomic_uint_fast64_t computed, dropped;
    long idle_ns;
};

/* Nothing to do: sleep a quarter of a hop (at least 1 ms). Waking more often costs CPU for
 * nothing; less often adds latency. */
static void idle(const hark_dsp *d)
{
    struct timespec ts = {0, d->idle_ns};
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
        while ((frame = hark_framer_next(d->framer, &x, &n))) {
            hark_stft_process(d->stft, frame, d->row);
            if (hark_ring_write(d->rows, d->row, 1) == 0)
                atomic_fetch_add_explicit(&d->dropped, 1, memory_order_relaxed);
            atomic_fetch_add_explicit(&d->computed, 1, memory_order_relaxed);
        }
    }
    return NULL;
}

static void dsp_free(hark_dsp *d)
{
    hark_stft_destroy(d->stft);
    hark_framer_destroy(d->framer);
    free(d->chunk);
    free(d->row);
    free(d);
}

hark_err hark_dsp_start(const hark_dsp_config *cfg, hark_dsp **out)
{
    *out = NULL;
    hark_dsp *d = calloc(1, sizeof *d);
    if (!d)
        return HARK_ERR_NOMEM;
    d->samples = cfg->samples;
    d->rows = cfg->rows;
    double quarter_hop_ns = 0.25e9 * cfg->hop / cfg->stft.rate_hz;
    d->idle_ns = quarter_hop_ns > MIN_IDLE_NS ? (long)(quarter_hop_ns < 5e8 ? quarter_hop_ns : 5e8)
                                              : MIN_IDLE_NS;
    atomic_init(&d->stop, 0);
    atomic_init(&d->paused, 0);
    atomic_init(&d->computed, 0);
    atomic_init(&d->dropped, 0);
    hark_err err = hark_stft_create(&cfg->stft, &d->stft);
    if (!err)
        err = hark_framer_create(cfg->stft.fft_size, cfg->hop, 0, &d->framer);
    if (!err && hark_ring_elem_size(cfg->rows) != sizeof(float) * hark_stft_rows(d->stft))
        err = hark_error_set(HARK_ERR_USAGE, "row ring elements are not rows of %u floats",
                             hark_stft_rows(d->stft));
    if (!err) {
        d->chunk = malloc(sizeof(float) * CHUNK);
        d->row = malloc(sizeof(float) * hark_stft_rows(d->stft));
        if (!d->chunk || !d->row)
            err = HARK_ERR_NOMEM;
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
