/* The one session loop of live and play (session.h): rows from the stream to the window and
 * the outputs (session_out.h), events from the window, the status line, the end. */
#include "session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "analyzer.h"
#include "machine.h"
#include "cmd.h"
#include "latency.h"
#include "overlay.h"
#include "overview.h"
#include "session_out.h"
#include "view.h"

#define SEEK_STEP_S 5.0
#define IDLE_MS 20
#define HEADLESS_NAP_NS 5000000L
#define STATUS_EVERY_S 0.25
#define LATENCY_WARMUP_S 1.0
#define PENDING_MAX 256u
#define OVERVIEW_COLS 1024u /* play's strip of the whole file: its picture's columns ... */
#define OVERVIEW_ROWS 48u   /* ... and rows (drawn to the strip's size) */

/* A row on screen whose frame has not been shown yet (for the latency and the sync log). */
typedef struct {
    uint64_t index;
    double time, file_s;
} pending_row;

typedef struct {
    const hark_session *cfg;
    hark_stream *stream;
    const hark_source_info *src;
    hark_view *view;
    hark_session_out out;
    hark_analyzer *analyzer;   /* the traces and the meters */
    unsigned rows;
    uint64_t taken;            /* rows taken since the start (across seeks) */
    float peak_db;
    pending_row pending[PENDING_MAX];
    unsigned npending;
    hark_latency delays;       /* live: ADC to screen; play: DAC to screen */
    double next_status_s;
    int want_snapshot, paused, finished;
    double heard_s;
    double speed;              /* play: as asked (--speed, [ and ]) */
    hark_overview *overview;   /* play: the strip of the whole file (NULL: none) */
    double loop_from_s, loop_to_s; /* play: the A-B loop (--loop A:B, a drag on the strip;
                                      to 0: none, or the whole file with --loop) */
    double first_sound_ms;     /* play: from the command's start to the first buffer's DAC
                                  time (< 0: not yet) */
    int anchored;              /* frame 0's wall-clock time is known */
    double last_pass_at;       /* when the watchdog last looked */
    uint64_t watch_count;      /* the watchdog: the source's progress when it last moved ... */
    double watch_moved_at;     /* ... and when (0: not yet) */
    char note[96];             /* a passing remark for the status line ("cannot seek") */
    uint64_t frames_drawn;     /* the window's, and when the first and the last were */
    double first_frame_at, last_frame_at;
} session;

/* ---- the device watchdog ------------------------------------------------------------------- */

/* A device is gone when its progress count has not moved for this long, or its stream stopped
 * by itself. */
#define DEVICE_SILENT_S 2.0

static hark_err check_device(session *S)
{
    hark_source_status st;
    hark_stream_status(S->stream, &st);
    double now = hark_now_s();
    /* The process was stopped (Ctrl-Z, SIGSTOP), or this thread did not run for a while: the
     * device had no chance to move either; the watch starts again. */
    int paused_here = atomic_exchange(&hark_resumed, 0) || now - S->last_pass_at > 0.5;
    S->last_pass_at = now;
    if (paused_here || st.progress != S->watch_count || S->watch_moved_at == 0) {
        S->watch_count = st.progress;
        S->watch_moved_at = now;
        if (st.active)
            return HARK_OK;
    } else if (st.active && now - S->watch_moved_at < DEVICE_SILENT_S) {
        return HARK_OK;
    }
    return hark_error_at(HARK_ERR_DEVICE, S->src->device[0] ? S->src->device : S->src->name,
                         "the %s%s (device lost?)",
                         S->src->plays ? "output stopped taking sound" :
                                         "input stopped delivering sound",
                         st.active ? " for 2 s" : "");
}

/* ---- rows ----------------------------------------------------------------------------------- */

static double sound_s(const session *S)
{
    hark_source_status st;
    hark_stream_status(S->stream, &st);
    return (double)st.frames / S->src->rate_hz;
}

/* Frame 0's wall-clock time, once the source dated its first sample: strips' times follow. */
static void anchor(session *S)
{
    double t0;
    if (S->anchored || !hark_stream_sample_time(S->stream, 0, &t0))
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    double age = hark_stream_now(S->stream) - t0;
    hark_session_out_anchor(&S->out, (double)tv.tv_sec + tv.tv_usec * 1e-6 - age);
    if (S->first_sound_ms < 0 && S->src->plays)
        S->first_sound_ms = 1000 * (hark_now_s() - age - S->cfg->started_at);
    S->anchored = 1;
}

