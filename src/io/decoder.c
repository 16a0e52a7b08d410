#include "decoder.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Interleaved samples read per sf_readf_float call, whatever the channel count. */
#define BLOCK_SAMPLES 65536u

/* Bytes in memory read through libsndfile's virtual I/O (hark_decoder_create_memory). */
typedef struct {
    const unsigned char *data;
    sf_count_t size, pos;
} memory_file;

struct hark_decoder {
    SNDFILE *sf;
    memory_file mem;
    hark_decoder_info info;
    int channel;
    uint64_t nonfinite;
    float *block;         /* BLOCK_SAMPLES interleaved */
    size_t block_frames;  /* frames that fit in block */
};

static hark_err check_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return hark_error_set(HARK_ERR_OPEN, "is a folder, not an audio file");
    if (S_ISREG(st.st_mode) && st.st_size == 0)
        return hark_error_set(HARK_ERR_FORMAT, "empty file (0 bytes)");
    return HARK_OK;
}

static void describe_format(SNDFILE *sf, const SF_INFO *sfi, hark_decoder_info *info)
{
    SF_FORMAT_INFO fi = {.format = sfi->format & SF_FORMAT_TYPEMASK};
    if (sf_command(sf, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.name)
        snprintf(info->format, sizeof info->format, "%s", fi.name);
    SF_FORMAT_INFO si = {.format = sfi->format & SF_FORMAT_SUBMASK};
    if (sf_command(sf, SFC_GET_FORMAT_INFO, &si, sizeof si) == 0 && si.name)
        snprintf(info->subtype, sizeof info->subtype, "%s", si.name);
}

static hark_err check_limits(const SF_INFO *sfi, int channel)
{
    if (sfi->samplerate < HARK_RATE_MIN || sfi->samplerate > HARK_RATE_MAX)
        return hark_error_set(HARK_ERR_FORMAT, "sample rate %d Hz is outside %.0f to %.0f Hz",
                              sfi->samplerate, HARK_RATE_MIN, HARK_RATE_MAX);
    if (sfi->channels < 1 || (unsigned)sfi->channels > HARK_CHANNELS_MAX)
        return hark_error_set(HARK_ERR_FORMAT, "%d channels (1 to %u are supported)",
                              sfi->channels, HARK_CHANNELS_MAX);
    if (channel != HARK_CHANNEL_MIX && (channel < 0 || channel >= sfi->channels))
        return hark_error_set(HARK_ERR_USAGE, "--channel %d, but the file has %d channel%s",
                              channel + 1, sfi->channels, sfi->channels == 1 ? "" : "s");
    return HARK_OK;
}

static hark_err finish_open(hark_decoder *d, const SF_INFO *sfi, int channel);

static hark_err open_file(hark_decoder *d, const char *path, int channel)
{
    hark_err err = check_path(path);
    if (err)
        return err;
    /* Opened here without blocking: a FIFO nobody writes to would otherwise hang the open
     * (it then reads as empty); pipes and FIFOs that do have a writer stream as usual. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    SF_INFO sfi = {0};
    d->sf = sf_open_fd(fd, SFM_READ, &sfi, SF_TRUE);
    return finish_open(d, &sfi, channel);
}

/* What every open does once libsndfile has the file: limits, info, float normalisation. */
static hark_err finish_open(hark_decoder *d, const SF_INFO *sfip, int channel)
{
    SF_INFO sfi = *sfip;
    if (!d->sf)
        return hark_error_set(HARK_ERR_FORMAT, "%s", sf_strerror(NULL));
    hark_err err = check_limits(&sfi, channel);
    if (err)
        return err;
    d->info.rate_hz = sfi.samplerate;
    d->info.channels = (unsigned)sfi.channels;
    /* A length is believed only from a seekable file: a stream (a pipe) has a placeholder. */
    d->info.frames = (sfi.seekable && sfi.frames >= 0 && sfi.frames < SF_COUNT_MAX) ? sfi.frames
                                                                                    : -1;
    d->info.seekable = sfi.seekable;
    describe_format(d->sf, &sfi, &d->info);
    /* Integer files read as floats in [-1, 1): 32767 / 32768 is full scale for 16-bit. */
    sf_command(d->sf, SFC_SET_NORM_FLOAT, NULL, SF_TRUE);
    return HARK_OK;
}

/* ---- libsndfile's virtual I/O over bytes in memory ---- */

static sf_count_t mem_length(void *user)
{
    return ((memory_file *)user)->size;
}

static sf_count_t mem_seek(sf_count_t offset, int whence, void *user)
{
    memory_file *m = user;
    sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : m->size;
    if (offset < -base || offset > m->size - base) /* outside the bytes: refused */
        return -1;
    m->pos = base + offset;
    return m->pos;
}

static sf_count_t mem_read(void *ptr, sf_count_t count, void *user)
{
    memory_file *m = user;
    sf_count_t left = m->size - m->pos;
    sf_count_t n = count < 0 ? 0 : count < left ? count : left;
    memcpy(ptr, m->data + m->pos, (size_t)n);
    m->pos += n;
    return n;
}

static sf_count_t mem_write(const void *ptr, sf_count_t count, void *user)
{
    (void)ptr;
    (void)count;
    (void)user;
    return 0; /* read-only */
}

static sf_count_t mem_tell(void *user)
{
    return ((memory_file *)user)->pos;
}

static hark_err open_memory(hark_decoder *d, const void *data, size_t size, int channel)
{
    static SF_VIRTUAL_IO io = {mem_length, mem_seek, mem_read, mem_write, mem_tell};
    if (size == 0)
        return hark_error_set(HARK_ERR_FORMAT, "empty file (0 bytes)");
    d->mem = (memory_file){data, (sf_count_t)size, 0};
    SF_INFO sfi = {0};
    d->sf = sf_open_virtual(&io, SFM_READ, &sfi, &d->mem);
    return finish_open(d, &sfi, channel);
}

/* Allocate, open with the given opener (path or memory), and make the read buffer. */
static hark_err create(hark_decoder **out, int channel, const char *path, const void *data,
                       size_t size)
{
    *out = NULL;
    hark_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return hark_fail(HARK_ERR_NOMEM);
    d->channel = channel;
    hark_err err = path ? open_file(d, path, channel) : open_memory(d, data, size, channel);
    if (!err) {
        d->block_frames = BLOCK_SAMPLES / d->info.channels;
        d->block = malloc(sizeof(float) * BLOCK_SAMPLES);
        if (!d->block)
            err = hark_fail(HARK_ERR_NOMEM);
    }
    if (err) {
        hark_decoder_destroy(d);
        return err;
    }
    *out = d;
    return HARK_OK;
}

hark_err hark_decoder_create(const char *path, int channel, hark_decoder **out)
{
    return create(out, channel, path, NULL, 0);
}

hark_err hark_decoder_create_memory(const void *data, size_t size, int channel,
                                    hark_decoder **out)
{
    return create(out, channel, NULL, data, size);
}

void hark_decoder_destroy(hark_decoder *d)
{
    if (!d)
        return;
    if (d->sf)
        sf_close(d->sf);
    free(d->block);
    free(d);
}

const hark_decoder_info *hark_decoder_get_info(const hark_decoder *d)
{
    return &d->info;
}

/* NaN and Inf become 0; returns how many there were. Branch-free, so it vectorizes. */
static size_t zero_nonfinite(float *x, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        int ok = fabsf(v) <= FLT_MAX;
        x[i] = ok ? v : 0.0f;
        bad += (size_t)!ok;
    }
    return bad;
}

/* One channel, or the mean of all, of n interleaved frames. */
static void pick_or_mix(const hark_decoder *d, const float *block, size_t n, float *out)
{
    const unsigned ch = d->info.channels;
    if (d->channel != HARK_CHANNEL_MIX) {
        for (size_t i = 0; i < n; i++)
            out[i] = block[i * ch + (unsigned)d->channel];
        return;
    }
    if (ch == 2) { /* the common case, kept simple enough to vectorise */
        for (size_t i = 0; i < n; i++)
            out[i] = (block[2 * i] + block[2 * i + 1]) * 0.5f;
        return;
    }
    const double scale = 1.0 / ch;
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (unsigned c = 0; c < ch; c++)
            sum += block[i * ch + c];
        out[i] = (float)(sum * scale);
    }
}

