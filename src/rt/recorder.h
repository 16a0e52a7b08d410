#ifndef HARK_RECORDER_H
#define HARK_RECORDER_H
/*
 * --record: the full-resolution waterfall (one column per frame, one row per bin, as `render`
 * writes) cut into strips of strip_seconds, gap-free and in order: strip k holds frames
 * [round(k S rate / hop), round((k+1) S rate / hop)), so the strips side by side are the
 * session's spectrogram. Each strip goes to the writer thread when full (the main thread never
 * waits on the disk), named DIR/hark-<session start, UTC, ms>-0001.png ..., with its start time
 * (UTC, ISO 8601) and every parameter in its "hark" text chunk. Finish writes the last,
 * partial strip.
 * Thread: main (the writer thread encodes).
 */
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "scale.h"
#include "snapshot.h"

typedef struct {
    const char *dir;
    double strip_seconds;
    double rate_hz;
    unsigned fft_size, hop, rows;
    const char *window;        /* names, for the parameters */
    hark_scale_kind scale;
    float min_db, max_db;
    hark_colormap_kind colormap;
    const char *device;        /* or the file played */
    const char *source;        /* "live" or "play" (NULL: "live") */
    hark_snapshots *writer;
} hark_recorder_config;

typedef struct hark_recorder hark_recorder;

/* Makes dir if needed; the session starts now (its UTC time names the strips). */
hark_err hark_recorder_create(const hark_recorder_config *cfg, hark_recorder **out);
hark_err hark_recorder_push(hark_recorder *r, const float *row_db);
/* When frame 0 was centred, as seconds since the epoch, if the caller knows better than the
 * creation time (live: the ADC time of the first sample, which a sound server may have held
 * for a while). The strips' start_utc follow it; their names keep the creation time. */
void hark_recorder_set_start(hark_recorder *r, double epoch_s);
/* Samples lost before the rows (a capture ring that overflowed) so far: each strip's
 * "samples_dropped": [before its first frame, by its last] says how far its frames' times are
 * off (0 and 0 when nothing was lost). */
void hark_recorder_set_dropped(hark_recorder *r, uint64_t samples);

/* Stop or resume keeping rows. Stopping hands over the partial strip; while stopped, rows
 * pushed are counted (strips' first_frame stays the session's frame) but not kept. */
void hark_recorder_set_paused(hark_recorder *r, int paused);
int hark_recorder_paused(const hark_recorder *r);

/* Hand over the partial strip, if any, and free. NULL-safe. */
void hark_recorder_finish(hark_recorder *r);

#endif
