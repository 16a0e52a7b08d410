#ifndef HARK_CMD_H
#define HARK_CMD_H
/*
 * Subcommands. Each parses its own arguments (argv[0] is the command name), does its work,
 * prints its results on stdout, and returns HARK_OK or an error with *subject set to what the
 * error is about (a file, a device, or the command name for usage errors). Only main.c prints
 * errors and chooses the exit status. Thread: main.
 */
#include <stdatomic.h>

#include "error.h"

/* Set by SIGINT/SIGTERM; long-running commands poll it and stop cleanly. Lock-free atomics:
 * safe to set in a signal handler and to read from any thread. */
extern atomic_int hark_stop_requested;
/* Set by SIGUSR1: the live window saves a snapshot. */
extern atomic_int hark_snapshot_requested;

/* The usage error for getopt_long's '?' (unknown option) or ':' (missing value) result. */
hark_err hark_cmd_option_error(int c, char **argv, const char *command);

hark_err hark_cmd_render(int argc, char **argv, const char **subject);
hark_err hark_cmd_info(int argc, char **argv, const char **subject);
hark_err hark_cmd_devices(int argc, char **argv, const char **subject);
hark_err hark_cmd_live(int argc, char **argv, const char **subject);

#endif
