/* The options live and play share, and what both need before their loop (session.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine.h"
#include "audio.h"
#include "cmd.h"
#include "outfile.h"
#include "session.h"
#include "stderr_filter.h"
#include "traces.h"
#include "view.h"

#define ROW_RING_ROWS 1024u

static void session_defaults(hark_session *s, const char *command, unsigned fft_size)
{
    *s = (hark_session){.command = command, .record_seconds = 60, .newest_at_top = 1,
                        .width = 1280, .height = 720, .started_at = hark_now_s(),
                        .average_s = 1.0, .history_s = HARK_HISTORY_S, .speed = 1.0};
    hark_analysis_defaults(&s->analysis, fft_size);
}

static hark_err parse_size(hark_session *s, const char *v)
{
    int used = -1;
    if (sscanf(v, "%dx%d%n", &s->width, &s->height, &used) != 2 || v[used < 0 ? 0 : used] ||
        s->width < 320 || s->height < 200 || s->width > 16384 || s->height > 16384)
        return hark_error_set(HARK_ERR_USAGE, "--size '%s': expected WxH, at least 320x200", v);
    return HARK_OK;
}

static hark_err parse_rate(hark_session *s, const char *v)
{
    char *end;
    s->rate_hz = strtod(v, &end);
    if (end == v || *end || !(s->rate_hz >= HARK_RATE_MIN && s->rate_hz <= HARK_RATE_MAX))
        return hark_error_set(HARK_ERR_USAGE, "--rate '%s': expected %.0f to %.0f Hz", v,
                              HARK_RATE_MIN, HARK_RATE_MAX);
    return HARK_OK;
}

/* A number for opt: all of v, finite. */
static hark_err parse_number(const char *opt, const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    if (end == v || *end || !isfinite(*out))
        return hark_error_set(HARK_ERR_USAGE, "%s '%s': expected a number", opt, v);
    return HARK_OK;
}

/* The spectrum panel's options (analyzer.h). */
static hark_err analyzer_option(hark_session *s, int code, const char *v)
{
    double x;
    hark_err err;
    switch (code) {
    case HARK_OPT_AVERAGE:
        if ((err = parse_number("--average", v, &x)))
            return err;
        s->average_s = x;
        return hark_traces_check_average(x);
    case HARK_OPT_PEAK_DECAY:
        if ((err = parse_number("--peak-decay", v, &x)))
            return err;
        if (x < 0 || x > 1000)
            return hark_error_set(HARK_ERR_USAGE, "--peak-decay '%s': expected 0 (held) to "
                                  "1000 dB/s", v);
        s->peak_decay_db_s = x;
        return HARK_OK;
    case HARK_OPT_OCTAVE:
        if ((err = parse_number("--octave", v, &x)))
            return err;
        if (x != floor(x) || x < 0 || x > 24)
            return hark_error_set(HARK_ERR_USAGE, "--octave '%s': expected 1, 3, 6, 12 or 24",
                                  v);
        s->octave = (unsigned)x;
        return hark_lines_check_octave(s->octave);
    case HARK_OPT_WEIGHTING: return hark_weighting_parse(v, &s->weighting);
    case HARK_OPT_TRACE_OUT: s->trace_out = v; return HARK_OK;
    default: return HARK_OK;
    }
}

/* --zoom LO:HI (Hz, LO < HI). */
static hark_err parse_zoom(hark_session *s, const char *v)
{
    char *mid, *end;
    double lo = strtod(v, &mid), hi = *mid == ':' ? strtod(mid + 1, &end) : NAN;
    if (mid == v || *mid != ':' || end == mid + 1 || *end || !(lo >= 0) || !(hi > lo) ||
        !isfinite(hi))
        return hark_error_set(HARK_ERR_USAGE, "--zoom '%s': expected LO:HI in Hz, 0 <= LO < HI",
                              v);
    s->zoom_lo_hz = lo;
    s->zoom_hi_hz = hi;
    return HARK_OK;
}

