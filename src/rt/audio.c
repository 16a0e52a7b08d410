#include "audio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <portaudio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ABORT_LIMIT_S 1.5

static atomic_int abandoned_any;


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
    if (atomic_load(&abandoned_any))
        return;
    int saved = hark_audio_quiet_begin();
    Pa_Terminate();
    hark_audio_quiet_end(saved);
}

/* ---- a bounded stop ---------------------------------------------------------------------- */

typedef struct {
    PaStream *stream;
    pthread_mutex_t mu;
    pthread_cond_t done_cv;
    int done;
    PaError result;
} abort_job;

static void *abort_main(void *arg)
{
    abort_job *job = arg;
    PaError e = Pa_AbortStream(job->stream);
    pthread_mutex_lock(&job->mu);
    job->result = e;
    job->done = 1;
    pthread_cond_signal(&job->done_cv);
    pthread_mutex_unlock(&job->mu);
    return NULL;
}

/* Wait for the job until the limit; 1 if it finished. */
static int wait_for_job(abort_job *job)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)ABORT_LIMIT_S;
    until.tv_nsec += (long)((ABORT_LIMIT_S - (double)(time_t)ABORT_LIMIT_S) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&job->mu);
    int rc = 0;
    while (!job->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&job->done_cv, &job->mu, &until);
    int done = job->done;
    pthread_mutex_unlock(&job->mu);
    return done;
}

static abort_job *new_job(PaStream *stream)
{
    abort_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&job->done_cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&job->mu, NULL);
    job->stream = stream;
    return job;
}

static void free_job(abort_job *job)
{
    pthread_cond_destroy(&job->done_cv);
    pthread_mutex_destroy(&job->mu);
    free(job);
}

hark_err hark_audio_abort(void *stream, const char *device, int *abandoned)
{
    abort_job *job = new_job(stream);
    pthread_t helper;
    if (!job || pthread_create(&helper, NULL, abort_main, job) != 0) {
        if (job) /* no helper: the stop is done here, unbounded */
            free_job(job);
        PaError e = Pa_AbortStream(stream);
        return e == paNoError ? HARK_OK : hark_audio_fail(device, "cannot stop the stream", e);
    }
    if (!wait_for_job(job)) { /* the helper and its job live on until the process ends */
        pthread_detach(helper);
        *abandoned = 1;
        atomic_store(&abandoned_any, 1);
        return HARK_OK;
    }
    pthread_join(helper, NULL);
    PaError e = job->result;
    free_job(job);
    return e == paNoError ? HARK_OK : hark_audio_fail(device, "cannot stop the stream", e);
}

int hark_audio_abandoned(void)
{
    return atomic_load(&abandoned_any);
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