/* A row of every lane: the peak of them all, the first's spectrum for the traces, each to its
 * pane and to the outputs. */
static hark_err take_row(session *S, const hark_stream_row *row, uint64_t dropped)
{
    for (unsigned k = 0; k < row->lanes; k++)
        for (unsigned r = 0; r < S->rows; r++) {
            float db = row->db[k * row->stride + r];
            S->peak_db = db > S->peak_db ? db : S->peak_db;
        }
    hark_analyzer_row(S->analyzer, row->db);
    if (S->view) { /* kept while paused: the history goes on (view.h) */
        hark_view_push_row(S->view, row->db, row->pcen, row->stride);
        if (row->file_s >= 0)
            hark_view_set_position(S->view, row->file_s);
    }
    if (S->view && !hark_view_paused(S->view)) {
        if (S->npending < PENDING_MAX)
            S->pending[S->npending++] = (pending_row){row->index, row->time, row->file_s};
    }
    return hark_session_out_row(&S->out, S->taken++, row->db, row->pcen, row->stride, dropped);
}

/* Every row that is due; *wait_ms: until the next one is (-1: not known). A source that plays
 * keeps its rows in the ring while the picture is paused (its sound is paused too). */
static hark_err take_rows(session *S, double now, int *wait_ms)
{
    *wait_ms = -1;
    if (S->src->plays && S->paused)
        return HARK_OK;
    hark_source_status st;
    hark_stream_status(S->stream, &st);
    hark_stream_row row;
    while (hark_stream_next(S->stream, now, &row, wait_ms)) {
        hark_err err = take_row(S, &row, st.dropped);
        hark_stream_release(S->stream);
        if (err)
            return err;
    }
    return HARK_OK;
}

/* ---- what a shown frame says: the latency, the sync log ---------------------------------------- */

/* After a frame is shown. An input: how long ago did the oldest sample new in it arrive? That
 * sample is the first of the oldest new row that the row before it did not hold. A source that
 * plays: each row new in it, from its centre's DAC time. */
static void account_frame(session *S, double shown)
{
    if (!S->npending)
        return;
    if (S->src->plays) {
        for (unsigned i = 0; i < S->npending; i++) {
            const pending_row *r = &S->pending[i];
            double offset = shown - r->time;
            hark_latency_record(&S->delays, offset > 0 ? offset : 0);
            hark_session_out_sync(&S->out, r->index, r->file_s, r->time, shown);
        }
    } else if (sound_s(S) >= LATENCY_WARMUP_S) {
        /* The first second is left out: sound servers hand over what they had buffered at
         * the start (PulseAudio: about 0.65 s), which says nothing of the steady state. */
        uint64_t hop = S->cfg->dsp.hop, end = S->pending[0].index * hop + S->cfg->dsp.fft_size / 2;
        double t;
        if (hark_stream_sample_time(S->stream, end > hop ? end - hop : 0, &t))
            hark_latency_record(&S->delays, shown - t);
    }
    S->npending = 0;
}

/* Draw (a snapshot also reads the frame back and hands it to the writer). */
static hark_err draw(session *S)
{
    uint8_t *rgb = NULL;
    unsigned w, h;
    hark_err err = hark_view_draw(S->view, S->want_snapshot ? &rgb : NULL, &w, &h);
    if (!err)
        account_frame(S, hark_stream_now(S->stream));
    if (!err && S->taken > 0) { /* counted once there is something to show */
        S->last_frame_at = hark_now_s();
        if (S->frames_drawn++ == 0)
            S->first_frame_at = S->last_frame_at;
    }
    if (!err && rgb)
        hark_session_out_snapshot(&S->out, S->view, rgb, w, h);
    S->want_snapshot = 0;
    return err;
}

/* ---- events ----------------------------------------------------------------------------------- */

