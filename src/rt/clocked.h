#ifndef HARK_CLOCKED_H
#define HARK_CLOCKED_H
/*
 * A file or a pipe paced at real time, as a source (source.h), with no device: a timer thread
 * stands in for the device's clock and takes the player's sound (player.h) buffer by buffer as
 * the monotonic clock passes. As a stand-in for an output (plays), each buffer counts as heard
 * latency_s after it is taken, like a DAC's, and rows wait for their time; as a stand-in for an
 * input, they are due at once. The sound itself goes nowhere.
 * It serves the tests of the session's scheduling (no sound server, deterministic) and a
 * stream read from a pipe. Thread: open and the source's operations: main.
 */
#include <stdatomic.h>

#include "ring.h"
#include "source.h"

typedef struct {
    const char *path;      /* a file or a pipe libsndfile reads ("-": standard input) */
    const hark_raw_input *raw; /* NULL, or how to read headerless samples */
    double rate_hz;        /* 0: the file's; else converted (libsamplerate) */
    const hark_analysis *selection; /* the channels analysed (source.h; NULL: the mix) */
    int loop;
    int plays;             /* a stand-in for an output device (else for an input) */
    double latency_s;      /* plays: how long after it is taken a buffer is heard */
    double period_s;       /* the timer's step (0: 5 ms) */
    const atomic_int *stop;     /* NULL, or ends a wait for a stream's first bytes */
} hark_clocked_config;

hark_err hark_clocked_open(const hark_clocked_config *cfg, hark_source **out);

#endif
