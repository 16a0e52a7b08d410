#include "capture.h"

#include <portaudio.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"

/* Frames converted per pass of the callback; longer buffers take several passes. */
#define SCRATCH_FRAMES 4096u
/* Stamps kept for the main thread (one per buffer: seconds of them). */
#define STAMP_RING 1024u

typedef struct {
    hark_source base;
    PaStream *stream;
    hark_ring *stamps;  /* hark_stamp; the callback is its only producer */
    hark_ring *heard;   /* the input as it came (channels floats each), for the meters */
    uint64_t written;   /* frames put in the ring so far; the callback's own */
    unsigned channels;  /* opened */
    atomic_uint_fast64_t frames, dropped, calls, unmetered;
    float scratch[SCRATCH_FRAMES * HARK_LANES_MAX];
} capture;

/* The callback's conversion: each lane's sample of each frame (a channel, mid, side, or the
 * mean of those opened). */
static void to_lanes(const capture *c, const float *in, unsigned long from, unsigned long n,
                     float *out)
{
    const unsigned ch = c->channels, lanes = c->base.info.lanes;
    if (!in) { /* PortAudio may pass no buffer on an input underflow: silence */
        memset(out, 0, n * lanes * sizeof(float));
        return;
    }
    for (unsigned long i = 0; i < n; i++)
        for (unsigned k = 0; k < lanes; k++)
            out[i * lanes + k] = hark_channel_sample(c->base.info.lane[k], in + (from + i) * ch, ch);
}

static int capture_callback(const void *input, void *output, unsigned long frames,
                            const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags,
                            void *user)
{
    (void)output;
    (void)flags;
    capture *c = user;
    /* Some host APIs give no ADC time: then the callback's own time is the best there is. */
    double adc = time->inputBufferAdcTime > 0 ? time->inputBufferAdcTime : time->currentTime;
    uint64_t first = c->written;
    unsigned long done = 0, dropped = 0;
    while (done < frames) {
        unsigned long n = frames - done < SCRATCH_FRAMES ? frames - done : SCRATCH_FRAMES;
        to_lanes(c, input, done, n, c->scratch);
        size_t put = hark_ring_write(c->base.samples, c->scratch, n);
        c->written += put;
        dropped += n - put;
        done += n;
    }
    size_t metered = input ? hark_ring_write(c->heard, input, frames) : frames;
    if (metered < frames)
        atomic_fetch_add_explicit(&c->unmetered, frames - metered, memory_order_relaxed);
    hark_stamp stamp = {first, (uint32_t)(c->written - first), adc};
    hark_ring_write(c->stamps, &stamp, 1); /* full: the main thread is behind; it loses one */
    atomic_fetch_add_explicit(&c->calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->frames, frames, memory_order_relaxed);
    if (dropped)
        atomic_fetch_add_explicit(&c->dropped, dropped, memory_order_relaxed);
    return paContinue;
}

/* ---- the source's operations --------------------------------------------------------------- */

static hark_err capture_start(hark_source *s, int64_t from)
{
    (void)from;
    capture *c = (capture *)s;
    PaError e = Pa_StartStream(c->stream);
    return e == paNoError ? HARK_OK
                          : hark_audio_fail(s->info.name, "cannot start the input stream", e);
}

/* At once, bounded (hark_audio_abort): the samples in the ring stay; the device's last buffer
 * is dropped. */
static hark_err capture_stop(hark_source *s)
{
    capture *c = (capture *)s;
    if (!c->stream || s->abandoned || Pa_IsStreamStopped(c->stream) == 1)
        return HARK_OK;
    return hark_audio_abort(c->stream, s->info.name, &s->abandoned);
}

static void capture_destroy(hark_source *s)
{
    capture *c = (capture *)s;
    capture_stop(s);
    if (s->abandoned) /* its callback may still run: nothing it touches is freed */
        return;
    if (c->stream)
        Pa_CloseStream(c->stream);
    hark_ring_destroy(c->stamps);
    hark_ring_destroy(c->heard);
    hark_ring_destroy(c->base.samples);
    free(c);
}

static double capture_now(const hark_source *s)
{
    return Pa_GetStreamTime(((const capture *)s)->stream);
}

