/* hark play: file -> decoder thread -> output callback (the device, and the sample ring) -> DSP
 * thread -> row ring -> main thread, which puts each row on the window's now line when its
 * centre sample reaches the DAC (playclock.h), so the picture is what is heard. Left/Right
 * seek by restarting the pipeline at the new position. */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis.h"
#include "audio.h"
#include "cmd.h"
#include "decoder.h"
#include "dsp.h"
#include "latency.h"
#include "overlay.h"
#include "player.h"
#include "playclock.h"
#include "session.h"
#include "stderr_filter.h"
#include "view.h"

#define ROW_RING_ROWS 1024u
#define SEEK_STEP_S 5.0
#define IDLE_MS 20
#define HEADLESS_NAP_NS 5000000L
#define STATUS_EVERY_S 0.25
#define PENDING_MAX 256u

static const char play_help[] =
    "Usage: hark play FILE [--device D] [--loop] [--start T] [--hold] [--headless]\n"
    "                 [--stats FILE.csv] [--record DIR] [analysis options]\n"
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
    "      --orient top|right  newest rows at the top (frequency across) or at the right [top]\n"
    "      --snapshot-dir DIR  where S and SIGUSR1 save snapshots [the current folder]\n"
    "      --size WxH        initial window size [1280x720]\n"
    "      --record DIR      write the full-resolution waterfall as numbered PNG strips\n"
    "      --record-seconds S  seconds per strip [60]\n"
    "\n"
    "Keys: Space pause/resume (sound and picture), Left/Right seek 5 s, S snapshot, R start/stop\n"
    "recording strips, C next colour map, L next frequency scale, Up/Down move the dB range,\n"
    "+/- widen/narrow it, F fullscreen, H help, Q or Esc quit.\n"
    "Default analysis for play: --fft 2048, 50% overlap.\n";

enum { OPT_LOOP = HARK_OPT_LAST_SESSION + 1, OPT_START, OPT_HOLD, OPT_STATS };

typedef struct {
    hark_analysis an;
    hark_session_options common; /* device, window, recording */
    const char *path, *stats;
    double start_s;
    int loop, hold, help;
} play_args;

/* A row on the now line whose frame has not been shown yet (for --stats and the sync figure). */
typedef struct {
    uint64_t row;
    double file_s, dac_s;
} pending_row;

typedef struct {
    play_args *args;
    char name[256];           /* the file's base name, for the window */
    int out_device;
    hark_audio_device dev;
    hark_ring *samples, *rows;
    hark_player *player;
    hark_dsp *dsp;
    hark_dsp_config dsp_cfg;
    hark_view *view;
    hark_session_out out;
    hark_playclock clock;
    hark_analysis dsp_an;
    unsigned nrows;
    float *row;
    uint64_t next_row;        /* the next row's index since the last (re)start */
    double newest_file_s;     /* the position of the newest row shown */
    pending_row pending[PENDING_MAX];
    unsigned npending;
    hark_latency sync;        /* DAC time of a row's centre to the swap that shows it */
    FILE *stats;
    uint64_t rows_shown;
    double next_status_s, heard_s;
    int want_snapshot, paused, finished;
    double all_heard_at;      /* when everything had been heard (0: not yet) */
    double started_at;        /* CLOCK_MONOTONIC when the command began, s */
    hark_session_watch device_watch; /* the output callback's count */
    int device_lost;
    double first_sound_ms;    /* from then to the first buffer's DAC time (< 0: not yet) */
    char note[96];            /* a passing remark for the status line ("cannot seek") */
} play;

static hark_err parse_option(void *ctx, int c, const char *v)
{
    play_args *a = ctx;
    switch (c) {
    case OPT_LOOP: a->loop = 1; return HARK_OK;
    case OPT_START: {
        char *end;
        a->start_s = strtod(v, &end);
        if (*end || !(a->start_s >= 0) || !isfinite(a->start_s))
            return hark_error_set(HARK_ERR_USAGE, "--start '%s': expected seconds >= 0", v);
        return HARK_OK;
    }
    case OPT_HOLD: a->hold = 1; return HARK_OK;
    case OPT_STATS: a->stats = v; return HARK_OK;
    default: {
        hark_err err;
        return hark_session_option(&a->common, c, v, &err) ? err : hark_analysis_apply(&a->an, c, v);
    }
    }
}

