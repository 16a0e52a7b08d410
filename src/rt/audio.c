#include "audio.h"

#include <ctype.h>
#include <fcntl.h>
#include <portaudio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


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

hark_err hark_audio_fail(const char *device, const char *what, int pa_error)
{
    return hark_error_at(HARK_ERR_DEVICE, device, "%s: %s", what, Pa_GetErrorText(pa_error));
}

hark_err hark_audio_init(void)
{
    int saved = hark_audio_quiet_begin();
    PaError e = Pa_Initialize();
    hark_audio_quiet_end(saved);
    if (e != paNoError)
        return hark_audio_fail(NULL, "cannot start PortAudio", e);
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

