#include "decoder.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instream.h"
#include "quiet.h"

/* Interleaved samples read per sf_readf_float call, whatever the channel count. */
#define BLOCK_SAMPLES 65536u
/* A regular file up to this size is read whole in one call and decoded from memory: libsndfile
 * reads a header in a dozen 2- and 4-byte calls, which was a third of a one-second clip's
 * system calls in a batch. */
#define SMALL_FILE_BYTES (2u << 20)

/* Bytes in memory read through libsndfile's virtual I/O (hark_decoder_create_memory). */
typedef struct {
    const unsigned char *data;
    sf_count_t size, pos;
} memory_file;

struct hark_decoder {
    SNDFILE *sf;
    memory_file mem;
    hark_instream *stream; /* a pipe, FIFO, device or standard input */
    unsigned char *owned;  /* a small file's bytes (mem reads them) */
    hark_decoder_info info;
    SF_INFO preset;       /* what libsndfile is told before it opens: a raw input's format */
    int channel;
    uint64_t nonfinite, clipped;
    int bounded;          /* integer samples: every float read is finite and within +-1 */
    int pcm_bits;         /* 16 or 32: read as shorts or ints and scaled here; 0: as floats */
    void *ints;           /* BLOCK_SAMPLES shorts or ints, with pcm_bits */
    float *block;         /* BLOCK_SAMPLES interleaved */
    size_t block_frames;  /* frames that fit in block */
};

/* What path is: a regular file to open with libsndfile as it is, or a stream (*stream). */
static hark_err check_path(const char *path, int *stream)
{
    struct stat st;
    *stream = 1;
    if (strcmp(path, "-") == 0)
        return HARK_OK;
    if (stat(path, &st) != 0)
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return hark_error_set(HARK_ERR_OPEN, "is a folder, not an audio file");
    /* A regular file of 0 bytes is empty, unless it is a /proc or /sys file whose size says
     * nothing: those are read as streams. */
    *stream = !S_ISREG(st.st_mode) || st.st_size == 0;
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        char c;
        ssize_t got = fd >= 0 ? read(fd, &c, 1) : -1;
        int read_errno = errno;
        if (fd >= 0)
            close(fd);
        if (got < 0)
            return hark_error_set(HARK_ERR_READ, "cannot read: %s", strerror(read_errno));
        if (got == 0)
            return hark_error_set(HARK_ERR_FORMAT, "empty file (0 bytes)");
    }
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
    if (channel == HARK_CHANNEL_ALL) /* read by hark_decoder_read_planar, checked there */
        return HARK_OK;
    return hark_analysis_check_channel(channel, (unsigned)sfi->channels);
}

static hark_err finish_open(hark_decoder *d, const SF_INFO *sfi, int channel);

/* A stream: through libsndfile's virtual I/O (instream.h), which waits in short steps, stops
 * at the stop flag and keeps the first bytes for format detection's seeks back. */
static hark_err open_stream(hark_decoder *d, const char *path, int channel,
                            const atomic_int *stop)
{
    int nonblocking = strcmp(path, "-") != 0;
    /* Opened without blocking: a FIFO nobody writes to would otherwise hang the open (it then
     * reads as empty). Standard input is shared with the shell: left as it is. */
    int fd = nonblocking ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                         : fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    if (!(d->stream = hark_instream_open(fd, nonblocking)))
        return hark_fail(HARK_ERR_NOMEM);
    hark_instream_set_stop(d->stream, stop);
    SF_INFO sfi = d->preset;
    d->sf = sf_open_virtual(hark_instream_io(), SFM_READ, &sfi, d->stream);
    if (hark_instream_stopped(d->stream))
        return hark_error_set(HARK_ERR_INTERRUPTED, "interrupted while waiting for the stream");
    if (!d->sf && hark_instream_error(d->stream))
        return hark_error_set(HARK_ERR_READ, "cannot read: %s",
                              strerror(hark_instream_error(d->stream)));
    if (!d->sf && hark_instream_bytes(d->stream) == 0)
        return hark_error_set(HARK_ERR_FORMAT, "the stream ended before any byte came");
    hark_err err = finish_open(d, &sfi, channel);
    d->info.frames = -1; /* a length in a stream's header is a placeholder, often */
    d->info.seekable = 0;
    return err;
}

