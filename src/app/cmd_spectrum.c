/* hark spectrum: the long-term average spectrum of a file (ltas.h), through render's pipeline
 * with a sink that sums the frames, as CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ltas.h"
#include "outfile.h"
#include "plot.h"
#include "pngwrite.h"
#include "render.h"
#include "text.h"

static const char spectrum_help[] =
    "Usage: hark spectrum FILE [-o OUT.csv] [--plot OUT.png] [--octave N] [--weighting Z|A|C]\n"
    "                     [analysis options]\n"
    "\n"
    "The long-term average spectrum of FILE (- for standard input): for each frequency, the\n"
    "mean power over all STFT frames and the largest level any frame had, in dBFS, as CSV\n"
    "(hz,mean_dbfs,max_dbfs; lowest first; clamped below at --range's minimum). A full-scale\n"
    "sine on a bin centre reads 0 dBFS; white noise reads flat. --channel picks a channel;\n"
    "--scale only sets the plot's axis.\n"
    "  -o, --output OUT.csv  where the CSV goes [standard output]\n"
    "      --plot OUT.png    also a plot of both traces over frequency, with axes (the data\n"
    "                        area 960 x 400 pixels; the frequency axis as --scale says:\n"
    "                        linear, log or mel; the level axis as --range says)\n"
    "      --octave N        fractional-octave bands instead of bins: 1, 3, 6, 12 or 24 bands\n"
    "                        an octave, base-10 centres (IEC 61260-1), each the power of the\n"
    "                        bins whose centres it holds over the window's noise bandwidth\n"
    "      --weighting W     Z (none), A or C frequency weighting (IEC 61672-1) [Z]\n";

enum { OPT_OCTAVE = 1, OPT_WEIGHTING, OPT_PLOT };

typedef struct {
    hark_analysis analysis;
    hark_raw_input input;
    const char *in, *out, *plot;
    unsigned octave;
    hark_weighting weighting;
} spectrum_args;

static hark_err apply_option(void *ctx, int code, const char *arg)
{
    spectrum_args *a = ctx;
    hark_err err;
    if (hark_input_option(&a->input, code, arg, &err))
        return err;
    char *end;
    long n;
    switch (code) {
    case 'o': a->out = arg; return HARK_OK;
    case OPT_PLOT: a->plot = arg; return HARK_OK;
    case OPT_OCTAVE:
        n = strtol(arg, &end, 10);
        if (*end || end == arg || (n != 1 && n != 3 && n != 6 && n != 12 && n != 24))
            return hark_error_set(HARK_ERR_USAGE, "--octave '%s': expected 1, 3, 6, 12 or 24",
                                  arg);
        a->octave = (unsigned)n;
        return HARK_OK;
    case OPT_WEIGHTING: return hark_weighting_parse(arg, &a->weighting);
    default:
        if (code >= HARK_OPT_FFT && code < HARK_OPT_LAST_ANALYSIS)
            return hark_analysis_apply(&a->analysis, code, arg);
        return hark_error_set(HARK_ERR_USAGE, "bad option (see 'hark spectrum --help')");
    }
}

static hark_err parse_args(spectrum_args *a, int argc, char **argv, int *help)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"octave", required_argument, NULL, OPT_OCTAVE},
        {"weighting", required_argument, NULL, OPT_WEIGHTING},
        {"plot", required_argument, NULL, OPT_PLOT},
        {"help", no_argument, NULL, 'h'},
        HARK_INPUT_OPTIONS,
        HARK_ANALYSIS_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    hark_analysis_defaults(&a->analysis, 1024);
    hark_err err = hark_cmd_getopt(argc, argv, ":o:h", options, "spectrum", apply_option, a, help);
    if (err || *help)
        return err;
    if (optind != argc - 1)
        return hark_error_set(HARK_ERR_USAGE, "expected one file (see 'hark spectrum --help')");
    a->in = argv[optind];
    if (a->analysis.height)
        return hark_error_set(HARK_ERR_USAGE, "spectrum works on the FFT's bins: --height does "
                              "not apply (--octave gives bands)");
    if (a->analysis.stack)
        return hark_error_set(HARK_ERR_USAGE, "spectrum averages one channel (a number, mix, "
                              "mid or side); render stacks several");
    if (a->analysis.pcen)
        return hark_error_set(HARK_ERR_USAGE, "spectrum averages power in dBFS: --pcen does not "
                              "apply (render --pcen gives PCEN rows)");
    const char *outs[2] = {a->out, a->plot};
    for (int k = 0; k < 2; k++)
        if (outs[k] && hark_outfile_is_input(outs[k], a->in))
            return hark_error_at(HARK_ERR_USAGE, outs[k], "is the input file: choose another name");
    if (a->out && a->plot && hark_outfile_same(a->out, a->plot))
        return hark_error_at(HARK_ERR_USAGE, a->plot, "would be written twice: the CSV and the "
                             "plot need two names");
    if ((err = hark_input_finish(&a->input)))
        return err;
    return hark_analysis_finish(&a->analysis);
}

/* ---- the sink that sums the frames ---------------------------------------------------------- */

