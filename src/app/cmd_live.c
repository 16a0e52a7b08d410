/* hark live: microphone -> sample ring -> DSP thread -> row ring -> main thread, which shows
 * the rows in the window (view.h) and/or writes them (--raw), and hands snapshots (S key,
 * SIGUSR1) to the writer thread. Prints a summary line at the end. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "analysis.h"
#include "audio.h"
#include "cmd.h"
#include "decoder.h"
#include "dsp.h"
#include "latency.h"
#include "npy.h"
#include "sidecar.h"
#include "session.h"
#include "stderr_filter.h"
#include "view.h"

#define ROW_RING_ROWS 256u
#define POLL_NS 5000000L
#define IDLE_MS 20
#define STATUS_EVERY_S 0.25
#define LATENCY_WARMUP_S 1.0

static const char live_help[] =
    "Usage: hark live [--device D] [--rate HZ] [--duration S] [--headless] [--raw OUT.npy]\n"
    "                 [--orient top|right] [--snapshot-dir DIR] [analysis options]\n"
    "\n"
    "Shows the spectrogram of an audio input as it arrives, in a window: newest at the top\n"
    "(or the right), with axes, a status line and a readout under the mouse.\n"
    "      --device D        input device: an index or part of a name ('hark devices') [default]\n"
    "      --rate HZ         sample rate [the device's default]\n"
    "      --duration S      stop after S seconds of audio [until Q, Esc, Ctrl-C or SIGTERM]\n"
    "      --headless        no window\n"
    "      --raw OUT.npy     also write the rows as float32 dBFS, shape (rows, frames), and OUT.json\n"
    "      --orient top|right  newest rows at the top (frequency across) or at the right [top]\n"
    "      --snapshot-dir DIR  where S and SIGUSR1 save snapshots [the current folder]\n"
    "      --size WxH        initial window size [1280x720]\n"
    "      --record DIR      write the full-resolution waterfall as numbered PNG strips, gap-free\n"
    "      --record-seconds S  seconds per strip [60]\n"
    "      --test-stall-dsp START:LEN  (for tests) pause the DSP thread for LEN seconds from\n"
    "                        START, so the capture ring fills and samples are dropped\n"
    "\n"
    "Keys: Space pause/resume the display, S snapshot, R start/stop recording strips, C next\n"
    "colour map, L next frequency scale, Up/Down move the dB range, +/- widen/narrow it,\n"
    "F fullscreen, H help, Q or Esc quit.\n"
    "Default analysis for live: --fft 2048, 50% overlap.\n";

enum { OPT_DURATION = HARK_OPT_LAST_SESSION + 1, OPT_RAW, OPT_STALL };

typedef struct {
    hark_analysis an;
    hark_session_options common; /* device, window, recording */
    const char *raw;
    double duration_s;
    int help;
    double stall_start_s, stall_len_s;
} live_args;

typedef struct {
    live_args *args;
    hark_audio_device dev;
    hark_ring *samples, *rows;
    hark_capture *capture;
    hark_dsp *dsp;
    hark_npy *npy;
    hark_view *view;
    hark_session_out out;     /* the writer thread and the recorder */
    float *row;
    hark_analysis dsp_an;     /* what the DSP computes: the window wants the linear bins */
    unsigned nrows;
    double next_status_s;
    int want_snapshot;
    int64_t first_unshown;    /* the oldest row pushed since the last frame, or -1 */
    hark_latency latency;
    uint64_t rows_taken;
    hark_session_watch device_watch; /* the capture's frame count */
    int device_lost;
    int anchor_pending;       /* --record from the start: date frame 0 by the first stamp */
    float peak_db;
} live;

static hark_err parse_option(void *ctx, int c, const char *v)
{
    live_args *a = ctx;
    switch (c) {
    case OPT_DURATION: return hark_session_seconds("--duration", v, &a->duration_s);
    case OPT_RAW: a->raw = v; return HARK_OK;
    case OPT_STALL:
        if (sscanf(v, "%lf:%lf", &a->stall_start_s, &a->stall_len_s) != 2 ||
            !(a->stall_start_s >= 0) || !(a->stall_len_s > 0))
            return hark_error_set(HARK_ERR_USAGE, "--test-stall-dsp '%s': expected START:LEN", v);
        return HARK_OK;
    default: {
        hark_err err;
        return hark_session_option(&a->common, c, v, &err) ? err : hark_analysis_apply(&a->an, c, v);
    }
    }
}