static size_t capture_take_stamps(hark_source *s, hark_stamp *out, size_t max)
{
    return hark_ring_read(((capture *)s)->stamps, out, max);
}

static size_t capture_take_frames(hark_source *s, float *out, size_t max)
{
    return hark_ring_read(((capture *)s)->heard, out, max);
}

static void capture_status(const hark_source *s, hark_source_status *out)
{
    const capture *c = (const capture *)s;
    *out = (hark_source_status){
        .progress = atomic_load_explicit(&c->calls, memory_order_relaxed),
        .active = Pa_IsStreamActive(c->stream) == 1,
        .frames = atomic_load_explicit(&c->frames, memory_order_relaxed),
        .dropped = atomic_load_explicit(&c->dropped, memory_order_relaxed),
        .unmetered = atomic_load_explicit(&c->unmetered, memory_order_relaxed),
    };
}

static const hark_source_ops capture_ops = {
    .start = capture_start,
    .stop = capture_stop,
    .destroy = capture_destroy,
    .now = capture_now,
    .take_stamps = capture_take_stamps,
    .take_frames = capture_take_frames,
    .status = capture_status,
};

/* The device, if it can give what cfg asks: an input, and the channels chosen (into info). */
static hark_err input_device(const hark_capture_config *cfg, hark_audio_device *dev,
                             hark_source_info *info)
{
    hark_err err = hark_audio_device_get(cfg->device, dev);
    if (err)
        return err;
    if (dev->max_input_channels < 1)
        return hark_error_at(HARK_ERR_DEVICE, dev->name, "it has no input channels");
    if ((err = hark_source_lanes(cfg->selection, (unsigned)dev->max_input_channels, 1, info)))
        hark_error_subject(dev->name);
    return err;
}

hark_err hark_capture_open(const hark_capture_config *cfg, hark_source **out)
{
    *out = NULL;
    hark_audio_device dev;
    hark_source_info info = {0};
    hark_err err = input_device(cfg, &dev, &info);
    if (err)
        return err;
    capture *c = calloc(1, sizeof *c);
    if (!c)
        return hark_fail(HARK_ERR_NOMEM);
    c->base.info = info;
    if ((err = hark_ring_create(sizeof(hark_stamp), STAMP_RING, &c->stamps))) {
        free(c);
        return err;
    }
    int channels = (int)hark_source_channels_needed(&info, (unsigned)dev.max_input_channels);
    c->base.ops = &capture_ops;
    double rate_hz = cfg->rate_hz > 0 ? cfg->rate_hz : dev.default_rate_hz;
    c->base.info.rate_hz = rate_hz;
    if ((err = hark_ring_create(sizeof(float) * (unsigned)channels, (size_t)(2 * rate_hz),
                                &c->heard)) ||
        (err = hark_source_make_ring(&c->base, 0))) {
        capture_destroy(&c->base);
        return err;
    }
    snprintf(c->base.info.name, sizeof c->base.info.name, "%s", dev.name);
    snprintf(c->base.info.device, sizeof c->base.info.device, "%s", dev.name);
    c->base.info.channels = (unsigned)channels;
    c->channels = (unsigned)channels;
    atomic_init(&c->frames, 0);
    atomic_init(&c->dropped, 0);
    atomic_init(&c->calls, 0);
    atomic_init(&c->unmetered, 0);
    PaStreamParameters in = {.device = cfg->device, .channelCount = channels,
                             .sampleFormat = paFloat32,
                             .suggestedLatency = Pa_GetDeviceInfo(cfg->device)->defaultLowInputLatency};
    int saved = hark_audio_quiet_begin();
    PaError e = Pa_OpenStream(&c->stream, &in, NULL, c->base.info.rate_hz,
                              cfg->frames_per_buffer ? cfg->frames_per_buffer
                                                     : paFramesPerBufferUnspecified,
                              paNoFlag, capture_callback, c);
    hark_audio_quiet_end(saved);
    if (e != paNoError) {
        char what[64];
        snprintf(what, sizeof what, "cannot open it at %.0f Hz", c->base.info.rate_hz);
        c->stream = NULL;
        capture_destroy(&c->base);
        return hark_audio_fail(dev.name, what, e);
    }
    *out = &c->base;
    return HARK_OK;
}
