#ifndef HARK_SPECTROGRAM_H
#define HARK_SPECTROGRAM_H
/*
 * The offline pipeline behind `render` (and `batch`): loader -> framer -> stft -> outputs.
 * Streams the file in blocks: memory is one tile of palette indices (or the whole image when
 * not tiling) plus fixed buffers; the .npy is streamed straight to disk.
 * Every output is written to a temporary name and renamed when whole; on any failure no output
 * of this job is left behind.
 * Thread: any; one job per thread (each job owns its decoder, plan and buffers).
 */
#include <stdatomic.h>
#include <stdint.h>

#include "analysis.h"
#include "error.h"
#include "progress.h"

typedef struct {
    const char *in_path;
    const char *png_path;   /* NULL: no image */
    const char *npy_path;   /* NULL: no matrix; else also its JSON sidecar (sidecar.h) */
    int labels;             /* draw axes, colour bar and title around the data */
    double tile_seconds;    /* > 0: numbered tiles "<png_path minus .png>-0001.png" ... */
    const hark_analysis *analysis;
    hark_progress *progress;          /* NULL: none */
    unsigned max_threads;             /* 0: as many as help (one image of a long file is split
                                         between the cores); 1: this thread only (batch) */
    const atomic_int *stop;  /* NULL, or set non-zero (any thread, a signal handler) to abandon
                                the job: checked while reading, before and while writing */
    struct hark_stft **plan; /* NULL, or a worker's STFT (FFTW plan and all) kept from job to
                                job: used when it matches the file, else remade in place; the
                                worker destroys it when done. One-thread jobs only. */
} hark_render_job;

typedef struct {
    double rate_hz;
    unsigned channels;
    uint64_t samples;       /* frames of audio read */
    uint64_t frames;        /* STFT frames = image columns */
    unsigned rows;          /* image rows */
    unsigned tiles;         /* images written */
    float peak_db;          /* highest level in any frame and row */
    uint64_t nonfinite;     /* NaN/Inf samples read as 0 */
    char failed_output[4096]; /* on failure, the output it was about ("" when the input) */
} hark_render_result;

/* The name of tile n (1-based) of png_path: "out.png" -> "out-0003.png". malloc'd. */
char *hark_render_tile_path(const char *png_path, unsigned n);

/* Run a job. On failure the detail names what went wrong; the subject is the input unless
 * result->failed_output names an output. */
hark_err hark_render_run(const hark_render_job *job, hark_render_result *result);

#endif