static hark_err parse_args(live_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"duration", required_argument, NULL, OPT_DURATION},
        {"raw", required_argument, NULL, OPT_RAW},
        {"test-stall-dsp", required_argument, NULL, OPT_STALL},
        {"help", no_argument, NULL, 'h'},
        HARK_ANALYSIS_OPTIONS,
        HARK_SESSION_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    hark_analysis_defaults(&a->an, 2048);
    hark_session_options_defaults(&a->common);
    hark_err err = hark_cmd_getopt(argc, argv, ":h", options, "live", parse_option, a, &a->help);
    if (err || a->help)
        return err;
    if (optind != argc)
        return hark_error_set(HARK_ERR_USAGE, "unexpected argument '%s'", argv[optind]);
    err = hark_analysis_finish(&a->an);
    if (!err && !a->common.headless && a->an.height)
        err = hark_error_set(HARK_ERR_USAGE, "--height is for --headless and --raw: the window "
                                             "has one row per pixel");
    return err;
}

/* ---- set-up and tear-down, in that order and its reverse ------------------------------------ */

/* --record (or R): the strips go through the writer thread (the snapshots' one). */
static hark_err open_recorder(live *L, double rate, const char **subject)
{
    const live_args *a = L->args;
    if (!a->common.record_dir)
        return HARK_OK;
    hark_session_record r = {.dir = a->common.record_dir, .headless = a->common.headless,
                             .snapshot_dir = a->common.snapshot_dir, .strip_seconds = a->common.record_seconds,
                             .rate_hz = rate, .analysis = &L->dsp_an, .rows = L->nrows,
                             .device = L->dev.name, .source = "live"};
    return hark_session_record_start(&L->out, &r, subject);
}

/* The DSP thread's hook: new rows wake the main thread at once. */
static void wake_view(void *ctx)
{
    (void)ctx;
    hark_view_wake();
}

static hark_err live_open(live *L, const char **subject)
{
    live_args *a = L->args;
    int index;
    hark_err err = hark_audio_find_device(a->common.device, 1, &index);
    if (!err)
        err = hark_audio_device_get(index, &L->dev);
    if (err)
        return err;
    *subject = L->dev.name;
    double rate = a->common.rate_hz > 0 ? a->common.rate_hz : L->dev.default_rate_hz;
    /* The window maps the linear bins onto the scale itself (so L changes it at once). */
    L->dsp_an = a->an;
    if (!a->common.headless) {
        L->dsp_an.scale = HARK_SCALE_LINEAR;
        L->dsp_an.height = 0;
    }
    L->nrows = hark_analysis_rows(&L->dsp_an);
    /* Two seconds of samples: the DSP thread may be late by that much before anything drops. */
    if ((err = hark_ring_create(sizeof(float), (size_t)(2 * rate), &L->samples)) ||
        (err = hark_ring_create(sizeof(float) * L->nrows, ROW_RING_ROWS, &L->rows)))
        return err;
    hark_capture_config cc = {.device = index, .rate_hz = rate, .channel = a->an.channel,
                              .ring = L->samples};
    const hark_analysis *an = &L->dsp_an;
    if ((err = hark_capture_open(&cc, &L->capture)))
        return err;
    hark_dsp_config dc = {.samples = L->samples, .rows = L->rows, .hop = an->hop,
                          .stft = {.fft_size = an->fft_size, .rate_hz = rate,
                                   .window = an->window, .scale = an->scale,
                                   .rows = L->nrows, .floor_db = an->min_db},
                          .on_rows = a->common.headless ? NULL : wake_view};
    if ((err = hark_dsp_start(&dc, &L->dsp)))
        return err;
    L->row = malloc(sizeof(float) * L->nrows);
    if (!L->row)
        return HARK_ERR_NOMEM;
    if (a->raw && (err = hark_npy_create(a->raw, L->nrows, &L->npy))) {
        *subject = a->raw;
        return err;
    }
    L->peak_db = a->an.min_db;
    if ((err = open_recorder(L, rate, subject)))
        return err;
    if (a->common.headless)
        return HARK_OK;
    hark_view_config vc = {.source = "live", .device = L->dev.name, .rate_hz = rate, .fft_size = a->an.fft_size,
                           .hop = a->an.hop, .scale = a->an.scale, .min_db = a->an.min_db,
                           .max_db = a->an.max_db, .colormap = a->an.colormap,
                           .newest_at_top = a->common.newest_at_top, .width = a->common.width,
                           .height = a->common.height};
    *subject = "live"; /* a window's trouble is not the device's */
    if ((err = hark_view_create(&vc, &L->view)))
        return err;
    return hark_session_writer(&L->out, a->common.snapshot_dir);
}

