#ifndef HARK_ZLINES_H
#define HARK_ZLINES_H
/*
 * The zlib stream of a PNG's image data, compressed by several threads at once.
 * PNG lines are each a filter byte (0: none) and the line's bytes. The image is cut into bands
 * of lines; each thread deflates whole bands (zlib, raw deflate, ending on a byte boundary with
 * Z_SYNC_FLUSH), and the pieces, concatenated in order between a zlib header and the combined
 * Adler-32, form one valid zlib stream: the technique of pigz. A band is deflated by zlib, or
 * (huffman) by huffblock.h's blocks, literals coded by their own frequencies and runs as
 * matches: for the noise-like spectrogram image, within 0.5 % of the size, six times faster.
 * While the threads compress a round of bands, the calling thread hands the round before to
 * the sink, in order. Memory: a band of at most 16 MiB (or one line, if a line is longer) and
 * two compressed bands per thread. Thread: any; each call is self-contained.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Fill lines [first, first + count) of the image: line j's bytes go to dst + j * stride
 * (line_bytes of them; the filter byte before each is the compressor's). Called from several
 * threads at once, for different lines. */
typedef void (*hark_zlines_fill)(void *ctx, unsigned first, unsigned count, uint8_t *dst,
                                 size_t stride);

/* Receive the next piece of the zlib stream, in order, on the calling thread. Non-zero stops
 * the job (the sink sets the error first). */
typedef hark_err (*hark_zlines_sink)(void *ctx, const uint8_t *data, size_t len);

typedef struct {
    unsigned lines;       /* image height */
    size_t line_bytes;    /* bytes per line, without the filter byte */
    int huffman;          /* 1: huffblock.h's blocks; 0: zlib with ... */
    int level, strategy;  /* ... this level and strategy */
    hark_zlines_fill fill;
    hark_zlines_sink sink;
    void *ctx;            /* for both callbacks */
    const atomic_int *stop; /* NULL, or non-zero to stop between bands: HARK_ERR_INTERRUPTED */
} hark_zlines_job;

hark_err hark_zlines_compress(const hark_zlines_job *job);

#endif
