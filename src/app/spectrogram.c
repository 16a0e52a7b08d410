#include "spectrogram.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colormap.h"
#include "decoder.h"
#include "image.h"
#include "npy.h"
#include "pngwrite.h"
#include "sidecar.h"
#include "stft.h"
#include "text.h"

/* Mono samples read per decoder call. */
#define READ_FRAMES 16384u
/* The largest image held in memory (palette indices); past it, --tile-seconds is required. */
#define MAX_TILE_BYTES ((size_t)4 << 30)
#define LABEL_FONT_PX 13u
/* Frames are split between threads only when each gets at least this many. */
#define SPLIT_MIN_FRAMES 4096u
#define MAX_WORKERS 8u

/* What one thread needs to turn samples into rows of dB: its own decoder, framer and plan. */
typedef struct {
    hark_decoder *dec;
    hark_framer *framer;
    hark_stft *stft;
    int borrowed_stft;      /* the job's plan: not ours to destroy */
    float *samples; /* READ_FRAMES */
    float *row_db;  /* rows */
    float peak_db;
} stage;

typedef struct pipeline pipeline;
/* Where each frame's row goes: called with the frame's index, its dB row in st->row_db. */
typedef hark_err (*frame_sink)(pipeline *p, stage *st, uint64_t frame);

struct pipeline {
    const hark_render_job *job;
    const hark_analysis *an;
    double rate_hz;
    unsigned rows;
    stage main;
    hark_npy *npy;
    hark_text *text;
    uint8_t *tile;          /* tile_cap frames x rows palette indices */
    size_t tile_cap;
    size_t tile_frames;     /* frames in the tile now */
    size_t frames_per_tile; /* 0: one image, sized from the header or grown; else the most
                               frames a tile can have */
    double tile_frames_exact; /* tile_seconds in frames, unrounded */
    hark_render_result *res;
    char *tile_path;        /* the name of the tile being written */
    char *json_path;        /* the .npy's sidecar */
    atomic_int failed;      /* a thread of a split job failed: the others stop too */
};

static hark_err fail_output(pipeline *p, const char *path, hark_err err)
{
    snprintf(p->res->failed_output, sizeof p->res->failed_output, "%s", path);
    return err;
}

static int stopping(pipeline *p)
{
    return atomic_load_explicit(&p->failed, memory_order_relaxed) ||
           (p->job->stop && atomic_load_explicit(p->job->stop, memory_order_relaxed));
}

char *hark_render_tile_path(const char *png_path, unsigned n)
{
    size_t len = strlen(png_path);
    size_t stem = (len > 4 && strcmp(png_path + len - 4, ".png") == 0) ? len - 4 : len;
    char *path = malloc(stem + 16);
    if (path)
        snprintf(path, stem + 16, "%.*s-%04u.png", (int)stem, png_path, n);
    return path;
}

/* ---- stages ------------------------------------------------------------------------------ */

/* The stage's STFT: the worker's own when it has one (remade if this file needs another). */
static hark_err open_stft(stage *st, hark_stft **plan, const hark_stft_config *cfg)
{
    if (!plan)
        return hark_stft_create(cfg, &st->stft);
    if (!*plan || !hark_stft_matches(*plan, cfg)) {
        hark_stft_destroy(*plan);
        *plan = NULL;
        hark_err err = hark_stft_create(cfg, plan);
        if (err)
            return err;
    }
    st->stft = *plan;
    st->borrowed_stft = 1;
    return HARK_OK;
}

static hark_err stage_open(stage *st, const pipeline *p, uint64_t first_frame)
{
    const hark_analysis *an = p->an;
    hark_err err = hark_decoder_create(p->job->in_path, an->channel, &st->dec);
    if (err)
        return err;
    double rate = hark_decoder_get_info(st->dec)->rate_hz;
    hark_stft_config cfg = {.fft_size = an->fft_size, .rate_hz = rate, .window = an->window,
                            .scale = an->scale, .rows = an->height, .floor_db = an->min_db};
    if ((err = open_stft(st, p->job->max_threads == 1 ? p->job->plan : NULL, &cfg)) ||
        (err = hark_framer_create(an->fft_size, an->hop, first_frame, &st->framer)))
        return err;
    uint64_t first_sample = hark_framer_first_sample(st->framer);
    if (first_sample && (err = hark_decoder_seek(st->dec, (int64_t)first_sample)))
        return err;
    st->samples = malloc(sizeof(float) * READ_FRAMES);
    st->row_db = malloc(sizeof(float) * hark_stft_rows(st->stft));
    st->peak_db = an->min_db;
    return (st->samples && st->row_db) ? HARK_OK : HARK_ERR_NOMEM;
}

