/* The literal-only Huffman blocks inflate with zlib to the very bytes they were made of: random
 * bytes, one value, two values, a skewed distribution that needs the length limit, palette
 * images with runs of silence, sizes from 1 byte up, and streams of several blocks (the bands
 * of a PNG's image data). */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "huffblock.h"

/* A zlib stream of the buffer cut in `blocks` blocks; inflated, it must be the buffer. */
static int round_trip(const uint8_t *in, size_t n, unsigned blocks, size_t *packed)
{
    size_t cap = 2 + 4 + blocks * 16;
    for (unsigned b = 0; b < blocks; b++)
        cap += hark_huffblock_bound(n / blocks + n % blocks + 1);
    uint8_t *z = malloc(cap), *back = malloc(n + 1);
    size_t len = 0;
    z[len++] = 0x78;
    z[len++] = 0x01;
    size_t at = 0;
    for (unsigned b = 0; b < blocks; b++) {
        size_t part = b + 1 < blocks ? n / blocks : n - at;
        len += hark_huffblock_encode(in + at, part, b + 1 == blocks, z + len);
        at += part;
    }
    uLong adler = adler32(adler32(0L, Z_NULL, 0), in, (uInt)n);
    z[len++] = (uint8_t)(adler >> 24);
    z[len++] = (uint8_t)(adler >> 16);
    z[len++] = (uint8_t)(adler >> 8);
    z[len++] = (uint8_t)adler;
    uLongf got = n + 1;
    int rc = uncompress(back, &got, z, len);
    int ok = rc == Z_OK && got == n && memcmp(back, in, n) == 0;
    *packed = len;
    free(z);
    free(back);
    return ok;
}

int main(void)
{
    enum { N = 1 << 20 };
    uint8_t *buf = malloc(N);
    size_t packed;
    /* Random bytes: every symbol, about 8 bits each. */
    for (size_t i = 0; i < N; i++)
        buf[i] = (uint8_t)check_random();
    CHECK(round_trip(buf, N, 1, &packed), "random bytes");
    CHECK(packed < N + N / 50, "random bytes cost about 8 bits: %zu of %d", packed, N);
    CHECK(round_trip(buf, N, 7, &packed), "random bytes in 7 blocks");
    for (size_t n = 1; n < 300; n += 7)
        CHECK(round_trip(buf, n, n > 3 ? 3 : 1, &packed), "%zu random bytes", n);
    /* One value (silence), two values. */
    memset(buf, 0, N);
    CHECK(round_trip(buf, N, 1, &packed), "one value");
    CHECK(packed < N / 7, "one value costs one bit: %zu", packed);
    for (size_t i = 0; i < N; i++)
        buf[i] = (uint8_t)(check_random() & 1 ? 200 : 3);
    CHECK(round_trip(buf, N, 2, &packed), "two values");
    /* Skewed counts, halving down the symbols: the code must be held to 15 bits. */
    size_t at = 0;
    for (unsigned s = 0; s < 256 && at < N; s++)
        for (size_t k = 0; k < ((size_t)N >> (s < 20 ? s + 1 : 20)) + 1 && at < N; k++)
            buf[at++] = (uint8_t)s;
    CHECK(round_trip(buf, at, 1, &packed), "skewed counts (%zu bytes)", at);
    /* A palette image: noise-like levels with runs of the floor, a filter byte per line. */
    for (size_t i = 0; i < N; i++)
        buf[i] = i % 1025 == 0 ? 0 : (i / 4096) % 5 == 0 ? 0 : (uint8_t)(80 + check_random() % 60);
    CHECK(round_trip(buf, N, 4, &packed), "a palette image in 4 bands");
    /* Every band size near the small end, over the same bytes. */
    for (unsigned blocks = 1; blocks <= 9; blocks++)
        CHECK(round_trip(buf, 4096 + blocks, blocks, &packed), "%u blocks", blocks);
    free(buf);
    return check_finish("test_huffblock");
}
