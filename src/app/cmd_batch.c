/* hark batch: many files rendered by a pool of worker threads in one process, the output tree
 * mirroring the input tree, a manifest of every file, resumable, shardable. */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "batch_inputs.h"
#include "cmd.h"
#include "machine.h"
#include "decoder.h"
#include "file_levels.h"
#include "npy_sink.h"
#include "outfile.h"
#include "progress.h"
#include "render.h"
#include "stft.h"
#include "split_sink.h"
#include "tile_sink.h"

#define MAX_JOBS 64

static const char batch_help[] =
    "Usage: hark batch IN... -o DIR [-j N] [--format png|npy|both] [--skip-existing]\n"
    "                  [--shard I/N | --shard auto [--shard-count N]] [--labels]\n"
    "                  [analysis options]\n"
    "\n"
    "Renders every input into DIR, mirroring the input tree: IN is a file, a folder (searched\n"
    "for audio files) or @list.txt (one path a line). A file that fails is reported (status\n"
    "error) and the others finish. DIR/manifest.csv lists every input with its result.\n"
    "  -o, --output DIR      where the outputs go (made if missing)\n"
    "  -j, --jobs N          worker threads [the number of cores]\n"
    "      --format F        png, npy (float32 dBFS + .json sidecar) or both [png]\n"
    "      --skip-existing   leave inputs whose outputs are all there (resume a batch)\n"
    "      --shard I/N       only the I-th of N stable shares of the inputs (1 <= I <= N)\n"
    "      --shard auto      I and N from a Slurm job array (SLURM_ARRAY_TASK_ID, _MIN,\n"
    "                        _STEP, _COUNT) or a Kubernetes Indexed Job\n"
    "                        (JOB_COMPLETION_INDEX, from 0, with --shard-count N)\n"
    "      --shard-count N   the number of shares, with JOB_COMPLETION_INDEX\n"
    "      --labels          axes, colour bar and title around each image\n"
    "      --levels          also measure each file's levels (as 'hark levels', for the\n"
    "                        programme) into the manifest's last columns\n"
    "      --split-channels  with several channels (--channel all, 1,3, ms): NAME-ch1.png,\n"
    "                        NAME-ch2.png ... (and .npy) per input instead of one stacked\n"
    "                        image and a (channels, rows, frames) .npy\n";

static const char batch_help_tail[] =
    "\n"
    "Exit status: 0 when every file rendered, 1 when any failed, 2 for a usage error.\n";

enum { OPT_FORMAT = HARK_OPT_LAST_IMAGE, OPT_SKIP, OPT_SHARD, OPT_SHARD_COUNT, OPT_LEVELS,
       OPT_SPLIT };

typedef struct {
    hark_analysis an;
    const char *out_dir;
    unsigned jobs, shard_index, shard_count;
    int shard_auto;          /* --shard auto: resolved from the environment after parsing */
    unsigned shard_count_given;
    hark_image_options image; /* -o DIR, --labels, --png-deflate */
    int png, npy, skip_existing, help, levels, split;
    hark_batch_inputs inputs;
} batch_args;

/* What became of one input: the manifest's row. */
typedef struct {
    enum { PENDING, DONE, SKIPPED, FAILED } status;
    hark_render_result res;
    int measured;          /* --levels: levels holds the programme's */
    hark_level_set levels;
    char error[300];
} outcome;

typedef struct {
    const batch_args *args;
    outcome *outcomes;
    atomic_size_t next;     /* the next input to take */
    atomic_size_t finished;
} batch;

/* ---- options ------------------------------------------------------------------------------- */

static hark_err parse_count(const char *opt, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < (long)lo || n > (long)hi)
        return hark_error_set(HARK_ERR_USAGE, "%s '%s': expected %u to %u", opt, v, lo, hi);
    *out = (unsigned)n;
    return HARK_OK;
}

