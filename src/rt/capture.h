#ifndef HARK_CAPTURE_H
#define HARK_CAPTURE_H
/*
 * An input device as a source (source.h), through PortAudio. The callback runs on PortAudio's
 * real-time thread: it converts the interleaved float input to mono (the mean of the channels
 * opened, or the one chosen), writes it to the sample ring, stamps the buffer with its ADC
 * time, and counts what it saw and what did not fit, with relaxed atomics. Nothing else: no
 * lock, no allocation, no I/O, no call that can block.
 * Thread: open and the source's operations: main.
 */
#include "ring.h"
#include "source.h"

typedef struct {
    int device;                 /* index (audio.h) */
    double rate_hz;             /* 0: the device's default rate */
    int channel;                /* HARK_CHANNEL_MIX or a 0-based channel */
    unsigned frames_per_buffer; /* 0: PortAudio's choice */
    hark_ring *ring;            /* float samples; the callback is its only producer */
} hark_capture_config;

/* Open (not start) the stream. Failures are about the device (HARK_ERR_DEVICE), or a usage
 * error for a channel it does not have. */
hark_err hark_capture_open(const hark_capture_config *cfg, hark_source **out);

#endif