/* 1 if code is one of HARK_SESSION_OPTIONS (then *err says whether its value was good). */
static int session_option(hark_session *s, int code, const char *v, hark_err *err)
{
    *err = HARK_OK;
    switch (code) {
    case HARK_OPT_DEVICE: s->device = v; return 1;
    case HARK_OPT_RATE: *err = parse_rate(s, v); return 1;
    case HARK_OPT_HEADLESS: s->headless = 1; return 1;
    case HARK_OPT_ORIENT:
        if (strcmp(v, "top") != 0 && strcmp(v, "right") != 0)
            *err = hark_error_set(HARK_ERR_USAGE, "--orient '%s': expected top or right", v);
        s->newest_at_top = strcmp(v, "top") == 0;
        return 1;
    case HARK_OPT_SNAPSHOT_DIR: s->snapshot_dir = v; return 1;
    case HARK_OPT_RECORD: s->record_dir = v; return 1;
    case HARK_OPT_RECORD_SECONDS:
        *err = hark_session_seconds("--record-seconds", v, &s->record_seconds);
        if (!*err && s->record_seconds > HARK_RECORD_SECONDS_MAX)
            *err = hark_error_set(HARK_ERR_USAGE, "--record-seconds '%s': at most %.0f (a "
                                  "day)", v, HARK_RECORD_SECONDS_MAX);
        return 1;
    case HARK_OPT_SIZE: *err = parse_size(s, v); return 1;
    case HARK_OPT_HISTORY:
        *err = hark_session_seconds("--history", v, &s->history_s);
        if (!*err && s->history_s > HARK_HISTORY_S_MAX)
            *err = hark_error_set(HARK_ERR_USAGE, "--history '%s': at most %.0f (a day)", v,
                                  HARK_HISTORY_S_MAX);
        return 1;
    case HARK_OPT_ZOOM: *err = parse_zoom(s, v); return 1;
    case HARK_OPT_AVERAGE: case HARK_OPT_PEAK_DECAY: case HARK_OPT_OCTAVE:
    case HARK_OPT_WEIGHTING: case HARK_OPT_TRACE_OUT:
        *err = analyzer_option(s, code, v);
        return 1;
    default: return 0;
    }
}

hark_err hark_session_seconds(const char *opt, const char *v, double *out)
{
    char *end;
    double s = strtod(v, &end);
    if (end == v || *end || !(s > 0) || !isfinite(s))
        return hark_error_set(HARK_ERR_USAGE, "%s '%s': expected seconds > 0", opt, v);
    *out = s;
    return HARK_OK;
}

/* After the options: resolve the analysis and what the DSP computes. */
static hark_err finish_options(hark_session *s)
{
    hark_err err = hark_analysis_finish(&s->analysis);
    if (err)
        return err;
    if (!s->headless && s->analysis.height)
        return hark_error_set(HARK_ERR_USAGE, "--height is for --headless: the window has one "
                                              "row per pixel");
    /* Said before any device is opened: the log is written in place, so it must not be the
     * file played (nor the same file through a link). */
    const char *outs[] = {s->stats, s->trace_out}, *in = s->path ? s->path : s->input;
    for (int k = 0; k < 2; k++)
        if (outs[k] && in && hark_outfile_is_input(outs[k], in))
            return hark_error_at(HARK_ERR_USAGE, outs[k], "is the input file: choose another "
                                 "name");
    if (s->trace_out && (err = hark_outfile_check(s->trace_out)))
        return err;
    if (!s->headless && s->analysis.fft_size > HARK_WINDOW_FFT_MAX)
        return hark_error_set(HARK_ERR_USAGE, "--fft %u: the window draws at most %u bins "
                              "(--fft %u); use a smaller --fft, or --headless",
                              s->analysis.fft_size, HARK_WINDOW_FFT_MAX / 2 + 1,
                              HARK_WINDOW_FFT_MAX);
    /* The DSP thread gives linear bins: the window maps them onto the scale itself (so L
     * changes it at once), the analyzer's traces are made of them, and the outputs of a
     * headless session map them onto --scale and --height (session_out.h). */
    s->dsp = s->analysis;
    s->dsp.scale = HARK_SCALE_LINEAR;
    s->dsp.height = 0;
    return HARK_OK;
}

/* The DSP thread's hook: new rows wake the window at once (nothing without one). */
static void wake_view(void *ctx)
{
    (void)ctx;
    hark_view_wake();
}

hark_err hark_session_open_and_run(const hark_session *s, hark_source_open_fn open, void *ctx)
{
    hark_source *source;
    hark_err err = open(ctx, &source);
    if (err)
        return err;
    hark_stream_config sc = {.source = source, .analysis = s->dsp,
                             .row_ring = ROW_RING_ROWS, .on_rows = wake_view,
                             .pcen_rows = !s->headless || s->analysis.pcen};
    hark_stream *stream;
    if ((err = hark_stream_create(&sc, &stream)))
        return err;
    return hark_session_run(s, stream);
}

/* ---- the command line ------------------------------------------------------------------------ */

#define MAX_OPTIONS 64

typedef struct {
    const hark_session_command *cmd;
    hark_session *s;
} parse_ctx;

static hark_err apply(void *ctx, int code, const char *v)
{
    parse_ctx *p = ctx;
    hark_err err;
    if (session_option(p->s, code, v, &err))
        return err;
    if (code >= HARK_OPT_FFT && code < HARK_OPT_LAST_ANALYSIS)
        return hark_analysis_apply(&p->s->analysis, code, v);
    return p->cmd->option(p->s, code, v);
}