/* Go on from file position t (s); the device keeps running. */
static hark_err seek_to(session *S, double t)
{
    if (!S->src->file.seekable) {
        snprintf(S->note, sizeof S->note, "   (cannot seek: the input is not seekable)");
        return HARK_OK;
    }
    hark_err err = hark_stream_seek(S->stream, t);
    if (err)
        return err;
    hark_view_clear(S->view);
    hark_view_set_position(S->view, t);
    S->npending = 0;
    S->heard_s = t;
    S->finished = 0;
    S->note[0] = '\0';
    return HARK_OK;
}

/* R: stop or resume recording; the first R without --record starts it in the snapshot folder
 * (the current folder unless --snapshot-dir). */
static void toggle_recording(session *S)
{
    if (hark_session_out_toggle_recording(&S->out, S->taken))
        snprintf(S->note, sizeof S->note, "   (cannot record: %s)", hark_error_message(
                 hark_error_get()->code));
    hark_error_clear(); /* said on the status line; the session goes on */
    S->next_status_s = 0; /* show the change at once */
}

/* The traces written (at the end, or on T). */
static void print_trace_out(const session *S)
{
    const char *trace_out = hark_analyzer_trace_out(S->analyzer);
    if (trace_out)
        printf("%s (%u lines)\n", trace_out, hark_traces_lines(hark_analyzer_traces(S->analyzer)));
}

/* The analyzer's keys (view.h): the traces change; the status line says how. */
static void analyzer_key(session *S, hark_view_action act)
{
    static const unsigned octaves[] = {0, 1, 3, 6, 12, 24};
    static const double falls[] = {0, 10, 30};
    hark_traces *t = hark_analyzer_traces(S->analyzer);
    const hark_lines *ls = hark_traces_line_set(t);
    S->note[0] = '\0';
    if (act == HARK_VIEW_AVERAGE) {
        unsigned i = 0, n = hark_traces_average_step_count;
        while (i < n && hark_traces_average_steps[i] <= hark_traces_average_s(t))
            i++;
        hark_traces_set_average(t, hark_traces_average_steps[i % n]);
    } else if (act == HARK_VIEW_PEAK_HOLD) {
        unsigned i = 0;
        while (i < 3 && falls[i] <= hark_traces_peak_decay(t))
            i++;
        hark_traces_set_peak_decay(t, falls[i % 3]);
    } else if (act == HARK_VIEW_RESET_HOLDS) {
        hark_traces_reset_holds(t);
        hark_levels_reset_holds(hark_analyzer_levels(S->analyzer));
    } else if (act == HARK_VIEW_REFERENCE) {
        if (hark_traces_has_reference(t))
            hark_traces_clear_reference(t);
        else
            hark_traces_capture_reference(t);
    } else if (act == HARK_VIEW_OCTAVE || act == HARK_VIEW_WEIGHTING) {
        unsigned oct = hark_lines_octave(ls), i = 0;
        hark_weighting w = hark_lines_weighting(ls);
        if (act == HARK_VIEW_OCTAVE) {
            while (i < 6 && octaves[i] != oct)
                i++;
            oct = octaves[(i + 1) % 6];
        } else {
            w = (hark_weighting)((w + 1) % 3);
        }
        if (hark_analyzer_set_lines(S->analyzer, oct, w))
            hark_error_clear(); /* out of memory: the traces stay as they were */
    } else if (act == HARK_VIEW_TRACE_OUT) {
        const char *out = hark_analyzer_trace_out(S->analyzer);
        if (!out)
            snprintf(S->note, sizeof S->note, "   (no --trace-out FILE.csv to write)");
        else if (hark_analyzer_write_traces(S->analyzer))
            snprintf(S->note, sizeof S->note, "   (cannot write the traces: %s)",
                     hark_error_message(hark_error_get()->code));
        else
            print_trace_out(S);
        hark_error_clear();
        fflush(stdout);
    }
    hark_view_set_analyzer(S->view, hark_analyzer_traces(S->analyzer),
                           hark_analyzer_levels(S->analyzer));
    S->next_status_s = 0;
}

/* A click on the overview or a pane: go there; a drag on the overview: loop that part. */
static hark_err seek_or_loop(session *S, hark_view_action act)
{
    double from, to;
    hark_view_target(S->view, &from, &to);
    if (act == HARK_VIEW_LOOP && to - from > 0.05) {
        S->loop_from_s = from;
        S->loop_to_s = to;
        hark_stream_set_loop(S->stream, from, to);
    }
    return seek_to(S, from);
}