static void stage_close(stage *st)
{
    if (!st->borrowed_stft)
        hark_stft_destroy(st->stft);
    hark_framer_destroy(st->framer);
    hark_decoder_destroy(st->dec);
    free(st->samples);
    free(st->row_db);
    memset(st, 0, sizeof *st);
}

/* max(peak, row[0..n)), in 8 independent lanes so the compiler can vectorise it (a single
 * running maximum is a serial chain). The rows are finite: the STFT floors them. */
static float row_peak(const float *row, unsigned n, float peak)
{
    float lane[8];
    for (unsigned j = 0; j < 8; j++)
        lane[j] = peak;
    unsigned r = 0;
    for (; r + 8 <= n; r += 8)
        for (unsigned j = 0; j < 8; j++)
            lane[j] = row[r + j] > lane[j] ? row[r + j] : lane[j];
    for (; r < n; r++)
        peak = row[r] > peak ? row[r] : peak;
    for (unsigned j = 0; j < 8; j++)
        peak = lane[j] > peak ? lane[j] : peak;
    return peak;
}

static hark_err stage_frame(pipeline *p, stage *st, const float *frame, frame_sink sink)
{
    uint64_t index = hark_framer_frames(st->framer) - 1;
    hark_stft_process(st->stft, frame, st->row_db);
    st->peak_db = row_peak(st->row_db, p->rows, st->peak_db);
    return sink(p, st, index);
}

/* Frames from the stage's first up to end_frame (exclusive), or to the end of the file with
 * the trailing zero-padded frames when end_frame is UINT64_MAX. */
static hark_err stage_run(pipeline *p, stage *st, uint64_t end_frame, frame_sink sink,
                          hark_progress *progress)
{
    hark_err err;
    for (;;) {
        if (stopping(p))
            return HARK_ERR_INTERRUPTED;
        size_t n;
        if ((err = hark_decoder_read(st->dec, st->samples, READ_FRAMES, &n)))
            return err;
        if (n == 0)
            break;
        const float *x = st->samples, *frame;
        while ((frame = hark_framer_next(st->framer, &x, &n))) {
            if ((err = stage_frame(p, st, frame, sink)))
                return err;
            if (hark_framer_frames(st->framer) == end_frame)
                return HARK_OK;
        }
        if (progress)
            hark_progress_update(progress, hark_framer_samples(st->framer));
    }
    if (hark_framer_samples(st->framer) == 0)
        return hark_error_set(HARK_ERR_EMPTY, "no audio frames in the file");
    /* The frames that reach past the last sample, zero-padded. */
    const float *frame;
    while (hark_framer_frames(st->framer) < end_frame && (frame = hark_framer_drain(st->framer)))
        if ((err = stage_frame(p, st, frame, sink)))
            return err;
    if (end_frame != UINT64_MAX && hark_framer_frames(st->framer) < end_frame)
        return hark_error_set(HARK_ERR_READ, "the file ended before its header said it would");
    return HARK_OK;
}

/* ---- the image: tiles of palette indices --------------------------------------------------- */

static hark_err alloc_tile(pipeline *p, size_t frames)
{
    size_t rows = p->rows;
    if (frames > MAX_TILE_BYTES / rows)
        return hark_error_set(HARK_ERR_TOO_LARGE,
                              "the image would be %zu x %zu pixels; use --tile-seconds to split it",
                              frames, rows);
    uint8_t *t = realloc(p->tile, frames * rows);
    if (!t)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %zu x %zu image", frames, rows);
    p->tile = t;
    p->tile_cap = frames;
    return HARK_OK;
}

/* The path of image n: the PNG itself, or its numbered tile when tiling. */
static const char *tile_name(pipeline *p, unsigned n)
{
    if (!p->frames_per_tile)
        return p->job->png_path;
    free(p->tile_path);
    p->tile_path = hark_render_tile_path(p->job->png_path, n);
    return p->tile_path;
}