static void live_close(live *L)
{
    const char *ignored;
    hark_session_finish(&L->out, &ignored); /* only on a failed start: see hark_cmd_live */
    hark_capture_close(L->capture);
    hark_dsp_stop(L->dsp); /* before the view: it wakes the view */
    hark_view_destroy(L->view);
    hark_npy_abort(L->npy);
    free(L->row);
    hark_ring_destroy(L->rows);
    hark_ring_destroy(L->samples);
}

/* ---- the main thread's loop ------------------------------------------------------------------ */

static hark_err take_rows(live *L)
{
    while (hark_ring_read(L->rows, L->row, 1) == 1) {
        for (unsigned r = 0; r < L->nrows; r++)
            L->peak_db = L->row[r] > L->peak_db ? L->row[r] : L->peak_db;
        L->rows_taken++;
        if (L->view && !hark_view_paused(L->view)) {
            hark_view_push_row(L->view, L->row);
            if (L->first_unshown < 0)
                L->first_unshown = (int64_t)L->rows_taken - 1;
        }
        hark_err err = L->npy ? hark_npy_append(L->npy, L->row) : HARK_OK;
        if (!err && L->out.recorder) {
            hark_recorder_set_dropped(L->out.recorder, hark_capture_dropped(L->capture));
            err = hark_recorder_push(L->out.recorder, L->row);
        }
        if (err)
            return err;
    }
    return HARK_OK;
}

static void poll_sleep(void)
{
    struct timespec ts = {0, POLL_NS};
    nanosleep(&ts, NULL);
}

static double captured_s(const live *L)
{
    return (double)hark_capture_frames(L->capture) / hark_capture_rate(L->capture);
}

/* R: stop or resume recording; the first R without --record starts recording into the
 * snapshot folder (the current folder unless --snapshot-dir). */
static void toggle_recording(live *L)
{
    if (L->out.recorder) {
        hark_recorder_set_paused(L->out.recorder, !hark_recorder_paused(L->out.recorder));
    } else {
        live_args *a = L->args;
        a->common.record_dir = a->common.snapshot_dir ? a->common.snapshot_dir : ".";
        const char *subject;
        if (open_recorder(L, hark_capture_rate(L->capture), &subject))
            a->common.record_dir = NULL; /* say why on the status line, go on without recording */
        /* rows so far are not in the recording: its frame 0 is now */
    }
    L->next_status_s = 0; /* show the change at once */
}

/* Window events; returns 1 when the user asked to quit or the window failed (*err). */
static int handle_events(live *L, hark_err *err)
{
    SDL_Event e;
    int quit = 0;
    while (SDL_PollEvent(&e)) {
        hark_view_action act = hark_view_handle_event(L->view, &e);
        if (act == HARK_VIEW_FAILED && !*err)
            *err = HARK_ERR_OPEN;
        quit |= act == HARK_VIEW_QUIT || act == HARK_VIEW_FAILED;
        L->want_snapshot |= act == HARK_VIEW_SNAPSHOT;
        if (act == HARK_VIEW_RECORD)
            toggle_recording(L);
    }
    return quit;
}

static void update_status(live *L, double t)
{
    if (t < L->next_status_s)
        return;
    L->next_status_s = t + STATUS_EVERY_S;
    char extra[160];
    int recording = L->out.recorder && !hark_recorder_paused(L->out.recorder);
    snprintf(extra, sizeof extra, "dropped %llu   latency %.0f ms (p99 %.0f)%s",
             (unsigned long long)hark_capture_dropped(L->capture),
             1000 * hark_latency_quantile(&L->latency, 0.5),
             1000 * hark_latency_quantile(&L->latency, 0.99), recording ? "   REC" : "");
    hark_view_set_status(L->view, extra);
}

/* --record from the start: frame 0's time is the first sample's ADC time (a sound server may
 * hand over what it held from before the stream started), not when the recorder was made. */
