#ifndef HARK_SNAPSHOT_H
#define HARK_SNAPSHOT_H
/*
 * The writer thread for snapshots and recording strips: the main thread hands over a finished
 * image and goes on; the writer encodes it to PNG (temporary name, then rename) and reports
 * each file written through a callback (on the writer thread). Snapshots are RGB frames named by the time they were taken, in the
 * folder; strips are palette images (frames x rows, as `render` writes) at a path the caller
 * chose. Submitting takes a mutex for a pointer swap, never waits on the disk.
 * Threads: start, submit and stop: main. The writer thread: its own.
 */
#include <stdint.h>

#include "colormap.h"
#include "error.h"

typedef struct hark_snapshots hark_snapshots;

/* Called on the writer thread after each file is written whole. */
typedef void (*hark_written_fn)(const char *path, unsigned width, unsigned height, void *ctx);

/* dir: where snapshots go ("." for the current folder); on_written may be NULL. */
hark_err hark_snapshots_start(const char *dir, hark_written_fn on_written, void *ctx,
                              hark_snapshots **out);
/* Queue a frame (top line first, RGB8; ownership passes to the writer) with the parameters
 * JSON for its text chunk. */
void hark_snapshots_submit(hark_snapshots *s, uint8_t *rgb, unsigned width, unsigned height,
                           const char *params_json);
/* Queue a recording strip: index is frame-major palette indices (tile.h; ownership passes to
 * the writer), written with palette to path. */
void hark_snapshots_submit_strip(hark_snapshots *s, uint8_t *index, unsigned frames,
                                 unsigned rows, const hark_rgb *palette, const char *path,
                                 const char *params_json);

/* Write what is queued, stop the thread, free. Returns the first write error, if any (its
 * subject in *bad_path, valid until the next call). NULL-safe. */
hark_err hark_snapshots_stop(hark_snapshots *s, const char **bad_path);

#endif
