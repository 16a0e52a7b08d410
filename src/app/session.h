#ifndef HARK_SESSION_H
#define HARK_SESSION_H
/*
 * What `live` and `play` share around the waterfall: the writer thread (snapshots and strips,
 * each file written printed on stdout), the --record recorder on it, and option values in
 * seconds. Thread: main.
 */
#include <getopt.h>
#include <stdint.h>

#include "analysis.h"
#include "error.h"
#include "recorder.h"
#include "snapshot.h"

typedef struct {
    hark_snapshots *writer;   /* started on first need, for snapshots and strips alike */
    hark_recorder *recorder;
} hark_session_out;

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
    {"record-seconds", required_argument, NULL, HARK_OPT_RECORD_SECONDS}

typedef struct {
    const char *device;                    /* index or name fragment (NULL: the default) */
    double rate_hz;                        /* HARK_RATE_MIN..MAX (0: the default) */
    int headless;                          /* no window */
    const char *snapshot_dir, *record_dir; /* NULL: the current folder / no recording */
    double record_seconds;                 /* [60] */
    int newest_at_top, width, height;      /* [1, 1280, 720] */
} hark_session_options;

void hark_session_options_defaults(hark_session_options *o);
/* 1 if code is one of HARK_SESSION_OPTIONS (then *err says whether its value was good). */
int hark_session_option(hark_session_options *o, int code, const char *value, hark_err *err);

/* A device is gone when its progress count (frames captured, callbacks made) has not moved
 * for HARK_DEVICE_SILENT_S, or its stream stopped by itself. */
#define HARK_DEVICE_SILENT_S 2.0
typedef struct {
    uint64_t count;       /* the count when it last moved ... */
    double moved_at;      /* ... and when (hark_session_now; 0: not yet seen) */
} hark_session_watch;
int hark_session_device_gone(hark_session_watch *w, uint64_t count, int stream_active);

/* CLOCK_MONOTONIC in seconds. */
double hark_session_now(void);

/* "--duration '0'": expected seconds > 0. */
hark_err hark_session_seconds(const char *opt, const char *value, double *out);

/* Start the writer thread into dir (NULL: the current folder) unless it runs. */
hark_err hark_session_writer(hark_session_out *o, const char *dir);

typedef struct {
    const char *dir;          /* where the strips go */
    int headless;             /* no snapshots: the writer's folder is dir (made if needed) */
    const char *snapshot_dir; /* else the writer's folder */
    double strip_seconds, rate_hz;
    const hark_analysis *analysis; /* what the rows are */
    unsigned rows;
    const char *device;       /* or file, for the strips' parameters */
    const char *source;       /* "live" or "play" */
} hark_session_record;

/* Start recording (--record, or the R key). *subject names what failed. */
hark_err hark_session_record_start(hark_session_out *o, const hark_session_record *r,
                                   const char **subject);

/* Hand the last strip to the writer, stop it (it writes what is queued). Returns its error,
 * with *bad_path the file it concerns; HARK_OK when nothing ran. */
hark_err hark_session_finish(hark_session_out *o, const char **bad_path);

#endif