static hark_err write_labelled(pipeline *p, const char *path, const hark_tile *tile,
                               uint64_t first_frame, const hark_png_text *texts, unsigned nt)
{
    const char *slash = strrchr(p->job->in_path, '/');
    char title[512];
    snprintf(title, sizeof title, "%s   %.0f Hz   fft %u   hop %u   %s   %s",
             slash ? slash + 1 : p->job->in_path, p->rate_hz, p->an->fft_size, p->an->hop,
             hark_window_name(p->an->window), hark_scale_name(p->an->scale));
    hark_labels labels = {
        .title = title,
        .t0_s = (double)first_frame * p->an->hop / p->rate_hz,
        .frame_s = p->an->hop / p->rate_hz,
        .scale = hark_stft_scale(p->main.stft),
        .min_db = p->an->min_db,
        .max_db = p->an->max_db,
        .palette = hark_colormap_table(p->an->colormap),
    };
    hark_image img;
    hark_err err = hark_image_compose(tile, &labels, p->text, &img);
    if (err)
        return err;
    /* Where the data sits, so scripts can crop the labelled image back to the data. */
    char area[96];
    snprintf(area, sizeof area, "{\"x\": %u, \"y\": %u, \"width\": %u, \"height\": %u}",
             img.data_x, img.data_y, tile->frames, tile->rows);
    hark_png_text all[4];
    unsigned n = 0;
    for (; n < nt && n < 3; n++)
        all[n] = texts[n];
    all[n++] = (hark_png_text){"hark-data-area", area};
    err = hark_png_write_rgb(path, img.rgb, img.width, img.height, all, n, p->job->stop);
    free(img.rgb);
    return err;
}

static hark_err flush_tile(pipeline *p)
{
    if (!p->tile_frames)
        return HARK_OK;
    unsigned n = p->res->tiles + 1;
    const char *path = tile_name(p, n);
    if (!path)
        return HARK_ERR_NOMEM;
    uint64_t first = p->res->frames - p->tile_frames;
    char params[1024];
    hark_sidecar_params(p->job, p->res, first, p->tile_frames, params, sizeof params);
    hark_png_text texts[] = {{"Software", "hark " HARK_VERSION}, {"hark", params}};
    hark_tile tile = {.index = p->tile, .frames = (unsigned)p->tile_frames, .rows = p->rows};
    if (stopping(p))
        return HARK_ERR_INTERRUPTED;
    hark_err err = p->job->labels
                       ? write_labelled(p, path, &tile, first, texts, 2)
                       : hark_png_write_tile(path, &tile, hark_colormap_table(p->an->colormap),
                                             texts, 2, p->job->stop);
    if (err)
        return fail_output(p, path, err);
    p->res->tiles = n;
    p->tile_frames = 0;
    return HARK_OK;
}

/* The row's palette indices. Vectorised (hark_colormap_index is branch-free). */
static void quantize(const pipeline *p, const float *row_db, uint8_t *column)
{
    const float lo = p->an->min_db, hi = p->an->max_db;
    for (unsigned r = 0; r < p->rows; r++)
        column[r] = hark_colormap_index(row_db[r], lo, hi);
}

/* ---- sinks --------------------------------------------------------------------------------- */

/* Frames in the current tile: tile k ends at frame round(k * S * rate / hop), so tiles start on
 * whole multiples of S seconds (to the nearest frame) however many there are. */
static size_t tile_length(const pipeline *p)
{
    double k = (double)p->res->tiles + 1.0;
    double end = floor(k * p->tile_frames_exact + 0.5), start = floor((k - 1) * p->tile_frames_exact + 0.5);
    return end - start < 1.0 ? 1 : (size_t)(end - start);
}

/* One thread, frames in order: the .npy stream, and the tile flushed or grown as it fills. */
static hark_err sink_in_order(pipeline *p, stage *st, uint64_t frame)
{
    (void)frame;
    hark_err err;
    if (p->npy && (err = hark_npy_append(p->npy, st->row_db)))
        return fail_output(p, p->job->npy_path, err);
    if (p->tile && p->frames_per_tile && p->tile_frames == tile_length(p) &&
        (err = flush_tile(p)))
        return err;
    if (p->tile && p->tile_frames == p->tile_cap) {
        size_t grown = p->tile_cap * 2;
        if (p->frames_per_tile && grown > p->frames_per_tile)
            grown = p->frames_per_tile;
        if ((err = alloc_tile(p, grown)))
            return err;
    }
    if (p->tile) {
        quantize(p, st->row_db, p->tile + p->tile_frames * p->rows);
        p->tile_frames++;
    }
    p->res->frames++; /* after the flush: a tile's first frame is frames - tile_frames */
    return HARK_OK;
}

