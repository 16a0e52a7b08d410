/* hark info: what a file is, and the spectrogram it would give. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "cmd.h"
#include "decoder.h"
#include "stft.h"

static const char info_help[] =
    "Usage: hark info FILE [--raw-format F --rate HZ [--channels N]] [analysis options]\n"
    "\n"
    "Prints the format, channels, rate, length and duration of FILE, and the size of the image\n"
    "(frames x rows) that 'hark render' would write with the same analysis options. FILE may\n"
    "be - (standard input).\n"
    "Default analysis for info: as render, --fft 1024, 50% overlap.\n";

/* Count frames by reading when the header does not say (some streams). */
static hark_err count_frames(hark_decoder *dec, int64_t *frames)
{
    float *buf = malloc(sizeof(float) * 65536);
    if (!buf)
        return hark_fail(HARK_ERR_NOMEM);
    hark_err err = HARK_OK;
    size_t got;
    *frames = 0;
    while (!(err = hark_decoder_read(dec, buf, 65536, &got)) && got) {
        *frames += (int64_t)got;
        if (atomic_load(&hark_stop_requested)) {
            err = hark_fail(HARK_ERR_INTERRUPTED);
            break;
        }
    }
    free(buf);
    return err;
}

/* The options beyond the plain STFT, on one line when any is given. */
static void print_beyond(const hark_analysis *a)
{
    int cqt = a->scale == HARK_SCALE_CQT;
    if (!a->window_size && !a->reassign && !a->pcen && !cqt)
        return;
    printf("beyond:    a %u-sample window in the %u-sample frame%s%s",
           a->window_size ? a->window_size : a->fft_size, a->fft_size,
           a->reassign ? ", reassigned" : "", a->pcen ? ", PCEN" : "");
    if (cqt)
        printf(", cqt: %u rows an octave from %.3f Hz", a->bins_per_octave, a->fmin_hz);
    putchar('\n');
}

/* picked[0..n): the channels analysed (hark_analysis_channels, checked against the file). */
static void print_info(const char *path, const hark_decoder_info *info, int64_t frames,
                       const hark_analysis *a, const int *picked, unsigned n)
{
    double seconds = (double)frames / info->rate_hz;
    uint64_t cols = hark_stft_frame_count((uint64_t)frames, a->hop);
    printf("file:      %s\n", path);
    printf("format:    %s, %s\n", info->format, info->subtype);
    printf("channels:  %u\n", info->channels);
    printf("rate:      %.0f Hz\n", info->rate_hz);
    printf("frames:    %lld\n", (long long)frames);
    /* m:ss.mmm from whole milliseconds, so 59.9999 s prints 1:00.000, not 0:60.000 */
    long long ms = llround(seconds * 1000.0);
    printf("duration:  %.3f s (%lld:%02lld.%03lld)\n", seconds, ms / 60000, ms / 1000 % 60,
           ms % 1000);
    char channel[HARK_STACK_MAX * 8] = "", name[12];
    unsigned at = 0;
    for (unsigned c = 0; c < n && at < sizeof channel; c++)
        at += (unsigned)snprintf(channel + at, sizeof channel - at, "%s%s", c ? "," : "",
                                 hark_channel_name(picked[c], name));
    printf("analysis:  fft %u, hop %u, %s window, %s scale, channel%s %s\n", a->fft_size,
           a->hop, hark_window_name(a->window), hark_scale_name(a->scale), a->stack ? "s" : "",
           channel);
    if (a->stack)
        printf("image:     %llu x %u (frames x %u channels x %u rows)\n",
               (unsigned long long)cols, n * hark_analysis_rows(a, info->rate_hz), n,
               hark_analysis_rows(a, info->rate_hz));
    else
        printf("image:     %llu x %u (frames x rows)\n", (unsigned long long)cols,
               hark_analysis_rows(a, info->rate_hz));
    print_beyond(a);
    printf("bin:       %.4f Hz, frame step %.4f ms\n", info->rate_hz / a->fft_size,
           1000.0 * a->hop / info->rate_hz);
}

typedef struct {
    hark_analysis a;
    hark_raw_input input; /* --raw-format, --rate, --channels */
} info_args;

static hark_err apply_option(void *ctx, int code, const char *arg)
{
    info_args *o = ctx;
    hark_err err;
    if (hark_input_option(&o->input, code, arg, &err))
        return err;
    return hark_analysis_apply(&o->a, code, arg);
}

static hark_err parse_args(info_args *o, int argc, char **argv, const char **path, int *help)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        HARK_INPUT_OPTIONS,
        HARK_ANALYSIS_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    hark_analysis_defaults(&o->a, 1024);
    hark_err err = hark_cmd_getopt(argc, argv, ":h", options, "info", apply_option, o, help);
    if (err || *help)
        return err;
    if (optind != argc - 1)
        return hark_error_set(HARK_ERR_USAGE, "expected one file (see 'hark info --help')");
    *path = argv[optind];
    if ((err = hark_input_finish(&o->input)))
        return err;
    return hark_analysis_finish(&o->a);
}

hark_err hark_cmd_info(int argc, char **argv)
{
    info_args o = {0};
    const char *path = NULL;
    int help = 0;
    hark_err err = parse_args(&o, argc, argv, &path, &help);
    if (help) {
        fputs(info_help, stdout);
        fputs(hark_input_help, stdout);
        fputs(hark_analysis_help, stdout);
        return HARK_OK;
    }
    if (err)
        return err;
    hark_analysis a = o.a;
    hark_decoder *dec;
    if ((err = hark_decoder_create_raw(path, &o.input, a.stack ? HARK_CHANNEL_ALL : a.channel,
                                       &hark_stop_requested, &dec))) {
        hark_error_subject(path);
        return err;
    }
    const hark_decoder_info *info = hark_decoder_get_info(dec);
    int64_t frames = info->frames;
    if (frames < 0)
        err = count_frames(dec, &frames);
    if (!err && frames == 0)
        err = hark_error_set(HARK_ERR_EMPTY, "no audio frames in the file");
    int picked[HARK_STACK_MAX];
    unsigned n;
    if (!err)
        err = hark_analysis_check_rate(&a, info->rate_hz);
    if (!err)
        err = hark_analysis_channels(&a, info->channels, picked, &n);
    if (!err)
        print_info(path, info, frames, &a, picked, n);
    hark_decoder_destroy(dec);
    if (err)
        hark_error_subject(path);
    return err;
}