/* "I/N", and nothing after it; or "auto". */
static hark_err parse_shard(batch_args *a, const char *v)
{
    if (strcmp(v, "auto") == 0) {
        a->shard_auto = 1;
        return HARK_OK;
    }
    int used = -1;
    if (sscanf(v, "%u/%u%n", &a->shard_index, &a->shard_count, &used) != 2 ||
        v[used < 0 ? 0 : used] != '\0' || a->shard_count < 1 || a->shard_index < 1 ||
        a->shard_index > a->shard_count)
        return hark_error_set(HARK_ERR_USAGE, "--shard '%s': expected I/N with 1 <= I <= N", v);
    return HARK_OK;
}

/* An environment variable that must be a whole number from lo: 1 if set and valid. */
static int env_number(const char *name, long lo, long *out, hark_err *err)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < lo || n > 1000000000L) {
        *err = hark_error_set(HARK_ERR_USAGE, "--shard auto: %s is '%s', not a count from %ld",
                              name, v, lo);
        return 0;
    }
    *out = n;
    return 1;
}

/* --shard auto: a Slurm job array's task (its index among the array's tasks, whatever the
 * array's first index and step), else a Kubernetes Indexed Job's index (from 0) of
 * --shard-count. */
static hark_err resolve_auto_shard(batch_args *a)
{
    hark_err err = HARK_OK;
    long id, count, min = 0, step = 1, index;
    if (env_number("SLURM_ARRAY_TASK_ID", 0, &id, &err)) {
        if (!env_number("SLURM_ARRAY_TASK_COUNT", 1, &count, &err))
            return err ? err : hark_error_set(HARK_ERR_USAGE, "--shard auto: "
                                              "SLURM_ARRAY_TASK_ID is set but not "
                                              "SLURM_ARRAY_TASK_COUNT");
        if (!env_number("SLURM_ARRAY_TASK_MIN", 0, &min, &err) && err)
            return err;
        if (!env_number("SLURM_ARRAY_TASK_STEP", 1, &step, &err) && err)
            return err;
        if (id < min || (id - min) % step != 0 || (id - min) / step >= count)
            return hark_error_set(HARK_ERR_USAGE, "--shard auto: task %ld is not one of the %ld "
                                  "tasks from %ld in steps of %ld", id, count, min, step);
        if (a->shard_count_given && a->shard_count_given != (unsigned long)count)
            return hark_error_set(HARK_ERR_USAGE, "--shard-count %u, but the Slurm array has "
                                  "%ld tasks", a->shard_count_given, count);
        a->shard_index = (unsigned)((id - min) / step + 1);
        a->shard_count = (unsigned)count;
        return HARK_OK;
    }
    if (err)
        return err;
    if (env_number("JOB_COMPLETION_INDEX", 0, &index, &err)) {
        if (!a->shard_count_given)
            return hark_error_set(HARK_ERR_USAGE, "--shard auto: JOB_COMPLETION_INDEX is set: "
                                  "give the job's completions as --shard-count N");
        if (index >= (long)a->shard_count_given)
            return hark_error_set(HARK_ERR_USAGE, "--shard auto: JOB_COMPLETION_INDEX %ld is "
                                  "not below --shard-count %u", index, a->shard_count_given);
        a->shard_index = (unsigned)index + 1;
        a->shard_count = a->shard_count_given;
        return HARK_OK;
    }
    if (err)
        return err;
    return hark_error_set(HARK_ERR_USAGE, "--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm "
                          "job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set");
}

