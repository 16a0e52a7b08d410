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

/* A compressed band, kept until the calling thread has handed it to the sink. */
typedef struct {
    uint8_t *out;
    size_t out_len;
    uLong adler;
    unsigned count; /* lines */
    hark_err err;
} band;

/* A compressing thread's state. Its two bands alternate: while the calling thread sinks one
 * round's, the threads compress the next round's into the other. */
typedef struct {
    const hark_zlines_job *job;
    z_stream z;
    int z_ready;
    uint8_t *in;
    size_t in_cap, out_cap;
    band done[2];
    band *now;             /* this round's: one of done[] */
    unsigned first;        /* this round's first line */
    int last;              /* the band that ends the image */
    pthread_t thread;
    int threaded;          /* now runs in thread: join it */
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
    s->done[0].out = malloc(s->out_cap);
    s->done[1].out = malloc(s->out_cap);
    if (!s->in || !s->done[0].out || !s->done[1].out)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for image compression");
    return HARK_OK;
}

static void slot_free(slot *s)
{
    if (s->z_ready)
        deflateEnd(&s->z);
    free(s->in);
    free(s->done[0].out);
    free(s->done[1].out);
}

/* Fill and deflate one band, all in one call (the output buffer is large enough). */
static void *slot_run(void *arg)
{
    slot *s = arg;
    const hark_zlines_job *job = s->job;
    band *b = s->now;
    size_t stride = job->line_bytes + 1;
    for (unsigned j = 0; j < b->count; j++)
        s->in[j * stride] = 0; /* filter: none */
    job->fill(job->ctx, s->first, b->count, s->in + 1, stride);
    size_t in_len = stride * b->count;
    b->adler = adler32(1L, s->in, (uInt)in_len);
    if (job->huffman) {
        b->out_len = hark_huffblock_encode(s->in, in_len, s->last, b->out);
        b->err = HARK_OK;
        return NULL;
    }
    deflateReset(&s->z);
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)in_len;
    s->z.next_out = b->out;
    s->z.avail_out = (uInt)s->out_cap;
    int rc = deflate(&s->z, s->last ? Z_FINISH : Z_SYNC_FLUSH);
    int done = s->last ? rc == Z_STREAM_END : rc == Z_OK && s->z.avail_out > 0;
    b->err = done && s->z.avail_in == 0 ? HARK_OK : HARK_ERR_NOMEM; /* recorded by the caller */
    b->out_len = s->out_cap - s->z.avail_out;
    return NULL;
}

static unsigned thread_count(const hark_zlines_job *job, unsigned band_lines)
{
    unsigned bands = (job->lines + band_lines - 1) / band_lines;
    unsigned n = hark_cpu_count();
    n = n > MAX_THREADS ? MAX_THREADS : n;
    return n < bands ? n : bands;
}

/* The bands of one round, up to nslots consecutive ones from line `first`, into done[parity]. */
typedef struct {
    unsigned n;      /* slots used */
    unsigned parity;
} round_info;

/* Compress a round, each band on its own thread (or here, if none can start); with
 * here_first, the first band here, after the others have started, and back when it is done.
 * Returns the next round's first line. */
static unsigned round_start(slot *slots, unsigned nslots, unsigned first, unsigned band_lines,
                            int here_first, round_info *r)
{
    const hark_zlines_job *job = slots[0].job;
    r->n = 0;
    for (; r->n < nslots && first < job->lines; r->n++) {
        slot *s = &slots[r->n];
        s->now = &s->done[r->parity];
        s->first = first;
        s->now->count = job->lines - first < band_lines ? job->lines - first : band_lines;
        first += s->now->count;
        s->last = first == job->lines;
        s->now->err = HARK_OK;
        s->threaded = !(here_first && r->n == 0) &&
                      pthread_create(&s->thread, NULL, slot_run, s) == 0;
        if (!s->threaded && !(here_first && r->n == 0))
            slot_run(s);
    }
    if (here_first && r->n > 0)
        slot_run(&slots[0]);
    return first;
}

static void round_join(slot *slots, const round_info *r)
{
    for (unsigned i = 0; i < r->n; i++)
        if (slots[i].threaded)
            pthread_join(slots[i].thread, NULL);
}

/* Hand a joined round's bands to the sink in order, and fold in their Adler-32s. */
static void round_sink(slot *slots, const round_info *r, uLong *adler, hark_err *err)
{
    const hark_zlines_job *job = slots[0].job;
    for (unsigned i = 0; i < r->n && !*err; i++) {
        const band *b = &slots[i].done[r->parity];
        if (b->err)
            *err = hark_error_set(HARK_ERR_NOMEM, "zlib: image compression failed");
        else
            *err = job->sink(job->ctx, b->out, b->out_len);
        *adler = adler32_combine(*adler, b->adler, (z_off_t)(b->count * (job->line_bytes + 1)));
    }
}

/* Rounds in a pipeline: while the threads compress one, this thread sinks the one before
 * (the checksums and writes overlap the compression). With nothing to sink, this thread
 * compresses a band itself: a one-band image starts no thread. */
static hark_err compress_rounds(slot *slots, unsigned nslots, unsigned band_lines, uLong *adler)
{
    const hark_zlines_job *job = slots[0].job;
    hark_err err = HARK_OK;
    round_info done = {0}, now = {0};
    unsigned line = 0;
    int pending = 0; /* done holds a joined round not yet sunk */
    while (!err && line < job->lines) {
        if (job->stop && atomic_load_explicit(job->stop, memory_order_relaxed)) {
            err = hark_fail(HARK_ERR_INTERRUPTED);
            break;
        }
        now.parity = pending ? !done.parity : 0;
        line = round_start(slots, nslots, line, band_lines, !pending, &now);
        if (pending)
            round_sink(slots, &done, adler, &err);
        round_join(slots, &now);
        done = now;
        pending = 1;
    }
    if (!err && pending)
        round_sink(slots, &done, adler, &err);
    return err;
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
    if (!err)
        err = compress_rounds(slots, nslots, band_lines, &adler);
    if (!err) {
        uint8_t trailer[4] = {(uint8_t)(adler >> 24), (uint8_t)(adler >> 16), (uint8_t)(adler >> 8),
                              (uint8_t)adler};
        err = job->sink(job->ctx, trailer, sizeof trailer);
    }
    for (unsigned i = 0; i < nslots; i++)
        slot_free(&slots[i]);
    return err;
}