static hark_err open_memory(hark_decoder *d, const void *data, size_t size, int channel);

/* A small regular file, read whole (fd is closed). */
static hark_err open_small(hark_decoder *d, int fd, size_t size, int channel)
{
    d->owned = malloc(size);
    size_t got = 0;
    ssize_t n = 1;
    while (d->owned && got < size && (n = read(fd, d->owned + got, size - got)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got += (size_t)n;
    }
    int read_errno = errno;
    close(fd);
    if (!d->owned)
        return hark_fail(HARK_ERR_NOMEM);
    if (n < 0)
        return hark_error_set(HARK_ERR_READ, "cannot read: %s", strerror(read_errno));
    return open_memory(d, d->owned, got, channel); /* a file that shrank: what was there */
}

static hark_err open_file(hark_decoder *d, const char *path, int channel,
                          const atomic_int *stop)
{
    int stream;
    hark_err err = check_path(path, &stream);
    if (err || stream)
        return err ? err : open_stream(d, path, channel, stop);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= (off_t)SMALL_FILE_BYTES)
        return open_small(d, fd, (size_t)st.st_size, channel);
    SF_INFO sfi = d->preset;
    unsigned char start[4];
    int known = d->preset.format || (pread(fd, start, sizeof start, 0) == (ssize_t)sizeof start &&
                                      hark_quiet_known_start(start, sizeof start));
    hark_quiet q = {.saved = -1};
    if (!known)
        hark_quiet_begin(&q); /* libsndfile may try MPEG: libmpg123 talks on stderr */
    d->sf = sf_open_fd(fd, SFM_READ, &sfi, SF_TRUE);
    hark_quiet_end(&q);
    return finish_open(d, &sfi, channel);
}

/* Does the subformat decode to integers? Normalised, they are within +-1 and finite, so there is
 * nothing to sanitize. Float, double and the lossy codecs (Vorbis, Opus, MPEG) are checked;
 * so is any subformat not listed here. */
static int decodes_integers(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_16: case SF_FORMAT_PCM_24: case SF_FORMAT_PCM_32:
    case SF_FORMAT_PCM_U8: case SF_FORMAT_ULAW: case SF_FORMAT_ALAW: case SF_FORMAT_IMA_ADPCM:
    case SF_FORMAT_MS_ADPCM: case SF_FORMAT_GSM610: case SF_FORMAT_VOX_ADPCM:
    case SF_FORMAT_G721_32: case SF_FORMAT_G723_24: case SF_FORMAT_G723_40:
    case SF_FORMAT_DWVW_12: case SF_FORMAT_DWVW_16: case SF_FORMAT_DWVW_24: case SF_FORMAT_DWVW_N:
    case SF_FORMAT_DPCM_8: case SF_FORMAT_DPCM_16: case SF_FORMAT_ALAC_16: case SF_FORMAT_ALAC_20:
    case SF_FORMAT_ALAC_24: case SF_FORMAT_ALAC_32:
        return 1;
    default:
        return 0;
    }
}

/* Uncompressed PCM is read as integers and scaled here (read_floats), which gives the floats
 * sf_readf_float gives in half the time: libsndfile converts one sample at a time. */
static int pcm_read_bits(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16:
        return 16;
    case SF_FORMAT_PCM_24: case SF_FORMAT_PCM_32:
        return 32;
    default:
        return 0;
    }
}

/* libsndfile could not open what it was given. When its last probe (MPEG, through libmpg123)
 * gives up, it says the file "does not exist or is not a regular file": about a file that was
 * opened and read, that is wrong. Say what it is: not a format it knows. */