static hark_err parse_option(void *ctx, int c, const char *v)
{
    batch_args *a = ctx;
    hark_err err;
    if (hark_image_option(&a->image, c, v, &err))
        return err;
    switch (c) {
    case 'j': return parse_count("-j", v, 1, MAX_JOBS, &a->jobs);
    case OPT_FORMAT:
        a->png = strcmp(v, "png") == 0 || strcmp(v, "both") == 0;
        a->npy = strcmp(v, "npy") == 0 || strcmp(v, "both") == 0;
        return a->png || a->npy ? HARK_OK
                                : hark_error_set(HARK_ERR_USAGE,
                                                 "--format '%s': expected png, npy or both", v);
    case OPT_SKIP: a->skip_existing = 1; return HARK_OK;
    case OPT_LEVELS: a->levels = 1; return HARK_OK;
    case OPT_SPLIT: a->split = 1; return HARK_OK;
    case OPT_SHARD: return parse_shard(a, v);
    case OPT_SHARD_COUNT: return parse_count("--shard-count", v, 1, 1000000, &a->shard_count_given);
    default: return hark_analysis_apply(&a->an, c, v);
    }
}

static hark_err parse_args(batch_args *a, int argc, char **argv)
{
    static const struct option options[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"skip-existing", no_argument, NULL, OPT_SKIP},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"shard-count", required_argument, NULL, OPT_SHARD_COUNT},
        {"levels", no_argument, NULL, OPT_LEVELS},
        {"split-channels", no_argument, NULL, OPT_SPLIT},
        HARK_IMAGE_OPTIONS,
    };
    hark_analysis_defaults(&a->an, 1024);
    a->png = 1;
    unsigned cpus = hark_cpu_count();
    a->jobs = cpus > MAX_JOBS ? MAX_JOBS : cpus;
    hark_err err = hark_cmd_getopt(argc, argv, ":o:j:h", options, "batch", parse_option, a,
                                   &a->help);
    a->out_dir = a->image.out;
    if (err || a->help)
        return err;
    if (!a->out_dir)
        return hark_error_set(HARK_ERR_USAGE, "-o DIR is needed (see 'hark batch --help')");
    if (optind == argc)
        return hark_error_set(HARK_ERR_USAGE, "no inputs (see 'hark batch --help')");
    if ((err = hark_analysis_finish(&a->an)))
        return err;
    if (a->split && !a->an.stack)
        return hark_error_set(HARK_ERR_USAGE, "--split-channels needs several channels "
                              "(--channel all, a list such as 1,3, or ms)");
    if (a->shard_count_given && !a->shard_auto)
        return hark_error_set(HARK_ERR_USAGE, "--shard-count goes with --shard auto");
    if (a->shard_auto && (err = resolve_auto_shard(a)))
        return err;
    for (int i = optind; i < argc && !err; i++)
        err = hark_batch_inputs_add(&a->inputs, argv[i]);
    if (!err)
        err = hark_batch_inputs_finish(&a->inputs);
    if (!err && a->inputs.count == 0 && a->inputs.nunreadable == 0)
        err = hark_error_set(HARK_ERR_EMPTY, "no audio files among the inputs");
    if (!err && a->shard_count)
        hark_batch_inputs_shard(&a->inputs, a->shard_index, a->shard_count);
    return err;
}

/* ---- paths ---------------------------------------------------------------------------------- */

/* DIR/<relative with its extension replaced by ext>. malloc'd. */
static char *output_path(const char *dir, const char *relative, const char *ext)
{
    const char *slash = strrchr(relative, '/');
    const char *dot = strrchr(relative, '.');
    size_t stem = dot && (!slash || dot > slash + 1) ? (size_t)(dot - relative) : strlen(relative);
    size_t n = strlen(dir) + stem + strlen(ext) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%.*s%s", dir, (int)stem, relative, ext);
    return p;
}

/* mkdir -p of the folder part of path. */
static hark_err make_parents(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return hark_fail(HARK_ERR_NOMEM);
    char *slash = strrchr(p, '/');
    hark_err err = HARK_OK;
    if (slash && slash != p) {
        *slash = '\0';
        err = hark_outfile_make_folder(p);
    }
    free(p);
    return err;
}

/* ---- one input -------------------------------------------------------------------------------- */

/* A skipped input still gets its figures in the manifest, from its header (all but the peak,
 * which only the analysis knows). */
