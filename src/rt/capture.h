#ifndef HARK_CAPTURE_H
#define HARK_CAPTURE_H
/*
 * An input device as a source (source.h), through PortAudio. The callback runs on PortAudio's
 * real-time thread: it takes each channel analysed from the interleaved float input (one
 * opened, their mix, mid or side), writes them to the sample ring, stamps the buffer with its ADC
 * time, and counts what it saw and what did not fit, with relaxed atomics. Nothing else: no
 * lock, no allocation, no I/O, no call that can block.
 * Thread: open and the source's operations: main.
 */
#include "ring.h"
#include "source.h"

typedef struct {
    int device;                 /* index (audio.h) */
    double rate_hz;             /* 0: the device's default rate */
    const hark_analysis *selection; /* the channels analysed (source.h; NULL: the mix) */
    unsigned frames_per_buffer; /* 0: PortAudio's choice */
} hark_capture_config;

/* Open (not start) the stream, with as many input channels as the lanes need (`all`: the
 * device's, at most HARK_LANES_MAX). Failures are about the device (HARK_ERR_DEVICE), or a
 * usage error for a channel it does not have. */
hark_err hark_capture_open(const hark_capture_config *cfg, hark_source **out);

#endif
