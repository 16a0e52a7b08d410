/* hark live: microphone -> sample ring -> DSP thread -> row ring -> main thread.
 * For now the main thread runs headless: it drains the rows (to --raw OUT.npy when asked)
 * and prints a summary at the end. The window comes with the view module. */
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
#include "npy.h"
#include "sidecar.h"

#define ROW_RING_ROWS 256u
#define POLL_NS 5000000L

static const char live_help[] =
    "Usage: hark live [--device D] [--rate HZ] [--duration S] --headless [--raw OUT.npy]\n"
    "                 [analysis options]\n"
    "\n"
    "Captures from an audio input and computes its spectrogram as it arrives.\n"
    "      --device D        input device: an index or part of a name ('hark devices') [default]\n"
    "      --rate HZ         sample rate [the device's default]\n"
    "      --duration S      stop after S seconds of audio [until Ctrl-C or SIGTERM]\n"
    "      --headless        no window (the window is not built yet: this is required)\n"
    "      --raw OUT.npy     write the rows as float32 dBFS, shape (rows, frames), and OUT.json\n"
    "      --test-stall-dsp START:LEN  (for tests) pause the DSP thread for LEN seconds from\n"
    "                        START, so the capture ring fills and samples are dropped\n"
    "\n"
    "Default analysis for live: --fft 2048, 50% overlap.\n";

enum { OPT_DEVICE = HARK_OPT_LAST_ANALYSIS + 1, OPT_RATE, OPT_DURATION, OPT_HEADLESS, OPT_RAW,
       OPT_STALL, OPT_HELP };

typedef struct {
    hark_analysis an;
    const char *device, *raw;
    double rate_hz, duration_s;
    int headless, help;
    double stall_start_s, stall_len_s;
} live_args;

typedef struct {
    live_args *args;
    hark_audio_device dev;
    hark_ring *samples, *rows;
    hark_capture *capture;
    hark_dsp *dsp;
    hark_npy *npy;
    float *row;
    unsigned nrows;
    uint64_t rows_taken;
    float peak_db;
} live;

static hark_err parse_seconds(const char *opt, const char *v, double *out)
{
    char *end;
    double s = strtod(v, &end);
    if (*end || !(s > 0) || !isfinite(s))
        return hark_error_set(HARK_ERR_USAGE, "%s '%s': expected seconds > 0", opt, v);
    *out = s;
    return HARK_OK;
}

static hark_err parse_option(live_args *a, int c, const char *v)
{
    switch (c) {
    case OPT_DEVICE: a->device = v; return HARK_OK;
    case OPT_RATE: return parse_seconds("--rate", v, &a->rate_hz);
    case OPT_DURATION: return parse_seconds("--duration", v, &a->duration_s);
    case OPT_HEADLESS: a->headless = 1; return HARK_OK;
    case OPT_RAW: a->raw = v; return HARK_OK;
    case OPT_STALL:
        if (sscanf(v, "%lf:%lf", &a->stall_start_s, &a->stall_len_s) != 2 ||
            !(a->stall_start_s >= 0) || !(a->stall_len_s > 0))
            return hark_error_set(HARK_ERR_USAGE, "--test-stall-dsp '%s': expected START:LEN", v);
        return HARK_OK;
    case OPT_HELP: a->help = 1; return HARK_OK;
    default: return hark_analysis_apply(&a->an, c, v);
    }
}

static hark_err parse_args(live_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"device", required_argument, NULL, OPT_DEVICE},
        {"rate", required_argument, NULL, OPT_RATE},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"headless", no_argument, NULL, OPT_HEADLESS},
        {"raw", required_argument, NULL, OPT_RAW},
        {"test-stall-dsp", required_argument, NULL, OPT_STALL},
        {"help", no_argument, NULL, OPT_HELP},
        HARK_ANALYSIS_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    hark_analysis_defaults(&a->an, 2048);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == 'h')
            c = OPT_HELP;
        if (c == '?' || c == ':')
            return hark_cmd_option_error(c, argv, "live");
        hark_err err = parse_option(a, c, optarg);
        if (err || a->help)
            return err;
    }
    if (optind != argc)
        return hark_error_set(HARK_ERR_USAGE, "unexpected argument '%s'", argv[optind]);
    if (!a->headless)
        return hark_error_set(HARK_ERR_USAGE, "the live window is not built yet: use --headless");
    return hark_analysis_finish(&a->an);
}