static void describe_skipped(const batch_args *a, const hark_batch_input *in, outcome *o)
{
    hark_decoder *dec;
    if (hark_decoder_create(in->path, a->an.channel, &hark_stop_requested, &dec) != HARK_OK) {
        hark_error_clear(); /* the figures are a courtesy: without them the row says skipped */
        return;
    }
    const hark_decoder_info *info = hark_decoder_get_info(dec);
    if (info->frames >= 0) {
        o->res.rate_hz = info->rate_hz;
        o->res.channels = info->channels;
        o->res.samples = (uint64_t)info->frames;
        o->res.frames = hark_stft_frame_count((uint64_t)info->frames, a->an.hop);
        o->res.rows = hark_analysis_rows(&a->an, info->rate_hz);
    }
    hark_decoder_destroy(dec);
}

/* The outputs of one input: its image and/or its .npy and sidecar. */
static hark_err render_to(const batch_args *a, const hark_batch_input *in, const char *png,
                          const char *npy, const char *json, outcome *o, hark_spectro **plan)
{
    hark_sinks sinks = {0};
    hark_err err = HARK_OK;
    if (a->split) {
        hark_split_sink_config sc = {.image = png, .labels = a->image.labels,
                                     .zlib = a->image.png_zlib, .raw = npy,
                                     .stop = &hark_stop_requested};
        err = hark_sinks_add(&sinks, hark_split_sink_create(&sc));
        png = npy = NULL;
    }
    if (!err && png) {
        hark_tile_sink_config tc = {.path = png, .labels = a->image.labels,
                                    .zlib = a->image.png_zlib,
                                    .stop = &hark_stop_requested};
        err = hark_sinks_add(&sinks, hark_tile_sink_create(&tc));
    }
    if (!err && npy && !(err = hark_sinks_add(&sinks, hark_npy_sink_create(npy))))
        err = hark_sinks_add(&sinks, hark_sidecar_sink_create(json, npy));
    if (!err) {
        hark_render_job job = {.in_path = in->path, .analysis = &a->an, .sinks = &sinks,
                               .max_threads = 1, .stop = &hark_stop_requested, .plan = plan};
        err = hark_render_run(&job, &o->res);
    }
    hark_sinks_destroy(&sinks);
    return err;
}

/* --levels: the programme's levels, a second read of the file (all its channels). */
static hark_err measure_levels(const hark_batch_input *in, outcome *o)
{
    hark_levels *l;
    hark_decoder_info info;
    uint64_t frames;
    hark_err err = hark_file_levels(in->path, NULL, &hark_stop_requested, &l, &info, &frames);
    if (err)
        return err;
    hark_levels_programme(l, &o->levels);
    o->measured = 1;
    hark_levels_destroy(l);
    return HARK_OK;
}

/* Are an input's outputs all there (--skip-existing)? With --split-channels, its first
 * channel's stand for the set. */
static int outputs_exist(const batch_args *a, const char *png, const char *npy, const char *json)
{
    char *split[3] = {NULL, NULL, NULL}, tag[16];
    if (a->split) {
        int first = a->an.stacked[0] == HARK_CHANNEL_ALL ? 0 : a->an.stacked[0];
        hark_split_tag(first, tag);
        png = split[0] = png ? hark_split_path(png, tag) : NULL;
        npy = split[1] = npy ? hark_split_path(npy, tag) : NULL;
        json = split[2] = npy ? hark_sidecar_path(npy) : NULL;
    }
    int there = (!png || access(png, F_OK) == 0) &&
                (!npy || (json && access(npy, F_OK) == 0 && access(json, F_OK) == 0));
    for (int k = 0; k < 3; k++)
        free(split[k]);
    return there;
}

