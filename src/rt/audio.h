#ifndef HARK_AUDIO_H
#define HARK_AUDIO_H
/*
 * PortAudio: the device list, choosing a device by index or by a fragment of its name, and
 * capture streams whose callback feeds a sample ring.
 *
 * The capture callback runs on PortAudio's real-time thread. It converts the interleaved
 * float input to mono (the mean of the channels, or one channel), writes it to the ring,
 * and counts what it saw and what did not fit, with relaxed atomics. Nothing else: no lock,
 * no allocation, no I/O, no call that can block.
 *
 * Threads: everything here but the callback is for the main thread; hark_capture_frames and
 * hark_capture_dropped may be read from any thread.
 */
#include <stdint.h>

#include "error.h"
#include "latency.h"
#include "ring.h"

/* PortAudio's libraries (ALSA, JACK) print their probing noise on stderr: init and stream
 * opening run with stderr sent to /dev/null, so hark's own errors stay one line (their later
 * complaints, while streams run, are the application's to filter). */
hark_err hark_audio_init(void);
/* The same around any other PortAudio call that probes (opening a stream): begin returns
 * what end needs. */
int hark_audio_quiet_begin(void);
void hark_audio_quiet_end(int saved);
void hark_audio_terminate(void);

typedef struct {
    int index;
    char name[128];
    char host_api[32];
    int max_input_channels, max_output_channels;
    double default_rate_hz;
    int is_default_input, is_default_output;
} hark_audio_device;

int hark_audio_device_count(void);
hark_err hark_audio_device_get(int index, hark_audio_device *out);

/* A device for input (want_input) or output: NULL or "" for the default one, a number for
 * that index, else the first device whose name contains spec (case-insensitive) and has
 * channels in that direction. HARK_ERR_OPEN with a detail when there is none. */
hark_err hark_audio_find_device(const char *spec, int want_input, int *index);

typedef struct hark_capture hark_capture;

typedef struct {
    int device;                 /* index */
    double rate_hz;             /* 0: the device's default rate */
    int channel;                /* HARK_CHANNEL_MIX (decoder.h) or a 0-based channel */
    unsigned frames_per_buffer; /* 0: PortAudio's choice */
    hark_ring *ring;            /* float samples; the callback is its only producer */
} hark_capture_config;

/* Open (not start) a capture stream. The rate actually used is in hark_capture_rate. */
hark_err hark_capture_open(const hark_capture_config *cfg, hark_capture **out);
hark_err hark_capture_start(hark_capture *c);
hark_err hark_capture_stop(hark_capture *c);  /* waits for the callback to finish */
void hark_capture_close(hark_capture *c);     /* NULL-safe; stops first */

/* 0 once the stream has stopped on its own (the host API gave up on the device). */
int hark_capture_active(const hark_capture *c);
double hark_capture_rate(const hark_capture *c);
unsigned hark_capture_channels(const hark_capture *c); /* channels opened on the device */
/* Frames the callback has seen, and of those how many did not fit in the ring. */
uint64_t hark_capture_frames(const hark_capture *c);
uint64_t hark_capture_dropped(const hark_capture *c);

/* Main thread: take up to max of the stamps the callback published, one per buffer (the
 * index in the sample ring's stream of its first sample, and its ADC time). */
size_t hark_capture_take_stamps(hark_capture *c, hark_stamp *out, size_t max);
/* The stream's clock now, in the ADC times' terms (seconds). */
double hark_capture_time(const hark_capture *c);

#endif
