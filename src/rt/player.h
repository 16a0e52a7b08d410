#ifndef HARK_PLAYER_H
#define HARK_PLAYER_H
/*
 * Playback of a file: a decoder thread reads it with libsndfile (any format, rate and channel
 * count libsndfile reads), maps its channels to the output's (at most stereo: channel c goes
 * to output c mod outputs, mixed), resamples with libsamplerate when the device is opened at
 * another rate, and writes frames into a ring. PortAudio's output callback copies frames from
 * that ring to the device and hands the analysis sample of each frame (the mix, or the chosen
 * channel, of the file) to the DSP thread's ring, and publishes a stamp per buffer with its DAC
 * time (playclock.h). It never takes more frames than the DSP ring can hold, so every sample
 * heard is analysed, and stream index = analysis sample index. When the ring is empty it plays
 * silence and counts an underrun (not at the end of the file). The callback keeps the
 * real-time rules: no lock, allocation, I/O or call that can block.
 *
 * Seeking keeps the device running: seek_begin stops the decoder thread and has the callback
 * empty the frame ring and hold (silence, no ring touched); the caller then resets the analysis
 * ring (its DSP thread stopped); seek_end starts decoding at the new frame and lets the
 * callback go. Stream indices start at 0 again.
 *
 * Threads: everything but the callback is for the main thread.
 */
#include <stdint.h>

#include "decoder.h"
#include "error.h"
#include "playclock.h"
#include "ring.h"

typedef struct hark_player hark_player;

typedef struct {
    const char *path;
    int device;                 /* output device index */
    double rate_hz;             /* 0: the file's rate if the device takes it, else its default */
    int channel;                /* analysed: HARK_CHANNEL_MIX or a 0-based channel of the file */
    int loop;                   /* at the end, go on from the start */
    unsigned latency_frames;    /* at least this much output latency, in frames at the rate
                                   chosen (0: the device's default) */
    hark_ring *samples;         /* float analysis samples; the callback is its only producer */
} hark_player_config;

/* Open the file and the output stream (not started). Errors about the file name it: the
 * caller's subject is the file unless *device_error is set. */
hark_err hark_player_open(const hark_player_config *cfg, hark_player **out, int *device_error);
void hark_player_close(hark_player *p); /* NULL-safe; stops first */

const hark_decoder_info *hark_player_file(const hark_player *p);
double hark_player_rate(const hark_player *p);        /* the stream's rate */
unsigned hark_player_channels(const hark_player *p);  /* output channels */
int hark_player_resampling(const hark_player *p);

/* Start playing at file frame `from` (0 unless seekable): starts the decoder thread, waits
 * until it has a little sound ready (or the file ended), starts the stream. */
hark_err hark_player_start(hark_player *p, int64_t from);
/* See the top. Between the two, the callback touches no ring. */
hark_err hark_player_seek_begin(hark_player *p);
hark_err hark_player_seek_end(hark_player *p, int64_t from);

/* Stop at once (what the device holds is dropped) and join the decoder thread. */
hark_err hark_player_stop(hark_player *p);

/* Pause: the callback plays silence and takes nothing (what the device already holds still
 * plays out). */
void hark_player_set_paused(hark_player *p, int paused);

size_t hark_player_take_stamps(hark_player *p, hark_play_stamp *out, size_t max);
size_t hark_player_take_segments(hark_player *p, hark_play_segment *out, size_t max);

/* The stream's clock now, in the stamps' terms. */
double hark_player_time(const hark_player *p);
/* 1 once the decoder reached the end (without --loop), with the stream length in *frames. */
int hark_player_ended(const hark_player *p, uint64_t *frames);
/* Callbacks so far (the device asking for sound), and whether the stream still runs: a device
 * that stops asking is gone. */
uint64_t hark_player_calls(const hark_player *p);
int hark_player_active(const hark_player *p);
/* Frames of silence played because the decoder was late. */
uint64_t hark_player_underruns(const hark_player *p);
/* A read error on the decoder thread: HARK_OK, or the error with its detail set here. */
hark_err hark_player_error(const hark_player *p);

#endif