static void render_one(const batch_args *a, const hark_batch_input *in, outcome *o,
                       hark_spectro **plan)
{
    char *png = a->png ? output_path(a->out_dir, in->relative, ".png") : NULL;
    char *npy = a->npy ? output_path(a->out_dir, in->relative, ".npy") : NULL;
    char *json = npy ? output_path(a->out_dir, in->relative, ".json") : NULL;
    hark_err err = HARK_OK;
    if ((a->png && !png) || (a->npy && (!npy || !json)))
        err = hark_fail(HARK_ERR_NOMEM);
    const char *outs[3] = {png, npy, json};
    for (int k = 0; k < 3 && !err; k++) /* no output may replace an input (another's too) */
        if (outs[k] && hark_batch_is_input(&a->inputs, outs[k]))
            err = hark_error_at(HARK_ERR_WRITE, outs[k], "is the input file: it is not replaced");
    if (!err && a->skip_existing && outputs_exist(a, png, npy, json)) {
        o->status = SKIPPED;
        describe_skipped(a, in, o);
    } else if (!err && !(err = make_parents(png ? png : npy))) {
        err = render_to(a, in, png, npy, json, o, plan);
        if (!err && a->levels)
            err = measure_levels(in, o);
        o->status = err ? FAILED : DONE;
    }
    if (err == HARK_ERR_INTERRUPTED) { /* not done, rather than failed */
        o->status = PENDING;
    } else if (err) {
        const hark_error *e = hark_error_get();
        o->status = FAILED;
        snprintf(o->error, sizeof o->error, "%s", hark_error_message(err));
        /* One line per failure, as it happens (on a terminal, over the progress bar). */
        fprintf(stderr, "%shark: %s: %s\n", isatty(STDERR_FILENO) ? "\r\033[K" : "",
                e->code == err && e->subject[0] ? e->subject : in->path, o->error);
    }
    free(png);
    free(npy);
    free(json);
}

/* A worker takes the next input until there are none. Its FFTW plan (with the window and the
 * frequency scale: a hark_stft) is made on its first file and kept for every file that needs
 * the same (the same rate), so a folder of recordings at one rate plans once per worker. */
static void *worker_main(void *arg)
{
    batch *b = arg;
    const hark_batch_inputs *in = &b->args->inputs;
    hark_spectro *plan = NULL;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= in->count || atomic_load(&hark_stop_requested))
            break;
        hark_error_clear();
        render_one(b->args, &in->items[i], &b->outcomes[i], &plan);
        atomic_fetch_add(&b->finished, 1);
    }
    hark_spectro_destroy(plan);
    return NULL;
}

/* ---- the manifest ---------------------------------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

#define LEVEL_COLUMNS                                                                     \
    ",sample_peak_dbfs,true_peak_dbtp,rms_dbfs,clipped_samples,integrated_lufs,"           \
    "loudness_range_lu,max_momentary_lufs,max_short_term_lufs"

/* A number, or an empty cell for none (silence: never -inf in the manifest). */
static void put_number(FILE *fp, double v, int decimals)
{
    if (isfinite(v))
        fprintf(fp, ",%.*f", decimals, v);
    else
        fputc(',', fp);
}

/* With --levels, the row's level cells (empty when not measured), then the row's end. */
static void put_levels(FILE *fp, const batch_args *a, const hark_level_set *s)
{
    if (a->levels && s) {
        put_number(fp, s->sample_peak_dbfs, 3);
        put_number(fp, s->true_peak_dbtp, 3);
        put_number(fp, s->rms_dbfs, 3);
        fprintf(fp, ",%llu", (unsigned long long)s->clipped);
        put_number(fp, s->integrated_lufs, 2);
        put_number(fp, s->range_lu, 2);
        put_number(fp, s->max_momentary_lufs, 2);
        put_number(fp, s->max_short_term_lufs, 2);
    } else if (a->levels) {
        fputs(",,,,,,,,", fp);
    }
    fputc('\n', fp);
}

/* The manifest's `rendered`: the channel analysed (mix, 2, mid), or the stacked ones,
 * top first, joined by ';'. */
