#include "render.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "machine.h"

/* Mono samples read per decoder call. */
#define READ_FRAMES 16384u
/* Frames are split between threads only when each gets at least this many. */
#define SPLIT_MIN_FRAMES 4096u
#define MAX_WORKERS 8u

/* What one thread needs to turn samples into rows: its own decoder, framer and analysis. Its
 * rows from `keep` on are the image's; the frames before (a split worker's lead) only bring
 * the analysis's state to where one thread from frame 0 would have it. */
typedef struct {
    hark_decoder *dec;
    hark_framer *framer;
    hark_spectro *spectro;
    int borrowed;           /* the job's plan: not ours to destroy */
    uint64_t keep;          /* the first row that is ours */
    uint64_t next_row;      /* the next row the analysis will give */
    float *samples;         /* READ_FRAMES */
    float peak;
} stage;

typedef struct {
    const hark_render_job *job;
    const hark_analysis *an;
    unsigned rows;
    stage main;
    uint64_t total;            /* frames the header's length gives (0: not known) */
    hark_error_first first;    /* the first thread to fail */
    atomic_int failed;         /* ... and the others stop too */
} pipeline;

static int stopping(pipeline *p)
{
    return atomic_load_explicit(&p->failed, memory_order_relaxed) ||
           (p->job->stop && atomic_load_explicit(p->job->stop, memory_order_relaxed));
}

/* ---- stages ------------------------------------------------------------------------------ */

/* The stage's analysis: the worker's own when it has one (remade if this file needs
 * another), started at frame `from`. */
static hark_err open_spectro(stage *st, hark_spectro **plan, const hark_spectro_config *cfg,
                             uint64_t from)
{
    if (!plan)
        return hark_spectro_create(cfg, from, &st->spectro);
    if (!*plan || !hark_spectro_matches(*plan, cfg)) {
        hark_spectro_destroy(*plan);
        *plan = NULL;
        hark_err err = hark_spectro_create(cfg, from, plan);
        if (err)
            return err;
    }
    hark_spectro_restart(*plan, from);
    st->spectro = *plan;
    st->borrowed = 1;
    return HARK_OK;
}

static hark_err stage_open(stage *st, const pipeline *p, uint64_t first_frame)
{
    const hark_analysis *an = p->an;
    hark_err err = hark_decoder_create_raw(p->job->in_path, p->job->raw, an->channel,
                                           p->job->stop, &st->dec);
    if (err)
        return err;
    double rate = hark_decoder_get_info(st->dec)->rate_hz;
    if ((err = hark_analysis_check_rate(an, rate)))
        return err;
    hark_spectro_config cfg = {.hop = an->hop, .reassign = an->reassign,
                               .reassign_db = an->reassign_db, .pcen = an->pcen,
                               .pcen_params = an->pcen_params};
    hark_analysis_stft_config(an, rate, hark_analysis_rows(an, rate), &cfg.stft);
    uint64_t lead = hark_spectro_lead(&cfg, rate), from = first_frame > lead ? first_frame - lead : 0;
    st->keep = first_frame;
    st->next_row = from;
    if ((err = open_spectro(st, p->job->max_threads == 1 ? p->job->plan : NULL, &cfg, from)) ||
        (err = hark_framer_create(an->fft_size, an->hop, from, &st->framer)))
        return err;
    uint64_t first_sample = hark_framer_first_sample(st->framer);
    if (first_sample && (err = hark_decoder_seek(st->dec, (int64_t)first_sample)))
        return err;
    st->samples = malloc(sizeof(float) * READ_FRAMES);
    st->peak = an->pcen ? 0.0f : an->min_db;
    return st->samples ? HARK_OK : hark_fail(HARK_ERR_NOMEM);
}

