#ifndef HARK_STREAM_H
#define HARK_STREAM_H
/*
 * A session's rows, from any source (source.h): the source writes samples into the sample
 * ring; the DSP thread (dsp.h) turns them into rows of dBFS in the row ring; the owner takes
 * each row when it is due:
 *   from an input, at once (a row cannot exist before its samples did);
 *   from a source that plays, when its centre sample reaches the DAC by the source's clock
 *   (the stamps of streamclock.h), so the row on screen is the one being heard.
 * Seeking (files) hands the work over between the three threads: the source holds (silence,
 * no ring touched), the DSP thread stops, the rings and the clock are emptied, the DSP thread
 * starts again and the source goes on from the new frame; row and stream indices start at 0.
 *
 * Threads: every function here is for the owner thread (main). The stream owns the source,
 * both rings and the DSP thread.
 */
#include <stdint.h>

#include "analysis.h"
#include "dsp.h"
#include "error.h"
#include "ring.h"
#include "source.h"
#include "streamclock.h"

typedef struct {
    hark_source *source;    /* owned by the stream from create on, even when create fails;
                               the DSP thread reads its sample ring (source.h) */
    hark_analysis analysis; /* fft, hop, window, scale, height: what the DSP thread computes */
    unsigned row_ring;      /* rows the row ring holds (they wait there until due) */
    int pcen_rows;          /* rows carry their bins' PCEN values too (a window, or --pcen):
                             * twice the ring */
    /* Called on the DSP thread when it wrote rows (may be NULL): wakes the owner. */
    void (*on_rows)(void *ctx);
    void *on_rows_ctx;
} hark_stream_config;

typedef struct hark_stream hark_stream;

/* A row handed to the owner: every lane's (source.h: info.lanes), in their order. */
typedef struct {
    const float *db;        /* lane 0's rows() values (the linear bins in dBFS), valid until
                             * hark_stream_release; lane k's are at db + k * stride */
    const float *pcen;      /* lane 0's rows() values: the same bins' PCEN, likewise (NULL
                             * without pcen_rows) */
    unsigned lanes;
    size_t stride;          /* floats from a lane's values to the next lane's */
    uint64_t index;         /* since the last (re)start: frame `index` is centred on stream
                               sample index * hop */
    double time;            /* when its centre sample was (is) at the converter; the owner's
                               "now" when that is not known */
    double file_s;          /* a file: the position of its centre in the file, s; else -1 */
} hark_stream_row;

hark_err hark_stream_create(const hark_stream_config *cfg, hark_stream **out);
void hark_stream_destroy(hark_stream *s); /* NULL-safe: stops everything */

/* Start the source at file frame `from` (0 for a device). */
hark_err hark_stream_start(hark_stream *s, int64_t from);
/* Stop the source (the samples it gave stay in the ring). */
hark_err hark_stream_stop(hark_stream *s);
/* After stop: let the DSP thread turn what is left into rows. Naps a little and returns 1
 * while samples remain; take the rows between calls. */
int hark_stream_drain(hark_stream *s);

const hark_source_info *hark_stream_source(const hark_stream *s);
unsigned hark_stream_rows(const hark_stream *s); /* values of a lane's row */
/* Frames a row waits for after its own (--reassign; else 0): the last that many of a stream
 * that ends never come. */
unsigned hark_stream_delay(const hark_stream *s);
double hark_stream_now(const hark_stream *s);     /* the source's clock */

/* The source's sound for the meters (source.h, take_frames): up to max frames of
 * source()->channels interleaved floats. */
size_t hark_stream_take_frames(hark_stream *s, float *out, size_t max);

/* Take what the source published (stamps, segments) into the clock. Call once a pass. */
void hark_stream_poll(hark_stream *s);

/* The next row if it is due at `now` (1), else 0, with *wait_ms how long until it is (-1: not
 * known yet). The row stays in the ring until released. */
int hark_stream_next(hark_stream *s, double now, hark_stream_row *row, int *wait_ms);
void hark_stream_release(hark_stream *s);

/* When stream sample n was (is) at the converter: 1, or 0 when not known. */
int hark_stream_sample_time(const hark_stream *s, uint64_t n, double *t);
/* A file: the position heard at `now`, s (the last known when nothing plays). */
double hark_stream_heard(hark_stream *s, double now);
/* A file without --loop: everything has been heard and every row it makes taken. Rows that
 * never come (a DSP thread that fell behind) are given up two seconds after the sound. */
int hark_stream_finished(hark_stream *s, double now);

/* A file: go on from `seconds` (clamped to the file). HARK_ERR_READ when the input cannot
 * seek (the caller notes it), or the source's failure to stop (its device is gone). */
hark_err hark_stream_seek(hark_stream *s, double seconds);
/* A file: pause and resume the sound (rows wait in the ring meanwhile). */
void hark_stream_pause(hark_stream *s, int paused);
/* A source that plays: at `speed` times the file's, the pitch following (source.h). */
void hark_stream_set_speed(hark_stream *s, double speed);
/* --loop: the part of the file played over, from and to in seconds: the source loops it, and
 * positions wrap into it. */
void hark_stream_set_loop(hark_stream *s, double from, double to);

void hark_stream_status(const hark_stream *s, hark_source_status *out);
/* A failure on the source's thread (a read error): HARK_OK, or the error, recorded. */
hark_err hark_stream_failure(const hark_stream *s);
uint64_t hark_stream_rows_dropped(const hark_stream *s); /* by the DSP thread: no room */

/* Test hook: pause the DSP thread (the sample ring fills, the source drops and counts). */
void hark_stream_stall_for_test(hark_stream *s, int stalled);

#endif
