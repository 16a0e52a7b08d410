#include "instream.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes kept from the start of the stream, for format detection's seeks back. */
#define HEAD_MAX (1u << 20)
/* How long one wait for bytes may take before the stop flag is looked at again. */
#define WAIT_MS 100

struct hark_instream {
    int fd, nonblocking;
    const atomic_int *stop;
    int stopped, error;
    uint64_t pulled;   /* bytes read from fd */
    uint64_t pos;      /* libsndfile's position: <= pulled; below it only while all of
                          [0, pulled) is in the head */
    unsigned char *head;
    size_t head_len;   /* the first head_len bytes of the stream */
};

hark_instream *hark_instream_open(int fd, int nonblocking)
{
    hark_instream *s = calloc(1, sizeof *s);
    if (s && !(s->head = malloc(HEAD_MAX))) {
        free(s);
        s = NULL;
    }
    if (!s) {
        close(fd);
        return NULL;
    }
    s->fd = fd;
    s->nonblocking = nonblocking;
    return s;
}

void hark_instream_destroy(hark_instream *s)
{
    if (!s)
        return;
    close(s->fd);
    free(s->head);
    free(s);
}

void hark_instream_set_stop(hark_instream *s, const atomic_int *stop) { s->stop = stop; }
int hark_instream_stopped(const hark_instream *s) { return s->stopped; }
int hark_instream_error(const hark_instream *s) { return s->error; }
uint64_t hark_instream_bytes(const hark_instream *s) { return s->pulled; }

static int stop_asked(hark_instream *s)
{
    if (s->stop && atomic_load_explicit(s->stop, memory_order_relaxed))
        s->stopped = 1;
    return s->stopped;
}

/* Up to n bytes from fd: > 0, 0 at the end (or when stopped), -1 on an error. Waits in steps
 * of WAIT_MS, looking at the stop flag between them. */
static ssize_t pull(hark_instream *s, void *buf, size_t n)
{
    for (;;) {
        if (stop_asked(s))
            return 0;
        if (!s->nonblocking) { /* a descriptor we share (standard input): wait, then read */
            struct pollfd p = {s->fd, POLLIN, 0};
            int r = poll(&p, 1, WAIT_MS);
            if (r == 0 || (r < 0 && errno == EINTR))
                continue;
        }
        ssize_t got = read(s->fd, buf, n);
        if (got >= 0)
            return got;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            struct pollfd p = {s->fd, POLLIN, 0};
            poll(&p, 1, WAIT_MS);
        } else if (errno != EINTR) {
            s->error = errno;
            return -1;
        }
    }
}

/* Read from fd at the end of what was read, keeping the head. */
static sf_count_t read_more(hark_instream *s, unsigned char *dst, size_t n)
{
    ssize_t got = pull(s, dst, n);
    if (got <= 0)
        return 0;
    if (s->head_len == s->pulled && s->head_len < HEAD_MAX) {
        size_t keep = (size_t)got < HEAD_MAX - s->head_len ? (size_t)got : HEAD_MAX - s->head_len;
        memcpy(s->head + s->head_len, dst, keep);
        s->head_len += keep;
    }
    s->pulled += (uint64_t)got;
    s->pos += (uint64_t)got;
    return got;
}

static sf_count_t io_read(void *ptr, sf_count_t count, void *user)
{
    hark_instream *s = user;
    unsigned char *dst = ptr;
    sf_count_t done = 0;
    if (s->pos > s->pulled) /* past where the stream has been read: see io_seek */
        return 0;
    while (done < count) {
        if (s->pos < s->pulled) { /* from the head (a seek went back) */
            size_t n = s->head_len - (size_t)s->pos;
            n = (sf_count_t)n < count - done ? n : (size_t)(count - done);
            memcpy(dst + done, s->head + s->pos, n);
            s->pos += n;
            done += (sf_count_t)n;
            continue;
        }
        sf_count_t got = read_more(s, dst + done, (size_t)(count - done));
        if (got == 0)
            break;
        done += got;
    }
    return done;
}

static sf_count_t io_seek(sf_count_t offset, int whence, void *user)
{
    hark_instream *s = user;
    if (whence == SEEK_END)
        return -1; /* the end of a stream is not known */
    int64_t target = (whence == SEEK_CUR ? (int64_t)s->pos : 0) + offset;
    /* Back only while all that was read is kept, so reading on from there finds it all. */
    if (target < 0 || (target < (int64_t)s->pulled && s->pulled > s->head_len))
        return -1;
    if (target <= (int64_t)s->pulled) { /* in the head, or where reading goes on */
        s->pos = (uint64_t)target;
        return target;
    }
    uint64_t skip = (uint64_t)target - s->pulled;
    if (s->pulled > s->head_len || s->head_len + skip > HEAD_MAX) {
        /* Far ahead: libsndfile looking past a WAV's data for more chunks, as it does on a
         * file. A stream cannot come back from there, so reads there give the end, and it
         * seeks back to the data as it would on a file. */
        s->pos = (uint64_t)target;
        return target;
    }
    s->pos = s->pulled;
    unsigned char drop[4096];
    while (s->pos < (uint64_t)target) { /* a chunk skipped near the start: read, and kept */
        uint64_t want = (uint64_t)target - s->pos;
        if (read_more(s, drop, want < sizeof drop ? (size_t)want : sizeof drop) == 0)
            return -1;
    }
    return (sf_count_t)s->pos;
}

static sf_count_t io_length(void *user)
{
    (void)user;
    return SF_COUNT_MAX; /* not known: as libsndfile says of a pipe */
}

static sf_count_t io_write(const void *ptr, sf_count_t count, void *user)
{
    (void)ptr;
    (void)count;
    (void)user;
    return 0; /* read-only */
}

static sf_count_t io_tell(void *user)
{
    return (sf_count_t)((hark_instream *)user)->pos;
}

SF_VIRTUAL_IO *hark_instream_io(void)
{
    static SF_VIRTUAL_IO io = {io_length, io_seek, io_read, io_write, io_tell};
    return &io;
}