/* The overview strip: the picture so far, where the sound is, the loop. */
static void show_overview(session *S)
{
    if (!S->overview)
        return;
    hark_overview_state o = {.rgb = hark_overview_image(S->overview),
                             .done = hark_overview_done(S->overview),
                             .length_s = hark_overview_seconds(S->overview),
                             .playhead_s = S->heard_s, .loop_from_s = S->loop_from_s,
                             .loop_to_s = S->loop_to_s};
    hark_overview_size(S->overview, &o.cols, &o.rows);
    hark_view_set_overview(S->view, &o);
}

/* [ and ]: the next speed down or up. */
static void change_speed(session *S, int step)
{
    static const double speeds[] = {0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4};
    const int n = (int)(sizeof speeds / sizeof speeds[0]);
    int i = 0;
    while (i < n - 1 && speeds[i] < S->speed - 1e-9)
        i++;
    if (step < 0 && speeds[i] >= S->speed - 1e-9) /* from an exact step, or between two */
        i = i > 0 ? i - 1 : 0;
    else if (step > 0 && speeds[i] <= S->speed + 1e-9)
        i = i < n - 1 ? i + 1 : n - 1;
    S->speed = speeds[i];
    hark_stream_set_speed(S->stream, S->speed);
    S->next_status_s = 0;
}

static hark_err handle_events(session *S, double now, int *quit)
{
    hark_view_action act;
    hark_err err = HARK_OK;
    while (!err && hark_view_poll(S->view, &act)) {
        if (act == HARK_VIEW_FAILED)
            return HARK_ERR_DISPLAY;
        *quit |= act == HARK_VIEW_QUIT;
        S->want_snapshot |= act == HARK_VIEW_SNAPSHOT;
        if (act == HARK_VIEW_RECORD)
            toggle_recording(S);
        if (act >= HARK_VIEW_AVERAGE)
            analyzer_key(S, act);
        if ((act == HARK_VIEW_SEEK_TO || act == HARK_VIEW_LOOP) && S->src->plays)
            err = seek_or_loop(S, act);
        if ((act == HARK_VIEW_SLOWER || act == HARK_VIEW_FASTER) && S->src->plays)
            change_speed(S, act == HARK_VIEW_FASTER ? 1 : -1);
        if ((act == HARK_VIEW_SEEK_BACK || act == HARK_VIEW_SEEK_FORWARD) && S->src->plays)
            err = seek_to(S, hark_stream_heard(S->stream, now) +
                                 (act == HARK_VIEW_SEEK_BACK ? -SEEK_STEP_S : SEEK_STEP_S));
    }
    /* Space pauses the picture (view.c); the sound of a source that plays follows it. */
    int paused = hark_view_paused(S->view);
    if (paused != S->paused && S->src->plays)
        hark_stream_pause(S->stream, paused);
    S->paused = paused;
    return err;
}

/* ---- the status line ------------------------------------------------------------------------- */

/* The channels analysed: "1, 2", "mix", "mid, side". */
static void lanes_text(const hark_source_info *src, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned k = 0; k < src->lanes && n < size; k++) {
        char name[12];
        n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? ", " : "",
                              hark_channel_name(src->lane[k], name));
    }
}