static hark_err open_failed(const hark_decoder *d)
{
    const char *why = sf_strerror(NULL);
    char read[64] = ""; /* a stream: how far it got */
    if (d->stream)
        snprintf(read, sizeof read, " (after the first %llu bytes of the stream)",
                 (unsigned long long)hark_instream_bytes(d->stream));
    if (d->preset.format == 0 &&
        (sf_error(NULL) == SF_ERR_UNRECOGNISED_FORMAT || strstr(why, "does not exist")))
        return hark_error_set(HARK_ERR_FORMAT, "format not recognised: not audio libsndfile "
                              "reads (headerless samples need --raw-format)%s", read);
    return hark_error_set(HARK_ERR_FORMAT, "%s%s", why, read);
}

/* What every open does once libsndfile has the file: limits, info, float normalisation. */
static hark_err finish_open(hark_decoder *d, const SF_INFO *sfip, int channel)
{
    SF_INFO sfi = *sfip;
    if (!d->sf)
        return open_failed(d);
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
    d->bounded = decodes_integers(sfi.format);
    d->pcm_bits = pcm_read_bits(sfi.format);
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
    SF_INFO sfi = d->preset;
    hark_quiet q = {.saved = -1};
    if (!d->preset.format && !hark_quiet_known_start(data, size))
        hark_quiet_begin(&q); /* libsndfile may try MPEG: libmpg123 talks on stderr */
    d->sf = sf_open_virtual(&io, SFM_READ, &sfi, &d->mem);
    hark_quiet_end(&q);
    return finish_open(d, &sfi, channel);
}

/* libsndfile's format for a raw input: little-endian samples of the kind named. */
static int raw_sf_format(hark_raw_sample sample)
{
    static const int sub[] = {[HARK_RAW_S16LE] = SF_FORMAT_PCM_16, [HARK_RAW_S24LE] = SF_FORMAT_PCM_24,
                              [HARK_RAW_S32LE] = SF_FORMAT_PCM_32, [HARK_RAW_F32LE] = SF_FORMAT_FLOAT};
    return SF_FORMAT_RAW | SF_ENDIAN_LITTLE | sub[sample];
}

/* Allocate, open with the given opener (path or memory), and make the read buffer. */
static hark_err create(hark_decoder **out, int channel, const char *path, const void *data,
                       size_t size, const atomic_int *stop, const hark_raw_input *raw)
{
    *out = NULL;
    hark_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return hark_fail(HARK_ERR_NOMEM);
    d->channel = channel;
    if (raw && raw->sample != HARK_RAW_NONE)
        d->preset = (SF_INFO){.format = raw_sf_format(raw->sample), .samplerate = raw->rate_hz,
                              .channels = (int)raw->channels};
    hark_err err = path ? open_file(d, path, channel, stop)
                        : open_memory(d, data, size, channel);
    if (!err) {
        d->block_frames = BLOCK_SAMPLES / d->info.channels;
        d->block = malloc(sizeof(float) * BLOCK_SAMPLES);
        d->ints = d->pcm_bits ? malloc(sizeof(int32_t) * BLOCK_SAMPLES) : NULL;
        if (!d->block || (d->pcm_bits && !d->ints))
            err = hark_fail(HARK_ERR_NOMEM);
    }
    if (err) {
        hark_decoder_destroy(d);
        return err;
    }
    *out = d;
    return HARK_OK;
}

hark_err hark_decoder_create(const char *path, int channel, const atomic_int *stop,
                             hark_decoder **out)
{
    return create(out, channel, path, NULL, 0, stop, NULL);
}

hark_err hark_decoder_create_raw(const char *path, const hark_raw_input *raw, int channel,
                                 const atomic_int *stop, hark_decoder **out)
{
    return create(out, channel, path, NULL, 0, stop, raw);
}

