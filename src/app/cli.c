/* hark's command line (cli.h): the commands, the signals, the one line an error is said in, and
 * the exit status. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "error.h"
#include "live_module.h"

atomic_int hark_stop_requested;
atomic_int hark_snapshot_requested;
atomic_int hark_resumed;

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler may only store to lock-free atomics");

static const char usage[] =
    "Usage:\n"
    "  hark render IN [-o OUT.png] [--raw OUT.npy] [--labels] [--tile-seconds S] [analysis options]\n"
    "  hark batch IN... -o DIR [-j N] [--format png|npy|both] [--skip-existing] [--shard I/N]\n"
    "  hark info FILE [analysis options]\n"
    "  hark levels FILE [--json]\n"
    "  hark spectrum FILE [-o OUT.csv] [--plot OUT.png] [--octave N] [--weighting Z|A|C]\n"
    "                [analysis options]\n"
    "  hark live [--device D] [--duration S] [--headless] [--raw OUT.npy] [analysis options]\n"
    "  hark play FILE [--device D] [--loop] [--start T] [--hold] [analysis options]\n"
    "  hark devices\n"
    "  hark --help | --version\n"
    "\n"
    "Commands:\n"
    "  render   native-resolution spectrogram of an audio file: one column per STFT frame,\n"
    "           one row per frequency bin, 0 Hz at the bottom, levels in dBFS\n"
    "  batch    render many files (files, folders, @lists) into a mirrored tree, with a manifest\n"
    "  info     format, duration, and the image size the analysis options would give\n"
    "  levels   sample and true peak, RMS, clipping and EBU R128 loudness, per channel\n"
    "  spectrum the long-term average spectrum (mean and max per bin or octave band), as CSV\n"
    "  live     spectrogram of an audio input as it arrives, in a window\n"
    "  play     play an audio file with its spectrogram in a window, locked to what is heard\n"
    "  devices  the audio devices, with the defaults marked\n"
    "\n"
    "Run 'hark COMMAND --help' for a command's options.\n";

typedef struct {
    const char *name;
    hark_err (*run)(int argc, char **argv);
} command;

/* live, play and devices run in the live module (live_module.h). */
static hark_err in_module(int argc, char **argv)
{
    return hark_live_module_call(argv[0], argc, argv);
}

static const command commands[] = {
    {"render", hark_cmd_render},
    {"info", hark_cmd_info},
    {"levels", hark_cmd_levels},
    {"spectrum", hark_cmd_spectrum},
    {"batch", hark_cmd_batch},
    {"devices", in_module},
    {"live", in_module},
    {"play", in_module},
};

static void on_stop_signal(int sig)
{
    (void)sig;
    hark_stop_requested = 1;
}

static void on_snapshot_signal(int sig)
{
    (void)sig;
    hark_snapshot_requested = 1;
}

static void on_continue_signal(int sig)
{
    (void)sig;
    hark_resumed = 1;
}

/* No SA_RESTART: a read or an open that waits (a FIFO, a pipe) returns at a signal. */
static void install_signal_handlers(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* the terminal or the ssh session closed: stop as cleanly */
    /* A reader that goes away is a failed write (EPIPE), cleaned up like any other, not a
     * death that leaves temporary files behind. */
    signal(SIGPIPE, SIG_IGN);
    struct sigaction usr = {.sa_handler = on_snapshot_signal};
    sigemptyset(&usr.sa_mask);
    sigaction(SIGUSR1, &usr, NULL);
    struct sigaction cont = {.sa_handler = on_continue_signal, .sa_flags = SA_RESTART};
    sigemptyset(&cont.sa_mask);
    sigaction(SIGCONT, &cont, NULL);
    /* A file-size limit (ulimit -f) makes the write fail with EFBIG, said as one line, instead
     * of killing the process half-way through an output. */
    signal(SIGXFSZ, SIG_IGN);
}

/* Everything written to standard output reached it: a full disk or a closed pipe is a failure
 * too. */
static hark_err flush_stdout(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return HARK_OK;
    if (errno == EPIPE)
        return hark_error_at(HARK_ERR_PIPE, "standard output", "the reader went away");
    return hark_error_at(HARK_ERR_WRITE, "standard output", "cannot write: %s", strerror(errno));
}

/* "hark: <subject>: <what is wrong>": the first failure the command recorded (error.h), about
 * what it names, or the command itself. */
static int exit_status(const char *name, hark_err err)
{
    if (err == HARK_OK)
        return 0;
    if (err == HARK_ERR_PIPE) /* whoever read the output has what they wanted: say nothing */
        return 1;
    const hark_error *e = hark_error_get();
    fprintf(stderr, "hark: %s: %s\n", e->code == err && e->subject[0] ? e->subject : name,
            hark_error_message(err));
    return err == HARK_ERR_USAGE ? 2 : 1;
}

static int run_command(const command *cmd, int argc, char **argv)
{
    hark_error_clear();
    hark_err err = cmd->run(argc, argv);
    hark_err out = flush_stdout();
    return exit_status(cmd->name, err ? err : out);
}

int hark_cli(int argc, char **argv)
{
    install_signal_handlers();
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, stdout);
        return exit_status("hark", flush_stdout());
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("hark %s\n", HARK_VERSION);
        return exit_status("hark", flush_stdout());
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return run_command(&commands[i], argc - 1, argv + 1);
    fprintf(stderr, "hark: %s: unknown command (try 'hark --help')\n", argv[1]);
    return 2;
}
