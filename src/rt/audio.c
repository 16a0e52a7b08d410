#include "audio.h"

#include <ctype.h>
#include <fcntl.h>
#include <portaudio.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decoder.h"

/* Mono samples converted per pass of the callback; longer buffers take several passes. */
#define SCRATCH_FRAMES 4096u

/* Stamps kept for the main thread (one per buffer: seconds of them). */
#define STAMP_RING 1024u

struct hark_capture {
    PaStream *stream;
    hark_ring *ring;
    hark_ring *stamps;  /* hark_stamp; the callback is its only producer */
    uint64_t written;   /* samples put in the ring so far; the callback's own */
    int channel;        /* HARK_CHANNEL_MIX or the index within the opened channels */
    unsigned channels;  /* opened */
    double rate_hz;
    atomic_uint_fast64_t frames, dropped;
    float scratch[SCRATCH_FRAMES];
};

/* ---- stderr silenced around PortAudio's probing --------------------------------------- */

int hark_audio_quiet_begin(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, STDERR_FILENO);
    if (null >= 0)
        close(null);
    return saved;
}

void hark_audio_quiet_end(int saved)
{
    if (saved < 0)
        return;
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static hark_err pa_fail(const char *what, PaError e)
{
    return hark_error_set(HARK_ERR_OPEN, "%s: %s", what, Pa_GetErrorText(e));
}

hark_err hark_audio_init(void)
{
    int saved = hark_audio_quiet_begin();
    PaError e = Pa_Initialize();
    hark_audio_quiet_end(saved);
    if (e != paNoError)
        return pa_fail("PortAudio", e);
    return HARK_OK;
}

void hark_audio_terminate(void)
{
    int saved = hark_audio_quiet_begin();
    Pa_Terminate();
    hark_audio_quiet_end(saved);
}

/* ---- devices ------------------------------------------------------------------------------ */

int hark_audio_device_count(void)
{
    int n = Pa_GetDeviceCount();
    return n > 0 ? n : 0;
}

hark_err hark_audio_device_get(int index, hark_audio_device *out)
{
    const PaDeviceInfo *d = index >= 0 ? Pa_GetDeviceInfo(index) : NULL;
    if (!d)
        return hark_error_set(HARK_ERR_OPEN, "no audio device %d", index);
    const PaHostApiInfo *api = Pa_GetHostApiInfo(d->hostApi);
    memset(out, 0, sizeof *out);
    out->index = index;
    snprintf(out->name, sizeof out->name, "%s", d->name ? d->name : "?");
    snprintf(out->host_api, sizeof out->host_api, "%s", api && api->name ? api->name : "?");
    out->max_input_channels = d->maxInputChannels;
    out->max_output_channels = d->maxOutputChannels;
    out->default_rate_hz = d->defaultSampleRate;
    out->is_default_input = index == Pa_GetDefaultInputDevice();
    out->is_default_output = index == Pa_GetDefaultOutputDevice();
    return HARK_OK;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static int parse_index(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 100000)
        return 0;
    *out = (int)v;
    return 1;
}

hark_err hark_audio_find_device(const char *spec, int want_input, int *index)
{
    const char *dir = want_input ? "input" : "output";
    if (!spec || !*spec) {
        int d = want_input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
        if (d == paNoDevice)
            return hark_error_set(HARK_ERR_OPEN, "there is no default %s device", dir);
        *index = d;
        return HARK_OK;
    }
    int n = hark_audio_device_count(), want;
    for (int pass = 0; pass < 2; pass++) { /* an exact index first, then name fragments */
        for (int i = 0; i < n; i++) {
            const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
            int channels = want_input ? d->maxInputChannels : d->maxOutputChannels;
            int hit = pass == 0 ? parse_index(spec, &want) && want == i
                                : contains_nocase(d->name, spec);
            if (hit && channels > 0) {
                *index = i;
                return HARK_OK;
            }
        }
    }
    return hark_error_set(HARK_ERR_OPEN, "no %s device matches '%s' (see 'hark devices')", dir,
                          spec);
}

/* ---- capture ------------------------------------------------------------------------------ */

/* Real-time: convert, write, count. Nothing else. */
static int capture_callback(const void *input, void *output, unsigned long frames,
                            const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags,
                            void *user)
{
    (void)output;
    (void)flags;
    hark_capture *c = user;
    /* Some host APIs give no ADC time: then the callback's own time is the best there is. */
    hark_stamp stamp = {c->written, time->inputBufferAdcTime > 0 ? time->inputBufferAdcTime
                                                                 : time->currentTime};
    hark_ring_write(c->stamps, &stamp, 1); /* full: the main thread is behind; it loses one */
    const float *in = input;
    const unsigned ch = c->channels;
    unsigned long done = 0, dropped = 0;
    while (done < frames) {
        unsigned long n = frames - done < SCRATCH_FRAMES ? frames - done : SCRATCH_FRAMES;
        if (!in) { /* PortAudio may pass no buffer on an input underflow: silence */
            memset(c->scratch, 0, n * sizeof(float));
        } else if (c->channel != HARK_CHANNEL_MIX) {
            for (unsigned long i = 0; i < n; i++)
                c->scratch[i] = in[(done + i) * ch + (unsigned)c->channel];
        } else {
            const float scale = 1.0f / (float)ch;
            for (unsigned long i = 0; i < n; i++) {
                float sum = 0.0f;
                for (unsigned k = 0; k < ch; k++)
                    sum += in[(done + i) * ch + k];
                c->scratch[i] = sum * scale;
            }
        }
        size_t put = hark_ring_write(c->ring, c->scratch, n);
        c->written += put;
        dropped += n - put;
        done += n;
    }
    atomic_fetch_add_explicit(&c->frames, frames, memory_order_relaxed);
    if (dropped)
        atomic_fetch_add_explicit(&c->dropped, dropped, memory_order_relaxed);
    return paContinue;
}

hark_err hark_capture_open(const hark_capture_config *cfg, hark_capture **out)
{
    *out = NULL;
    hark_audio_device dev;
    hark_err err = hark_audio_device_get(cfg->device, &dev);
    if (err)
        return err;
    if (dev.max_input_channels < 1)
        return hark_error_set(HARK_ERR_OPEN, "%s has no input channels", dev.name);
    if (cfg->channel != HARK_CHANNEL_MIX && cfg->channel >= dev.max_input_channels)
        return hark_error_set(HARK_ERR_USAGE, "--channel %d: %s has %d input channels",
                              cfg->channel + 1, dev.name, dev.max_input_channels);
    hark_capture *c = calloc(1, sizeof *c);
    if (!c)
        return HARK_ERR_NOMEM;
    if ((err = hark_ring_create(sizeof(hark_stamp), STAMP_RING, &c->stamps))) {
        free(c);
        return err;
    }
    /* Mix: at most stereo (virtual devices offer 32 channels of nothing); a channel: up to it. */
    int channels = cfg->channel == HARK_CHANNEL_MIX ? (dev.max_input_channels < 2 ? 1 : 2)
                                                    : cfg->channel + 1;
    c->ring = cfg->ring;
    c->channel = cfg->channel;
    c->channels = (unsigned)channels;
    c->rate_hz = cfg->rate_hz > 0 ? cfg->rate_hz : dev.default_rate_hz;
    atomic_init(&c->frames, 0);
    atomic_init(&c->dropped, 0);
    PaStreamParameters in = {.device = cfg->device, .channelCount = channels,
                             .sampleFormat = paFloat32,
                             .suggestedLatency = Pa_GetDeviceInfo(cfg->device)->defaultLowInputLatency};
    int saved = hark_audio_quiet_begin();
    PaError e = Pa_OpenStream(&c->stream, &in, NULL, c->rate_hz,
                              cfg->frames_per_buffer ? cfg->frames_per_buffer
                                                     : paFramesPerBufferUnspecified,
                              paNoFlag, capture_callback, c);
    hark_audio_quiet_end(saved);
    if (e != paNoError) {
        hark_ring_destroy(c->stamps);
        free(c);
        return hark_error_set(HARK_ERR_OPEN, "cannot open %s at %.0f Hz: %s", dev.name,
                              cfg->rate_hz > 0 ? cfg->rate_hz : dev.default_rate_hz,
                              Pa_GetErrorText(e));
    }
    *out = c;
    return HARK_OK;
}

hark_err hark_capture_start(hark_capture *c)
{
    PaError e = Pa_StartStream(c->stream);
    return e == paNoError ? HARK_OK : pa_fail("cannot start the input stream", e);
}

hark_err hark_capture_stop(hark_capture *c)
{
    if (Pa_IsStreamStopped(c->stream) == 1)
        return HARK_OK;
    PaError e = Pa_StopStream(c->stream);
    return e == paNoError ? HARK_OK : pa_fail("cannot stop the input stream", e);
}

void hark_capture_close(hark_capture *c)
{
    if (!c)
        return;
    hark_capture_stop(c);
    Pa_CloseStream(c->stream);
    hark_ring_destroy(c->stamps);
    free(c);
}

int hark_capture_active(const hark_capture *c) { return Pa_IsStreamActive(c->stream) == 1; }
double hark_capture_rate(const hark_capture *c) { return c->rate_hz; }
unsigned hark_capture_channels(const hark_capture *c) { return c->channels; }

uint64_t hark_capture_frames(const hark_capture *c)
{
    return atomic_load_explicit(&c->frames, memory_order_relaxed);
}

uint64_t hark_capture_dropped(const hark_capture *c)
{
    return atomic_load_explicit(&c->dropped, memory_order_relaxed);
}

size_t hark_capture_take_stamps(hark_capture *c, hark_stamp *out, size_t max)
{
    return hark_ring_read(c->stamps, out, max);
}

double hark_capture_time(const hark_capture *c)
{
    return Pa_GetStreamTime(c->stream);
}
