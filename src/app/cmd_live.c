/* hark live: an input device through the session loop (session.h). */
#include <stdio.h>

#include "audio.h"
#include "capture.h"
#include "clocked.h"
#include "cmd.h"
#include "session.h"

static const char live_help[] =
    "Usage: hark live [--device D | --input IN [--raw-format F --channels N]] [--rate HZ]\n"
    "                 [--duration S] [--headless] [--raw OUT.npy]\n"
    "                 [--record DIR [--record-seconds S]] [--orient top|right]\n"
    "                 [--snapshot-dir DIR] [--size WxH] [--history S] [--zoom LO:HI]\n"
    "                 [analysis options]\n"
    "\n"
    "Shows the spectrogram of an audio input as it arrives, in a window: newest at the top\n"
    "(or the right), with axes, a status line and a readout under the mouse.\n"
    "      --device D        input device: an index or part of a name ('hark devices') [default]\n"
    "      --rate HZ         sample rate [the device's default]\n"
    "      --duration S      stop after S seconds of audio [until Q, Esc, Ctrl-C or SIGTERM]\n"
    "      --headless        no window\n"
    "      --raw OUT.npy     also write the rows as float32 dBFS, shape (rows, frames), and OUT.json\n"
    "      --input IN        no device: IN (a file, or - for standard input: a WAV, FLAC, Ogg\n"
    "                        stream, or headerless samples with --raw-format), paced at real\n"
    "                        time; the session ends where IN does\n"
    "      --raw-format F    IN is headerless samples: s16le, s24le, s32le or f32le, little-\n"
    "                        endian, channels interleaved; --rate gives their rate (needed)\n"
    "      --channels N      their channels [1]\n"
    "      --test-stall-dsp START:LEN  (for tests) pause the DSP thread for LEN seconds from\n"
    "                        START, so the capture ring fills and samples are dropped\n";

enum { OPT_DURATION = HARK_OPT_LAST_SESSION + 1, OPT_RAW, OPT_STALL, OPT_INPUT };

static const struct option live_options[] = {
    {"duration", required_argument, NULL, OPT_DURATION},
    {"raw", required_argument, NULL, OPT_RAW},
    {"input", required_argument, NULL, OPT_INPUT},
    {"raw-format", required_argument, NULL, HARK_OPT_RAW_FORMAT},
    {"channels", required_argument, NULL, HARK_OPT_INPUT_CHANNELS},
    {"test-stall-dsp", required_argument, NULL, OPT_STALL},
    {NULL, 0, NULL, 0},
};

static hark_err parse_stall(hark_session *s, const char *v)
{
    int used = -1;
    if (sscanf(v, "%lf:%lf%n", &s->stall_start_s, &s->stall_len_s, &used) != 2 ||
        v[used < 0 ? 0 : used] || !(s->stall_start_s >= 0) || !(s->stall_len_s > 0))
        return hark_error_set(HARK_ERR_USAGE, "--test-stall-dsp '%s': expected START:LEN", v);
    return HARK_OK;
}

static hark_err live_option(hark_session *s, int c, const char *v)
{
    hark_err err;
    if (hark_input_option(&s->raw_input, c, v, &err))
        return err;
    switch (c) {
    case OPT_INPUT: s->input = v; return HARK_OK;
    case OPT_DURATION: return hark_session_seconds("--duration", v, &s->duration_s);
    case OPT_RAW: s->raw = v; return HARK_OK;
    case OPT_STALL: return parse_stall(s, v);
    default: return hark_error_set(HARK_ERR_USAGE, "bad option (see 'hark live --help')");
    }
}

typedef struct {
    const hark_session *session;
    int device;
    double rate_hz;
} input;

static hark_err open_capture(void *ctx, hark_source **out)
{
    const input *in = ctx;
    hark_capture_config cc = {.device = in->device, .rate_hz = in->rate_hz,
                              .selection = &in->session->analysis};
    return hark_capture_open(&cc, out);
}

/* --input: the file or stream, paced at real time by the clocked source (no device). */
static hark_err open_clocked(void *ctx, hark_source **out)
{
    const input *in = ctx;
    const hark_session *s = in->session;
    hark_clocked_config cc = {.path = s->input, .raw = &s->raw_input,
                              .rate_hz = s->raw_input.sample ? 0 : s->rate_hz,
                              .selection = &s->analysis, .stop = &hark_stop_requested};
    return hark_clocked_open(&cc, out);
}

static hark_err run_input(const hark_session *s)
{
    hark_raw_input raw = s->raw_input;
    if (raw.sample != HARK_RAW_NONE)
        raw.rate_hz = (int)s->rate_hz;
    hark_err err = hark_input_finish(&raw);
    if (err)
        return err;
    hark_session with_rate = *s;
    with_rate.raw_input = raw;
    input in = {.session = &with_rate};
    return hark_session_open_and_run(&with_rate, open_clocked, &in);
}

static hark_err run(const hark_session *s)
{
    if (s->input && s->device)
        return hark_error_set(HARK_ERR_USAGE, "--input and --device: one source at a time");
    if (s->input)
        return run_input(s);
    if (s->raw_input.sample || s->raw_input.channels)
        return hark_error_set(HARK_ERR_USAGE, "--raw-format and --channels describe --input");
    input in = {.session = s};
    hark_audio_device dev;
    hark_err err = hark_audio_find_device(s->device, 1, &in.device);
    if (!err)
        err = hark_audio_device_get(in.device, &dev);
    if (err)
        return err;
    in.rate_hz = s->rate_hz > 0 ? s->rate_hz : dev.default_rate_hz;
    return hark_session_open_and_run(s, open_capture, &in);
}

/* The session, fed by an input device. */
hark_err hark_cmd_live(int argc, char **argv)
{
    static const hark_session_command live = {.name = "live", .fft_size = 2048,
                                              .usage = live_help, .options = live_options,
                                              .option = live_option, .run = run};
    return hark_session_main(&live, argc, argv);
}