static hark_err parse_args(play_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"loop", no_argument, NULL, OPT_LOOP},
        {"start", required_argument, NULL, OPT_START},
        {"hold", no_argument, NULL, OPT_HOLD},
        {"stats", required_argument, NULL, OPT_STATS},
        {"help", no_argument, NULL, 'h'},
        HARK_ANALYSIS_OPTIONS,
        HARK_SESSION_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    hark_analysis_defaults(&a->an, 2048);
    hark_session_options_defaults(&a->common);
    hark_err err = hark_cmd_getopt(argc, argv, ":h", options, "play", parse_option, a, &a->help);
    if (err || a->help)
        return err;
    if (optind != argc - 1)
        return hark_error_set(HARK_ERR_USAGE, optind == argc ? "expected one FILE"
                                                             : "unexpected argument '%s'",
                              argv[argc - 1]);
    a->path = argv[optind];
    err = hark_analysis_finish(&a->an);
    if (!err && a->an.height)
        err = hark_error_set(HARK_ERR_USAGE, "--height: the window has one row per pixel");
    return err;
}

/* ---- set-up and tear-down ------------------------------------------------------------------ */

static hark_err open_player(play *P, const char **subject)
{
    const play_args *a = P->args;
    hark_err err = hark_audio_find_device(a->common.device, 0, &P->out_device);
    if (!err)
        err = hark_audio_device_get(P->out_device, &P->dev);
    if (err)
        return err;
    /* Two seconds of samples for the DSP thread; the callback never gives it more than fits. */
    double rate_guess = a->common.rate_hz > 0 ? a->common.rate_hz : 192000;
    P->dsp_an = a->an;
    P->dsp_an.scale = HARK_SCALE_LINEAR; /* the window maps bins onto the scale (L) */
    P->nrows = hark_analysis_rows(&P->dsp_an);
    if ((err = hark_ring_create(sizeof(float), (size_t)(2 * rate_guess), &P->samples)) ||
        (err = hark_ring_create(sizeof(float) * P->nrows, ROW_RING_ROWS, &P->rows)))
        return err;
    /* Output latency of at least a frame and a half: a row is ready before its centre is heard. */
    hark_player_config pc = {.path = a->path, .device = P->out_device, .rate_hz = a->common.rate_hz,
                             .channel = a->an.channel, .loop = a->loop,
                             .latency_frames = 3 * a->an.fft_size / 2, .samples = P->samples};
    int device_error;
    err = hark_player_open(&pc, &P->player, &device_error);
    if (err && device_error)
        *subject = P->dev.name;
    return err;
}

static void wake_view(void *ctx)
{
    (void)ctx;
    hark_view_wake();
}

static hark_err start_dsp(play *P)
{
    return hark_dsp_start(&P->dsp_cfg, &P->dsp);
}

static hark_err open_view(play *P)
{
    const play_args *a = P->args;
    const hark_analysis *an = &a->an;
    hark_view_config vc = {.source = "play", .device = P->name, .file_time = 1,
                           .rate_hz = hark_player_rate(P->player), .fft_size = an->fft_size,
                           .hop = an->hop, .scale = an->scale, .min_db = an->min_db,
                           .max_db = an->max_db, .colormap = an->colormap,
                           .newest_at_top = a->common.newest_at_top, .width = a->common.width,
                           .height = a->common.height};
    hark_err err = hark_view_create(&vc, &P->view);
    return err ? err : hark_session_writer(&P->out, a->common.snapshot_dir);
}

/* --record (or R): strips of what is played, through the writer thread. */
static hark_err open_recorder(play *P, const char **subject)
{
    const play_args *a = P->args;
    hark_session_record r = {.dir = a->common.record_dir, .headless = a->common.headless,
                             .snapshot_dir = a->common.snapshot_dir,
                             .strip_seconds = a->common.record_seconds,
                             .rate_hz = hark_player_rate(P->player), .analysis = &P->dsp_an,
                             .rows = P->nrows, .device = P->name, .source = "play"};
    return hark_session_record_start(&P->out, &r, subject);
}

