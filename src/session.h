#ifndef HARK_SESSION_H
#define HARK_SESSION_H
/*
 * What `live` and `play` share around the waterfall: the writer thread (snapshots and strips,
 * each file written printed on stdout), the --record recorder on it, and option values in
 * seconds. Thread: main.
 */
#include "analysis.h"
#include "error.h"
#include "recorder.h"
#include "snapshot.h"

typedef struct {
    hark_snapshots *writer;   /* started on first need, for snapshots and strips alike */
    hark_recorder *recorder;
} hark_session_out;

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
