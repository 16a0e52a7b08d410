/* libFuzzer: bytes as a whole command line of render, info or batch, run by hark_cli (what main
 * runs) in a small tree of files made once: a short WAV, a stereo FLAC, a folder holding one,
 * an empty file and a text file with audio names, a link, a link to nowhere, a list. The first
 * byte picks the command, each next byte an argument from a table of options, values and file
 * kinds, so options and files meet in every combination. Whatever the input: no crash, no
 * sanitizer report, no hang; and after each run no temporary file is left anywhere in the tree
 * and every file the command read is as it was (no output may replace an input). A file
 * named as an output is fair game: it is put back for the next run. */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define MAX_ARGS 16

static const char *const commands[] = {"render", "info", "batch"};
/* "~" stands for the tree's folder (the process's folder is libFuzzer's). */
static const char *const tokens[] = {
    "-o", "~out/x.png", "~out", "~out/", "--raw", "~out/x.npy", "~out/x.json", "~a.wav", "~b.flac",
    "~dir", "~empty.wav", "~notes.wav", "~link.wav", "~dangling.wav", "-", "/dev/null", "--labels",
    "--tile-seconds", "0.01", "1e7", "1e-9", "--fft", "16", "64", "262144", "--hop", "1", "7",
    "--height", "2", "65536", "--scale", "log", "mel", "--window", "rect", "blackman-harris",
    "--range", "-300:100", "0:-1", "-60:-59.999", "--colormap", "jet", "--channel", "2", "mix",
    "1025", "--no-png", "--format", "both", "npy", "-j", "3", "64", "--shard", "1/2", "2/2",
    "--skip-existing", "@~list.txt", "--overlap", "50%", "0.99", "1", "~a.wav", "~b.flac",
    "~out/a.wav", "--help", "--ra", "x", "",
    "all", "ms", "1,2", "mid", "side", "--split-channels", "--pcen", "--reassign", "cqt",
    "--window-size", "--bins-per-octave", "24", "--fmin", "--pcen-time", "0.05",
};
#define NTOKENS (sizeof tokens / sizeof tokens[0])

/* The inputs, and their bytes, to check that none is ever replaced. */
static const char *const inputs[] = {"a.wav", "b.flac", "dir/c.wav", "empty.wav", "notes.wav",
                                     "list.txt"};
#define NINPUTS (sizeof inputs / sizeof inputs[0])
static char *kept[NINPUTS];
static size_t kept_len[NINPUTS];

static void write_audio(const char *path, int format, int channels, int rate, int frames)
{
    SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    float x[2 * 400] = {0};
    for (int i = 0; i < frames * channels; i++)
        x[i] = (float)((i * 37 % 101) - 50) / 60.0f;
    if (f) {
        sf_writef_float(f, x, frames);
        sf_close(f);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(1 << 16);
    *len = f && buf ? fread(buf, 1, 1 << 16, f) : 0;
    if (f)
        fclose(f);
    return buf;
}

static char tree[64] = "/tmp/hark-fuzz-cli-XXXXXX";
static char here[4096]; /* libFuzzer's folder: its corpus paths are relative to it */
static char args[MAX_ARGS + 2][160];

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    remove(path);
    return 0;
}