static hark_err play_open(play *P, const char **subject)
{
    const play_args *a = P->args;
    hark_err err = open_player(P, subject);
    if (err)
        return err;
    double rate = hark_player_rate(P->player);
    const hark_decoder_info *info = hark_player_file(P->player);
    if (a->start_s > 0 && info->frames >= 0 && a->start_s * info->rate_hz >= (double)info->frames)
        return hark_error_set(HARK_ERR_USAGE, "--start %.3f: the file is %.3f s long", a->start_s,
                              (double)info->frames / info->rate_hz);
    hark_playclock_init(&P->clock, rate, info->rate_hz);
    if (a->loop && info->frames > 0)
        hark_playclock_set_loop(&P->clock, (double)info->frames / info->rate_hz);
    const hark_analysis *an = &P->dsp_an;
    P->dsp_cfg = (hark_dsp_config){.samples = P->samples, .rows = P->rows, .hop = an->hop,
                                   .stft = {.fft_size = an->fft_size, .rate_hz = rate,
                                            .window = an->window, .scale = an->scale,
                                            .rows = P->nrows, .floor_db = an->min_db},
                                   .on_rows = a->common.headless ? NULL : wake_view};
    P->row = malloc(sizeof(float) * P->nrows);
    if (!P->row)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory");
    if ((err = start_dsp(P)))
        return err;
    if (a->stats && !(P->stats = fopen(a->stats, "w"))) {
        *subject = a->stats;
        return hark_error_set(HARK_ERR_WRITE, "cannot write the sync log: %s", strerror(errno));
    }
    if (P->stats) {
        fprintf(P->stats, "row,file_s,dac_s,shown_s,offset_ms\n");
        fflush(P->stats);
    }
    if (a->common.record_dir && (err = open_recorder(P, subject)))
        return err;
    if (a->common.headless)
        return HARK_OK;
    *subject = "play"; /* a window's trouble is not the file's */
    return open_view(P);
}

static void play_close(play *P)
{
    const char *ignored;
    hark_session_finish(&P->out, &ignored); /* only on a failed start: see hark_cmd_play */
    hark_player_close(P->player);
    hark_dsp_stop(P->dsp); /* before the view: it wakes the view */
    hark_view_destroy(P->view);
    if (P->stats)
        fclose(P->stats);
    free(P->row);
    hark_ring_destroy(P->rows);
    hark_ring_destroy(P->samples);
}

/* ---- the audio clock ------------------------------------------------------------------------ */

static void take_clock(play *P)
{
    hark_play_stamp stamps[64];
    hark_play_segment segs[16];
    size_t n;
    while ((n = hark_player_take_segments(P->player, segs, 16)) > 0)
        for (size_t i = 0; i < n; i++)
            hark_playclock_add_segment(&P->clock, segs[i]);
    while ((n = hark_player_take_stamps(P->player, stamps, 64)) > 0) {
        if (P->first_sound_ms < 0) /* the stream clock's dac time, on the monotonic clock */
            P->first_sound_ms = 1000 * (hark_session_now() + stamps[0].dac_time -
                                        hark_player_time(P->player) - P->started_at);
        for (size_t i = 0; i < n; i++)
            hark_playclock_add_stamp(&P->clock, stamps[i]);
    }
}

/* Where the listener is, in the file (s); the last known when nothing is playing. */
static double heard_file_s(play *P, double now)
{
    double pos;
    if (hark_playclock_heard(&P->clock, now, &pos))
        P->heard_s = hark_playclock_file_seconds(&P->clock, pos);
    return P->heard_s;
}

/* Everything the file had has been heard (never with --loop). */
static int all_heard(const play *P, double now)
{
    uint64_t total;
    double pos;
    if (!hark_player_ended(P->player, &total))
        return 0;
    return total == 0 || (hark_playclock_heard(&P->clock, now, &pos) && pos >= (double)total);
}

/* Every row the played samples make has been computed and taken (or, as a safety, two
 * seconds have passed since everything was heard). */
static int all_shown(play *P, double now)
{
    uint64_t total, half = P->dsp_an.fft_size / 2;
    hark_player_ended(P->player, &total);
    uint64_t frames = total >= half ? (total - half) / P->dsp_an.hop + 1 : 0;
    if (P->all_heard_at == 0)
        P->all_heard_at = now;
    return (hark_dsp_rows(P->dsp) >= frames && hark_ring_readable(P->rows) == 0) ||
           now - P->all_heard_at > 2.0;
}

/* ---- rows onto the now line ----------------------------------------------------------------- */

static hark_err show_row(play *P, const float *row, double dac_s)
{
    uint64_t centre = P->next_row * P->dsp_an.hop;
    P->newest_file_s = hark_playclock_file_seconds(&P->clock, (double)centre);
    if (P->view) {
        hark_view_push_row(P->view, row);
        hark_view_set_position(P->view, P->newest_file_s);
        if (P->npending < PENDING_MAX)
            P->pending[P->npending++] = (pending_row){P->next_row, P->newest_file_s, dac_s};
    }
    P->next_row++;
    P->rows_shown++;
    return P->out.recorder ? hark_recorder_push(P->out.recorder, row) : HARK_OK;
}