typedef struct {
    hark_sink base;
    hark_ltas_config cfg;
    hark_ltas *ltas;
} sum_sink;

static hark_err sum_begin(hark_sink *s, const hark_sink_start *start)
{
    sum_sink *k = (sum_sink *)s;
    k->cfg.rate_hz = start->params.rate_hz;
    return hark_ltas_create(&k->cfg, &k->ltas);
}

static hark_err sum_frames(hark_sink *s, uint64_t first, size_t n, const float *rows_db)
{
    (void)first;
    hark_ltas_add(((sum_sink *)s)->ltas, rows_db, n);
    return HARK_OK;
}

static hark_err sum_end(hark_sink *s, const hark_sink_summary *summary)
{
    (void)s, (void)summary;
    return HARK_OK;
}

static hark_err sum_commit(hark_sink *s)
{
    (void)s;
    return HARK_OK;
}

static void sum_abort(hark_sink *s)
{
    (void)s;
}

static void sum_destroy(hark_sink *s)
{
    if (s)
        hark_ltas_destroy(((sum_sink *)s)->ltas);
    free(s);
}

static const hark_sink_ops sum_ops = {sum_begin, sum_frames, sum_end, sum_commit, sum_abort,
                                      sum_destroy};

/* ---- the CSV and the plot ---------------------------------------------------------------------- */

/* The CSV, written and closed under its temporary name (or to standard output). */
static hark_err write_csv(const spectrum_args *a, const hark_ltas *ltas, hark_outfile *of)
{
    hark_err err = hark_outfile_open(of, a->out ? a->out : "-");
    if (err)
        return err;
    fprintf(of->fp, "hz,mean_dbfs,max_dbfs\n");
    for (unsigned i = 0; i < hark_ltas_lines(ltas); i++) {
        double hz, mean, max;
        hark_ltas_line(ltas, i, a->analysis.min_db, &hz, &mean, &max);
        fprintf(of->fp, "%.4f,%.3f,%.3f\n", hz, mean, max);
    }
    return hark_outfile_close(of);
}

static void plot_title(const spectrum_args *a, const hark_render_result *res, char *buf,
                       size_t size)
{
    const char *slash = strrchr(a->in, '/');
    int n = snprintf(buf, size, "%s   %.0f Hz   fft %u   hop %u   %s", slash ? slash + 1 : a->in,
                     res->rate_hz, a->analysis.fft_size, a->analysis.hop,
                     hark_window_name(a->analysis.window));
    if (a->octave && n > 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, "   1/%u octave", a->octave);
    if (a->weighting != HARK_WEIGHT_Z && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "   %s-weighted",
                 a->weighting == HARK_WEIGHT_A ? "A" : "C");
}

