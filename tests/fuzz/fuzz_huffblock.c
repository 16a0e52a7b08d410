/* libFuzzer: any bytes, cut into any number of blocks, through the Huffman block coder
 * (huffblock.h) and back through zlib's inflate: the stream must inflate to exactly the bytes
 * it was made of, within hark_huffblock_bound. The first byte chooses the cut (1 to 8 blocks)
 * and whether the rest is taken as it is or as (value, run length) pairs, so long runs of one
 * byte (silence, an image's margins) are as easy to reach as noise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "huffblock.h"

#define MAX_BYTES (1u << 20)

/* (value, length) pairs: length + 1 copies of value. */
static size_t expand_runs(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t len = 0;
    for (size_t i = 0; i + 1 < n && len < MAX_BYTES; i += 2)
        for (unsigned k = 0; k <= in[i + 1] && len < MAX_BYTES; k++)
            out[len++] = in[i];
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned blocks = (data[0] & 7u) + 1;
    int runs = data[0] & 8;
    static uint8_t plain[MAX_BYTES], back[MAX_BYTES];
    size_t n = runs ? expand_runs(data + 1, size - 1, plain)
                    : (size - 1 < MAX_BYTES ? size - 1 : MAX_BYTES);
    if (!runs)
        memcpy(plain, data + 1, n);
    if (n < blocks)
        return 0;
    size_t cap = 2 + 4 + 8;
    for (unsigned b = 0; b < blocks; b++)
        cap += hark_huffblock_bound(n / blocks + n % blocks);
    uint8_t *z = malloc(cap);
    size_t len = 0, at = 0;
    z[len++] = 0x78;
    z[len++] = 0x01;
    for (unsigned b = 0; b < blocks; b++) {
        size_t part = b + 1 < blocks ? n / blocks : n - at;
        size_t wrote = hark_huffblock_encode(plain + at, part, b + 1 == blocks, z + len);
        if (wrote > hark_huffblock_bound(part))
            abort(); /* beyond the promised bound */
        len += wrote;
        at += part;
    }
    uLong adler = adler32(adler32(0L, Z_NULL, 0), plain, (uInt)n);
    for (int shift = 24; shift >= 0; shift -= 8)
        z[len++] = (uint8_t)(adler >> shift);
    uLongf got = sizeof back;
    int rc = uncompress(back, &got, z, len);
    if (rc != Z_OK || got != n || memcmp(back, plain, n) != 0)
        abort(); /* zlib does not read back what was coded */
    free(z);
    return 0;
}
