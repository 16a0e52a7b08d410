#ifndef HARK_WRITER_H
#define HARK_WRITER_H
/*
 * The writer thread, for the live side's images: the main thread hands over a finished image
 * and goes on; the writer encodes it to PNG (temporary name, then rename) and reports each
 * file written through a callback (on the writer thread). Two kinds: palette tiles at a path
 * the caller chose (recording strips: tile_sink.h), and RGB frames of the window named by the
 * time they were taken, "DIR/hark-2026-11-24T12-59-59.123Z.png" (snapshots). Every file gets
 * the "Software" and "Creation Time" text chunks and the parameters JSON as "hark".
 * Submitting takes a mutex for a pointer swap, never waits on the disk.
 * Threads: start, submit and stop: one owner thread. The writer thread: its own.
 */
#include <stdint.h>

#include "colormap.h"
#include "error.h"

typedef struct hark_writer hark_writer;

/* Called on the writer thread after each file is written whole. */
typedef void (*hark_written_fn)(const char *path, unsigned width, unsigned height, void *ctx);

/* dir: where snapshots go (NULL: the current folder), said now if it cannot take files;
 * on_written may be NULL. */
hark_err hark_writer_start(const char *dir, hark_written_fn on_written, void *ctx,
                           hark_writer **out);
/* A frame of the window (top line first, RGB8; ownership passes to the writer) with its
 * parameters JSON. Out of memory drops the frame and is reported by stop. */
void hark_writer_snapshot(hark_writer *w, uint8_t *rgb, unsigned width, unsigned height,
                          const char *params_json);
/* A palette tile (tile.h: frame-major indices; ownership passes to the writer) to path. */
void hark_writer_tile(hark_writer *w, const char *path, uint8_t *index, unsigned frames,
                      unsigned rows, const hark_rgb *palette, const char *params_json);

/* Write what is queued, stop the thread, free. Returns the first failure, recorded in the
 * caller's error record with the file as its subject. NULL-safe. */
hark_err hark_writer_stop(hark_writer *w);

#endif
