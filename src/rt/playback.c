#include "playback.h"

#include <portaudio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "player.h"

/* Analysis samples a player may have handed over ahead of the DSP thread: two seconds at the
 * highest rate a file plays at (four at 96 kHz, eight at 48 kHz). The player never takes more
 * than fits (player.h), so a slow DSP thread costs underruns, never lost analysis. */
#define PLAY_RING_FRAMES (2u * 192000u)

typedef struct {
    hark_player_source ps; /* the source, and its player */
    PaStream *stream;
    double out_latency_s;
} playback;

/* Real-time: the player fills the buffer; PortAudio says when it will be heard. */
static int play_callback(const void *input, void *output, unsigned long frames,
                         const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags,
                         void *user)
{
    (void)input;
    (void)flags;
    playback *p = user;
    double dac = time->outputBufferDacTime > 0 ? time->outputBufferDacTime
                                               : time->currentTime + p->out_latency_s;
    hark_player_pull(p->ps.player, output, frames, dac);
    return paContinue;
}

static hark_err playback_start(hark_source *s, int64_t from)
{
    playback *p = (playback *)s;
    hark_err err = hark_player_start(p->ps.player, from);
    if (err)
        return err;
    PaError e = Pa_StartStream(p->stream);
    return e == paNoError ? HARK_OK
                          : hark_audio_fail(s->info.device, "cannot start the output stream", e);
}

/* At once, bounded (hark_audio_abort): what the device holds is dropped. */
static hark_err playback_stop(hark_source *s)
{
    playback *p = (playback *)s;
    hark_err err = HARK_OK;
    if (p->stream && !s->abandoned && Pa_IsStreamStopped(p->stream) == 0)
        err = hark_audio_abort(p->stream, s->info.device, &s->abandoned);
    hark_player_stop(p->ps.player);
    return err;
}

static void playback_destroy(hark_source *s)
{
    playback *p = (playback *)s;
    playback_stop(s);
    if (s->abandoned) /* its callback may still pull from the player: nothing is freed */
        return;
    if (p->stream)
        Pa_CloseStream(p->stream);
    hark_player_destroy(p->ps.player);
    hark_ring_destroy(s->samples);
    free(p);
}

static double playback_now(const hark_source *s)
{
    return Pa_GetStreamTime(((const playback *)s)->stream);
}



static void playback_status(const hark_source *s, hark_source_status *out)
{
    const playback *p = (const playback *)s;
    *out = (hark_source_status){0};
    hark_player_status(p->ps.player, out);
    out->active = Pa_IsStreamActive(p->stream) == 1;
}


static const hark_source_ops playback_ops = {
    .start = playback_start,
    .stop = playback_stop,
    .destroy = playback_destroy,
    .now = playback_now,
    .take_stamps = hark_player_source_stamps,
    .take_frames = hark_player_source_frames,
    .take_segments = hark_player_source_segments,
    .status = playback_status,
    .failure = hark_player_source_failure,
    .seek_begin = hark_player_source_seek_begin,
    .seek_end = hark_player_source_seek_end,
    .set_paused = hark_player_source_pause,
    .set_speed = hark_player_source_speed,
    .set_loop = hark_player_source_loop,
};

static int rate_supported(const PaStreamParameters *out, double rate)
{
    int saved = hark_audio_quiet_begin();
    PaError e = Pa_IsFormatSupported(NULL, out, rate);
    hark_audio_quiet_end(saved);
    return e == paFormatIsSupported;
}

/* The device at the file's rate if it takes it (or the one asked for), at most stereo. */
static hark_err open_stream(playback *p, const hark_playback_config *cfg)
{
    const PaDeviceInfo *dev = Pa_GetDeviceInfo(cfg->device);
    hark_source_info *info = &p->ps.base.info;
    snprintf(info->device, sizeof info->device, "%s", dev && dev->name ? dev->name : "?");
    if (!dev || dev->maxOutputChannels < 1)
        return hark_error_at(HARK_ERR_DEVICE, info->device, "it has no output channels");
    unsigned most = dev->maxOutputChannels < 2 ? 1u : 2u;
    info->channels = info->file.channels < most ? info->file.channels : most;
    PaStreamParameters out = {.device = cfg->device, .channelCount = (int)info->channels,
                              .sampleFormat = paFloat32,
                              .suggestedLatency = dev->defaultLowOutputLatency};
    info->rate_hz = cfg->rate_hz > 0                          ? cfg->rate_hz
                    : rate_supported(&out, info->file.rate_hz) ? info->file.rate_hz
                                                               : dev->defaultSampleRate;
    double wanted = cfg->latency_frames / info->rate_hz;
    double latency = out.suggestedLatency > wanted ? out.suggestedLatency : wanted;
    out.suggestedLatency = latency;
    int saved = hark_audio_quiet_begin();
    PaError e = Pa_OpenStream(&p->stream, NULL, &out, info->rate_hz, paFramesPerBufferUnspecified,
                              paNoFlag, play_callback, p);
    hark_audio_quiet_end(saved);
    if (e != paNoError) {
        p->stream = NULL;
        char what[64];
        snprintf(what, sizeof what, "cannot open it for output at %.0f Hz", info->rate_hz);
        return hark_audio_fail(info->device, what, e);
    }
    const PaStreamInfo *si = Pa_GetStreamInfo(p->stream);
    p->out_latency_s = si ? si->outputLatency : latency;
    return HARK_OK;
}

hark_err hark_playback_open(const hark_playback_config *cfg, hark_source **out)
{
    *out = NULL;
    playback *p = calloc(1, sizeof *p);
    if (!p)
        return hark_fail(HARK_ERR_NOMEM);
    p->ps.base.ops = &playback_ops;
    p->ps.base.info.plays = 1;
    hark_err err = hark_player_create(cfg->path, NULL, cfg->loop, cfg->stop, &p->ps.player);
    if (!err) {
        hark_source_info *info = &p->ps.base.info;
        info->file = *hark_player_file(p->ps.player);
        const char *slash = strrchr(cfg->path, '/');
        snprintf(info->name, sizeof info->name, "%s", slash ? slash + 1 : cfg->path);
        if ((err = hark_source_lanes(cfg->selection, info->file.channels, 0, info)))
            hark_error_subject(cfg->path);
    }
    if (!err && cfg->speed > 0)
        hark_player_set_speed(p->ps.player, cfg->speed);
    if (!err)
        err = open_stream(p, cfg);
    if (!err && !(err = hark_source_make_ring(&p->ps.base, PLAY_RING_FRAMES)))
        err = hark_player_prepare(p->ps.player, p->ps.base.info.rate_hz, p->ps.base.info.channels,
                                  &p->ps.base);
    if (err) {
        playback_destroy(&p->ps.base);
        return err;
    }
    p->ps.base.info.resampling = hark_player_resampling(p->ps.player);
    *out = &p->ps.base;
    return HARK_OK;
}