/* The plot, written and closed under its temporary name. */
static hark_err write_plot(const spectrum_args *a, const hark_ltas *ltas,
                           const hark_render_result *res, hark_outfile *of)
{
    unsigned n = hark_ltas_lines(ltas);
    double *v = malloc(sizeof(double) * 3 * (n ? n : 1));
    hark_text *text = NULL;
    hark_err err = v ? hark_text_create(13, &text) : hark_fail(HARK_ERR_NOMEM);
    if (err) {
        free(v);
        return err;
    }
    for (unsigned i = 0; i < n; i++)
        hark_ltas_line(ltas, i, a->analysis.min_db, &v[i], &v[n + i], &v[2 * n + i]);
    hark_scale axis;
    hark_analysis_scale(&a->analysis, res->rate_hz, HARK_PLOT_WIDTH, &axis);
    char title[256];
    plot_title(a, res, title, sizeof title);
    hark_plot p = {.title = title, .scale = &axis, .n = n, .hz = v, .mean_db = v + n,
                   .peak_db = v + 2 * n,
                   .band_ratio = a->octave ? hark_lines_band_ratio(a->octave) : 0,
                   .axis_min_db = a->analysis.min_db, .axis_max_db = a->analysis.max_db};
    hark_image img = {0};
    if (!(err = hark_plot_compose(&p, text, &img)) && !(err = hark_outfile_open(of, a->plot)))
        err = hark_png_write_rgb(of, img.rgb, img.width, img.height, NULL, 0, HARK_PNG_HUFFMAN,
                                 &hark_stop_requested);
    free(img.rgb);
    hark_text_destroy(text);
    free(v);
    return err;
}

/* The outputs as a set: both appear, or neither. */
static hark_err write_outputs(const spectrum_args *a, const hark_ltas *ltas,
                              const hark_render_result *res)
{
    hark_outfile csv = {0}, png = {0};
    hark_err err = write_csv(a, ltas, &csv);
    if (!err && a->plot && (err = write_plot(a, ltas, res, &png)))
        hark_outfile_abort(&csv);
    if (!err && !(err = hark_outfile_publish(&csv)) && a->plot &&
        (err = hark_outfile_publish(&png)))
        hark_outfile_abort(&csv);
    if (err) {
        hark_outfile_abort(&png);
        return err;
    }
    hark_outfile_settle(&csv);
    if (a->plot)
        hark_outfile_settle(&png);
    return HARK_OK;
}

hark_err hark_cmd_spectrum(int argc, char **argv)
{
    spectrum_args a = {0};
    int help = 0;
    hark_err err = parse_args(&a, argc, argv, &help);
    if (help) {
        fputs(spectrum_help, stdout);
        fputs(hark_input_help, stdout);
        fputs(hark_analysis_help, stdout);
        return HARK_OK;
    }
    if (err)
        return err;
    sum_sink *sink = calloc(1, sizeof *sink);
    if (!sink)
        return hark_fail(HARK_ERR_NOMEM);
    *sink = (sum_sink){.base = {.ops = &sum_ops},
                       .cfg = {.fft_size = a.analysis.fft_size, .window = a.analysis.window,
                               .window_size = a.analysis.window_size,
                               .reassigned = a.analysis.reassign, .octave = a.octave,
                               .weighting = a.weighting}};
    hark_sinks sinks = {0};
    err = hark_sinks_add(&sinks, &sink->base);
    /* The frames keep levels far below the range: the mean of quiet bins is not lifted. */
    hark_analysis deep = a.analysis;
    deep.min_db = -300.0f;
    deep.scale = HARK_SCALE_LINEAR; /* the bins; --scale is the plot's axis */
    hark_render_job job = {.in_path = a.in, .raw = &a.input, .analysis = &deep, .sinks = &sinks,
                           .stop = &hark_stop_requested};
    hark_render_result res;
    if (!err)
        err = hark_render_run(&job, &res);
    if (!err)
        err = write_outputs(&a, sink->ltas, &res);
    hark_sinks_destroy(&sinks);
    return err;
}
