#ifndef HARK_AUDIO_H
#define HARK_AUDIO_H
/*
 * PortAudio: initialisation, the device list, and choosing a device by index or by a fragment
 * of its name. The streams are sources (capture.h, playback.h). Thread: main.
 */

#include "error.h"

/* PortAudio's libraries (ALSA, JACK) print their probing noise on stderr: init and stream
 * opening run with stderr sent to /dev/null, so hark's own errors stay one line (their later
 * complaints, while streams run, are the application's to filter). */
hark_err hark_audio_init(void);
/* The same around any other PortAudio call that probes (opening a stream): begin returns
 * what end needs. */
int hark_audio_quiet_begin(void);
void hark_audio_quiet_end(int saved);
/* Pa_Terminate, unless a stream was abandoned (below): it would join that stream's thread. */
void hark_audio_terminate(void);

/* Stop a running stream at once (Pa_AbortStream), waiting at most about a second and a half.
 * PortAudio 19.6's ALSA thread can loop for ever on a device that is gone (a killed sound
 * server: an error path that jumps to itself, with cancellation off), and any stop joins that
 * thread. When the stop does not return in time the stream is abandoned: *abandoned is set,
 * the stop goes on in a helper thread that never ends, and the caller must neither close the
 * stream nor free anything its callback uses (the process ends soon after). HARK_OK then: the
 * samples already taken stay good. */
hark_err hark_audio_abort(void *stream, const char *device, int *abandoned);
/* 1 once any stream was abandoned (the sound libraries' threads then outlive the session). */
int hark_audio_abandoned(void);
/* A PortAudio failure about a device (NULL: no device in particular): HARK_ERR_DEVICE, with
 * "<what>: <PortAudio's words>" as the detail. */
hark_err hark_audio_fail(const char *device, const char *what, int pa_error);

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

#endif
