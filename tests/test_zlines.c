/* The parallel PNG data compressor: whatever the size and band count, the pieces form one zlib
 * stream (checked by zlib's own inflate, Adler-32 included) holding each line behind a 0 byte. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "zlines.h"

typedef struct {
    size_t line_bytes;
    uint8_t *stream;
    size_t len, cap;
    int pieces;
} collector;

static uint8_t pixel(unsigned line, size_t x)
{
    return (uint8_t)(x % 7 == 0 ? 0 : (line * 31u + x * (line % 5 + 1)) >> 3);
}

static void fill(void *ctx, unsigned first, unsigned count, uint8_t *dst, size_t stride)
{
    const collector *c = ctx;
    for (unsigned j = 0; j < count; j++)
        for (size_t x = 0; x < c->line_bytes; x++)
            dst[j * stride + x] = pixel(first + j, x);
}

static hark_err sink(void *ctx, const uint8_t *data, size_t len)
{
    collector *c = ctx;
    if (c->len + len > c->cap) {
        c->cap = (c->len + len) * 2;
        c->stream = realloc(c->stream, c->cap);
    }
    memcpy(c->stream + c->len, data, len);
    c->len += len;
    c->pieces++;
    return HARK_OK;
}

static void check_image(unsigned lines, size_t line_bytes, int huffman, int strategy)
{
    collector c = {line_bytes, NULL, 0, 0, 0};
    hark_zlines_job job = {lines, line_bytes, huffman, 1, strategy, fill, sink, &c, NULL};
    CHECK(hark_zlines_compress(&job) == HARK_OK, "%u x %zu compresses", lines, line_bytes);
    size_t stride = line_bytes + 1;
    uLongf raw_len = (uLongf)(stride * lines);
    uint8_t *raw = malloc(raw_len + 1);
    int rc = uncompress(raw, &raw_len, c.stream, (uLong)c.len);
    CHECK(rc == Z_OK, "%u x %zu: zlib reads the stream back (rc %d, %d pieces)", lines, line_bytes,
          rc, c.pieces);
    CHECK(raw_len == stride * lines, "%u x %zu: every byte", lines, line_bytes);
    size_t wrong = 0;
    for (unsigned y = 0; rc == Z_OK && y < lines; y++) {
        wrong += raw[y * stride] != 0;
        for (size_t x = 0; x < line_bytes; x++)
            wrong += raw[y * stride + 1 + x] != pixel(y, x);
    }
    CHECK(wrong == 0, "%u x %zu: lines intact (%zu wrong)", lines, line_bytes, wrong);
    free(raw);
    free(c.stream);
}

/* A set stop flag ends the job between bands, before the sink has seen the whole stream. */
static void test_stop(void)
{
    atomic_int stop;
    atomic_init(&stop, 1);
    collector c = {20000, NULL, 0, 0, 0};
    hark_zlines_job job = {513, 20000, 0, 1, Z_RLE, fill, sink, &c, &stop};
    CHECK(hark_zlines_compress(&job) == HARK_ERR_INTERRUPTED, "stopped");
    CHECK(c.pieces <= 1, "nothing but the header was written (%d pieces)", c.pieces);
    free(c.stream);
}

int main(void)
{
    test_stop();
    for (int huffman = 0; huffman <= 1; huffman++) {
        check_image(1, 1, huffman, Z_RLE);          /* one band of one line */
        check_image(2, 513, huffman, Z_RLE);
        check_image(513, 20000, huffman, Z_RLE);    /* several bands and rounds, a short last band */
        check_image(1000, 3000, huffman, Z_DEFAULT_STRATEGY);
        check_image(65, 72352, huffman, Z_RLE);     /* a long recording's width */
    }
    return check_finish("test_zlines");
}
