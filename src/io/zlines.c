#include "zlines.h"

#include <pthread.h>
#include <stdlib.h>
#include <zlib.h>

#include "huffblock.h"
#include "machine.h"

#define MAX_THREADS 8u
/* A band is whole lines, at least this many bytes (so thread start-up is noise) and this many
 * lines (so a fill that transposes reads whole cache lines). */
#define BAND_MIN_BYTES (512u * 1024u)
#define BAND_MIN_LINES 64u
/* ... and at most this many bytes, unless one line is longer (memory stays bounded). */
#define BAND_MAX_BYTES ((size_t)16 << 20)
/* zlib counts in uInt: a band must fit. */
#define LINE_MAX_BYTES ((size_t)1 << 30)

typedef struct {
    const hark_zlines_job *job;
    z_stream z;
    int z_ready;
    uint8_t *in, *out;
    size_t in_cap, out_cap;
    unsigned first, count; /* this round's band */
    int last;              /* the band that ends the image */
    size_t out_len;
    uLong adler;
    hark_err err;
    pthread_t thread;
} slot;

static hark_err slot_init(slot *s, const hark_zlines_job *job, unsigned band_lines)
{
    s->job = job;
    size_t stride = job->line_bytes + 1;
    s->in_cap = stride * band_lines;
    if (job->huffman) {
        s->out_cap = hark_huffblock_bound(s->in_cap);
    } else {
        if (deflateInit2(&s->z, job->level, Z_DEFLATED, -15, 8, job->strategy) != Z_OK)
            return hark_error_set(HARK_ERR_NOMEM, "zlib: cannot start a compressor");
        s->z_ready = 1;
        s->out_cap = deflateBound(&s->z, s->in_cap) + 64; /* + the sync flush's empty block */
    }
    s->in = malloc(s->in_cap);
    s->out = malloc(s->out_cap);
    if (!s->in || !s->out)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for image compression");
    return HARK_OK;
}

static void slot_free(slot *s)
{
    if (s->z_ready)
        deflateEnd(&s->z);
    free(s->in);
    free(s->out);
}

/* Fill and deflate one band, all in one call (the output buffer is large enough). */
static void *slot_run(void *arg)
{
    slot *s = arg;
    const hark_zlines_job *job = s->job;
    size_t stride = job->line_bytes + 1;
    for (unsigned j = 0; j < s->count; j++)
        s->in[j * stride] = 0; /* filter: none */
    job->fill(job->ctx, s->first, s->count, s->in + 1, stride);
    size_t in_len = stride * s->count;
    s->adler = adler32(1L, s->in, (uInt)in_len);
    if (job->huffman) {
        s->out_len = hark_huffblock_encode(s->in, in_len, s->last, s->out);
        s->err = HARK_OK;
        return NULL;
    }
    deflateReset(&s->z);
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)in_len;
    s->z.next_out = s->out;
    s->z.avail_out = (uInt)s->out_cap;
    int rc = deflate(&s->z, s->last ? Z_FINISH : Z_SYNC_FLUSH);
    int done = s->last ? rc == Z_STREAM_END : rc == Z_OK && s->z.avail_out > 0;
    s->err = done && s->z.avail_in == 0 ? HARK_OK : HARK_ERR_NOMEM; /* recorded by the caller */
    s->out_len = s->out_cap - s->z.avail_out;
    return NULL;
}

static unsigned thread_count(const hark_zlines_job *job, unsigned band_lines)
{
    unsigned bands = (job->lines + band_lines - 1) / band_lines;
    unsigned n = hark_cpu_count();
    n = n > MAX_THREADS ? MAX_THREADS : n;
    return n < bands ? n : bands;
}

/* One round: up to nslots consecutive bands from line `first`, compressed at once, then handed
 * to the sink in order. Returns the next line, or 0 with *err set. */
static unsigned run_round(slot *slots, unsigned nslots, unsigned first, unsigned band_lines,
                          uLong *adler, hark_err *err)
{
    const hark_zlines_job *job = slots[0].job;
    unsigned n = 0;
    for (; n < nslots && first < job->lines; n++) {
        slot *s = &slots[n];
        s->first = first;
        s->count = job->lines - first < band_lines ? job->lines - first : band_lines;
        first += s->count;
        s->last = first == job->lines;
        s->err = HARK_OK;
    }
    unsigned started = 1;
    for (unsigned i = 1; i < n; i++, started++)
        if (pthread_create(&slots[i].thread, NULL, slot_run, &slots[i]) != 0)
            break;
    for (unsigned i = started; i < n; i++) /* no thread: do it here */
        slot_run(&slots[i]);
    slot_run(&slots[0]);
    for (unsigned i = 1; i < started; i++)
        pthread_join(slots[i].thread, NULL);
    for (unsigned i = 0; i < n && !*err; i++) {
        if (slots[i].err)
            *err = hark_error_set(HARK_ERR_NOMEM, "zlib: image compression failed");
        else
            *err = job->sink(job->ctx, slots[i].out, slots[i].out_len);
        *adler = adler32_combine(*adler, slots[i].adler, (z_off_t)(slots[i].count *
                                                                    (job->line_bytes + 1)));
    }
    return first;
}

hark_err hark_zlines_compress(const hark_zlines_job *job)
{
    size_t stride = job->line_bytes + 1;
    if (stride > LINE_MAX_BYTES)
        return hark_error_set(HARK_ERR_TOO_LARGE, "image lines of %zu bytes are too long", stride);
    size_t want = (BAND_MIN_BYTES + stride - 1) / stride;
    want = want < BAND_MIN_LINES ? BAND_MIN_LINES : want;
    if (want * stride > BAND_MAX_BYTES)
        want = BAND_MAX_BYTES / stride > 0 ? BAND_MAX_BYTES / stride : 1;
    unsigned band_lines = want > job->lines ? job->lines : (unsigned)want;
    unsigned nslots = thread_count(job, band_lines);
    slot slots[MAX_THREADS] = {0};
    hark_err err = HARK_OK;
    for (unsigned i = 0; i < nslots && !err; i++)
        err = slot_init(&slots[i], job, band_lines);
    /* zlib header: deflate, 32 KiB window, no dictionary; level bits 0 ("fastest"). */
    static const uint8_t header[2] = {0x78, 0x01};
    if (!err)
        err = job->sink(job->ctx, header, sizeof header);
    uLong adler = adler32(0L, Z_NULL, 0);
    for (unsigned line = 0; !err && line < job->lines;) {
        if (job->stop && atomic_load_explicit(job->stop, memory_order_relaxed))
            err = hark_fail(HARK_ERR_INTERRUPTED);
        else
            line = run_round(slots, nslots, line, band_lines, &adler, &err);
    }
    if (!err) {
        uint8_t trailer[4] = {(uint8_t)(adler >> 24), (uint8_t)(adler >> 16), (uint8_t)(adler >> 8),
                              (uint8_t)adler};
        err = job->sink(job->ctx, trailer, sizeof trailer);
    }
    for (unsigned i = 0; i < nslots; i++)
        slot_free(&slots[i]);
    return err;
}