static void stage_close(stage *st)
{
    if (!st->borrowed)
        hark_spectro_destroy(st->spectro);
    hark_framer_destroy(st->framer);
    hark_decoder_destroy(st->dec);
    free(st->samples);
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

/* The rows the analysis has ready, up to end_row (exclusive): ours to the sinks. */
static hark_err stage_rows(pipeline *p, stage *st, uint64_t end_row)
{
    const float *row;
    uint64_t index;
    while (st->next_row < end_row && (row = hark_spectro_next(st->spectro, &index))) {
        st->next_row = index + 1;
        if (index < st->keep)
            continue;
        st->peak = row_peak(row, p->rows, st->peak);
        hark_err err = hark_sinks_frames(p->job->sinks, index, 1, row);
        if (err)
            return err;
    }
    return HARK_OK;
}

static hark_err stage_frame(pipeline *p, stage *st, const float *frame, uint64_t end_row)
{
    hark_spectro_push(st->spectro, frame);
    return stage_rows(p, st, end_row);
}

static void report(pipeline *p, stage *st, uint64_t total_samples)
{
    if (p->job->progress && st == &p->main)
        p->job->progress(p->job->progress_ctx, hark_framer_samples(st->framer), total_samples);
}

/* Rows from the stage's first up to end_row (exclusive), or to the end of the file with the
 * trailing zero-padded frames when end_row is UINT64_MAX. A row may need frames after it
 * (reassignment): frames go on until the row before end_row is out, or the file ends. */
static hark_err stage_run(pipeline *p, stage *st, uint64_t end_row, uint64_t total_samples)
{
    hark_err err;
    for (;;) {
        if (stopping(p))
            return hark_error_set(HARK_ERR_INTERRUPTED, "interrupted");
        size_t n;
        if ((err = hark_decoder_read(st->dec, st->samples, READ_FRAMES, &n)))
            return err;
        if (n == 0)
            break;
        const float *x = st->samples, *frame;
        while ((frame = hark_framer_next(st->framer, &x, &n))) {
            if ((err = stage_frame(p, st, frame, end_row)))
                return err;
            if (st->next_row >= end_row)
                return HARK_OK;
        }
        report(p, st, total_samples);
    }
    if (hark_framer_samples(st->framer) == 0)
        return hark_error_set(HARK_ERR_EMPTY, "no audio frames in the file");
    /* The frames that reach past the last sample, zero-padded, then the rows still waiting. */
    const float *frame;
    while (st->next_row < end_row && (frame = hark_framer_drain(st->framer)))
        if ((err = stage_frame(p, st, frame, end_row)))
            return err;
    hark_spectro_finish(st->spectro);
    if ((err = stage_rows(p, st, end_row)))
        return err;
    if (end_row != UINT64_MAX && st->next_row < end_row)
        return hark_error_set(HARK_ERR_READ, "the file ended before its header said it would");
    return HARK_OK;
}

/* ---- threads: one image split in ranges of frames ------------------------------------------- */

typedef struct {
    pipeline *p;
    stage st;
    uint64_t first, end;   /* frames [first, end) */
    pthread_t thread;
} worker;

static void fail(pipeline *p)
{
    hark_error_offer(&p->first); /* before the others stop: theirs only say so */
    atomic_store_explicit(&p->failed, 1, memory_order_relaxed);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    hark_error_clear();
    if (stage_open(&w->st, w->p, w->first) || stage_run(w->p, &w->st, w->end, 0)) {
        hark_error_subject(w->p->job->in_path);
        fail(w->p);
    }
    return NULL;
}

static unsigned worker_count(const pipeline *p)
{
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    if (!hark_sinks_parallel(p->job->sinks) || info->frames < 0 || !info->seekable ||
        p->job->max_threads == 1)
        return 1;
    uint64_t n = hark_cpu_count();
    n = n > MAX_WORKERS ? MAX_WORKERS : n;
    if (p->job->max_threads && n > p->job->max_threads)
        n = p->job->max_threads;
    while (n > 1 && p->total / n < SPLIT_MIN_FRAMES)
        n--;
    return (unsigned)n;
}

static hark_err run_split(pipeline *p, unsigned nworkers, hark_render_result *res)
{
    worker workers[MAX_WORKERS] = {0};
    uint64_t share = p->total / nworkers;
    int started[MAX_WORKERS] = {0};
    for (unsigned i = 1; i < nworkers; i++) {
        workers[i] = (worker){.p = p, .first = share * i,
                              .end = i + 1 < nworkers ? share * (i + 1) : p->total};
        started[i] = pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) == 0;
    }
    /* The bar follows this thread's share: the others move at the same pace. */
    if (stage_run(p, &p->main, share, share * p->an->hop))
        fail(p);
    for (unsigned i = 1; i < nworkers; i++) {
        if (started[i])
            pthread_join(workers[i].thread, NULL);
        else if (!stopping(p)) /* no thread for this range: do it here */
            worker_main(&workers[i]);
        if (workers[i].st.peak > p->main.peak)
            p->main.peak = workers[i].st.peak;
        if (workers[i].st.dec) {
            res->nonfinite += hark_decoder_nonfinite(workers[i].st.dec);
            res->clipped += hark_decoder_clipped(workers[i].st.dec);
        }
        stage_close(&workers[i].st);
    }
    /* The header's length decided the split, and each range was read to its end. */
    res->samples = (uint64_t)hark_decoder_get_info(p->main.dec)->frames;
    res->frames = p->total;
    return hark_error_adopt(&p->first);
}