static void anchor_recording(live *L, const hark_stamp *s)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    double epoch_now = (double)tv.tv_sec + tv.tv_usec * 1e-6;
    double age = hark_capture_time(L->capture) - s->adc_time +
                 (double)s->first_sample / hark_capture_rate(L->capture);
    hark_recorder_set_start(L->out.recorder, epoch_now - age);
    L->anchor_pending = 0;
}

/* The callback's stamps (one per buffer): for the latency, and to date the recording. */
static void take_stamps(live *L)
{
    hark_stamp stamps[64];
    size_t n;
    while ((n = hark_capture_take_stamps(L->capture, stamps, 64)) > 0) {
        if (L->anchor_pending && L->out.recorder)
            anchor_recording(L, &stamps[0]);
        for (size_t i = 0; i < n; i++)
            hark_latency_add_stamp(&L->latency, stamps[i]);
    }
}

/* After a frame is shown: how long ago did the oldest sample new in it arrive? That sample
 * is the first one of the oldest new row that the previous row did not hold. */
static void measure_latency(live *L)
{
    if (L->first_unshown < 0)
        return;
    uint64_t hop = L->dsp_an.hop, half = L->dsp_an.fft_size / 2;
    uint64_t end = (uint64_t)L->first_unshown * hop + half; /* one past the row's newest sample */
    uint64_t oldest_new = end > hop ? end - hop : 0;
    double adc;
    /* The first second is left out: sound servers hand over what they had buffered at the
     * start (PulseAudio: about 0.65 s), which says nothing of the steady state. */
    if (captured_s(L) >= LATENCY_WARMUP_S &&
        hark_latency_sample_time(&L->latency, oldest_new, hark_capture_rate(L->capture), &adc))
        hark_latency_record(&L->latency, hark_capture_time(L->capture) - adc);
    L->first_unshown = -1;
}

/* Draw when something changed (a snapshot always draws, and reads the frame back). */
static hark_err show(live *L)
{
    int wait_ms = L->want_snapshot ? 0 : hark_view_ms_to_frame(L->view);
    if (wait_ms != 0) {
        /* No busy loop: sleep until an event (new rows wake it: see wake_view), the next
         * frame's time, or a tick for the status line and --duration. */
        SDL_WaitEventTimeout(NULL, wait_ms > 0 ? wait_ms : IDLE_MS);
        return HARK_OK;
    }
    uint8_t *rgb = NULL;
    unsigned w, h;
    hark_err err = hark_view_draw(L->view, L->want_snapshot ? &rgb : NULL, &w, &h);
    if (!err)
        measure_latency(L);
    if (!err && rgb) {
        char params[600];
        hark_view_params(L->view, params, sizeof params);
        hark_snapshots_submit(L->out.writer, rgb, w, h, params);
    }
    L->want_snapshot = 0;
    return err;
}

/* A device that stops delivering (unplugged, its sound server gone) ends the run with an error;
 * what was captured is still written. */
static hark_err check_device(live *L)
{
    if (!hark_session_device_gone(&L->device_watch, hark_capture_frames(L->capture),
                                  hark_capture_active(L->capture)))
        return HARK_OK;
    L->device_lost = 1;
    return hark_error_set(HARK_ERR_READ, "the input stopped delivering sound%s (device lost?)",
                          hark_capture_active(L->capture) ? " for 2 s" : "");
}

/* One pass of the main loop; returns 1 to stop. */
static int step(live *L, hark_err *err)
{
    const live_args *a = L->args;
    double t = captured_s(L);
    if (hark_stop_requested || (a->duration_s > 0 && t >= a->duration_s))
        return 1;
    if ((*err = check_device(L)))
        return 1;
    take_stamps(L);
    if (a->stall_len_s > 0)
        hark_dsp_pause_for_test(L->dsp, t >= a->stall_start_s &&
                                            t < a->stall_start_s + a->stall_len_s);
    if (atomic_exchange(&hark_snapshot_requested, 0))
        L->want_snapshot = L->view != NULL;
    if ((*err = take_rows(L)))
        return 1;
    if (!L->view) {
        poll_sleep();
        return 0;
    }
    if (handle_events(L, err))
        return 1;
    update_status(L, t);
    return (*err = show(L)) != HARK_OK;
}

