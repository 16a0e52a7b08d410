#define _GNU_SOURCE /* pthread_setname_np */
#include "overview.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "decoder.h"
#include "spectro.h"

#define BLOCK 8192u

struct hark_overview {
    hark_decoder *dec;
    hark_spectro *spectro;
    hark_framer *framer;
    hark_analysis an;
    unsigned cols, rows, hop;
    uint64_t samples;           /* the file's frames */
    double seconds;
    float *block, *column;      /* samples read; the column being made (rows, max dB) */
    uint8_t *rgb;               /* rows x cols x 3 */
    pthread_t thread;
    int running;
    atomic_int stop;
    atomic_uint done;
};

/* Colour column c from its maximum levels: the map over the range, the highest row on top. */
static void paint(hark_overview *o, unsigned c)
{
    const hark_rgb *map = hark_colormap_table(o->an.colormap);
    double lo = o->an.min_db, span = o->an.max_db - o->an.min_db;
    for (unsigned r = 0; r < o->rows; r++) {
        double level = (o->column[r] - lo) / span;
        level = level < 0 ? 0 : level > 1 ? 1 : level;
        const uint8_t *rgb = map[(int)floor(level * 255 + 0.5)];
        memcpy(o->rgb + ((size_t)(o->rows - 1 - r) * o->cols + c) * 3, rgb, 3);
    }
}

/* Columns before c are complete: colour the one being made (a column no frame fell in keeps
 * the one before it), publish, start c. */
static void next_column(hark_overview *o, unsigned *at, unsigned c)
{
    while (*at < c && *at < o->cols) {
        if (o->column[0] == -INFINITY && *at > 0)
            for (unsigned r = 0; r < o->rows; r++)
                memcpy(o->rgb + ((size_t)r * o->cols + *at) * 3,
                       o->rgb + ((size_t)r * o->cols + *at - 1) * 3, 3);
        else
            paint(o, *at);
        atomic_store_explicit(&o->done, ++*at, memory_order_release);
        for (unsigned r = 0; r < o->rows; r++)
            o->column[r] = -INFINITY;
    }
}

static void take_row(hark_overview *o, const float *row, uint64_t index, unsigned *at)
{
    unsigned c = (unsigned)((double)index * o->hop * o->cols / (double)o->samples);
    next_column(o, at, c < o->cols ? c : o->cols - 1);
    for (unsigned r = 0; r < o->rows; r++)
        o->column[r] = row[r] > o->column[r] ? row[r] : o->column[r];
}

static void *overview_main(void *arg)
{
    hark_overview *o = arg;
    pthread_setname_np(pthread_self(), "hark-overview");
    /* Idle priority: on a busy machine the sound's threads and the window come first. */
    struct sched_param idle = {.sched_priority = 0};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
    hark_error_clear();
    unsigned at = 0;
    size_t got;
    while (!atomic_load_explicit(&o->stop, memory_order_relaxed) &&
           hark_decoder_read(o->dec, o->block, BLOCK, &got) == HARK_OK && got > 0) {
        const float *x = o->block, *frame;
        while ((frame = hark_framer_next(o->framer, &x, &got))) {
            hark_spectro_push(o->spectro, frame);
            const float *row;
            uint64_t index;
            while ((row = hark_spectro_next(o->spectro, &index)))
                take_row(o, row, index, &at);
        }
    }
    if (!atomic_load_explicit(&o->stop, memory_order_relaxed))
        next_column(o, &at, o->cols); /* the rest (a read error leaves them dark) */
    return NULL;
}

static void overview_free(hark_overview *o)
{
    hark_decoder_destroy(o->dec);
    hark_spectro_destroy(o->spectro);
    hark_framer_destroy(o->framer);
    free(o->block);
    free(o->column);
    free(o->rgb);
    free(o);
}

/* The analysis of the strip: the session's scale, range and map at `rows` rows, plain dB. */
static hark_err make_analysis(hark_overview *o, const hark_analysis *an, double rate_hz)
{
    o->an = *an;
    o->an.reassign = 0;
    o->an.pcen = 0;
    o->an.height = o->rows;
    if (an->pcen) { /* PCEN's range means nothing in dB */
        o->an.min_db = -120.0f;
        o->an.max_db = 0.0f;
    }
    /* A frame every fft (the strip is coarse), or more often for a file of fewer frames than
     * columns, so every column has one. */
    uint64_t per_column = o->samples / o->cols;
    o->hop = per_column < an->fft_size ? (per_column > 0 ? (unsigned)per_column : 1u)
                                       : an->fft_size;
    hark_spectro_config sc = {.hop = o->hop};
    hark_analysis_stft_config(&o->an, rate_hz, o->rows, &sc.stft);
    hark_err err = hark_spectro_create(&sc, 0, &o->spectro);
    return err ? err : hark_framer_create(an->fft_size, o->hop, 0, &o->framer);
}

hark_err hark_overview_start(const char *path, const hark_analysis *an, unsigned cols,
                             unsigned rows, hark_overview **out)
{
    *out = NULL;
    hark_overview *o = calloc(1, sizeof *o);
    if (!o)
        return hark_fail(HARK_ERR_NOMEM);
    o->cols = cols;
    o->rows = rows;
    atomic_init(&o->stop, 0);
    atomic_init(&o->done, 0);
    hark_err err = hark_decoder_create(path, HARK_CHANNEL_MIX, &o->stop, &o->dec);
    const hark_decoder_info *info = err ? NULL : hark_decoder_get_info(o->dec);
    if (err || !info->seekable || info->frames <= 0) { /* a pipe: nothing to overview */
        overview_free(o);
        hark_error_clear();
        return HARK_OK;
    }
    o->samples = (uint64_t)info->frames;
    o->seconds = (double)info->frames / info->rate_hz;
    o->block = malloc(sizeof(float) * BLOCK);
    o->column = malloc(sizeof(float) * rows);
    o->rgb = calloc((size_t)rows * cols, 3);
    if (!o->block || !o->column || !o->rgb)
        err = hark_fail(HARK_ERR_NOMEM);
    if (!err)
        err = make_analysis(o, an, info->rate_hz);
    for (unsigned r = 0; !err && r < rows; r++)
        o->column[r] = -INFINITY;
    if (!err && pthread_create(&o->thread, NULL, overview_main, o) != 0)
        err = hark_error_set(HARK_ERR_NOMEM, "cannot start the overview thread");
    if (err) {
        overview_free(o);
        return err;
    }
    o->running = 1;
    *out = o;
    return HARK_OK;
}

void hark_overview_stop(hark_overview *o)
{
    if (!o)
        return;
    atomic_store_explicit(&o->stop, 1, memory_order_relaxed);
    if (o->running)
        pthread_join(o->thread, NULL);
    overview_free(o);
}

unsigned hark_overview_done(const hark_overview *o)
{
    return o ? atomic_load_explicit(&o->done, memory_order_acquire) : 0;
}

const uint8_t *hark_overview_image(const hark_overview *o) { return o->rgb; }

void hark_overview_size(const hark_overview *o, unsigned *cols, unsigned *rows)
{
    *cols = o->cols;
    *rows = o->rows;
}

double hark_overview_seconds(const hark_overview *o) { return o->seconds; }