hark_err hark_decoder_create_memory(const void *data, size_t size, int channel,
                                    hark_decoder **out)
{
    return create(out, channel, NULL, data, size, NULL, NULL);
}

static const char *const raw_names[] = {[HARK_RAW_S16LE] = "s16le", [HARK_RAW_S24LE] = "s24le",
                                        [HARK_RAW_S32LE] = "s32le", [HARK_RAW_F32LE] = "f32le"};

int hark_raw_sample_parse(const char *name, hark_raw_sample *out)
{
    for (int k = HARK_RAW_S16LE; k <= HARK_RAW_F32LE; k++)
        if (strcmp(name, raw_names[k]) == 0) {
            *out = (hark_raw_sample)k;
            return 1;
        }
    return 0;
}

const char *hark_raw_sample_name(hark_raw_sample sample)
{
    return sample >= HARK_RAW_S16LE && sample <= HARK_RAW_F32LE ? raw_names[sample] : "";
}

void hark_decoder_set_stop(hark_decoder *d, const atomic_int *stop)
{
    if (d->stream)
        hark_instream_set_stop(d->stream, stop);
}

void hark_decoder_destroy(hark_decoder *d)
{
    if (!d)
        return;
    if (d->sf)
        sf_close(d->sf);
    hark_instream_destroy(d->stream);
    free(d->owned);
    free(d->block);
    free(d->ints);
    free(d);
}

const hark_decoder_info *hark_decoder_get_info(const hark_decoder *d)
{
    return &d->info;
}

/* NaN and Inf become 0, and samples beyond +-HARK_SAMPLE_MAX that (their spectrum would not
 * be representable in float) are clipped to it; counted. Branch-free, so it vectorises, and
 * leaves every other sample as it is. */
static void sanitize(hark_decoder *d, float *x, size_t n)
{
    if (d->bounded)
        return;
    size_t bad = 0, big = 0;
    for (size_t i = 0; i < n; i++) {
        float v = x[i], a = fabsf(v);
        int ok = a <= FLT_MAX, over = ok & (a > HARK_SAMPLE_MAX);
        float clipped = v > 0 ? HARK_SAMPLE_MAX : -HARK_SAMPLE_MAX;
        x[i] = !ok ? 0.0f : over ? clipped : v;
        bad += (size_t)!ok;
        big += (size_t)over;
    }
    d->nonfinite += bad;
    d->clipped += big;
}

/* Did the last read fail: libsndfile's error, or a stream that stopped or could not be read
 * (which libsndfile sees as its end)? */
static int read_went_wrong(const hark_decoder *d, sf_count_t n)
{
    return n < 0 || sf_error(d->sf) != SF_ERR_NO_ERROR ||
           (d->stream && (hark_instream_stopped(d->stream) || hark_instream_error(d->stream)));
}

/* A failed read, with where a stream stopped. */
static hark_err read_failed(const hark_decoder *d)
{
    if (d->stream && hark_instream_stopped(d->stream))
        return hark_error_set(HARK_ERR_INTERRUPTED, "interrupted");
    if (d->stream && hark_instream_error(d->stream))
        return hark_error_set(HARK_ERR_READ, "cannot read: %s (after %llu bytes of the stream)",
                              strerror(hark_instream_error(d->stream)),
                              (unsigned long long)hark_instream_bytes(d->stream));
    if (d->stream)
        return hark_error_set(HARK_ERR_READ, "%s (after %llu bytes of the stream)",
                              sf_strerror(d->sf),
                              (unsigned long long)hark_instream_bytes(d->stream));
    return hark_error_set(HARK_ERR_READ, "%s", sf_strerror(d->sf));
}