static void status_extra(session *S, double now, char *buf, size_t size)
{
    hark_source_status st;
    hark_stream_status(S->stream, &st);
    const char *rec = hark_session_out_recording(&S->out) ? "   REC" : "";
    double med = 1000 * hark_latency_quantile(&S->delays, 0.5);
    double p99 = 1000 * hark_latency_quantile(&S->delays, 0.99);
    char lanes[96];
    lanes_text(S->src, lanes, sizeof lanes);
    if (!S->src->plays) { /* what the device was opened with, and what is analysed */
        snprintf(buf, size, "%u ch in: %s   dropped %llu   latency %.0f ms (p99 %.0f)%s%s",
                 S->src->channels, lanes, (unsigned long long)st.dropped, med, p99, rec, S->note);
        return;
    }
    const hark_decoder_info *file = &S->src->file;
    char at[32], len[32] = "?", rate[48] = "", loop[80] = "", speed[32] = "";
    if (S->speed != 1.0)
        snprintf(speed, sizeof speed, "   SPEED %gx", S->speed);
    if (S->loop_to_s > 0) { /* --loop A:B, or a drag on the overview */
        char a[32], b[32];
        hark_overlay_clock(S->loop_from_s, 1, a, sizeof a);
        hark_overlay_clock(S->loop_to_s, 1, b, sizeof b);
        snprintf(loop, sizeof loop, "   LOOP %s-%s", a, b);
    } else if (S->cfg->loop) {
        snprintf(loop, sizeof loop, "   LOOP");
    }
    hark_overlay_clock(hark_stream_heard(S->stream, now), 1, at, sizeof at);
    if (file->frames >= 0)
        hark_overlay_clock((double)file->frames / file->rate_hz, 1, len, sizeof len);
    if (S->src->resampling)
        snprintf(rate, sizeof rate, "   resampled from %.0f Hz", file->rate_hz);
    snprintf(buf, size, "%s / %s%s   ch %s   underruns %llu   sync %.0f ms (p99 %.0f)%s%s%s%s",
             at, len, speed, lanes, (unsigned long long)st.underruns, med, p99, rate, loop, rec,
             S->note);
}

static void update_status(session *S, double now)
{
    if (hark_now_s() < S->next_status_s)
        return;
    S->next_status_s = hark_now_s() + STATUS_EVERY_S;
    char extra[320];
    status_extra(S, now, extra, sizeof extra);
    hark_view_set_status(S->view, extra);
}

/* ---- one pass of the loop ------------------------------------------------------------------- */

/* Sleep until an event (new rows wake the window), the next row's time, the next frame's, or a
 * tick for the status line and the end. */
static void wait_a_little(session *S, int row_ms, int frame_ms)
{
    int ms = IDLE_MS;
    if (row_ms >= 0 && row_ms < ms)
        ms = row_ms;
    if (frame_ms > 0 && frame_ms < ms)
        ms = frame_ms;
    if (S->view) {
        hark_view_wait(S->view, ms > 0 ? ms : 1);
    } else {
        struct timespec ts = {0, HEADLESS_NAP_NS};
        nanosleep(&ts, NULL);
    }
}

/* The end of the file (a source that plays, without --loop, or live's --input): the last rows
 * are drawn and logged; with --hold the window stays. Returns 1 to stop. */
static int at_the_end(session *S, double now, hark_err *err)
{
    if (S->finished || !(S->src->plays || S->cfg->input) || !hark_stream_finished(S->stream, now))
        return 0;
    S->finished = 1;
    if (S->view && (*err = draw(S)))
        return 1;
    if (!S->cfg->hold || !S->view)
        return 1;
    snprintf(S->note, sizeof S->note, "   END");
    S->next_status_s = 0;
    return 0;
}

static int step(session *S, hark_err *err)
{
    const hark_session *c = S->cfg;
    if (hark_stop_requested || (*err = hark_stream_failure(S->stream)) || (*err = check_device(S)))
        return 1;
    if (c->duration_s > 0 && sound_s(S) >= c->duration_s)
        return 1;
    hark_stream_poll(S->stream);
    if ((*err = hark_analyzer_take_sound(S->analyzer, S->stream)))
        return 1;
    anchor(S);
    double now = hark_stream_now(S->stream);
    S->heard_s = hark_stream_heard(S->stream, now);
    if (c->stall_len_s > 0) {
        double t = sound_s(S);
        hark_stream_stall_for_test(S->stream, t >= c->stall_start_s &&
                                                  t < c->stall_start_s + c->stall_len_s);
    }
    int row_ms, quit = 0;
    if ((*err = take_rows(S, now, &row_ms)) || at_the_end(S, now, err))
        return 1;
    if (!S->view) {
        wait_a_little(S, row_ms, -1);
        return 0;
    }
    if (atomic_exchange(&hark_snapshot_requested, 0))
        S->want_snapshot = 1;
    if ((*err = handle_events(S, now, &quit)) || quit)
        return 1;
    update_status(S, now);
    show_overview(S);
    int frame_ms = S->want_snapshot ? 0 : hark_view_ms_to_frame(S->view);
    if (frame_ms == 0)
        return (*err = draw(S)) != HARK_OK;
    wait_a_little(S, row_ms, frame_ms);
    return 0;
}

