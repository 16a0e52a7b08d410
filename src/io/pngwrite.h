#ifndef HARK_PNGWRITE_H
#define HARK_PNGWRITE_H
/*
 * PNG writing with libpng into an outfile the caller opened (outfile.h): on success the file
 * is written and closed, still under its temporary name, for the caller to publish; on failure
 * it is removed (abort). No time chunk is written, so the same pixels and text give the same
 * bytes. Text values that are not plain ASCII go in iTXt chunks (UTF-8), the others in tEXt.
 * Thread: any; each call is self-contained.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "outfile.h"
#include "tile.h"

/* How the image data is deflated (zlines.h): literals coded by their frequencies (the
 * spectrogram's noise-like pixels: six times faster than zlib, the same size within a
 * percent), or zlib (run-length at level 1: what flat pictures, and --png-deflate zlib, want).
 * Either way the pixels are the same; the bytes of the file differ. */
typedef enum { HARK_PNG_HUFFMAN, HARK_PNG_ZLIB } hark_png_deflate;

typedef struct {
    const char *key;   /* ASCII keyword, 1-79 chars, e.g. "hark" */
    const char *value; /* UTF-8 */
} hark_png_text;

/* The spectrogram image of a tile: 8-bit palette PNG, tile->frames x tile->rows, 0 Hz at the
 * bottom. Widths over libpng's default limit of 1,000,000 are written (readers may refuse
 * them: --tile-seconds avoids that). */
hark_err hark_png_write_tile(hark_outfile *of, const hark_tile *tile, const hark_rgb *palette,
                             const hark_png_text *texts, unsigned ntexts, hark_png_deflate deflate,
                             const atomic_int *stop);

/* An RGB8 image, top line first. */
hark_err hark_png_write_rgb(hark_outfile *of, const uint8_t *rgb, unsigned width,
                            unsigned height, const hark_png_text *texts, unsigned ntexts,
                            hark_png_deflate deflate, const atomic_int *stop);

/* Both: stop is NULL, or a flag that abandons the write (HARK_ERR_INTERRUPTED, no file left)
 * when it becomes non-zero. */

#endif
