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

/* One channel of a stage: its framer, analysis and samples. */
typedef struct {
    hark_framer *framer;
    hark_spectro *spectro;
    float *samples;         /* READ_FRAMES */
} lane;

/* What one thread needs to turn samples into rows: its own decoder, and a lane per channel
 * analysed (stacked channels share the decoder and go in step, frame for frame). Its rows
 * from `keep` on are the image's; the frames before (a split worker's lead) only bring the
 * analysis's state to where one thread from frame 0 would have it. */
typedef struct {
    hark_decoder *dec;
    lane lanes[HARK_STACK_MAX];
    unsigned nlanes;
    int channels[HARK_STACK_MAX]; /* each lane's channel (stacked: their order) */
    int borrowed;           /* lane 0's analysis is the job's plan: not ours to destroy */
    uint64_t keep;          /* the first row that is ours */
    uint64_t next_row;      /* the next row the analysis will give */
    float *stack;           /* stacked: the lanes' rows of one frame, the last channel's first */
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

/* A lane's analysis: the worker's own when it has one (remade if this file needs another),
 * started at frame `from`. */
static hark_err open_spectro(stage *st, lane *l, hark_spectro **plan,
                             const hark_spectro_config *cfg, uint64_t from)
{
    if (!plan)
        return hark_spectro_create(cfg, from, &l->spectro);
    if (!*plan || !hark_spectro_matches(*plan, cfg)) {
        hark_spectro_destroy(*plan);
        *plan = NULL;
        hark_err err = hark_spectro_create(cfg, from, plan);
        if (err)
            return err;
    }
    hark_spectro_restart(*plan, from);
    l->spectro = *plan;
    st->borrowed = 1;
    return HARK_OK;
}

static hark_err open_lanes(stage *st, const pipeline *p, const hark_spectro_config *cfg,
                           uint64_t from)
{
    const hark_analysis *an = p->an;
    for (unsigned c = 0; c < st->nlanes; c++) {
        lane *l = &st->lanes[c];
        /* The job's kept plan serves a one-channel job (batch); stacks make their own. */
        hark_spectro **plan = p->job->max_threads == 1 && st->nlanes == 1 ? p->job->plan : NULL;
        hark_err err;
        if ((err = open_spectro(st, l, plan, cfg, from)) ||
            (err = hark_framer_create(an->fft_size, an->hop, from, &l->framer)))
            return err;
        if (!(l->samples = malloc(sizeof(float) * READ_FRAMES)))
            return hark_fail(HARK_ERR_NOMEM);
    }
    return HARK_OK;
}

static hark_err stage_open(stage *st, const pipeline *p, uint64_t first_frame)
{
    const hark_analysis *an = p->an;
    hark_err err = hark_decoder_create_raw(p->job->in_path, p->job->raw,
                                           an->stack ? HARK_CHANNEL_ALL : an->channel,
                                           p->job->stop, &st->dec);
    if (err)
        return err;
    const hark_decoder_info *info = hark_decoder_get_info(st->dec);
    double rate = info->rate_hz;
    if ((err = hark_analysis_check_rate(an, rate)) ||
        (err = hark_analysis_channels(an, info->channels, st->channels, &st->nlanes)))
        return err;
    hark_spectro_config cfg = {.hop = an->hop, .reassign = an->reassign,
                               .reassign_db = an->reassign_db, .pcen = an->pcen,
                               .pcen_params = an->pcen_params};
    unsigned rows = hark_analysis_rows(an, rate);
    hark_analysis_stft_config(an, rate, rows, &cfg.stft);
    uint64_t lead = hark_spectro_lead(&cfg, rate), from = first_frame > lead ? first_frame - lead : 0;
    st->keep = first_frame;
    st->next_row = from;
    if ((err = open_lanes(st, p, &cfg, from)))
        return err;
    if (an->stack && !(st->stack = malloc(sizeof(float) * rows * st->nlanes)))
        return hark_fail(HARK_ERR_NOMEM);
    uint64_t first_sample = hark_framer_first_sample(st->lanes[0].framer);
    if (first_sample && (err = hark_decoder_seek(st->dec, (int64_t)first_sample)))
        return err;
    st->peak = an->pcen ? 0.0f : an->min_db;
    return HARK_OK;
}

static void stage_close(stage *st)
{
    for (unsigned c = 0; c < st->nlanes; c++) {
        lane *l = &st->lanes[c];
        if (!(st->borrowed && c == 0))
            hark_spectro_destroy(l->spectro);
        hark_framer_destroy(l->framer);
        free(l->samples);
    }
    hark_decoder_destroy(st->dec);
    free(st->stack);
    memset(st, 0, sizeof *st);
}

/* max(peak, row[0..n)), in 8 independent lanes so the compiler can vectorise it (a single
 * running maximum is a serial chain). The rows are finite: the STFT floors them. */
static float row_peak(const float *row, unsigned n, float peak)
{
    float acc[8];
    for (unsigned j = 0; j < 8; j++)
        acc[j] = peak;
    unsigned r = 0;
    for (; r + 8 <= n; r += 8)
        for (unsigned j = 0; j < 8; j++)
            acc[j] = row[r + j] > acc[j] ? row[r + j] : acc[j];
    for (; r < n; r++)
        peak = row[r] > peak ? row[r] : peak;
    for (unsigned j = 0; j < 8; j++)
        peak = acc[j] > peak ? acc[j] : peak;
    return peak;
}

/* The next row of every lane (they go in step): one channel's row, or the stack of them, the
 * last channel's first (sink.h). NULL when none is ready. */
static const float *next_row(pipeline *p, stage *st, uint64_t *index)
{
    const float *row = hark_spectro_next(st->lanes[0].spectro, index);
    if (!row || !st->stack)
        return row;
    const unsigned n = st->nlanes, rows = p->rows;
    memcpy(st->stack + (size_t)(n - 1) * rows, row, sizeof(float) * rows);
    for (unsigned c = 1; c < n; c++) {
        uint64_t same;
        const float *r = hark_spectro_next(st->lanes[c].spectro, &same);
        memcpy(st->stack + (size_t)(n - 1 - c) * rows, r, sizeof(float) * rows);
    }
    return st->stack;
}

/* The rows the analysis has ready, up to end_row (exclusive): ours to the sinks. */
static hark_err stage_rows(pipeline *p, stage *st, uint64_t end_row)
{
    const float *row;
    uint64_t index;
    while (st->next_row < end_row && (row = next_row(p, st, &index))) {
        st->next_row = index + 1;
        if (index < st->keep)
            continue;
        st->peak = row_peak(row, p->rows * st->nlanes, st->peak);
        hark_err err = hark_sinks_frames(p->job->sinks, index, 1, row);
        if (err)
            return err;
    }
    return HARK_OK;
}

/* The next frame of every lane, from its samples (x[c], n[c]) or (drain) its zero-padded
 * tail, pushed to its analysis; 0 when there was none. The lanes get the same samples, so
 * they have a frame together or not at all: each takes its samples either way. */
static int push_frames(stage *st, const float **x, size_t *n, int drain)
{
    int any = 0;
    for (unsigned c = 0; c < st->nlanes; c++) {
        lane *l = &st->lanes[c];
        const float *frame = drain ? hark_framer_drain(l->framer)
                                   : hark_framer_next(l->framer, &x[c], &n[c]);
        if (frame)
            hark_spectro_push(l->spectro, frame);
        any |= frame != NULL;
    }
    return any;
}

static void report(pipeline *p, stage *st, uint64_t total_samples)
{
    if (p->job->progress && st == &p->main)
        p->job->progress(p->job->progress_ctx, hark_framer_samples(st->lanes[0].framer),
                         total_samples);
}

/* Rows from the stage's first up to end_row (exclusive), or to the end of the file with the
 * trailing zero-padded frames when end_row is UINT64_MAX. A row may need frames after it
 * (reassignment): frames go on until the row before end_row is out, or the file ends. */
static hark_err stage_run(pipeline *p, stage *st, uint64_t end_row, uint64_t total_samples)
{
    hark_err err;
    float *planes[HARK_STACK_MAX];
    for (unsigned c = 0; c < st->nlanes; c++)
        planes[c] = st->lanes[c].samples;
    for (;;) {
        if (stopping(p))
            return hark_error_set(HARK_ERR_INTERRUPTED, "interrupted");
        size_t got;
        err = st->nlanes == 1 && !p->an->stack
                  ? hark_decoder_read(st->dec, planes[0], READ_FRAMES, &got)
                  : hark_decoder_read_planar(st->dec, st->channels, st->nlanes, planes,
                                             READ_FRAMES, &got);
        if (err)
            return err;
        if (got == 0)
            break;
        const float *x[HARK_STACK_MAX];
        size_t n[HARK_STACK_MAX];
        for (unsigned c = 0; c < st->nlanes; c++)
            x[c] = planes[c], n[c] = got;
        while (push_frames(st, x, n, 0)) {
            if ((err = stage_rows(p, st, end_row)))
                return err;
            if (st->next_row >= end_row)
                return HARK_OK;
        }
        report(p, st, total_samples);
    }
    if (hark_framer_samples(st->lanes[0].framer) == 0)
        return hark_error_set(HARK_ERR_EMPTY, "no audio frames in the file");
    /* The frames that reach past the last sample, zero-padded, then the rows still waiting. */
    while (st->next_row < end_row && push_frames(st, NULL, NULL, 1))
        if ((err = stage_rows(p, st, end_row)))
            return err;
    for (unsigned c = 0; c < st->nlanes; c++)
        hark_spectro_finish(st->lanes[c].spectro);
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
        .scale = hark_stft_scale(hark_spectro_stft(p->main.lanes[0].spectro)),
        .total_frames = info->frames >= 0 ? (int64_t)p->total : -1,
        .input = p->job->in_path,
    };
    if (p->an->stack) {
        start.params.stacked = res->stacked = p->main.nlanes;
        memcpy(start.params.stacked_channels, p->main.channels, sizeof p->main.channels);
        memcpy(res->stacked_channels, p->main.channels, sizeof p->main.channels);
    }
    return hark_sinks_begin(p->job->sinks, &start);
}

static hark_err run(pipeline *p, hark_render_result *res)
{
    unsigned nworkers = worker_count(p);
    if (nworkers > 1)
        return run_split(p, nworkers, res);
    const hark_decoder_info *info = hark_decoder_get_info(p->main.dec);
    hark_err err = stage_run(p, &p->main, UINT64_MAX, info->frames > 0 ? (uint64_t)info->frames : 0);
    res->samples = hark_framer_samples(p->main.lanes[0].framer);
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
