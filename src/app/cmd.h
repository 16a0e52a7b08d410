#ifndef HARK_CMD_H
#define HARK_CMD_H
/*
 * Subcommands. Each parses its own arguments (argv[0] is the command name), does its work,
 * prints its results on stdout, and returns HARK_OK or an error recorded in the error record
 * (error.h) with what it is about (a file, an output, a device; none: the command itself).
 * Only main.c prints errors and chooses the exit status. Thread: main.
 */
#include <getopt.h>
#include <stdatomic.h>

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

/* --png-deflate zlib|huffman: *zlib = 1 for zlib, 0 for huffman (pngwrite.h). The same help
 * line for render and batch. */
hark_err hark_cmd_png_deflate(const char *arg, int *zlib);
extern const char hark_png_deflate_help[];

hark_err hark_cmd_render(int argc, char **argv);
hark_err hark_cmd_info(int argc, char **argv);
hark_err hark_cmd_batch(int argc, char **argv);
hark_err hark_cmd_devices(int argc, char **argv);
hark_err hark_cmd_live(int argc, char **argv);
hark_err hark_cmd_play(int argc, char **argv);

#endif