/* Rows whose centre sample has reached the DAC go on the now line, in order. Returns, in
 * *wait_ms, how long until the next one is due (-1: not known yet). */
static hark_err take_due_rows(play *P, double now, int *wait_ms)
{
    *wait_ms = -1;
    if (P->view && hark_view_paused(P->view))
        return HARK_OK; /* held in the ring until the picture goes on */
    const float *row;
    while ((row = hark_ring_peek(P->rows))) {
        double dac;
        int known = hark_playclock_dac_time(&P->clock, P->next_row * P->dsp_an.hop, &dac);
        if (known == 0)
            return HARK_OK; /* its stamp is on its way */
        if (known > 0 && dac > now) {
            *wait_ms = (int)ceil((dac - now) * 1000);
            return HARK_OK;
        }
        hark_err err = show_row(P, row, known > 0 ? dac : now);
        hark_ring_skip(P->rows, 1);
        if (err)
            return err;
    }
    return HARK_OK;
}

/* After a swap: the rows it first showed reached the now line now. */
static void log_shown(play *P, double shown)
{
    for (unsigned i = 0; i < P->npending; i++) {
        const pending_row *r = &P->pending[i];
        double offset = shown - r->dac_s;
        hark_latency_record(&P->sync, offset > 0 ? offset : 0);
        if (P->stats)
            fprintf(P->stats, "%llu,%.6f,%.6f,%.6f,%.3f\n", (unsigned long long)r->row, r->file_s,
                    r->dac_s, shown, 1000 * offset);
    }
    if (P->stats && P->npending) /* whole lines as they happen: scripts may follow the log */
        fflush(P->stats);
    P->npending = 0;
}

/* ---- seeking and pausing -------------------------------------------------------------------- */

/* Go on from file position t (s): the device keeps running; the callback holds while the
 * decoder and the DSP thread restart and the rings and the picture are emptied. */
static hark_err seek_to(play *P, double t)
{
    const hark_decoder_info *info = hark_player_file(P->player);
    if (!info->seekable) {
        snprintf(P->note, sizeof P->note, "   (cannot seek: the input is not seekable)");
        return HARK_OK;
    }
    double len = info->frames >= 0 ? (double)info->frames / info->rate_hz : INFINITY;
    t = t < 0 ? 0 : t > len - 0.1 ? (len > 0.1 ? len - 0.1 : 0) : t;
    hark_err err = hark_player_seek_begin(P->player);
    hark_dsp_stop(P->dsp);
    P->dsp = NULL;
    if (err) {
        P->device_lost = 1; /* the callback never answered */
        return err;
    }
    hark_ring_reset(P->samples);
    hark_ring_reset(P->rows);
    hark_playclock_reset(&P->clock);
    if (P->view)
        hark_view_clear(P->view);
    P->next_row = 0;
    P->npending = 0;
    P->heard_s = t;
    P->all_heard_at = 0;
    P->finished = 0;
    P->note[0] = '\0';
    if (P->view)
        hark_view_set_position(P->view, t);
    if ((err = start_dsp(P)))
        return err;
    return hark_player_seek_end(P->player, (int64_t)llround(t * info->rate_hz));
}

/* R: stop or resume recording; the first R without --record starts it in the snapshot folder
 * (the current folder unless --snapshot-dir). Rows shown so far are not in it. */
static void toggle_recording(play *P)
{
    play_args *a = P->args;
    const char *subject;
    if (P->out.recorder) {
        hark_recorder_set_paused(P->out.recorder, !hark_recorder_paused(P->out.recorder));
    } else {
        a->common.record_dir = a->common.snapshot_dir ? a->common.snapshot_dir : ".";
        if (open_recorder(P, &subject)) {
            a->common.record_dir = NULL;
            snprintf(P->note, sizeof P->note, "   (cannot record: %s)", hark_error_message(HARK_ERR_WRITE));
        }
    }
    P->next_status_s = 0; /* show the change at once */
}