/* ---- start and end ---------------------------------------------------------------------------- */

/* The rows each pane keeps (--history). */
static size_t history_rows(const session *S)
{
    return (size_t)ceil(S->cfg->history_s * S->src->rate_hz / S->cfg->analysis.hop);
}

/* The window's history: bytes, for every pane. */
static double history_bytes(const session *S)
{
    return (double)history_rows(S) * (S->cfg->analysis.fft_size / 2 + 1) * sizeof(float) *
           S->src->lanes;
}

/* Memory the system says is available (MemAvailable), bytes; 0 when it does not say. */
static double memory_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb * 1024;
}

/* The window holds HARK_WINDOW_FFT_MAX points of frames across its panes (each pane's GPU
 * texture is 4096 rows of fft/2 + 1 bins), and its history (--history) in memory. */
static hark_err check_window(const session *S)
{
    const hark_session *c = S->cfg;
    unsigned lanes = S->src->lanes;
    if (c->headless)
        return HARK_OK;
    if ((size_t)c->analysis.fft_size * lanes > HARK_WINDOW_FFT_MAX)
        return hark_error_set(HARK_ERR_USAGE, "--fft %u with %u channels: the window holds at "
                              "most %u points of frames across its panes (--fft %u for %u); use "
                              "a smaller --fft, fewer channels, or --headless",
                              c->analysis.fft_size, lanes, HARK_WINDOW_FFT_MAX,
                              HARK_WINDOW_FFT_MAX / lanes, lanes);
    double need = history_bytes(S), have = memory_available();
    if (have > 0 && need > have)
        return hark_error_set(HARK_ERR_USAGE, "--history %g: the window's rows take %.0f MB, "
                              "more than the %.0f MB of memory available; use a shorter "
                              "--history", c->history_s, need / 1e6, have / 1e6);
    return HARK_OK;
}

static const char *plural(unsigned n)
{
    return n == 1 ? "" : "s";
}

static void print_start(const session *S)
{
    const hark_session *c = S->cfg;
    const hark_source_info *src = S->src;
    const char *mode = S->view ? "window" : "headless";
    char lanes[96];
    lanes_text(src, lanes, sizeof lanes);
    char speed[48] = "";
    if (S->speed != 1.0)
        snprintf(speed, sizeof speed, "; at %gx speed, the pitch following", S->speed);
    if (src->plays)
        printf("%s: %s: %s, %.0f Hz, %u channel%s -> %s at %.0f Hz, %u channel%s%s; analysing "
               "%s%s; fft %u, hop %u, %s\n", c->command, c->path, src->file.format,
               src->file.rate_hz, src->file.channels, plural(src->file.channels),
               src->device[0] ? src->device : "(clock)", src->rate_hz, src->channels,
               plural(src->channels), src->resampling ? " (resampled by libsamplerate)" : "",
               lanes, speed, c->dsp.fft_size, c->dsp.hop, mode);
    else
        printf("%s: %s at %.0f Hz, %u channel%s in, analysing %s; fft %u, hop %u, %s\n",
               c->command, src->name, src->rate_hz, src->channels, plural(src->channels), lanes,
               c->dsp.fft_size, c->dsp.hop, mode);
    if (S->view)
        printf("window: %s, %s; history %g s (%.0f MB)\n", hark_view_driver(),
               hark_view_gl_version(S->view), c->history_s, history_bytes(S) / 1e6);
    fflush(stdout);
}

/* Both commands at the end: how many frames the window drew, the session's levels, and the
 * traces written. */
static void print_analysis(const session *S)
{
    double span = S->last_frame_at - S->first_frame_at;
    if (S->view && S->frames_drawn > 1 && span > 0)
        printf("window: %llu frames drawn in %.2f s from the first row on (%.1f a second; at "
               "most 60, when something changed)\n", (unsigned long long)S->frames_drawn, span,
               (double)(S->frames_drawn - 1) / span);
    hark_source_status st;
    hark_stream_status(S->stream, &st);
    char line[400];
    hark_analyzer_levels_line(S->analyzer, st.unmetered, line, sizeof line);
    printf("%s: %s\n", S->cfg->command, line);
    print_trace_out(S);
}

