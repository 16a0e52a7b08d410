/* hark play: a file to an output device through the session loop (session.h): the row on the
 * now line is the one heard. */
#include <math.h>
#include <stdlib.h>

#include "audio.h"
#include "cmd.h"
#include "playback.h"
#include "session.h"

static const char play_help[] =
    "Usage: hark play FILE [--device D] [--rate HZ] [--loop] [--start T] [--hold] [--headless]\n"
    "                 [--stats FILE.csv] [--record DIR [--record-seconds S]] [--orient top|right]\n"
    "                 [--snapshot-dir DIR] [--size WxH] [analysis options]\n"
    "\n"
    "Plays an audio file and shows its spectrogram in a window, the row on the now line being\n"
    "the one heard (by the device's DAC clock). The time axis is the position in the file.\n"
    "      --device D        output device: an index or part of a name ('hark devices') [default]\n"
    "      --rate HZ         open the device at this rate, resampling (libsamplerate) [the file's]\n"
    "      --loop            start again at the end\n"
    "      --start T         start at T seconds\n"
    "      --hold            at the end, keep the window open (until Q or Esc)\n"
    "      --headless        no window: play (and --record) only\n"
    "      --stats FILE.csv  for each row: when its centre sample reached the DAC and when it\n"
    "                        reached the now line (stream clock, s), and the difference\n"
"";

enum { OPT_LOOP = HARK_OPT_LAST_SESSION + 1, OPT_START, OPT_HOLD, OPT_STATS };

static const struct option play_options[] = {
    {"loop", no_argument, NULL, OPT_LOOP},
    {"start", required_argument, NULL, OPT_START},
    {"hold", no_argument, NULL, OPT_HOLD},
    {"stats", required_argument, NULL, OPT_STATS},
    {NULL, 0, NULL, 0},
};

static hark_err parse_start(hark_session *s, const char *v)
{
    char *end;
    s->start_s = strtod(v, &end);
    if (end == v || *end || !(s->start_s >= 0) || !isfinite(s->start_s))
        return hark_error_set(HARK_ERR_USAGE, "--start '%s': expected seconds >= 0", v);
    return HARK_OK;
}

static hark_err play_option(hark_session *s, int c, const char *v)
{
    switch (c) {
    case OPT_LOOP: s->loop = 1; return HARK_OK;
    case OPT_START: return parse_start(s, v);
    case OPT_HOLD: s->hold = 1; return HARK_OK;
    case OPT_STATS: s->stats = v; return HARK_OK;
    default: return hark_error_set(HARK_ERR_USAGE, "bad option (see 'hark play --help')");
    }
}

typedef struct {
    const hark_session *session;
    int device;
} output;

static hark_err open_playback(void *ctx, hark_source **out)
{
    const output *o = ctx;
    const hark_session *s = o->session;
    /* Output latency of at least a frame and a half: a row is ready before its centre is
     * heard. */
    hark_playback_config pc = {.path = s->path, .device = o->device, .rate_hz = s->rate_hz,
                               .selection = &s->analysis, .loop = s->loop,
                               .latency_frames = 3 * s->analysis.fft_size / 2,
                               .stop = &hark_stop_requested};
    hark_err err = hark_playback_open(&pc, out);
    if (err)
        return err;
    /* --start within the file. */
    const hark_decoder_info *file = &(*out)->info.file;
    if (s->start_s > 0 && file->frames >= 0 && s->start_s * file->rate_hz >= (double)file->frames) {
        err = hark_error_set(HARK_ERR_USAGE, "--start %.3f: the file is %.3f s long", s->start_s,
                             (double)file->frames / file->rate_hz);
        hark_source_destroy(*out);
        *out = NULL;
    }
    return err;
}

static hark_err run(const hark_session *s)
{
    output o = {.session = s};
    hark_err err = hark_audio_find_device(s->device, 0, &o.device);
    if (err)
        return err;
    return hark_session_open_and_run(s, open_playback, &o);
}

/* The session, playing one file (the operand) to an output device. */
hark_err hark_cmd_play(int argc, char **argv)
{
    static const hark_session_command play = {.name = "play", .fft_size = 2048,
                                              .usage = play_help, .options = play_options,
                                              .option = play_option, .operands = 1, .run = run};
    return hark_session_main(&play, argc, argv);
}