hark_err hark_decoder_read(hark_decoder *d, float *out, size_t max, size_t *got)
{
    size_t want = max < d->block_frames ? max : d->block_frames;
    int direct = d->info.channels == 1; /* mono: no mixing, read straight into out */
    sf_count_t n = sf_readf_float(d->sf, direct ? out : d->block, (sf_count_t)want);
    *got = 0;
    if (n < 0 || sf_error(d->sf) != SF_ERR_NO_ERROR)
        return hark_error_set(HARK_ERR_READ, "%s", sf_strerror(d->sf));
    if (!direct)
        pick_or_mix(d, d->block, (size_t)n, out);
    d->nonfinite += zero_nonfinite(out, (size_t)n);
    *got = (size_t)n;
    return HARK_OK;
}

hark_err hark_decoder_read_frames(hark_decoder *d, float *out, size_t max, size_t *got)
{
    sf_count_t n = sf_readf_float(d->sf, out, (sf_count_t)max);
    *got = 0;
    if (n < 0 || sf_error(d->sf) != SF_ERR_NO_ERROR)
        return hark_error_set(HARK_ERR_READ, "%s", sf_strerror(d->sf));
    d->nonfinite += zero_nonfinite(out, (size_t)n * d->info.channels);
    *got = (size_t)n;
    return HARK_OK;
}

hark_err hark_decoder_seek(hark_decoder *d, int64_t frame)
{
    if (sf_seek(d->sf, (sf_count_t)frame, SEEK_SET) < 0)
        return hark_error_set(HARK_ERR_READ, "cannot seek to frame %lld: %s", (long long)frame,
                              sf_strerror(d->sf));
    return HARK_OK;
}

uint64_t hark_decoder_nonfinite(const hark_decoder *d)
{
    return d->nonfinite;
}
