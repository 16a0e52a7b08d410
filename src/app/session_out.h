#ifndef HARK_SESSION_OUT_H
#define HARK_SESSION_OUT_H
/*
 * What a session (session.h) writes: --raw's .npy and sidecar (sinks, committed at the end,
 * whatever ended the session), --record's strips (a tile sink on the writer thread; R starts,
 * pauses and resumes them), snapshots (the writer thread too), and play's --stats sync log.
 * Each file written is printed on stdout. Thread: main (the writer thread encodes).
 */
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "session.h"
#include "sink.h"
#include "source.h"
#include "view.h"
#include "writer.h"

typedef struct {
    const hark_session *cfg;
    hark_params params;       /* what the rows written are (frames and first_frame aside) */
    hark_scale scale;         /* their frequencies */
    hark_scale_map map;       /* from the session's bins to them (taps NULL: they are the
                                 bins) */
    float *mapped;            /* a row mapped by it (stacked: every lane's, the last first) */
    char session[48];         /* "2026-11-24T14-05-00.123Z": names the strips */
    double frame0_epoch_s;    /* frame 0's wall-clock time (0: not known yet) */
    hark_writer *writer;      /* started on first need, for snapshots and strips alike */
    hark_sinks raw;           /* --raw: the .npy and its sidecar */
    int raw_begun;
    hark_sink *strips;        /* --record or R */
    int recording;            /* strips are being written (R pauses them) */
    FILE *stats;              /* --stats */
    int stats_failed;
    hark_error stats_error;
} hark_session_out;

/* Start what the options ask for: the writer (a window or --record), --raw, --record, --stats.
 * Rows come in as the session's linear bins (cfg->dsp); --raw and --record write them as they
 * are with a window (whose scale L changes), and on --scale and --height without one. */
hark_err hark_session_out_open(hark_session_out *o, const hark_session *cfg,
                               const hark_source_info *src);
/* Frame 0's wall-clock time (s since the epoch), once the source dated its first sample. */
void hark_session_out_anchor(hark_session_out *o, double epoch_s);
/* Session frame `frame`'s row (its bins in dBFS and as PCEN: --pcen writes the second; each
 * lane's `stride` floats after the one before: stream.h), with the samples the source lost so
 * far. Stacked channels are written as render writes them: one image of a band a channel, a
 * .npy of (channels, rows, frames). */
hark_err hark_session_out_row(hark_session_out *o, uint64_t frame, const float *db,
                              const float *pcen, size_t stride, uint64_t dropped);
/* play --stats: row `index` at file position file_s, heard at dac_s, shown at shown_s. */
void hark_session_out_sync(hark_session_out *o, uint64_t index, double file_s, double dac_s,
                           double shown_s);
/* A frame of the window read back (rgb is handed over). */
void hark_session_out_snapshot(hark_session_out *o, const hark_view *view, uint8_t *rgb,
                               unsigned width, unsigned height);
/* R: start recording at session frame `next_frame` (into --record DIR, else the snapshot
 * folder), or pause, or resume. A failure is recorded and returned; the session goes on. */
hark_err hark_session_out_toggle_recording(hark_session_out *o, uint64_t next_frame);
int hark_session_out_recording(const hark_session_out *o);

typedef struct {
    uint64_t frames, samples;
    float peak_db;
} hark_session_out_summary;

/* Write and close everything: --raw appears whole, the last strip is written, the writer
 * stops, the log is closed. The first failure is returned (and recorded, if none was). */
hark_err hark_session_out_close(hark_session_out *o, const hark_session_out_summary *summary);

#endif