/* The command's own options, then --help, the analysis and the session options. */
static void option_table(const hark_session_command *cmd, struct option *all)
{
    static const struct option shared[] = {
        {"help", no_argument, NULL, 'h'},
        HARK_ANALYSIS_OPTIONS,
        HARK_SESSION_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    size_t n = 0;
    for (const struct option *o = cmd->options; o->name && n < MAX_OPTIONS / 2; o++)
        all[n++] = *o;
    for (const struct option *o = shared; n < MAX_OPTIONS - 1; o++) {
        all[n++] = *o;
        if (!o->name)
            break;
    }
    all[MAX_OPTIONS - 1] = (struct option){NULL, 0, NULL, 0};
}

static hark_err parse_args(const hark_session_command *cmd, hark_session *s, int argc,
                           char **argv, int *help)
{
    struct option all[MAX_OPTIONS];
    option_table(cmd, all);
    session_defaults(s, cmd->name, cmd->fft_size);
    parse_ctx ctx = {cmd, s};
    hark_err err = hark_cmd_getopt(argc, argv, ":h", all, cmd->name, apply, &ctx, help);
    if (err || *help)
        return err;
    if (argc - optind > cmd->operands)
        return hark_error_set(HARK_ERR_USAGE, "unexpected argument '%s'",
                              argv[optind + cmd->operands]);
    if (argc - optind < cmd->operands)
        return hark_error_set(HARK_ERR_USAGE, "expected one FILE (see 'hark %s --help')",
                              cmd->name);
    if (cmd->operands)
        s->path = argv[optind];
    return finish_options(s);
}

/* The options live and play share, after each one's own. */
static const char session_help[] =
    "      --orient top|right  newest rows at the top (frequency across) or at the right [top]\n"
    "      --snapshot-dir DIR  where S and SIGUSR1 save snapshots [the current folder]\n"
    "      --size WxH        initial window size [1280x720]\n"
    "      --history S       seconds of rows the window keeps to scroll back through [600];\n"
    "                        memory: S x rate / hop x (fft/2 + 1) x 4 bytes a channel (600 s\n"
    "                        at 48 kHz, fft 2048, hop 1024: 115 MB; 3600 s at hop 512:\n"
    "                        1.4 GB), said at the start and refused beyond the memory free\n"
    "      --zoom LO:HI      start with the frequency axis zoomed to LO..HI Hz\n"
    "      --record DIR      write the full-resolution waterfall as numbered PNG strips (made\n"
    "                        with its parents if missing)\n"
    "      --record-seconds S  seconds per strip, up to 86400 (memory: one strip of S rate / hop\n"
    "                        x rows bytes) [60]\n"
    "      --average S       the spectrum's averaging time constant: 0 (off) or 0.1 to 10 s [1]\n"
    "      --peak-decay DB   the peak hold falls DB per second (0: held until reset) [0]\n"
    "      --octave N        the spectrum in 1/N-octave bands (1, 3, 6, 12, 24) [bins]\n"
    "      --weighting Z|A|C  the spectrum's frequency weighting (IEC 61672) [Z]\n"
    "      --trace-out FILE.csv  write the spectrum's traces (Hz, current, average, peak, min,\n"
    "                        reference dBFS) at the end, and on T\n"
    "\n"
    "In the window, --fft is at most 16384 and --height is not taken (one row per pixel);\n"
    "--headless takes both as render does.\n"
    "\n";

static void print_help(const hark_session_command *cmd)
{
    char keys[2048];
    hark_view_keys_text(cmd->name, keys, sizeof keys);
    fputs(cmd->usage, stdout);
    fputs(session_help, stdout);
    fputs(keys, stdout);
    printf("\nDefault analysis for %s: --fft %u, 50%% overlap.\n\n%s", cmd->name, cmd->fft_size,
           hark_analysis_help);
}

hark_err hark_session_main(const hark_session_command *cmd, int argc, char **argv)
{
    static hark_session s;
    int help = 0;
    hark_err err = parse_args(cmd, &s, argc, argv, &help);
    if (err || help) {
        if (help)
            print_help(cmd);
        return err;
    }
    if (s.input) /* no device: neither PortAudio nor its noise */
        return cmd->run(&s);
    if ((err = hark_audio_init()))
        return err;
    hark_stderr_filter_start(); /* without it, stderr is only noisier */
    err = cmd->run(&s);
    hark_audio_terminate();
    if (hark_audio_abandoned())
        hark_stderr_filter_stop_at_exit();
    else
        hark_stderr_filter_stop();
    return err;
}
