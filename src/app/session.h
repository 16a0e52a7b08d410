#ifndef HARK_SESSION_H
#define HARK_SESSION_H
/*
 * The one session loop behind `live` and `play` (docs/ARCHITECTURE.md): a stream of rows from
 * a source (stream.h) goes to the window (view.h), to --raw's sinks and to --record's strips
 * (sink.h), with snapshots and strips written on the writer thread (writer.h). What differs
 * between the commands is data here, not code: a source that plays (a file to a device) is
 * paused and seeked with its picture and its rows wait for the DAC; an input's rows are shown
 * at once and the window measures its latency. Prints the start line, every file written and
 * the summary on stdout. Thread: main.
 */
#include <getopt.h>
#include <stdint.h>

#include "analysis.h"
#include "lines.h"
#include "error.h"
#include "stream.h"

/* The options live and play share (device, window, recording). Their codes follow the
 * analysis options'; a command's own start at HARK_OPT_LAST_SESSION. */
enum {
    HARK_OPT_DEVICE = HARK_OPT_LAST_ANALYSIS + 1,
    HARK_OPT_RATE,
    HARK_OPT_HEADLESS,
    HARK_OPT_ORIENT,
    HARK_OPT_SNAPSHOT_DIR,
    HARK_OPT_SIZE,
    HARK_OPT_RECORD,
    HARK_OPT_RECORD_SECONDS,
    HARK_OPT_AVERAGE,
    HARK_OPT_PEAK_DECAY,
    HARK_OPT_OCTAVE,
    HARK_OPT_WEIGHTING,
    HARK_OPT_TRACE_OUT,
    HARK_OPT_HISTORY,
    HARK_OPT_ZOOM,
    HARK_OPT_LAST_SESSION
};
#define HARK_SESSION_OPTIONS                                              \
    {"device", required_argument, NULL, HARK_OPT_DEVICE},                 \
    {"rate", required_argument, NULL, HARK_OPT_RATE},                     \
    {"headless", no_argument, NULL, HARK_OPT_HEADLESS},                   \
    {"orient", required_argument, NULL, HARK_OPT_ORIENT},                 \
    {"snapshot-dir", required_argument, NULL, HARK_OPT_SNAPSHOT_DIR},     \
    {"size", required_argument, NULL, HARK_OPT_SIZE},                     \
    {"record", required_argument, NULL, HARK_OPT_RECORD},                 \
    {"record-seconds", required_argument, NULL, HARK_OPT_RECORD_SECONDS},  \
    {"average", required_argument, NULL, HARK_OPT_AVERAGE},               \
    {"peak-decay", required_argument, NULL, HARK_OPT_PEAK_DECAY},         \
    {"octave", required_argument, NULL, HARK_OPT_OCTAVE},                 \
    {"weighting", required_argument, NULL, HARK_OPT_WEIGHTING},           \
    {"trace-out", required_argument, NULL, HARK_OPT_TRACE_OUT},           \
    {"history", required_argument, NULL, HARK_OPT_HISTORY},               \
    {"zoom", required_argument, NULL, HARK_OPT_ZOOM}

/* The longest strip (a day). */
#define HARK_RECORD_SECONDS_MAX 86400.0
/* The window's history (--history): its default and its longest, in seconds. */
#define HARK_HISTORY_S 600.0
#define HARK_HISTORY_S_MAX 86400.0
/* The largest frame the window draws, across its panes: each pane holds its newest 4096 rows
 * of fft/2 + 1 bins on the GPU (134 MB at this size). */
#define HARK_WINDOW_FFT_MAX 16384u

/* What a session does. */
typedef struct {
    const char *command;                   /* "live" or "play" */
    const char *path;                      /* play: the file (NULL for a device) */
    const char *input;                     /* live --input: a file or "-", paced at real
                                              time (NULL: a device) */
    hark_raw_input raw_input;              /* live --raw-format, --channels (and --rate) */
    const char *device;                    /* index or name fragment (NULL: the default) */
    double rate_hz;                        /* HARK_RATE_MIN..MAX (0: the default) */
    int headless;                          /* no window */
    const char *snapshot_dir, *record_dir; /* NULL: the current folder / no recording */
    double record_seconds;                 /* [60] */
    int newest_at_top, width, height;      /* [1, 1280, 720] */
    hark_analysis analysis;                /* as asked (the window's scale, range, map) */
    hark_analysis dsp;                     /* what the rows are: linear bins, always (the
                                              window and headless outputs map them onto the
                                              scale: session_out.h) */
    double history_s;                      /* rows the window keeps to scroll back [600] */
    double zoom_lo_hz, zoom_hi_hz;         /* --zoom: the frequency band shown (hi 0: all) */
    double average_s;                      /* the spectrum's averaging time constant [1] */
    double peak_decay_db_s;                /* its peak hold's fall (0: held) [0] */
    unsigned octave;                       /* its bands (0: bins) [0] */
    hark_weighting weighting;              /* [Z] */
    const char *trace_out;                 /* --trace-out FILE.csv */
    const char *raw;                       /* --raw OUT.npy (and its sidecar) */
    const char *stats;                     /* play --stats SYNC.csv */
    double duration_s;                     /* stop after this much sound (0: no limit) */
    double start_s;                        /* play --start (or the loop's start) */
    int start_given;
    int loop, hold;                        /* play --loop, --hold */
    double loop_from_s, loop_to_s;         /* play --loop A:B (to 0: the whole file) */
    double speed;                          /* play --speed [1] */
    double stall_start_s, stall_len_s;     /* live --test-stall-dsp */
    double started_at;                     /* hark_now_s() when the command began */
} hark_session;

/* "--duration '0'": expected seconds > 0. */
hark_err hark_session_seconds(const char *opt, const char *value, double *out);

/* Open a source (with its sample ring: source.h), make the stream around it, and run the
 * session (hark_session_run). */
typedef hark_err (*hark_source_open_fn)(void *ctx, hark_source **out);
hark_err hark_session_open_and_run(const hark_session *s, hark_source_open_fn open, void *ctx);

/* Run the session to its end (--duration, the end of the file, Q, Ctrl-C, SIGTERM, SIGHUP)
 * or its first failure, and destroy the stream. Whatever happens, what was recorded and
 * captured so far is written. */
hark_err hark_session_run(const hark_session *s, hark_stream *stream);

/* What live and play each bring to the session's command line. */
typedef struct {
    const char *name;                 /* "live" or "play" */
    unsigned fft_size;                /* its default */
    const char *usage;                /* --help, before the keys and the analysis options */
    const struct option *options;     /* its own, ending with {NULL, 0, NULL, 0} */
    hark_err (*option)(hark_session *s, int code, const char *value);
    int operands;                     /* 0, or 1 (play's FILE, into s->path) */
    hark_err (*run)(const hark_session *s); /* open the source, run the session */
} hark_session_command;

/* The command: its options with the analysis and session options, then --help, or PortAudio
 * up (its noise kept off stderr), the run, and PortAudio down. */
hark_err hark_session_main(const hark_session_command *cmd, int argc, char **argv);

#endif
