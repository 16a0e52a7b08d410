/* hark levels: peaks, RMS and loudness of a file, per channel and for the programme (levels.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "file_levels.h"
#include "json.h"

static const char levels_help[] =
    "Usage: hark levels FILE [--json] [--raw-format F --rate HZ [--channels N]]\n"
    "\n"
    "Prints the levels of FILE (- for standard input), for the programme (all channels) and\n"
    "for each channel: sample peak and RMS in dBFS, true peak in dBTP (ITU-R BS.1770-4, 4x\n"
    "oversampled), samples clipped (at or beyond full scale), and loudness per EBU R128:\n"
    "integrated (LUFS), loudness range (LU), and the largest momentary (400 ms) and\n"
    "short-term (3 s) loudness, read every 100 ms. Loudness and true peak are libebur128's.\n"
    "A channel's loudness is that channel alone; the programme weighs L, R, C, Ls, Rs as\n"
    "BS.1770 does (a 4th channel, LFE, and channels past the 6th are not counted). Where\n"
    "there is nothing to measure (silence, or loudness below R128's gates) it says so:\n"
    "'silent' (null in JSON).\n"
    "      --json            one JSON object instead of the table\n";

enum { OPT_JSON = 1 };

typedef struct {
    hark_raw_input input;
    int json;
} levels_args;

static hark_err apply_option(void *ctx, int code, const char *arg)
{
    levels_args *a = ctx;
    hark_err err;
    if (hark_input_option(&a->input, code, arg, &err))
        return err;
    if (code == OPT_JSON) {
        a->json = 1;
        return HARK_OK;
    }
    return hark_error_set(HARK_ERR_USAGE, "bad option (see 'hark levels --help')");
}

static hark_err parse_args(levels_args *a, int argc, char **argv, const char **path, int *help)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"json", no_argument, NULL, OPT_JSON},
        HARK_INPUT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    hark_err err = hark_cmd_getopt(argc, argv, ":h", options, "levels", apply_option, a, help);
    if (err || *help)
        return err;
    if (optind != argc - 1)
        return hark_error_set(HARK_ERR_USAGE, "expected one file (see 'hark levels --help')");
    *path = argv[optind];
    return hark_input_finish(&a->input);
}

/* "-23.01 dBFS", or "silent". */
static const char *level_text(char *buf, size_t size, double v, const char *unit, int decimals)
{
    if (isnan(v))
        return "silent";
    snprintf(buf, size, "%.*f %s", decimals, v, unit);
    return buf;
}

static void print_row(const char *name, const hark_level_set *s)
{
    char b[8][32];
    printf("%-10s %13s %13s %13s %10llu %11s %8s %13s %14s\n", name,
           level_text(b[0], 32, s->sample_peak_dbfs, "dBFS", 2),
           level_text(b[1], 32, s->true_peak_dbtp, "dBTP", 2),
           level_text(b[2], 32, s->rms_dbfs, "dBFS", 2), (unsigned long long)s->clipped,
           level_text(b[3], 32, s->integrated_lufs, "LUFS", 1),
           level_text(b[4], 32, s->range_lu, "LU", 1),
           level_text(b[5], 32, s->max_momentary_lufs, "LUFS", 1),
           level_text(b[6], 32, s->max_short_term_lufs, "LUFS", 1));
}

static void print_table(const char *path, const hark_decoder_info *info, uint64_t frames,
                        const hark_levels *l)
{
    printf("file:      %s\n", path);
    printf("audio:     %u channel%s at %.0f Hz, %.3f s\n", info->channels,
           info->channels == 1 ? "" : "s", info->rate_hz, (double)frames / info->rate_hz);
    printf("%-10s %13s %13s %13s %10s %11s %8s %13s %14s\n", "", "sample peak", "true peak",
           "RMS", "clipped", "integrated", "LRA", "max momentary", "max short-term");
    hark_level_set s;
    hark_levels_programme(l, &s);
    print_row("programme", &s);
    for (unsigned c = 0; c < info->channels; c++) {
        char name[32];
        snprintf(name, sizeof name, "channel %u", c + 1);
        hark_levels_channel(l, c, &s);
        print_row(name, &s);
    }
}

static void json_set(hark_json *j, const char *key, const hark_level_set *s)
{
    hark_json_object(j, key);
    hark_json_fixed(j, "sample_peak_dbfs", s->sample_peak_dbfs, 3);
    hark_json_fixed(j, "true_peak_dbtp", s->true_peak_dbtp, 3);
    hark_json_fixed(j, "rms_dbfs", s->rms_dbfs, 3);
    hark_json_uint(j, "clipped_samples", s->clipped);
    hark_json_fixed(j, "integrated_lufs", s->integrated_lufs, 2);
    hark_json_fixed(j, "loudness_range_lu", s->range_lu, 2);
    hark_json_fixed(j, "max_momentary_lufs", s->max_momentary_lufs, 2);
    hark_json_fixed(j, "max_short_term_lufs", s->max_short_term_lufs, 2);
    hark_json_end(j);
}

static hark_err print_json(const char *path, const hark_decoder_info *info, uint64_t frames,
                           const hark_levels *l)
{
    hark_json j;
    hark_json_init(&j);
    hark_json_object(&j, NULL);
    hark_json_string(&j, "file", path);
    hark_json_number(&j, "rate_hz", info->rate_hz, 17);
    hark_json_uint(&j, "channels", info->channels);
    hark_json_uint(&j, "frames", frames);
    hark_json_number(&j, "duration_s", (double)frames / info->rate_hz, 17);
    hark_level_set s;
    hark_levels_programme(l, &s);
    hark_json_newline(&j);
    json_set(&j, "programme", &s);
    hark_json_newline(&j);
    hark_json_array(&j, "per_channel");
    for (unsigned c = 0; c < info->channels; c++) {
        hark_levels_channel(l, c, &s);
        hark_json_newline(&j);
        json_set(&j, NULL, &s);
    }
    hark_json_end(&j);
    hark_json_end(&j);
    const char *text;
    hark_err err = hark_json_text(&j, &text);
    if (!err)
        printf("%s\n", text);
    hark_json_free(&j);
    return err;
}

hark_err hark_cmd_levels(int argc, char **argv)
{
    levels_args a = {0};
    const char *path = NULL;
    int help = 0;
    hark_err err = parse_args(&a, argc, argv, &path, &help);
    if (help) {
        fputs(levels_help, stdout);
        fputs(hark_input_help, stdout);
        return HARK_OK;
    }
    if (err)
        return err;
    hark_levels *l;
    hark_decoder_info info;
    uint64_t frames;
    if ((err = hark_file_levels(path, &a.input, &hark_stop_requested, &l, &info, &frames)))
        return err;
    if (a.json)
        err = print_json(path, &info, frames, l);
    else
        print_table(path, &info, frames, l);
    hark_levels_destroy(l);
    return err;
}
