/* hark play: a file to an output device through the session loop (session.h): the row on the
 * now line is the one heard. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cmd.h"
#include "playback.h"
#include "player.h"
#include "session.h"

static const char play_help[] =
    "Usage: hark play FILE [--device D] [--rate HZ] [--loop [A:B]] [--start T] [--speed F]\n"
    "                 [--hold] [--headless] [--stats FILE.csv] [--record DIR [--record-seconds S]]\n"
    "                 [--orient top|right]\n"
    "                 [--snapshot-dir DIR] [--size WxH] [--history S] [--zoom LO:HI]\n"
    "                 [analysis options]\n"
    "\n"
    "Plays an audio file and shows its spectrogram in a window, the row on the now line being\n"
    "the one heard (by the device's DAC clock). The time axis is the position in the file.\n"
    "      --device D        output device: an index or part of a name ('hark devices') [default]\n"
    "      --rate HZ         open the device at this rate, resampling (libsamplerate) [the file's]\n"
    "      --loop            start again at the end\n"
    "      --loop A:B        play seconds A to B over and over (from A, unless --start)\n"
    "      --speed F         play at F times the speed, 0.05 to 4, the pitch following (time\n"
    "                        expansion); [ and ] change it while playing [1]\n"
    "      --start T         start at T seconds\n"
    "      --hold            at the end, keep the window open (until Q or Esc)\n"
    "      --headless        no window: play (and --record) only\n"
    "      --stats FILE.csv  for each row: when its centre sample reached the DAC and when it\n"
    "                        reached the now line (stream clock, s), and the difference\n"
"";

enum { OPT_LOOP = HARK_OPT_LAST_SESSION + 1, OPT_START, OPT_HOLD, OPT_STATS, OPT_SPEED };

static const struct option play_options[] = {
    {"loop", optional_argument, NULL, OPT_LOOP},
    {"start", required_argument, NULL, OPT_START},
    {"hold", no_argument, NULL, OPT_HOLD},
    {"stats", required_argument, NULL, OPT_STATS},
    {"speed", required_argument, NULL, OPT_SPEED},
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

/* --loop, or --loop A:B (seconds, A < B). */
static hark_err parse_loop(hark_session *s, const char *v)
{
    s->loop = 1;
    s->loop_from_s = s->loop_to_s = 0;
    if (!v)
        return HARK_OK;
    char *mid, *end;
    double a = strtod(v, &mid), b = *mid == ':' ? strtod(mid + 1, &end) : NAN;
    if (mid == v || *mid != ':' || end == mid + 1 || *end || !(a >= 0) || !(b > a) ||
        !isfinite(b))
        return hark_error_set(HARK_ERR_USAGE, "--loop '%s': expected A:B, seconds with "
                              "0 <= A < B", v);
    s->loop_from_s = a;
    s->loop_to_s = b;
    return HARK_OK;
}

static hark_err parse_speed(hark_session *s, const char *v)
{
    char *end;
    double f = strtod(v, &end);
    if (end == v || *end || !(f >= HARK_SPEED_MIN && f <= HARK_SPEED_MAX))
        return hark_error_set(HARK_ERR_USAGE, "--speed '%s': expected %g to %g", v,
                              HARK_SPEED_MIN, HARK_SPEED_MAX);
    s->speed = f;
    return HARK_OK;
}

static hark_err play_option(hark_session *s, int c, const char *v)
{
    switch (c) {
    case OPT_LOOP: return parse_loop(s, v);
    case OPT_START: s->start_given = 1; return parse_start(s, v);
    case OPT_HOLD: s->hold = 1; return HARK_OK;
    case OPT_STATS: s->stats = v; return HARK_OK;
    case OPT_SPEED: return parse_speed(s, v);
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
                               .speed = s->speed,
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
    }
    double len = file->frames >= 0 ? (double)file->frames / file->rate_hz : INFINITY;
    if (!err && s->loop_to_s > 0 && s->loop_from_s >= len)
        err = hark_error_set(HARK_ERR_USAGE, "--loop %g:%g: the file is %.3f s long",
                             s->loop_from_s, s->loop_to_s, len);
    if (err) {
        hark_source_destroy(*out);
        *out = NULL;
    }
    return err;
}

static hark_err run(const hark_session *s)
{
    hark_session loop = *s; /* an A-B loop starts at A, unless --start says otherwise */
    if (s->loop_to_s > 0 && !s->start_given)
        loop.start_s = s->loop_from_s;
    output o = {.session = &loop};
    hark_err err = hark_audio_find_device(s->device, 0, &o.device);
    if (err)
        return err;
    return hark_session_open_and_run(&loop, open_playback, &o);
}

/* "--loop A:B" as one argument (getopt takes an optional argument only as --loop=A:B): a
 * word of digits, a colon and digits after --loop is its range, not the file. */
static void join_loop_range(int argc, char **argv, int *out_argc, char **out, char *joined,
                            size_t size)
{
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *next = i + 1 < argc ? argv[i + 1] : "";
        if (strcmp(argv[i], "--loop") == 0 && next[0] && strspn(next, "0123456789.:") ==
                                                              strlen(next) && strchr(next, ':')) {
            snprintf(joined, size, "--loop=%s", next);
            out[n++] = joined;
            i++;
            continue;
        }
        out[n++] = argv[i];
    }
    out[n] = NULL;
    *out_argc = n;
}

/* The session, playing one file (the operand) to an output device. */
hark_err hark_cmd_play(int argc, char **argv)
{
    static const hark_session_command play = {.name = "play", .fft_size = 2048,
                                              .usage = play_help, .options = play_options,
                                              .option = play_option, .operands = 1, .run = run};
    char **args = calloc((size_t)argc + 1, sizeof *args), joined[96];
    if (!args)
        return hark_fail(HARK_ERR_NOMEM);
    int n;
    join_loop_range(argc, argv, &n, args, joined, sizeof joined);
    hark_err err = hark_session_main(&play, n, args);
    free(args);
    return err;
}
