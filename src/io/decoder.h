#ifndef HARK_DECODER_H
#define HARK_DECODER_H
/*
 * Audio files through libsndfile, as mono float: every channel mixed (mean), one selected, or
 * a stereo file's mid or side; or several of those at once (hark_decoder_read_planar).
 * Never trusts the header's frame count for sizing (libsndfile reports SF_COUNT_MAX for some
 * streams): read until *got == 0. Refuses what we cannot analyse sensibly with HARK_ERR_FORMAT:
 * rates outside HARK_RATE_MIN..HARK_RATE_MAX, more than HARK_CHANNELS_MAX channels.
 * Non-finite samples (NaN/Inf in float files) are read as 0, and samples beyond
 * +-HARK_SAMPLE_MAX (a float file can hold 1e38: its spectrum would overflow) are clipped to it;
 * both are counted. A stream (standard input "-", a pipe, a FIFO, a device: instream.h) is
 * read as it comes: not seekable, its length unknown, every wait ending at the stop flag.
 * Thread: a decoder is used by one thread at a time; separate decoders are independent.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h" /* HARK_CHANNEL_MIX and the limits on rate and channels */
#include "error.h"


typedef struct {
    double rate_hz;
    unsigned channels;
    int64_t frames;        /* -1 when the file does not say */
    char format[64];       /* "WAV (Microsoft)" */
    char subtype[64];      /* "Signed 16 bit PCM" */
    int seekable;
} hark_decoder_info;

typedef struct hark_decoder hark_decoder;

/* Does the file name end in an extension libsndfile reads (case-insensitive)? What a folder
 * search takes as audio. */
int hark_decoder_reads_name(const char *name);

/* Sample values kept: beyond this (180 dB above full scale) they are clipped. */
#define HARK_SAMPLE_MAX 1e9f

/* Open path ("-": standard input); channel is HARK_CHANNEL_MIX, a 0-based index < channels,
 * HARK_CHANNEL_MID or _SIDE of a stereo file (else HARK_ERR_USAGE), or HARK_CHANNEL_ALL for
 * hark_decoder_read_planar; stop (NULL: none) ends a wait for a stream's bytes with
 * HARK_ERR_INTERRUPTED. On failure the detail names what is wrong (libsndfile's message, or
 * our limit). */
hark_err hark_decoder_create(const char *path, int channel, const atomic_int *stop,
                             hark_decoder **out);
/* Another stop flag from now on (the thread that reads it changed). */
void hark_decoder_set_stop(hark_decoder *dec, const atomic_int *stop);
/* Headerless samples (a raw PCM stream, as arecord or ffmpeg -f s16le write): what a header
 * would say, given instead. */
typedef enum { HARK_RAW_NONE, HARK_RAW_S16LE, HARK_RAW_S24LE, HARK_RAW_S32LE, HARK_RAW_F32LE } hark_raw_sample;
typedef struct {
    hark_raw_sample sample; /* HARK_RAW_NONE: the input has a header */
    int rate_hz;
    unsigned channels;
} hark_raw_input;

/* "s16le", "s24le", "s32le" or "f32le" (little-endian signed integers, IEEE floats): 1 and
 * *out; 0 for any other name. */
int hark_raw_sample_parse(const char *name, hark_raw_sample *out);
const char *hark_raw_sample_name(hark_raw_sample sample);

/* As hark_decoder_create; with raw (NULL or HARK_RAW_NONE: as that), the input is read as
 * headerless samples of that kind, rate and channel count. */
hark_err hark_decoder_create_raw(const char *path, const hark_raw_input *raw, int channel,
                                 const atomic_int *stop, hark_decoder **out);
/* The same from bytes in memory (libsndfile's virtual I/O): for the fuzzer, and for callers
 * that hold a file already. The bytes must outlive the decoder. */
hark_err hark_decoder_create_memory(const void *data, size_t size, int channel,
                                    hark_decoder **out);
void hark_decoder_destroy(hark_decoder *dec); /* NULL-safe */

const hark_decoder_info *hark_decoder_get_info(const hark_decoder *dec);

/* Read up to max mono frames into out; *got = 0 at the end of the file. */
hark_err hark_decoder_read(hark_decoder *dec, float *out, size_t max, size_t *got);

/* Several channels at once (render's stack; the decoder made with HARK_CHANNEL_ALL): up to
 * max frames of channels[c] (an index, mix, mid or side, checked by the caller) into out[c],
 * for c < count. */
hark_err hark_decoder_read_planar(hark_decoder *d, const int *channels, unsigned count,
                                  float *const *out, size_t max, size_t *got);

/* Read up to max frames of all channels, interleaved (info.channels floats a frame), for
 * playback; *got = 0 at the end of the file. */
hark_err hark_decoder_read_frames(hark_decoder *dec, float *out, size_t max, size_t *got);

/* Move to a frame (seekable files only). */
hark_err hark_decoder_seek(hark_decoder *dec, int64_t frame);

/* Non-finite samples replaced by 0, and samples clipped, so far. */
uint64_t hark_decoder_nonfinite(const hark_decoder *dec);
uint64_t hark_decoder_clipped(const hark_decoder *dec);

#endif
