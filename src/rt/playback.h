#ifndef HARK_PLAYBACK_H
#define HARK_PLAYBACK_H
/*
 * A file played to an output device, as a source (source.h): the player (player.h) clocked by
 * PortAudio's output callback, which stamps each buffer with its DAC time. The device runs at
 * the file's rate when it takes it (else at its default rate, or --rate: libsamplerate
 * converts), with at most two channels.
 * Thread: open and the source's operations: main.
 */
#include <stdatomic.h>

#include "ring.h"
#include "source.h"

typedef struct {
    const char *path;
    int device;                 /* output device index (audio.h) */
    double rate_hz;             /* 0: the file's rate if the device takes it, else its default */
    const hark_analysis *selection; /* the channels analysed (source.h; NULL: the mix) */
    int loop;                   /* at the end, go on from the start (an A-B loop: the stream's
                                   hark_stream_set_loop) */
    double speed;               /* play at this times the file's speed, the pitch following
                                   (0: 1) */
    unsigned latency_frames;    /* at least this much output latency, in frames at the rate
                                   chosen (0: the device's default) */
    const atomic_int *stop;     /* NULL, or ends a wait for a stream's first bytes */
} hark_playback_config;

/* Open the file and the output stream (not started). Errors are about the file, or about the
 * device (HARK_ERR_DEVICE). */
hark_err hark_playback_open(const hark_playback_config *cfg, hark_source **out);

#endif
