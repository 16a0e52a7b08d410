/* hark spectrum: the long-term average spectrum of a file (ltas.h), through render's pipeline
 * with a sink that sums the frames, as CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ltas.h"
#include "outfile.h"
#include "render.h"

static const char spectrum_help[] =
    "Usage: hark spectrum FILE [-o OUT.csv] [--octave N] [--weighting Z|A|C]\n"
    "                     [analysis options]\n"
    "\n"
    "The long-term average spectrum of FILE (- for standard input): for each frequency, the\n"
    "mean power over all STFT frames and the largest level any frame had, in dBFS, as CSV\n"
    "(hz,mean_dbfs,max_dbfs; lowest first; clamped below at --range's minimum). A full-scale\n"
    "sine on a bin centre reads 0 dBFS; white noise reads flat. --channel picks a channel.\n"
    "  -o, --output OUT.csv  where the CSV goes [standard output]\n"
    "      --octave N        fractional-octave bands instead of bins: 1, 3, 6, 12 or 24 bands\n"
    "                        an octave, base-10 centres (IEC 61260-1), each the power of the\n"
    "                        bins whose centres it holds over the window's noise bandwidth\n"
    "      --weighting W     Z (none), A or C frequency weighting (IEC 61672-1) [Z]\n";

enum { OPT_OCTAVE = 1, OPT_WEIGHTING };

typedef struct {
    hark_analysis analysis;
    hark_raw_input input;
    const char *in, *out;
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
    if (a->analysis.scale != HARK_SCALE_LINEAR || a->analysis.height)
        return hark_error_set(HARK_ERR_USAGE, "spectrum works on the FFT's bins: --scale and "
                              "--height do not apply (--octave gives bands)");
    if (a->out && hark_outfile_is_input(a->out, a->in))
        return hark_error_at(HARK_ERR_USAGE, a->out, "is the input file: choose another name");
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

/* ---- the CSV ---------------------------------------------------------------------------------- */

static hark_err write_csv(const spectrum_args *a, const hark_ltas *ltas)
{
    hark_outfile of;
    hark_err err = hark_outfile_open(&of, a->out ? a->out : "-");
    if (err)
        return err;
    fprintf(of.fp, "hz,mean_dbfs,max_dbfs\n");
    for (unsigned i = 0; i < hark_ltas_lines(ltas); i++) {
        double hz, mean, max;
        hark_ltas_line(ltas, i, a->analysis.min_db, &hz, &mean, &max);
        fprintf(of.fp, "%.4f,%.3f,%.3f\n", hz, mean, max);
    }
    return hark_outfile_commit(&of);
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
                               .octave = a.octave, .weighting = a.weighting}};
    hark_sinks sinks = {0};
    err = hark_sinks_add(&sinks, &sink->base);
    /* The frames keep levels far below the range: the mean of quiet bins is not lifted. */
    hark_analysis deep = a.analysis;
    deep.min_db = -300.0f;
    hark_render_job job = {.in_path = a.in, .raw = &a.input, .analysis = &deep, .sinks = &sinks,
                           .stop = &hark_stop_requested};
    hark_render_result res;
    if (!err)
        err = hark_render_run(&job, &res);
    if (!err && (err = write_csv(&a, sink->ltas)))
        hark_error_subject(a.out ? a.out : "standard output");
    hark_sinks_destroy(&sinks);
    return err;
}