/* ---- set-up and tear-down, in that order and its reverse ------------------------------------ */

static hark_err live_open(live *L, const char **subject)
{
    live_args *a = L->args;
    int index;
    hark_err err = hark_audio_find_device(a->device, 1, &index);
    if (!err)
        err = hark_audio_device_get(index, &L->dev);
    if (err)
        return err;
    *subject = L->dev.name;
    double rate = a->rate_hz > 0 ? a->rate_hz : L->dev.default_rate_hz;
    L->nrows = hark_analysis_rows(&a->an);
    /* Two seconds of samples: the DSP thread may be late by that much before anything drops. */
    if ((err = hark_ring_create(sizeof(float), (size_t)(2 * rate), &L->samples)) ||
        (err = hark_ring_create(sizeof(float) * L->nrows, ROW_RING_ROWS, &L->rows)))
        return err;
    hark_capture_config cc = {.device = index, .rate_hz = rate, .channel = a->an.channel,
                              .ring = L->samples};
    if ((err = hark_capture_open(&cc, &L->capture)))
        return err;
    hark_dsp_config dc = {.samples = L->samples, .rows = L->rows, .hop = a->an.hop,
                          .stft = {.fft_size = a->an.fft_size, .rate_hz = rate,
                                   .window = a->an.window, .scale = a->an.scale,
                                   .rows = L->nrows, .floor_db = a->an.min_db}};
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
    return HARK_OK;
}

static void live_close(live *L)
{
    hark_npy_abort(L->npy);
    free(L->row);
    hark_capture_close(L->capture);
    hark_dsp_stop(L->dsp);
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
        hark_err err = L->npy ? hark_npy_append(L->npy, L->row) : HARK_OK;
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

static hark_err live_run(live *L)
{
    const live_args *a = L->args;
    hark_err err = hark_capture_start(L->capture);
    while (!err && !hark_stop_requested) {
        double t = captured_s(L);
        if (a->duration_s > 0 && t >= a->duration_s)
            break;
        if (a->stall_len_s > 0)
            hark_dsp_pause_for_test(L->dsp, t >= a->stall_start_s &&
                                                t < a->stall_start_s + a->stall_len_s);
        err = take_rows(L);
        poll_sleep();
    }
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
                           .analysis = &L->args->an};
    hark_render_result res = {.rate_hz = hark_capture_rate(L->capture),
                              .channels = hark_capture_channels(L->capture),
                              .samples = hark_capture_frames(L->capture),
                              .frames = L->rows_taken, .rows = L->nrows, .peak_db = L->peak_db};
    hark_scale scale;
    hark_scale_init(&scale, L->args->an.scale, L->nrows, res.rate_hz, L->args->an.fft_size);
    return hark_sidecar_write(&job, &res, &scale);
}

static void print_summary(const live *L)
{
    printf("live: %s: %.2f s at %.0f Hz, %llu rows, %llu samples dropped, %llu rows dropped, "
           "peak %.1f dBFS\n",
           L->dev.name, captured_s(L), hark_capture_rate(L->capture),
           (unsigned long long)L->rows_taken, (unsigned long long)hark_capture_dropped(L->capture),
           (unsigned long long)hark_dsp_rows_dropped(L->dsp), (double)L->peak_db);
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
    live L = {.args = &a};
    err = live_open(&L, subject);
    if (!err)
        err = live_run(&L);
    if (!err && L.npy && (err = write_raw(&L)))
        *subject = a.raw;
    if (!err)
        print_summary(&L);
    live_close(&L);
    hark_audio_terminate();
    return err;
}
