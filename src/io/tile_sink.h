#ifndef HARK_TILE_SINK_H
#define HARK_TILE_SINK_H
/*
 * The image sinks (sink.h): rows quantised to the colour map's palette indices (the range of
 * the params), kept as a tile (tile.h), and written as an 8-bit palette PNG of exactly frames x
 * rows pixels, 0 Hz at the bottom, or as the labelled image (image.h: axes, a colour bar and a
 * title around the same pixels). Each PNG carries "Software", the parameters as "hark" (JSON:
 * params_json.h), and for the labelled image "hark-data-area".
 *
 * One image: sized from the length when begin knows it (then frames may come from several
 * threads, HARK_SINK_PARALLEL), else grown as frames come; at most 4 GiB of pixels.
 * Tiles (tile_seconds > 0): "out.png" becomes out-0001.png, out-0002.png, ... (numbers of
 * 4 digits, more when the length says there will be more than 9999 tiles, 6 when it is not
 * known: names sort in order); tile k holds frames [round(k S rate / hop),
 * round((k+1) S rate / hop)), so tiles start on whole multiples of S seconds; one tile is held
 * in memory. Frames after a gap (a paused recording) start a new tile at once. Render's tiles
 * appear together at commit, as a set: tiles of an earlier set beyond the new one's last are
 * removed with it, and an abort (even after commit) leaves the earlier set as it was.
 * Recording strips (a writer): each tile goes to the writer thread as soon as it is full and
 * appears when written; its parameters add its number, its start time and the samples lost.
 */
#include <stdatomic.h>

#include "sink.h"
#include "writer.h"

typedef struct {
    const char *path;        /* the image, or the name the tiles are numbered after */
    double tile_seconds;     /* > 0: tiles of this many seconds; 0: one image */
    int labels;              /* the labelled image */
    int zlib;                /* deflate with zlib (--png-deflate zlib), not huffblock.h */
    hark_writer *strips;     /* recording strips: tiles go to this writer thread */
    const atomic_int *stop;  /* NULL, or non-zero to abandon the work (HARK_ERR_INTERRUPTED) */
} hark_tile_sink_config;

/* A new sink (NULL: out of memory). The strings are copied. */
hark_sink *hark_tile_sink_create(const hark_tile_sink_config *cfg);

/* Strips: hand over the partial tile now (the recording pauses). */
hark_err hark_tile_sink_flush(hark_sink *s);
/* Strips: when frame 0 was centred, in seconds since the epoch (default: when begin ran);
 * each strip's start_utc follows from it. */
void hark_tile_sink_set_start(hark_sink *s, double epoch_s);
/* Strips: samples lost upstream so far (a capture ring that overflowed): each strip says how
 * many were lost before its first frame and by its last. */
void hark_tile_sink_set_dropped(hark_sink *s, uint64_t samples);
/* Images or tiles written so far. */
unsigned hark_tile_sink_count(const hark_sink *s);
/* The name of its tile n (from 1), after begin. malloc'd, NULL: out of memory. */
char *hark_tile_sink_path(const hark_sink *s, unsigned n);

/* The name of tile n (from 1) of path with numbers of `digits` digits: "out.png" ->
 * "out-0003.png". malloc'd, NULL: out of memory. */
char *hark_tile_path(const char *path, unsigned n, unsigned digits);

#endif
