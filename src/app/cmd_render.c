/* hark render: one file to a native-resolution PNG (and/or .npy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cmd.h"
#include "npy_sink.h"
#include "machine.h"
#include "outfile.h"
#include "progress.h"
#include "render.h"
#include "split_sink.h"
#include "tile_sink.h"

static const char render_help[] =
    "Usage: hark render IN [-o OUT.png] [--raw OUT.npy] [--labels] [--tile-seconds S]\n"
    "                   [--raw-format F --rate HZ [--channels N]] [options]\n"
    "\n"
    "Writes the spectrogram of IN as a PNG of exactly frames x rows pixels (one column per STFT\n"
    "frame, one row per frequency bin, 0 Hz at the bottom), levels in dBFS mapped to colours.\n"
    "Several channels (--channel all, a list, ms) are stacked, channel 1 at the top, each\n"
    "exactly rows pixels high: frames x (channels x rows).\n"
    "Frame k is centred on sample k*hop, so n samples give 1 + floor(n/hop) frames.\n"
    "\n"
    "IN may be - (standard input: a WAV, FLAC, Ogg ... stream from a pipe, or headerless\n"
    "samples with --raw-format).\n"
    "\n"
    "  -o, --output OUT.png  the image [IN's name with .png, in the current folder]; - is\n"
    "                        standard output\n"
    "      --raw OUT.npy     also write the float32 dBFS matrix, shape (rows, frames), row 0 =\n"
    "                        0 Hz (stacked channels: (channels, rows, frames)), with every\n"
    "                        parameter in OUT.json beside it\n"
    "      --no-png          write only the --raw matrix\n"
    "      --labels          add time and frequency axes, a dBFS colour bar and a title around\n"
    "                        the data, which stays pixel for pixel the unlabelled image\n"
    "      --tile-seconds S  write OUT-0001.png, OUT-0002.png ... of S seconds each, holding one\n"
    "                        tile in memory (images wider than 1,000,000 pixels are refused by\n"
    "                        many readers: about 3.2 hours at 44.1 kHz with hop 512)\n"
    "      --split-channels  with several channels (--channel all, 1,3, ms): one image per\n"
    "                        channel, OUT-ch1.png, OUT-ch2.png (OUT-mid.png ...), and one\n"
    "                        .npy each, instead of one stacked image and a (channels, rows,\n"
    "                        frames) .npy\n";

static const char render_help_tail[] = "\nDefault analysis for render: --fft 1024, 50% overlap (hop 512).\n";

enum { OPT_RAW = 1, OPT_TILE, OPT_NO_PNG, OPT_SPLIT };

typedef struct {
    hark_analysis analysis;
    const char *in, *out, *raw;
    char *default_out;
    char *raw_json;       /* the sidecar of raw */
    hark_image_options image; /* -o, --labels, --png-deflate */
    hark_raw_input input;     /* --raw-format, --rate, --channels */
    int no_png;
    int split;            /* --split-channels */
    int to_stdout;        /* an output is "-" */
    double tile_seconds;
} render_args;

static char *default_output(const char *in)
{
    const char *slash = strrchr(in, '/');
    const char *name = slash ? slash + 1 : in;
    const char *dot = strrchr(name, '.');
    size_t stem = (dot && dot != name) ? (size_t)(dot - name) : strlen(name);
    char *out = malloc(stem + 5);
    if (out)
        snprintf(out, stem + 5, "%.*s.png", (int)stem, name);
    return out;
}

static hark_err parse_tile_seconds(render_args *r, const char *v)
{
    char *end;
    double s = strtod(v, &end);
    if (end == v || *end || !(s > 0.0) || s > 1e7)
        return hark_error_set(HARK_ERR_USAGE, "--tile-seconds '%s': expected seconds above 0, "
                              "at most 1e7", v);
    r->tile_seconds = s;
    return HARK_OK;
}

static hark_err parse_option(void *ctx, int c, const char *arg)
{
    render_args *r = ctx;
    hark_err err;
    if (hark_image_option(&r->image, c, arg, &err) || hark_input_option(&r->input, c, arg, &err))
        return err;
    switch (c) {
    case OPT_RAW: r->raw = arg; return HARK_OK;
    case OPT_NO_PNG: r->no_png = 1; return HARK_OK;
    case OPT_SPLIT: r->split = 1; return HARK_OK;
    case OPT_TILE: return parse_tile_seconds(r, arg);
    default:
        if (c >= HARK_OPT_FFT && c < HARK_OPT_LAST_ANALYSIS)
            return hark_analysis_apply(&r->analysis, c, arg);
        return hark_error_set(HARK_ERR_USAGE, "bad option (see 'hark render --help')");
    }
}

static const struct option render_options[] = {
    {"raw", required_argument, NULL, OPT_RAW},
    {"no-png", no_argument, NULL, OPT_NO_PNG},
    {"tile-seconds", required_argument, NULL, OPT_TILE},
    {"split-channels", no_argument, NULL, OPT_SPLIT},
    HARK_INPUT_OPTIONS,
    HARK_IMAGE_OPTIONS,
};