/* Several threads, each its own range of frames, into a tile sized for them all. */
static hark_err sink_at_index(pipeline *p, stage *st, uint64_t frame)
{
    if (frame >= p->tile_cap) /* never past the tile, whatever the file does meanwhile */
        return hark_error_set(HARK_ERR_READ, "the file changed while it was read");
    quantize(p, st->row_db, p->tile + frame * p->rows);
    return HARK_OK;
}

/* ---- frames split between threads ----------------------------------------------------------- */

typedef struct {
    pipeline *p;
    stage st;
    uint64_t first, end; /* frame range; end UINT64_MAX for the last worker */
    hark_err err;
    char detail[512];    /* the error detail is thread-local: carried back by hand */
    pthread_t thread;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    hark_error_clear();
    w->err = stage_open(&w->st, w->p, w->first);
    if (!w->err)
        w->err = stage_run(w->p, &w->st, w->end, sink_at_index, NULL);
    if (w->err) {
        snprintf(w->detail, sizeof w->detail, "%s", hark_error_message(w->err));
        atomic_store_explicit(&w->p->failed, 1, memory_order_relaxed);
    }
    return NULL;
}

/* How many threads share the frames: one unless the job is one image of a seekable file of
 * known length (so each thread can seek to its range and write into one preallocated tile),
 * long enough to be worth it. */
static unsigned worker_count(const pipeline *p, uint64_t total_frames)
{
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    if (!p->tile || p->npy || p->frames_per_tile || info->frames < 0 || !info->seekable ||
        p->job->max_threads == 1)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t n = cpus > 1 ? (uint64_t)cpus : 1;
    n = n > MAX_WORKERS ? MAX_WORKERS : n;
    if (p->job->max_threads && n > p->job->max_threads)
        n = p->job->max_threads;
    while (n > 1 && total_frames / n < SPLIT_MIN_FRAMES)
        n--;
    return (unsigned)n;
}

static hark_err run_split(pipeline *p, unsigned nworkers, uint64_t total)
{
    worker workers[MAX_WORKERS] = {0};
    uint64_t share = total / nworkers;
    int started[MAX_WORKERS] = {0};
    for (unsigned i = 1; i < nworkers; i++) {
        workers[i] = (worker){.p = p, .first = share * i,
                              .end = i + 1 < nworkers ? share * (i + 1) : total};
        started[i] = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) == 0;
    }
    /* The bar follows this thread's share: the others move at the same pace. */
    if (p->job->progress)
        p->job->progress->total = share * p->an->hop;
    hark_err err = stage_run(p, &p->main, share, sink_at_index, p->job->progress);
    if (err)
        atomic_store_explicit(&p->failed, 1, memory_order_relaxed);
    for (unsigned i = 1; i < nworkers; i++) {
        if (started[i])
            pthread_join(workers[i].thread, NULL);
        else if (!err) /* no thread for this range: do it here */
            worker_main(&workers[i]);
        if (!err && workers[i].err)
            err = hark_error_set(workers[i].err, "%s", workers[i].detail);
        if (workers[i].st.peak_db > p->main.peak_db)
            p->main.peak_db = workers[i].st.peak_db;
        if (workers[i].st.dec)
            p->res->nonfinite += hark_decoder_nonfinite(workers[i].st.dec);
        stage_close(&workers[i].st);
    }
    /* The header's length decided the split, and each range was read to its end. */
    p->res->samples = (uint64_t)hark_decoder_get_info(p->main.dec)->frames;
    p->res->frames = p->tile_frames = total;
    return err;
}

/* ---- the job ------------------------------------------------------------------------------- */

