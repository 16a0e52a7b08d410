#ifndef HARK_RENDER_H
#define HARK_RENDER_H
/*
 * The offline pipeline behind `render` and `batch`: a file's samples (decoder) -> frames ->
 * the STFT -> rows of dBFS -> the sinks the caller chose (sink.h), streamed in blocks, so
 * memory is what the sinks hold (one tile, or one image) plus fixed buffers.
 * When every sink takes frames in parallel and the file is seekable with a known length, the
 * frames are split between threads, each with its own decoder, framer and FFTW plan, writing its
 * own range: the result is byte-identical to one thread's.
 * On failure the sinks are aborted (nothing of this run is left) and the error record says
 * what failed: the first failure of any thread, about the input or the output concerned.
 * Thread: any; one job per thread (the job owns its decoders, plans and buffers).
 */
#include <stdatomic.h>
#include <stdint.h>

#include "analysis.h"
#include "decoder.h" /* hark_raw_input */
#include "error.h"
#include "sink.h"
#include "spectro.h"

/* Progress, on the thread that runs the job: samples read of the total (0: not known). */
typedef void (*hark_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct {
    const char *in_path;
    const hark_raw_input *raw; /* NULL, or how to read headerless samples */
    const hark_analysis *analysis;
    hark_sinks *sinks;        /* the outputs: begun, fed, ended and committed (or aborted) */
    unsigned max_threads;     /* 0: as many as help; 1: this thread only (batch) */
    const atomic_int *stop;   /* NULL, or non-zero (any thread, a signal handler) to abandon
                                 the job: checked while reading and writing */
    hark_spectro **plan;      /* NULL, or a worker's analysis kept from job to job: used when it
                                 matches the file, else remade in place; the worker destroys it
                                 when done. One-thread jobs only. */
    hark_progress_fn progress; /* NULL: none */
    void *progress_ctx;
} hark_render_job;

typedef struct {
    double rate_hz;
    unsigned channels;
    unsigned stacked;       /* channels stacked (0: one channel) ... */
    int stacked_channels[HARK_STACK_MAX]; /* ... these, in order */
    uint64_t samples;       /* frames of audio read */
    uint64_t frames;        /* STFT frames = image columns */
    unsigned rows;          /* image rows */
    float peak_db;          /* highest level in any frame and row */
    uint64_t nonfinite;     /* NaN/Inf samples read as 0 */
    uint64_t clipped;       /* samples beyond +-1e9, clipped */
} hark_render_result;

hark_err hark_render_run(const hark_render_job *job, hark_render_result *result);

#endif