static void print_summary(const session *S)
{
    const hark_session *c = S->cfg;
    hark_source_status st;
    hark_stream_status(S->stream, &st);
    double p50 = 1000 * hark_latency_quantile(&S->delays, 0.5);
    double p99 = 1000 * hark_latency_quantile(&S->delays, 0.99);
    if (S->src->plays) {
        char first[64] = "no sound reached the device";
        if (S->first_sound_ms >= 0)
            snprintf(first, sizeof first, "first sound %.0f ms after start", S->first_sound_ms);
        printf("%s: %s: heard up to %.2f s, %llu rows, %llu frames of underrun, %s\n", c->command,
               c->path, S->heard_s, (unsigned long long)S->taken,
               (unsigned long long)st.underruns, first);
        if (S->delays.count)
            printf("sync: median %.1f ms, p99 %.1f ms over %llu rows (DAC time of a row's "
                   "centre sample to the swap of the first frame showing it)\n", p50, p99,
                   (unsigned long long)S->delays.count);
        return;
    }
    char gaps[96] = "";
    if (st.gaps)
        snprintf(gaps, sizeof gaps, "; %.2f s were a gap in the input's clock (the process or "
                 "the device stopped)", st.gaps / S->src->rate_hz);
    printf("%s: %s: %.2f s at %.0f Hz, %llu rows, %llu samples dropped, %llu rows dropped, "
           "peak %.1f dBFS%s\n", c->command, S->src->name, sound_s(S), S->src->rate_hz,
           (unsigned long long)S->taken, (unsigned long long)st.dropped,
           (unsigned long long)hark_stream_rows_dropped(S->stream), (double)S->peak_db, gaps);
    if (S->view && S->delays.count)
        printf("latency: median %.1f ms, p99 %.1f ms over %llu frames after the first second "
               "(ADC time of a sample to the swap of the first frame showing it)\n", p50, p99,
               (unsigned long long)S->delays.count);
    char planes[16] = "";
    if (S->out.params.stacked)
        snprintf(planes, sizeof planes, "%u x ", S->out.params.stacked);
    if (c->raw)
        printf("%s (%s%u x %llu float32)\n", c->raw, planes, S->out.params.rows,
               (unsigned long long)S->taken);
}

static hark_err open_view(session *S)
{
    const hark_session *c = S->cfg;
    const hark_analysis *an = &c->analysis;
    hark_view_config vc = {.command = c->command, .name = S->src->name,
                           .file_time = S->src->plays, .rate_hz = S->src->rate_hz,
                           .fft_size = an->fft_size, .hop = an->hop, .scale = an->scale,
                           .min_db = an->pcen ? HARK_PCEN_DB_FLOOR : an->min_db,
                           .max_db = an->pcen ? 0.0f : an->max_db,
                           .floor_db = hark_analysis_floor_db(an), .pcen = an->pcen,
                           .pcen_min = an->pcen ? an->min_db : HARK_PCEN_RANGE_MIN,
                           .pcen_max = an->pcen ? an->max_db : HARK_PCEN_RANGE_MAX,
                           .colormap = an->colormap, .newest_at_top = c->newest_at_top,
                           .width = c->width, .height = c->height, .channels = S->src->channels,
                           .lanes = S->src->lanes, .named = S->src->stacked,
                           .history_rows = history_rows(S), .zoom_lo_hz = c->zoom_lo_hz,
                           .zoom_hi_hz = c->zoom_hi_hz,
                           .overview = S->src->plays && c->path && S->src->file.seekable &&
                                       S->src->file.frames > 0};
    memcpy(vc.lane, S->src->lane, sizeof vc.lane);
    hark_analysis cqt = *an;
    cqt.scale = HARK_SCALE_CQT;
    hark_analysis_scale(&cqt, S->src->rate_hz, 2, &vc.cqt);
    hark_err err = hark_view_create(&vc, &S->view);
    if (!err) {
        hark_view_set_position(S->view, c->start_s);
        hark_view_set_analyzer(S->view, hark_analyzer_traces(S->analyzer),
                               hark_analyzer_levels(S->analyzer));
    }
    if (!err && vc.overview) /* the strip fills in as the thread goes */
        err = hark_overview_start(c->path, an, OVERVIEW_COLS, OVERVIEW_ROWS, &S->overview);
    return err;
}

