#ifndef HARK_CMD_H
#define HARK_CMD_H
/*
 * Subcommands. Each parses its own arguments (argv[0] is the command name), does its work,
 * prints its results on stdout, and returns HARK_OK or an error recorded in the error record
 * (error.h) with what it is about (a file, an output, a device; none: the command itself).
 * cli.c prints the error and chooses the exit status; a command prints only what goes on as it
 * works (batch: each failed file, as it happens). Thread: main.
 */
#include <getopt.h>
#include <stdatomic.h>

#include "analysis.h"
#include "decoder.h" /* hark_raw_input */
#include "error.h"

/* Set by SIGINT, SIGTERM and SIGHUP; long-running commands poll it and stop cleanly. Lock-free atomics:
 * safe to set in a signal handler and to read from any thread. */
extern atomic_int hark_stop_requested;
/* Set by SIGCONT: the process was stopped (Ctrl-Z, SIGSTOP) and goes on; a device that did not
 * move meanwhile is not lost. */
extern atomic_int hark_resumed;
/* Set by SIGUSR1: the live window saves a snapshot. */
extern atomic_int hark_snapshot_requested;

/* One option of a command: code (getopt_long's) and its argument, or NULL. */
typedef hark_err (*hark_option_fn)(void *ctx, int code, const char *arg);

/* Parse a command's options with getopt_long: each goes to apply(ctx, code, arg); 'h' (-h,
 * or --help mapped to 'h' in options) sets *help and stops. An unknown option or a missing
 * value is a usage error naming the command. Afterwards optind is the first operand. */
hark_err hark_cmd_getopt(int argc, char **argv, const char *shortopts,
                         const struct option *options, const char *command, hark_option_fn apply,
                         void *ctx, int *help);

/* The options of the commands that write images (render, batch), parsed in one place: -o,
 * --labels, --png-deflate, --help and the analysis options end both option tables. */
typedef struct {
    const char *out;  /* -o */
    int labels;       /* --labels */
    int png_zlib;     /* --png-deflate zlib (pngwrite.h), else huffman */
} hark_image_options;

/* Codes after the analysis options'; a command's own start at HARK_OPT_LAST_IMAGE. */
enum { HARK_OPT_LABELS = HARK_OPT_LAST_ANALYSIS + 1, HARK_OPT_PNG_DEFLATE, HARK_OPT_LAST_IMAGE };

#define HARK_IMAGE_OPTIONS                                                                        \
    {"output", required_argument, NULL, 'o'},                                                     \
    {"labels", no_argument, NULL, HARK_OPT_LABELS},                                               \
    {"png-deflate", required_argument, NULL, HARK_OPT_PNG_DEFLATE},                               \
    {"help", no_argument, NULL, 'h'},                                                             \
    HARK_ANALYSIS_OPTIONS,                                                                        \
    {NULL, 0, NULL, 0}

/* Applies code if it is one of HARK_IMAGE_OPTIONS's own (not help, not analysis): returns 1 and
 * sets *err (HARK_OK or a usage error); else returns 0. */
int hark_image_option(hark_image_options *o, int code, const char *arg, hark_err *err);
/* --png-deflate's help line, the same for render and batch. */
extern const char hark_png_deflate_help[];

/* Headerless input (render, info): --raw-format s16le|s24le|s32le|f32le with --rate HZ and
 * --channels N [1]. Codes from HARK_OPT_RAW_FORMAT, above any command's own. */
enum { HARK_OPT_RAW_FORMAT = 2000, HARK_OPT_INPUT_RATE, HARK_OPT_INPUT_CHANNELS };
#define HARK_INPUT_OPTIONS                                                                        \
    {"raw-format", required_argument, NULL, HARK_OPT_RAW_FORMAT},                                 \
    {"rate", required_argument, NULL, HARK_OPT_INPUT_RATE},                                       \
    {"channels", required_argument, NULL, HARK_OPT_INPUT_CHANNELS}
/* Applies code if it is an input option: returns 1 and sets *err; else returns 0. */
int hark_input_option(hark_raw_input *in, int code, const char *arg, hark_err *err);
/* After parsing: --rate needs --raw-format and the other way round (usage errors). */
hark_err hark_input_finish(hark_raw_input *in);
/* Their help lines. */
extern const char hark_input_help[];

hark_err hark_cmd_render(int argc, char **argv);
hark_err hark_cmd_info(int argc, char **argv);
hark_err hark_cmd_levels(int argc, char **argv);
hark_err hark_cmd_spectrum(int argc, char **argv);
hark_err hark_cmd_batch(int argc, char **argv);
hark_err hark_cmd_devices(int argc, char **argv);
hark_err hark_cmd_live(int argc, char **argv);
hark_err hark_cmd_play(int argc, char **argv);

#endif