/* One channel (an index, mid or side), or the mean of all, of n interleaved frames. */
static void pick_or_mix(unsigned ch, int channel, const float *block, size_t n, float *out)
{
    if (channel >= 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = block[i * ch + (unsigned)channel];
        return;
    }
    if (channel != HARK_CHANNEL_MIX) { /* mid, side */
        for (size_t i = 0; i < n; i++)
            out[i] = hark_channel_sample(channel, block + i * ch, ch);
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

/* sf_readf_float of frames <= block_frames. Integers are scaled as libsndfile scales them
 * (its normalisation: 2^-15 for 16-bit, 2^-31 for 24 and 32-bit read as ints), so the floats
 * are the same bits (tests/test_decoder.c compares them). */
static sf_count_t read_floats(hark_decoder *d, float *x, sf_count_t frames)
{
    sf_count_t n;
    if (d->pcm_bits == 16) {
        const short *s = d->ints;
        if ((n = sf_readf_short(d->sf, d->ints, frames)) > 0)
            for (size_t i = 0; i < (size_t)n * d->info.channels; i++)
                x[i] = (float)s[i] * 0x1p-15f;
        return n;
    }
    if (d->pcm_bits == 32) {
        const int *s = d->ints;
        if ((n = sf_readf_int(d->sf, d->ints, frames)) > 0)
            for (size_t i = 0; i < (size_t)n * d->info.channels; i++)
                x[i] = (float)s[i] * 0x1p-31f;
        return n;
    }
    return sf_readf_float(d->sf, x, frames);
}

hark_err hark_decoder_read(hark_decoder *d, float *out, size_t max, size_t *got)
{
    size_t want = max < d->block_frames ? max : d->block_frames;
    int direct = d->info.channels == 1; /* mono: no mixing, read straight into out */
    sf_count_t n = read_floats(d, direct ? out : d->block, (sf_count_t)want);
    *got = 0;
    if (read_went_wrong(d, n))
        return read_failed(d);
    if (!direct)
        pick_or_mix(d->info.channels, d->channel, d->block, (size_t)n, out);
    sanitize(d, out, (size_t)n);
    *got = (size_t)n;
    return HARK_OK;
}

hark_err hark_decoder_read_planar(hark_decoder *d, const int *channels, unsigned count,
                                  float *const *out, size_t max, size_t *got)
{
    size_t want = max < d->block_frames ? max : d->block_frames;
    sf_count_t n = read_floats(d, d->block, (sf_count_t)want);
    *got = 0;
    if (read_went_wrong(d, n))
        return read_failed(d);
    sanitize(d, d->block, (size_t)n * d->info.channels);
    for (unsigned c = 0; c < count; c++)
        pick_or_mix(d->info.channels, channels[c], d->block, (size_t)n, out[c]);
    *got = (size_t)n;
    return HARK_OK;
}

hark_err hark_decoder_read_frames(hark_decoder *d, float *out, size_t max, size_t *got)
{
    sf_count_t n = sf_readf_float(d->sf, out, (sf_count_t)max);
    *got = 0;
    if (read_went_wrong(d, n))
        return read_failed(d);
    sanitize(d, out, (size_t)n * d->info.channels);
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

uint64_t hark_decoder_clipped(const hark_decoder *d)
{
    return d->clipped;
}

/* ---- audio file names, from libsndfile itself -------------------------------------------------- */

static int extension_listed(const char *ext)
{
    /* Names libsndfile opens that its format table spells otherwise. */
    static const char *const extra[] = {"aif", "aifc", "ogg", "opus", "oga", "wave", "bwf"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strcasecmp(ext, extra[i]) == 0)
            return 1;
    int count = 0;
    sf_command(NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
    for (int i = 0; i < count; i++) {
        SF_FORMAT_INFO info = {.format = i};
        if (sf_command(NULL, SFC_GET_FORMAT_MAJOR, &info, sizeof info) == 0 && info.extension &&
            strcasecmp(ext, info.extension) == 0)
            return 1;
    }
    return 0;
}

int hark_decoder_reads_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name && dot[1] && extension_listed(dot + 1);
}