static void rendered_channels(const batch_args *a, const hark_render_result *res, char *buf,
                              size_t size)
{
    char name[12];
    if (!res->stacked) {
        snprintf(buf, size, "%s", hark_channel_name(a->an.channel, name));
        return;
    }
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned c = 0; c < res->stacked && n < size; c++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", c ? ";" : "",
                              hark_channel_name(res->stacked_channels[c], name));
}

/* --split-channels: each channel's output, joined by ';', as one field. */
static void split_outputs(FILE *fp, const char *out, const hark_render_result *res)
{
    char list[4096] = "", tag[16];
    size_t n = 0;
    for (unsigned c = 0; out && c < res->stacked && n < sizeof list; c++) {
        char *one = hark_split_path(out, hark_split_tag(res->stacked_channels[c], tag));
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", c ? ";" : "", one ? one : "");
        free(one);
    }
    csv_field(fp, list);
}

static hark_err write_manifest(const batch *b, const char *path)
{
    hark_outfile of;
    hark_err err = hark_outfile_open(&of, path);
    if (err)
        return err;
    const batch_args *a = b->args;
    fprintf(of.fp, "input,output,rate_hz,channels,duration_s,frames,bins,rendered,peak_dbfs,"
            "status%s\n", a->levels ? LEVEL_COLUMNS : "");
    for (size_t i = 0; i < a->inputs.nunreadable; i++) {
        const hark_batch_unreadable *u = &a->inputs.unreadable[i];
        char status[320];
        snprintf(status, sizeof status, "error: cannot read the folder: %s", u->why);
        csv_field(of.fp, u->path);
        fputs(",,,,,,,,,", of.fp);
        csv_field(of.fp, status);
        put_levels(of.fp, a, NULL);
    }
    for (size_t i = 0; i < a->inputs.count; i++) {
        const hark_batch_input *in = &a->inputs.items[i];
        const outcome *o = &b->outcomes[i];
        char *out = output_path(a->out_dir, in->relative, a->png ? ".png" : ".npy");
        csv_field(of.fp, in->path);
        fputc(',', of.fp);
        if (a->split && o->status == DONE)
            split_outputs(of.fp, out, &o->res);
        else
            csv_field(of.fp, out ? out : "");
        free(out);
        char rendered[HARK_STACK_MAX * 8];
        rendered_channels(a, &o->res, rendered, sizeof rendered);
        if (o->status == DONE)
            fprintf(of.fp, ",%.0f,%u,%.6f,%llu,%u,%s,%.2f,ok", o->res.rate_hz, o->res.channels,
                    (double)o->res.samples / o->res.rate_hz, (unsigned long long)o->res.frames,
                    o->res.rows, rendered, (double)o->res.peak_db);
        else if (o->status == SKIPPED && o->res.rate_hz > 0)
            fprintf(of.fp, ",%.0f,%u,%.6f,%llu,%u,,,skipped (outputs exist)", o->res.rate_hz,
                    o->res.channels, (double)o->res.samples / o->res.rate_hz,
                    (unsigned long long)o->res.frames, o->res.rows);
        else if (o->status == SKIPPED)
            fprintf(of.fp, ",,,,,,,,skipped (outputs exist)");
        else if (o->status == PENDING)
            fprintf(of.fp, ",,,,,,,,not done (interrupted)");
        else {
            fprintf(of.fp, ",,,,,,,,");
            char status[320];
            snprintf(status, sizeof status, "error: %s", o->error);
            csv_field(of.fp, status);
        }
        put_levels(of.fp, a, o->status == DONE && o->measured ? &o->levels : NULL);
    }
    return hark_outfile_commit(&of);
}

/* ---- the run ---------------------------------------------------------------------------------- */