static hark_err open_analyzer(session *S)
{
    const hark_session *c = S->cfg;
    hark_analyzer_config ac = {
        .traces = {.lines = {.fft_size = c->dsp.fft_size, .rate_hz = S->src->rate_hz,
                             .window = c->dsp.window, .window_size = c->dsp.window_size,
                             .reassigned = c->dsp.reassign, .octave = c->octave,
                             .weighting = c->weighting},
                   .frame_s = c->dsp.hop / S->src->rate_hz, .average_s = c->average_s,
                   .peak_decay_db_s = c->peak_decay_db_s,
                   .floor_db = hark_analysis_floor_db(&c->dsp)},
        .channels = S->src->channels, .rate_hz = S->src->rate_hz, .trace_out = c->trace_out};
    return hark_analyzer_create(&ac, &S->analyzer);
}

static hark_err run(session *S)
{
    const hark_session *c = S->cfg;
    hark_err err;
    if ((err = check_window(S)) || (err = hark_session_out_open(&S->out, c, S->src)) ||
        (!c->headless && (err = open_view(S))))
        return err;
    int64_t from = (int64_t)llround(c->start_s * S->src->file.rate_hz);
    if ((err = hark_stream_start(S->stream, from)))
        return err;
    print_start(S);
    while (!err && !step(S, &err))
        ;
    hark_err stop = hark_stream_stop(S->stream);
    if (!err && !S->src->plays) /* what was captured, to the last complete frame */
        err = stop;
    /* An input's last samples: the DSP thread has at most the ring's two seconds of work. */
    int wait, left = !S->src->plays;
    for (int i = 0; i < 1000 && left; i++) {
        left = hark_stream_drain(S->stream);
        hark_err more = take_rows(S, hark_stream_now(S->stream), &wait);
        err = err ? err : more;
    }
    return err;
}

hark_err hark_session_run(const hark_session *cfg, hark_stream *stream)
{
    static session S; /* large (the latency histogram): not on the stack */
    S = (session){.cfg = cfg, .stream = stream, .src = hark_stream_source(stream),
                  .rows = hark_stream_rows(stream), .peak_db = cfg->dsp.min_db,
                  .first_sound_ms = -1, .heard_s = cfg->start_s,
                  .speed = cfg->speed > 0 ? cfg->speed : 1.0,
                  .loop_from_s = cfg->loop ? cfg->loop_from_s : 0,
                  .loop_to_s = cfg->loop ? cfg->loop_to_s : 0};
    hark_latency_init(&S.delays);
    double len = S.src->file.frames > 0 ? (double)S.src->file.frames / S.src->file.rate_hz : 0;
    if (cfg->loop && cfg->loop_to_s > 0)
        hark_stream_set_loop(stream, cfg->loop_from_s, len > 0 && len < cfg->loop_to_s
                                                           ? len : cfg->loop_to_s);
    else if (cfg->loop && len > 0)
        hark_stream_set_loop(stream, 0, len);
    hark_err err = open_analyzer(&S);
    if (err) {
        hark_stream_destroy(stream);
        return err;
    }
    err = run(&S);
    /* Whatever ended the session, what was captured and recorded is written (first error
     * wins: error.h). */
    hark_session_out_summary sum = {.frames = S.taken, .peak_db = S.peak_db};
    hark_source_status st;
    hark_stream_status(stream, &st);
    sum.samples = st.frames;
    hark_err out = hark_session_out_close(&S.out, &sum);
    err = err ? err : out;
    out = hark_analyzer_write_traces(S.analyzer);
    err = err ? err : out;
    if (!err) {
        print_summary(&S);
        print_analysis(&S);
    }
    hark_analyzer_destroy(S.analyzer);
    hark_overview_stop(S.overview);
    hark_stream_destroy(stream); /* first: its DSP thread wakes the view */
    hark_view_destroy(S.view);
    return err;
}
