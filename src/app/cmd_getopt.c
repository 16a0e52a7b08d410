/* The option loop every command shares (cmd.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* "--ra" stands for several long options: name them. 0 when it is not ambiguous. */
static int ambiguous(const char *arg, const struct option *options, char *names, size_t size)
{
    if (strncmp(arg, "--", 2) != 0)
        return 0;
    const char *prefix = arg + 2;
    size_t len = strcspn(prefix, "="), used = 0;
    int matches = 0;
    names[0] = '\0';
    for (const struct option *o = options; o->name; o++) {
        if (strncmp(o->name, prefix, len) != 0 || strlen(o->name) == len)
            continue;
        used += (size_t)snprintf(names + used, used < size ? size - used : 0, "%s--%s",
                                 matches ? ", " : "", o->name);
        matches++;
    }
    return matches > 1;
}

hark_err hark_cmd_getopt(int argc, char **argv, const char *shortopts,
                         const struct option *options, const char *name, hark_option_fn apply,
                         void *ctx, int *help)
{
    opterr = 0;
    optind = 0; /* GNU: start afresh, forgetting any earlier scan's place (not just optind = 1) */
    int c;
    while ((c = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
        if (c == 'h') {
            *help = 1;
            return HARK_OK;
        }
        char names[256];
        if (c == '?' && ambiguous(argv[optind - 1], options, names, sizeof names))
            return hark_error_set(HARK_ERR_USAGE, "ambiguous option '%s': %s? (see 'hark %s "
                                  "--help')", argv[optind - 1], names, name);
        if (c == '?' || c == ':')
            return hark_error_set(HARK_ERR_USAGE, "%s '%s' (see 'hark %s --help')",
                                  c == ':' ? "missing value for" : "unknown option",
                                  argv[optind - 1], name);
        hark_err err = apply(ctx, c, optarg);
        if (err)
            return err;
    }
    return HARK_OK;
}

const char hark_png_deflate_help[] =
    "      --png-deflate M   huffman (fast) or zlib (level 1, run-length): how PNG image data\n"
    "                        is compressed [huffman]; the pixels are the same either way\n";

int hark_image_option(hark_image_options *o, int code, const char *arg, hark_err *err)
{
    *err = HARK_OK;
    switch (code) {
    case 'o': o->out = arg; return 1;
    case HARK_OPT_LABELS: o->labels = 1; return 1;
    case HARK_OPT_PNG_DEFLATE:
        if (strcmp(arg, "zlib") == 0 || strcmp(arg, "huffman") == 0)
            o->png_zlib = arg[0] == 'z';
        else
            *err = hark_error_set(HARK_ERR_USAGE, "--png-deflate '%s': expected huffman or zlib",
                                  arg);
        return 1;
    default: return 0;
    }
}

const char hark_input_help[] =
    "      --raw-format F    IN is headerless samples: s16le, s24le, s32le (signed integers)\n"
    "                        or f32le (floats), little-endian, channels interleaved\n"
    "      --rate HZ         their sample rate (with --raw-format)\n"
    "      --channels N      their channels [1] (with --raw-format)\n";

int hark_input_option(hark_raw_input *in, int code, const char *arg, hark_err *err)
{
    *err = HARK_OK;
    char *end;
    long n;
    switch (code) {
    case HARK_OPT_RAW_FORMAT:
        if (!hark_raw_sample_parse(arg, &in->sample))
            *err = hark_error_set(HARK_ERR_USAGE, "--raw-format '%s': expected s16le, s24le, "
                                  "s32le or f32le", arg);
        return 1;
    case HARK_OPT_INPUT_RATE:
        n = strtol(arg, &end, 10);
        if (*end || end == arg || n < (long)HARK_RATE_MIN || n > (long)HARK_RATE_MAX)
            *err = hark_error_set(HARK_ERR_USAGE, "--rate '%s': expected %.0f to %.0f Hz", arg,
                                  HARK_RATE_MIN, HARK_RATE_MAX);
        else
            in->rate_hz = (int)n;
        return 1;
    case HARK_OPT_INPUT_CHANNELS:
        n = strtol(arg, &end, 10);
        if (*end || end == arg || n < 1 || n > (long)HARK_CHANNELS_MAX)
            *err = hark_error_set(HARK_ERR_USAGE, "--channels '%s': expected 1 to %u", arg,
                                  HARK_CHANNELS_MAX);
        else
            in->channels = (unsigned)n;
        return 1;
    default:
        return 0;
    }
}

hark_err hark_input_finish(hark_raw_input *in)
{
    if (in->sample == HARK_RAW_NONE) {
        if (in->rate_hz || in->channels)
            return hark_error_set(HARK_ERR_USAGE, "--rate and --channels describe headerless "
                                  "input: give --raw-format too");
        return HARK_OK;
    }
    if (!in->rate_hz)
        return hark_error_set(HARK_ERR_USAGE, "--raw-format %s needs --rate HZ: headerless "
                              "samples do not say their rate", hark_raw_sample_name(in->sample));
    if (!in->channels)
        in->channels = 1;
    return HARK_OK;
}