static void run_workers(batch *b, unsigned jobs)
{
    /* Every file allocates the same buffers again (the decoder's, zlib's state, the tile):
     * glibc would hand them back to the kernel after each file and fault them in afresh for
     * the next, most of a one-second clip's time. Kept instead: a worker's heap stays as
     * large as its largest file's (less than 32 MiB a buffer; larger ones are mapped). */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's largest */
    pthread_t threads[MAX_JOBS];
    unsigned started = 0;
    for (; started < jobs; started++)
        if (pthread_create(&threads[started], NULL, worker_main, b) != 0)
            break;
    if (started == 0) /* no thread at all: work here */
        worker_main(b);
    hark_progress bar;
    hark_progress_init(&bar, "batch", b->args->inputs.count);
    bar.unit = "files";
    while (bar.enabled && started && atomic_load(&b->finished) < b->args->inputs.count &&
           !atomic_load(&hark_stop_requested)) {
        hark_progress_update(&bar, atomic_load(&b->finished));
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    hark_progress_finish(&bar);
}

static hark_err run(batch_args *a)
{
    hark_err made = hark_outfile_make_folder(a->out_dir);
    if (made)
        return made;
    batch b = {.args = a, .outcomes = calloc(a->inputs.count + 1, sizeof(outcome))};
    if (!b.outcomes)
        return hark_fail(HARK_ERR_NOMEM);
    atomic_init(&b.next, 0);
    atomic_init(&b.finished, 0);
    for (size_t i = 0; i < a->inputs.nunreadable; i++) /* the rest goes on without them */
        fprintf(stderr, "hark: %s: cannot read the folder: %s\n", a->inputs.unreadable[i].path,
                a->inputs.unreadable[i].why);
    double t0 = hark_now_s();
    unsigned jobs = a->jobs < a->inputs.count ? a->jobs : (unsigned)a->inputs.count;
    run_workers(&b, jobs);
    double seconds = hark_now_s() - t0;
    size_t ok = 0, skipped = 0, failed = a->inputs.nunreadable;
    for (size_t i = 0; i < a->inputs.count; i++) {
        ok += b.outcomes[i].status == DONE;
        skipped += b.outcomes[i].status == SKIPPED;
        failed += b.outcomes[i].status == FAILED;
    }
    hark_error_clear(); /* each file's failure was said as it happened */
    char *manifest = output_path(a->out_dir, "manifest.csv", ".csv");
    hark_err err = !manifest ? hark_fail(HARK_ERR_NOMEM)
                   : hark_batch_is_input(&a->inputs, manifest)
                       ? hark_error_at(HARK_ERR_WRITE, manifest, "is an input file: it is not "
                                       "replaced")
                       : write_manifest(&b, manifest);
    char rate[48] = "";
    if (ok + failed > 0 && seconds > 0)
        snprintf(rate, sizeof rate, "%.1f files/s, ", (double)(ok + failed) / seconds);
    char shard[48] = "";
    if (a->shard_count)
        snprintf(shard, sizeof shard, ", shard %u/%u", a->shard_index, a->shard_count);
    printf("batch: %zu ok, %zu failed, %zu skipped of %zu in %.2f s (%s%u job%s%s); manifest %s\n",
           ok, failed, skipped, a->inputs.count + a->inputs.nunreadable, seconds, rate, jobs,
           jobs == 1 ? "" : "s", shard, manifest ? manifest : "-");
    free(b.outcomes);
    free(manifest);
    if (err)
        return err;
    if (atomic_load(&hark_stop_requested))
        return hark_fail(HARK_ERR_INTERRUPTED);
    if (failed)
        return hark_error_set(HARK_ERR_READ, "%zu of %zu inputs failed (see the manifest)", failed,
                              a->inputs.count + a->inputs.nunreadable);
    return HARK_OK;
}

hark_err hark_cmd_batch(int argc, char **argv)
{
    static batch_args a;
    memset(&a, 0, sizeof a);
    hark_err err = parse_args(&a, argc, argv);
    if (a.help) {
        printf("%s%s%s\n%s", batch_help, hark_png_deflate_help, batch_help_tail, hark_analysis_help);
        err = HARK_OK;
    } else if (!err) {
        err = run(&a);
    }
    hark_batch_inputs_free(&a.inputs);
    return err;
}