static hark_err handle_events(play *P, double now, int *quit)
{
    SDL_Event e;
    hark_err err = HARK_OK;
    while (!err && SDL_PollEvent(&e)) {
        hark_view_action act = hark_view_handle_event(P->view, &e);
        if (act == HARK_VIEW_FAILED)
            return HARK_ERR_OPEN;
        *quit |= act == HARK_VIEW_QUIT;
        P->want_snapshot |= act == HARK_VIEW_SNAPSHOT;
        if (act == HARK_VIEW_RECORD)
            toggle_recording(P);
        if (act == HARK_VIEW_SEEK_BACK || act == HARK_VIEW_SEEK_FORWARD)
            err = seek_to(P, heard_file_s(P, now) +
                                 (act == HARK_VIEW_SEEK_BACK ? -SEEK_STEP_S : SEEK_STEP_S));
    }
    /* Space pauses the picture (view.c); the sound follows it. */
    int paused = hark_view_paused(P->view);
    if (paused != P->paused) {
        P->paused = paused;
        hark_player_set_paused(P->player, paused);
    }
    return err;
}

/* ---- the main loop -------------------------------------------------------------------------- */

static void update_status(play *P, double now)
{
    if (now < P->next_status_s)
        return;
    P->next_status_s = now + STATUS_EVERY_S;
    const hark_decoder_info *info = hark_player_file(P->player);
    char at[32], len[32] = "?", extra[320], rate[48] = "";
    hark_overlay_clock(heard_file_s(P, now), 1, at, sizeof at);
    if (info->frames >= 0)
        hark_overlay_clock((double)info->frames / info->rate_hz, 1, len, sizeof len);
    if (hark_player_resampling(P->player))
        snprintf(rate, sizeof rate, "   resampled from %.0f Hz", info->rate_hz);
    int recording = P->out.recorder && !hark_recorder_paused(P->out.recorder);
    snprintf(extra, sizeof extra, "%s / %s   underruns %llu   sync %.0f ms (p99 %.0f)%s%s%s%s",
             at, len, (unsigned long long)hark_player_underruns(P->player),
             1000 * hark_latency_quantile(&P->sync, 0.5),
             1000 * hark_latency_quantile(&P->sync, 0.99), rate, P->args->loop ? "   LOOP" : "",
             recording ? "   REC" : "", P->note);
    hark_view_set_status(P->view, extra);
}

static hark_err draw(play *P)
{
    uint8_t *rgb = NULL;
    unsigned w, h;
    hark_err err = hark_view_draw(P->view, P->want_snapshot ? &rgb : NULL, &w, &h);
    if (!err)
        log_shown(P, hark_player_time(P->player));
    if (!err && rgb) {
        char params[600];
        hark_view_params(P->view, params, sizeof params);
        hark_snapshots_submit(P->out.writer, rgb, w, h, params);
    }
    P->want_snapshot = 0;
    return err;
}

/* Sleep until an event (new rows wake it), the next row's time, the next frame's, or a tick. */
static void wait_a_little(play *P, int row_ms, int frame_ms)
{
    int ms = IDLE_MS;
    if (row_ms >= 0 && row_ms < ms)
        ms = row_ms;
    if (frame_ms > 0 && frame_ms < ms)
        ms = frame_ms;
    if (P->view) {
        SDL_WaitEventTimeout(NULL, ms > 0 ? ms : 1);
    } else {
        struct timespec ts = {0, HEADLESS_NAP_NS};
        nanosleep(&ts, NULL);
    }
}

/* A device that stops asking for sound ends the run with an error. */
static hark_err check_device(play *P)
{
    if (!hark_session_device_gone(&P->device_watch, hark_player_calls(P->player),
                                  hark_player_active(P->player)))
        return HARK_OK;
    P->device_lost = 1;
    return hark_error_set(HARK_ERR_READ, "the output stopped taking sound%s (device lost?)",
                          hark_player_active(P->player) ? " for 2 s" : "");
}

