#ifndef HARK_SINK_H
#define HARK_SINK_H
/*
 * Where spectrogram rows go. A sink makes one output (an image or its tiles, a labelled image,
 * a .npy, its JSON sidecar, recording strips) from the rows of one stream; `render`, `batch`,
 * `live --raw` and `--record` are compositions of the same sinks (docs/ARCHITECTURE.md).
 *
 * Life of a sink, driven by its owner (one thread, except frames: see HARK_SINK_PARALLEL):
 *   begin   once, with what the rows are (params, their frequencies, the length if known);
 *   frames  rows of consecutive frames, frame-major, in frame order; with channels stacked
 *           (params.stacked), a frame is stacked x rows values, the last channel's rows
 *           first (row 0 of the image's bottom band first, as one tall image has them);
 *   end     the stream ended: everything is written, under temporary names;
 *   commit  the outputs appear under their names (by rename), all of a sink's together;
 *   abort   instead of (or after) commit: nothing of this run's is left, and what was there
 *           before is as it was;
 *   destroy always, last (NULL-safe).
 * A failure says what it is about (the error record's subject is the output's path).
 * Modules never print: progress and results are the owner's to tell.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "params.h"
#include "scale.h"

/* What begin is told. */
typedef struct {
    hark_params params;     /* first_frame: of the stream's first row; frames: 0 */
    const hark_scale *scale; /* the rows' frequencies (row 0 lowest) */
    int64_t total_frames;   /* -1 when not known before the end */
    const char *input;      /* the file read (NULL: a device): no output may replace it */
} hark_sink_start;

/* What end is told: the stream as it turned out. */
typedef struct {
    uint64_t frames;        /* rows given */
    uint64_t samples;       /* samples analysed */
    uint64_t nonfinite;     /* NaN/Inf samples read as 0 */
    uint64_t clipped;       /* samples beyond +-1e9, clipped to it (decoder.h) */
    float peak_db;          /* the highest level in any row */
} hark_sink_summary;

typedef struct hark_sink hark_sink;

typedef struct {
    hark_err (*begin)(hark_sink *s, const hark_sink_start *start);
    hark_err (*frames)(hark_sink *s, uint64_t first, size_t n, const float *rows_db);
    hark_err (*end)(hark_sink *s, const hark_sink_summary *summary);
    hark_err (*commit)(hark_sink *s);
    void (*abort)(hark_sink *s);
    void (*destroy)(hark_sink *s);
} hark_sink_ops;

/* frames may be called from several threads at once, for disjoint ranges, when begin was told
 * the total (the single image of render: each thread fills its own columns). */
#define HARK_SINK_PARALLEL 1u

struct hark_sink {
    const hark_sink_ops *ops;
    unsigned flags;
};

/* A set of sinks driven as one: each call goes to every sink in order and stops at the first
 * failure. commit commits each in order; if one fails, those committed are aborted (rolled
 * back) with the rest, so a set appears whole or not at all. */
typedef struct {
    hark_sink *sink[8];
    unsigned count;
} hark_sinks;

/* Add s (ownership passes to the set; NULL is an out-of-memory failure, said here). */
hark_err hark_sinks_add(hark_sinks *set, hark_sink *s);
/* 1 when every sink takes frames from several threads at once. */
int hark_sinks_parallel(const hark_sinks *set);
hark_err hark_sinks_begin(hark_sinks *set, const hark_sink_start *start);
hark_err hark_sinks_frames(hark_sinks *set, uint64_t first, size_t n, const float *rows_db);
hark_err hark_sinks_end(hark_sinks *set, const hark_sink_summary *summary);
hark_err hark_sinks_commit(hark_sinks *set);
void hark_sinks_abort(hark_sinks *set);
void hark_sinks_destroy(hark_sinks *set); /* and empty the set */

#endif