/* Returns HARK_OK and sets *help when --help was asked for. */
static hark_err parse_args(render_args *r, int argc, char **argv, int *help)
{
    hark_analysis_defaults(&r->analysis, 1024);
    hark_err err = hark_cmd_getopt(argc, argv, ":o:h", render_options, "render", parse_option, r,
                                   help);
    r->out = r->image.out;
    if (err || *help)
        return err;
    if (optind != argc - 1)
        return hark_error_set(HARK_ERR_USAGE, "expected one input file (see 'hark render --help')");
    r->in = argv[optind];
    if (r->no_png && !r->raw)
        return hark_error_set(HARK_ERR_USAGE, "--no-png needs --raw");
    if (r->split && !r->analysis.stack)
        return hark_error_set(HARK_ERR_USAGE, "--split-channels needs several channels "
                              "(--channel all, a list such as 1,3, or ms)");
    if ((err = hark_input_finish(&r->input)))
        return err;
    return hark_analysis_finish(&r->analysis);
}

/* The files this render will write (the first tile stands for the set): at most 3. */
static unsigned output_paths(const render_args *r, char **first_tile, const char **paths)
{
    unsigned n = 0;
    if (r->out && r->tile_seconds > 0 && (*first_tile = hark_tile_path(r->out, 1, 4)))
        paths[n++] = *first_tile;
    else if (r->out)
        paths[n++] = r->out;
    if (r->raw) {
        paths[n++] = r->raw;
        paths[n++] = r->raw_json;
    }
    return n;
}

/* Every problem with the outputs found before the work, not after it: a folder or an
 * unwritable place, the input itself, or two outputs with one name. */
static hark_err check_outputs(const render_args *r)
{
    char *first_tile = NULL;
    const char *paths[3];
    unsigned n = output_paths(r, &first_tile, paths);
    hark_err err = HARK_OK;
    for (unsigned i = 0; i < n && !err; i++) {
        if (hark_outfile_is_input(paths[i], r->in))
            err = hark_error_at(HARK_ERR_USAGE, paths[i],
                                "is the input file: choose another output name");
        for (unsigned j = 0; j < i && !err; j++)
            if (hark_outfile_same(paths[i], paths[j]))
                err = hark_error_at(HARK_ERR_USAGE, paths[i], "would be written twice: the image, "
                                    "--raw and its .json sidecar need three names");
        if (!err)
            err = hark_outfile_check(paths[i]);
    }
    free(first_tile);
    return err;
}

/* Samples that were not what the file said: NaN or Inf, or beyond what a spectrum can hold. */
static void warn_samples(const render_args *r, const hark_render_result *res)
{
    if (res->nonfinite)
        fprintf(stderr, "hark: %s: %llu NaN/Inf samples were read as 0\n", r->in,
                (unsigned long long)res->nonfinite);
    if (res->clipped)
        fprintf(stderr, "hark: %s: %llu samples beyond +-1e9 (180 dB above full scale) were "
                "clipped\n", r->in, (unsigned long long)res->clipped);
}

static void print_outputs(const render_args *r, const hark_render_result *res,
                          const hark_sink *image)
{
    const char *what = r->image.labels ? "spectrogram, with axes around it" : "pixels";
    unsigned images = image ? hark_tile_sink_count(image) : 0;
    unsigned cpus = hark_cpu_count(); /* what the threads followed (machine.h) */
    unsigned height = res->rows * (res->stacked ? res->stacked : 1); /* channels stacked */
    if (r->out && !r->tile_seconds) {
        printf("%s (%llu x %u %s, %u CPU%s)\n", r->out, (unsigned long long)res->frames, height,
               what, cpus, cpus == 1 ? "" : "s");
    } else if (r->out) {
        char *first = hark_tile_sink_path(image, 1), *last = hark_tile_sink_path(image, images);
        if (images == 1)
            printf("%s (1 tile, %llu x %u %s, %u CPU%s)\n", first ? first : "",
                   (unsigned long long)res->frames, height, what, cpus, cpus == 1 ? "" : "s");
        else
            printf("%s ... %s (%u tiles, %llu x %u %s in all, %u CPU%s)\n", first ? first : "",
                   last ? last : "", images, (unsigned long long)res->frames, height, what,
                   cpus, cpus == 1 ? "" : "s");
        free(first);
        free(last);
    }
    if (r->raw && res->stacked)
        printf("%s (%u x %u x %llu float32)\n%s\n", r->raw, res->stacked, res->rows,
               (unsigned long long)res->frames, r->raw_json);
    else if (r->raw)
        printf("%s (%u x %llu float32)\n%s\n", r->raw, res->rows, (unsigned long long)res->frames,
               r->raw_json);
    warn_samples(r, res);
}