/* When libFuzzer ends the run (exit), the tree goes. */
static void remove_tree(void)
{
    nftw(tree, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_tree(void)
{
    if (!getcwd(here, sizeof here) || !mkdtemp(tree) || chdir(tree) != 0)
        abort();
    atexit(remove_tree);
    mkdir("dir", 0755);
    mkdir("out", 0755);
    write_audio("a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 8000, 160);
    write_audio("b.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, 8000, 400);
    write_audio("dir/c.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 8000, 100);
    FILE *f = fopen("empty.wav", "w");
    fclose(f);
    f = fopen("notes.wav", "w");
    fputs("a shopping list, not a recording\n", f);
    fclose(f);
    f = fopen("list.txt", "w");
    fprintf(f, "%s/a.wav\n# a comment\n%s/dir/c.wav\nmissing.wav\n", tree, tree);
    fclose(f);
    if (symlink("a.wav", "link.wav") != 0 || symlink("nowhere.wav", "dangling.wav") != 0)
        abort();
    for (size_t i = 0; i < NINPUTS; i++)
        kept[i] = slurp(inputs[i], &kept_len[i]);
    /* "-" reads standard input: empty here, never a terminal that would wait. */
    int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    close(null);
    if (chdir(here) != 0) /* back: libFuzzer's corpus folders are relative */
        abort();
}

/* A token with "~" made the tree's folder. */
static char *expand(const char *token, char *out, size_t size)
{
    const char *tilde = strchr(token, '~');
    if (!tilde)
        snprintf(out, size, "%s", token);
    else
        snprintf(out, size, "%.*s%s/%s", (int)(tilde - token), token, tree, tilde + 1);
    return out;
}

/* No temporary or kept-aside file anywhere; what a run wrote is cleared for the next. */
static void check_and_clear(const char *folder)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        if (strstr(e->d_name, ".tmp.") || strstr(e->d_name, ".old."))
            abort(); /* a temporary file left behind */
        char path[512];
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            check_and_clear(path);
        if (strstr(folder, "/out"))
            S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path);
    }
    if (d)
        closedir(d);
}

/* Is argv[i] an operand (an input), rather than an option's value? */
static int operand(char **argv, int i)
{
    static const char *const valued[] = {"-o", "--raw", "--tile-seconds", "--fft", "--hop",
                                         "--height", "--scale", "--window", "--range",
                                         "--colormap", "--channel", "--format", "-j", "--shard",
                                         "--overlap", "--ra", "--window-size",
                                         "--bins-per-octave", "--fmin", "--pcen-time"};
    if (argv[i][0] == '-' && argv[i][1])
        return 0;
    for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
        if (strcmp(argv[i - 1], valued[k]) == 0)
            return 0;
    return 1;
}

/* An input named on the command line: a file, its folder, the list that names it. */
static int read_by(const char *input, char **argv, int argc)
{
    for (int i = 2; i < argc; i++) {
        if (!operand(argv, i))
            continue;
        const char *a = argv[i][0] == '@' ? "list.txt" : argv[i] + (argv[i][0] == '~');
        if (strcmp(a, input) == 0 || (strcmp(a, "dir") == 0 && strncmp(input, "dir/", 4) == 0) ||
            (strcmp(a, "link.wav") == 0 && strcmp(input, "a.wav") == 0) ||
            (strcmp(a, "list.txt") == 0 && (!strcmp(input, "a.wav") || !strcmp(input, "dir/c.wav"))))
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); /* libFuzzer calls it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        make_tree();
        ready = 1;
    }
    if (size == 0)
        return 0;
    char *argv[MAX_ARGS + 3] = {"hark", (char *)commands[data[0] % 3]};
    const char *named[MAX_ARGS + 3] = {"hark", commands[data[0] % 3]}; /* tokens, unexpanded */
    int argc = 2;
    for (size_t i = 1; i < size && argc < MAX_ARGS + 2; i++, argc++) {
        named[argc] = tokens[data[i] % NTOKENS];
        argv[argc] = expand(named[argc], args[argc], sizeof args[argc]);
    }
    argv[argc] = NULL;
    /* Run in the tree's out folder: what a command names after its input (no -o) lands
     * there and is cleared, not in libFuzzer's folder. */
    char out[96], path[128];
    snprintf(out, sizeof out, "%s/out", tree);
    mkdir(out, 0755);
    if (chdir(out) != 0 && chdir(tree) != 0)
        abort();
    hark_cli(argc, argv);
    if (chdir(here) != 0)
        abort();
    check_and_clear(tree);
    mkdir(out, 0755);
    for (size_t i = 0; i < NINPUTS; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/%s", tree, inputs[i]);
        char *now = slurp(path, &len);
        if (len != kept_len[i] || memcmp(now, kept[i], len) != 0) {
            if (read_by(inputs[i], (char **)named, argc))
                abort(); /* an input was replaced */
            FILE *f = fopen(path, "wb"); /* an output named so: put it back */
            if (!f || fwrite(kept[i], 1, kept_len[i], f) != kept_len[i])
                abort();
            fclose(f);
        }
        free(now);
    }
    return 0;
}
