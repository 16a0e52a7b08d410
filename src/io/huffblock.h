#ifndef HARK_HUFFBLOCK_H
#define HARK_HUFFBLOCK_H
/*
 * Deflate blocks (RFC 1951) of literals and runs: one dynamic Huffman block per 16 KiB of
 * input, each with its code fitted to its own counts (an image's statistics change line by
 * line); the only matches are runs of one byte (distance 1), taken where 8 bytes repeat the
 * byte before them. A spectrogram image is noise-like: zlib's matcher finds almost
 * nothing in it and cost 40 % of a render (README.md, "Speed"); coding each byte
 * by its frequency, and runs (silence, margins) as matches, comes within a few percent of
 * zlib's size at several times its speed.
 * No library offers it (zlib's Z_HUFFMAN_ONLY still runs its full block machinery: 7 % faster
 * than level 1; zlib-ng is not packaged in Debian 12). Every stream it makes inflates with
 * zlib to the same bytes (tests/test_huffblock.c; the fuzz target fuzz_huffblock).
 * Pure. Thread: any.
 */
#include <stddef.h>
#include <stdint.h>

/* The most bytes hark_huffblock_encode writes for n bytes in. */
size_t hark_huffblock_bound(size_t n);

/* Encode in[0..n) (n >= 1) as dynamic-Huffman blocks (runs refer only inside in[]) into out
 * (at least hark_huffblock_bound(n) bytes), ending on a byte boundary: with last, the final
 * block is the stream's last (BFINAL) and the bits are padded; else an empty stored block
 * follows (as zlib's Z_SYNC_FLUSH ends), so what comes next starts on a byte. Returns the
 * bytes written. */
size_t hark_huffblock_encode(const uint8_t *in, size_t n, int last, uint8_t *out);

#endif