/* --split-channels: each channel's outputs. */
static void print_split(const render_args *r, const hark_render_result *res,
                        const hark_sink *split)
{
    const char *what = r->image.labels ? "spectrogram, with axes around it" : "pixels";
    for (unsigned c = 0; c < hark_split_sink_channels(split); c++) {
        const char *image = hark_split_sink_path(split, c, 0), *npy = hark_split_sink_path(split, c, 1);
        if (image && !r->tile_seconds)
            printf("%s (%llu x %u %s)\n", image, (unsigned long long)res->frames, res->rows, what);
        else if (image)
            printf("%s (tiles of %g s: %s-0001...)\n", image, r->tile_seconds, image);
        if (npy)
            printf("%s (%u x %llu float32)\n", npy, res->rows, (unsigned long long)res->frames);
    }
    warn_samples(r, res);
}

/* The outputs asked for, as sinks: the image (or its tiles, or the labelled image), the .npy
 * and its sidecar. */
static hark_err make_sinks(const render_args *r, hark_sinks *sinks, hark_sink **image)
{
    hark_err err = HARK_OK;
    if (r->split) {
        hark_split_sink_config sc = {.image = r->out, .tile_seconds = r->tile_seconds,
                                     .labels = r->image.labels, .zlib = r->image.png_zlib,
                                     .raw = r->raw, .stop = &hark_stop_requested};
        return hark_sinks_add(sinks, *image = hark_split_sink_create(&sc));
    }
    if (r->out) {
        hark_tile_sink_config tc = {.path = r->out, .tile_seconds = r->tile_seconds,
                                    .labels = r->image.labels, .zlib = r->image.png_zlib,
                                    .stop = &hark_stop_requested};
        err = hark_sinks_add(sinks, *image = hark_tile_sink_create(&tc));
    }
    if (!err && r->raw)
        err = hark_sinks_add(sinks, hark_npy_sink_create(r->raw));
    if (!err && r->raw)
        err = hark_sinks_add(sinks, hark_sidecar_sink_create(r->raw_json, r->raw));
    return err;
}

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    hark_progress *bar = ctx;
    bar->total = total;
    hark_progress_update(bar, done);
}

static hark_err run(render_args *r)
{
    if (!r->no_png && !r->out && strcmp(r->in, "-") == 0)
        return hark_error_set(HARK_ERR_USAGE, "reading standard input: name the image with -o "
                              "(-o - for standard output)");
    if (!r->no_png && !r->out) {
        r->out = r->default_out = default_output(r->in);
        if (!r->out)
            return hark_fail(HARK_ERR_NOMEM);
    }
    if (r->no_png)
        r->out = NULL;
    if (r->raw && !(r->raw_json = hark_sidecar_path(r->raw)))
        return hark_fail(HARK_ERR_NOMEM);
    r->to_stdout = (r->out && hark_outfile_goes_to_stdout(r->out)) ||
                   (r->raw && hark_outfile_goes_to_stdout(r->raw)) ||
                   (r->raw_json && hark_outfile_goes_to_stdout(r->raw_json));
    if (r->to_stdout && r->tile_seconds > 0 && r->out && hark_outfile_is_stdout(r->out))
        return hark_error_set(HARK_ERR_USAGE, "-o - writes one image to standard output: "
                              "--tile-seconds makes files");
    if (r->to_stdout && r->split)
        return hark_error_set(HARK_ERR_USAGE, "--split-channels makes a file per channel: name "
                              "them with -o and --raw, not -");
    hark_err err = check_outputs(r);
    if (err)
        return err;
    hark_sinks sinks = {0};
    hark_sink *image = NULL;
    hark_progress bar;
    hark_progress_init(&bar, "rendering", 0);
    hark_render_job job = {.in_path = r->in, .raw = &r->input, .analysis = &r->analysis,
                           .sinks = &sinks,
                           .stop = &hark_stop_requested, .progress = show_progress,
                           .progress_ctx = &bar};
    hark_render_result res;
    if (!(err = make_sinks(r, &sinks, &image)))
        err = hark_render_run(&job, &res);
    hark_progress_finish(&bar);
    if (!err && !r->to_stdout && r->split)
        print_split(r, &res, image);
    else if (!err && !r->to_stdout) /* standard output holds an output: nothing else goes there */
        print_outputs(r, &res, image);
    else if (!err)
        warn_samples(r, &res);
    hark_sinks_destroy(&sinks);
    return err;
}

hark_err hark_cmd_render(int argc, char **argv)
{
    render_args r = {0};
    int help = 0;
    hark_err err = parse_args(&r, argc, argv, &help);
    if (help) {
        fputs(render_help, stdout);
        fputs(hark_png_deflate_help, stdout);
        fputs(hark_input_help, stdout);
        fputs(render_help_tail, stdout);
        fputs(hark_analysis_help, stdout);
        return HARK_OK;
    }
    if (!err)
        err = run(&r);
    free(r.default_out);
    free(r.raw_json);
    return err;
}