static hark_err plan_tile(pipeline *p, const hark_decoder_info *info)
{
    unsigned hop = p->an->hop;
    if (p->job->tile_seconds > 0) {
        double f = p->job->tile_seconds * info->rate_hz / hop;
        p->tile_frames_exact = f < 1e15 ? f : 1e15;
        p->frames_per_tile = f < 1.0 ? 1 : f > 1e15 ? (size_t)1e15 : (size_t)ceil(f);
        /* A tile longer than the whole file needs only the file's frames to start with. */
        size_t first = p->frames_per_tile;
        if (info->frames >= 0 && hark_stft_frame_count((uint64_t)info->frames, hop) < first)
            first = (size_t)hark_stft_frame_count((uint64_t)info->frames, hop);
        return alloc_tile(p, first);
    }
    /* One image: sized from the header when it gives a length, else grown as frames come. */
    size_t guess = info->frames >= 0 ? hark_stft_frame_count((uint64_t)info->frames, hop) : 4096;
    return alloc_tile(p, guess);
}

static hark_err open_job(pipeline *p)
{
    const hark_render_job *job = p->job;
    hark_err err = stage_open(&p->main, p, 0);
    if (err)
        return err;
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    p->rate_hz = p->res->rate_hz = info->rate_hz;
    p->res->channels = info->channels;
    if (job->png_path && (err = plan_tile(p, info)))
        return err;
    if (job->png_path && job->labels && (err = hark_text_create(LABEL_FONT_PX, &p->text)))
        return err;
    if (job->npy_path && (err = hark_npy_create(job->npy_path, p->rows, &p->npy)))
        return fail_output(p, job->npy_path, err);
    if (job->progress)
        hark_progress_init(job->progress, "rendering", info->frames > 0 ? (uint64_t)info->frames : 0);
    return HARK_OK;
}

static hark_err run_job(pipeline *p)
{
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    uint64_t total = info->frames >= 0 ? hark_stft_frame_count((uint64_t)info->frames, p->an->hop)
                                       : 0;
    unsigned nworkers = worker_count(p, total);
    if (nworkers > 1)
        return run_split(p, nworkers, total);
    hark_err err = stage_run(p, &p->main, UINT64_MAX, sink_in_order, p->job->progress);
    p->res->samples = hark_framer_samples(p->main.framer);
    return err;
}

static hark_err finish_job(pipeline *p)
{
    hark_err err;
    p->res->peak_db = p->main.peak_db;
    p->res->nonfinite += hark_decoder_nonfinite(p->main.dec);
    if (p->tile && (err = flush_tile(p)))
        return err;
    if (p->npy) {
        /* The sidecar first, then the matrix: a failure of either leaves neither. */
        p->json_path = hark_sidecar_path(p->job->npy_path);
        if (!p->json_path)
            return HARK_ERR_NOMEM;
        if (stopping(p))
            return HARK_ERR_INTERRUPTED;
        if ((err = hark_sidecar_write(p->job, p->res, hark_stft_scale(p->main.stft))))
            return fail_output(p, p->json_path, err);
        err = hark_npy_finish(p->npy);
        p->npy = NULL;
        if (err) {
            unlink(p->json_path);
            return fail_output(p, p->job->npy_path, err);
        }
    }
    return HARK_OK;
}

/* A failed job leaves nothing: finished tiles are removed too, so no partial set remains. */
static void remove_outputs(pipeline *p)
{
    hark_npy_abort(p->npy);
    p->npy = NULL;
    for (unsigned n = 1; p->job->png_path && n <= p->res->tiles; n++) {
        const char *path = tile_name(p, n);
        if (path)
            unlink(path);
    }
}

hark_err hark_render_run(const hark_render_job *job, hark_render_result *result)
{
    memset(result, 0, sizeof *result);
    result->peak_db = job->analysis->min_db;
    pipeline p = {.job = job, .an = job->analysis, .res = result,
                  .rows = hark_analysis_rows(job->analysis)};
    atomic_init(&p.failed, 0);
    result->rows = p.rows;
    hark_err err = open_job(&p);
    if (!err)
        err = run_job(&p);
    if (!err)
        err = finish_job(&p);
    if (job->progress)
        hark_progress_finish(job->progress);
    if (err)
        remove_outputs(&p);
    hark_text_destroy(p.text);
    stage_close(&p.main);
    free(p.tile);
    free(p.tile_path);
    free(p.json_path);
    return err;
}