/* ---- the job ------------------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static hark_err begin(pipeline *p, hark_render_result *res)
{
    hark_err err = stage_open(&p->main, p, 0);
    if (err)
        return err;
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    res->rate_hz = info->rate_hz;
    res->channels = info->channels;
    res->rows = p->rows = hark_analysis_rows(p->an, info->rate_hz);
    p->total = info->frames >= 0 ? hark_stft_frame_count((uint64_t)info->frames, p->an->hop) : 0;
    hark_sink_start start = {
        .params = {.source = base_name(p->job->in_path), .rate_hz = info->rate_hz,
                   .channels = info->channels, .analysis = *p->an, .rows = p->rows},
        .scale = hark_stft_scale(hark_spectro_stft(p->main.spectro)),
        .total_frames = info->frames >= 0 ? (int64_t)p->total : -1,
        .input = p->job->in_path,
    };
    return hark_sinks_begin(p->job->sinks, &start);
}

static hark_err run(pipeline *p, hark_render_result *res)
{
    unsigned nworkers = worker_count(p);
    if (nworkers > 1)
        return run_split(p, nworkers, res);
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    hark_err err = stage_run(p, &p->main, UINT64_MAX, info->frames > 0 ? (uint64_t)info->frames : 0);
    res->samples = hark_framer_samples(p->main.framer);
    res->frames = p->main.next_row;
    return err;
}

static hark_err finish(pipeline *p, hark_render_result *res)
{
    res->peak_db = p->main.peak;
    res->nonfinite += hark_decoder_nonfinite(p->main.dec);
    res->clipped += hark_decoder_clipped(p->main.dec);
    hark_sink_summary sum = {.frames = res->frames, .samples = res->samples,
                             .nonfinite = res->nonfinite, .clipped = res->clipped,
                             .peak_db = res->peak_db};
    hark_err err = hark_sinks_end(p->job->sinks, &sum);
    if (!err && stopping(p))
        err = hark_error_set(HARK_ERR_INTERRUPTED, "interrupted");
    return err ? err : hark_sinks_commit(p->job->sinks);
}

hark_err hark_render_run(const hark_render_job *job, hark_render_result *result)
{
    memset(result, 0, sizeof *result);
    result->peak_db = job->analysis->min_db;
    pipeline p = {.job = job, .an = job->analysis};
    atomic_init(&p.failed, 0);
    atomic_init(&p.first.claimed, 0);
    hark_err err = begin(&p, result);
    if (!err)
        err = run(&p, result);
    if (!err)
        err = finish(&p, result);
    if (err) {
        hark_error_subject(job->in_path);
        hark_sinks_abort(job->sinks);
    }
    stage_close(&p.main);
    return err;
}