/* One pass of the main loop; returns 1 to stop. */
static int step(play *P, hark_err *err)
{
    if (hark_stop_requested || (*err = hark_player_error(P->player)) || (*err = check_device(P)))
        return 1;
    take_clock(P);
    double now = hark_player_time(P->player);
    heard_file_s(P, now);
    int row_ms, quit = 0;
    if ((*err = take_due_rows(P, now, &row_ms)))
        return 1;
    if (!P->finished && all_heard(P, now) && all_shown(P, now)) {
        P->finished = 1;
        if (P->view && (*err = draw(P))) /* the last rows: on screen and in the sync log */
            return 1;
        if (!P->args->hold || !P->view)
            return 1;
        snprintf(P->note, sizeof P->note, "   END");
        P->next_status_s = 0;
    }
    if (!P->view) {
        wait_a_little(P, row_ms, -1);
        return 0;
    }
    if (atomic_exchange(&hark_snapshot_requested, 0))
        P->want_snapshot = 1;
    if ((*err = handle_events(P, now, &quit)) || quit)
        return 1;
    update_status(P, now);
    int frame_ms = P->want_snapshot ? 0 : hark_view_ms_to_frame(P->view);
    if (frame_ms == 0)
        return (*err = draw(P)) != HARK_OK;
    wait_a_little(P, row_ms, frame_ms);
    return 0;
}

static void print_start(const play *P)
{
    const hark_decoder_info *info = hark_player_file(P->player);
    const char *device = P->dev.name;
    printf("play: %s: %s, %.0f Hz, %u channels -> %s at %.0f Hz, %u channels%s; fft %u, hop %u, %s\n",
           P->args->path, info->format, info->rate_hz, info->channels, device,
           hark_player_rate(P->player), hark_player_channels(P->player),
           hark_player_resampling(P->player) ? " (resampled by libsamplerate)" : "",
           P->dsp_an.fft_size, P->dsp_an.hop, P->view ? "window" : "headless");
    fflush(stdout);
}

static void print_summary(const play *P)
{
    printf("play: %s: heard up to %.2f s, %llu rows, %llu frames of underrun, first sound %.0f ms "
           "after start\n",
           P->args->path, P->heard_s, (unsigned long long)P->rows_shown,
           (unsigned long long)hark_player_underruns(P->player), P->first_sound_ms);
    if (P->sync.count)
        printf("sync: median %.1f ms, p99 %.1f ms over %llu rows (DAC time of a row's centre "
               "sample to the swap of the first frame showing it)\n",
               1000 * hark_latency_quantile(&P->sync, 0.5),
               1000 * hark_latency_quantile(&P->sync, 0.99), (unsigned long long)P->sync.count);
}

static hark_err play_run(play *P)
{
    const hark_decoder_info *info = hark_player_file(P->player);
    P->heard_s = P->args->start_s;
    hark_err err = hark_player_start(P->player, (int64_t)llround(P->args->start_s * info->rate_hz));
    if (!err)
        print_start(P);
    while (!err && !step(P, &err))
        ;
    hark_err stop = hark_player_stop(P->player);
    return err ? err : stop;
}

hark_err hark_cmd_play(int argc, char **argv, const char **subject)
{
    double started_at = hark_session_now(); /* for "first sound ... after start" */
    play_args a = {0};
    *subject = "play";
    hark_err err = parse_args(&a, argc, argv);
    if (err || a.help) {
        if (a.help)
            printf("%s\n%s", play_help, hark_analysis_help);
        return err;
    }
    if ((err = hark_audio_init()))
        return err;
    hark_stderr_filter_start(); /* without it, stderr is only noisier */
    static play P; /* large (the sync histogram): not on the stack */
    P = (play){.args = &a, .started_at = started_at, .first_sound_ms = -1};
    char path_copy[4096];
    snprintf(path_copy, sizeof path_copy, "%s", a.path);
    snprintf(P.name, sizeof P.name, "%s", basename(path_copy));
    hark_latency_init(&P.sync);
    *subject = a.path;
    err = play_open(&P, subject);
    if (!err) {
        *subject = a.path;
        err = play_run(&P);
        if (P.device_lost)
            *subject = P.dev.name;
    }
    /* Clean-up may record details of its own: the first error's is the one to say. */
    char detail[512] = "";
    if (err)
        snprintf(detail, sizeof detail, "%s", hark_error_message(err));
    const char *bad;
    hark_err out = hark_session_finish(&P.out, &bad);
    if (!err && out) {
        err = out;
        *subject = bad;
    }
    if (!err && P.stats) {
        int bad_stats = fclose(P.stats) != 0;
        P.stats = NULL;
        if (bad_stats) {
            *subject = a.stats;
            err = hark_error_set(HARK_ERR_WRITE, "cannot write the sync log: %s", strerror(errno));
        }
    }
    if (!err)
        print_summary(&P);
    play_close(&P);
    hark_audio_terminate();
    hark_stderr_filter_stop();
    if (err && detail[0])
        hark_error_set(err, "%s", detail);
    return err;
}