/* The first line on stdout, once audio flows: scripts wait for it before sending SIGUSR1. */
static void print_start(const live *L)
{
    printf("live: %s at %.0f Hz, fft %u, hop %u, %s\n", L->dev.name, hark_capture_rate(L->capture),
           L->dsp_an.fft_size, L->dsp_an.hop, L->view ? "window" : "headless");
    if (L->view)
        printf("window: %s, %s\n", hark_view_driver(), hark_view_gl_version(L->view));
    fflush(stdout);
}

static hark_err live_run(live *L)
{
    hark_err err = hark_capture_start(L->capture);
    if (!err)
        print_start(L);
    while (!err && !step(L, &err))
        ;
    hark_err stop = hark_capture_stop(L->capture);
    if (err || stop)
        return err ? err : stop;
    /* Let the DSP thread finish what was captured (it has at most two seconds of work). */
    hark_dsp_pause_for_test(L->dsp, 0);
    for (int i = 0; i < 1000 && hark_ring_readable(L->samples) > 0; i++) {
        if ((err = take_rows(L)))
            return err;
        poll_sleep();
    }
    poll_sleep();
    return take_rows(L);
}

static hark_err write_raw(live *L)
{
    hark_err err = hark_npy_finish(L->npy);
    L->npy = NULL;
    if (err)
        return err;
    hark_render_job job = {.in_path = L->dev.name, .npy_path = L->args->raw,
                           .analysis = &L->dsp_an};
    hark_render_result res = {.rate_hz = hark_capture_rate(L->capture),
                              .channels = hark_capture_channels(L->capture),
                              .samples = hark_capture_frames(L->capture),
                              .frames = L->rows_taken, .rows = L->nrows, .peak_db = L->peak_db};
    hark_scale scale;
    hark_scale_init(&scale, L->dsp_an.scale, L->nrows, res.rate_hz, L->dsp_an.fft_size);
    return hark_sidecar_write(&job, &res, &scale);
}

static void print_summary(const live *L)
{
    printf("live: %s: %.2f s at %.0f Hz, %llu rows, %llu samples dropped, %llu rows dropped, "
           "peak %.1f dBFS\n",
           L->dev.name, captured_s(L), hark_capture_rate(L->capture),
           (unsigned long long)L->rows_taken, (unsigned long long)hark_capture_dropped(L->capture),
           (unsigned long long)hark_dsp_rows_dropped(L->dsp), (double)L->peak_db);
    if (L->view && L->latency.count)
        printf("latency: median %.1f ms, p99 %.1f ms over %llu frames after the first second "
               "(ADC time of a sample to the swap of the first frame showing it)\n",
               1000 * hark_latency_quantile(&L->latency, 0.5),
               1000 * hark_latency_quantile(&L->latency, 0.99),
               (unsigned long long)L->latency.count);
    if (L->args->raw)
        printf("%s (%u x %llu float32)\n", L->args->raw, L->nrows,
               (unsigned long long)L->rows_taken);
}

hark_err hark_cmd_live(int argc, char **argv, const char **subject)
{
    live_args a = {0};
    *subject = "live";
    hark_err err = parse_args(&a, argc, argv);
    if (err || a.help) {
        if (a.help)
            printf("%s\n%s", live_help, hark_analysis_help);
        return err;
    }
    if ((err = hark_audio_init()))
        return err;
    hark_stderr_filter_start(); /* without it, stderr is only noisier */
    static live L; /* large (the latency histogram): not on the stack */
    L = (live){.args = &a, .first_unshown = -1, .anchor_pending = a.common.record_dir != NULL};
    hark_latency_init(&L.latency);
    err = live_open(&L, subject);
    if (!err)
        err = live_run(&L);
    if (L.device_lost)
        *subject = L.dev.name;
    if (!err && L.npy && (err = write_raw(&L)))
        *subject = a.raw;
    /* Clean-up may record details of its own: the first error's is the one to say. */
    char detail[512] = "";
    if (err)
        snprintf(detail, sizeof detail, "%s", hark_error_message(err));
    const char *bad_snapshot;
    hark_err snap = hark_session_finish(&L.out, &bad_snapshot);
    if (!err && snap) {
        err = snap;
        *subject = bad_snapshot;
    }
    if (!err)
        print_summary(&L);
    live_close(&L);
    hark_audio_terminate();
    hark_stderr_filter_stop();
    if (err && detail[0])
        hark_error_set(err, "%s", detail);
    return err;
}
