/* libFuzzer: arbitrary bytes as a command line (arguments split at NUL bytes) through the
 * option loop every command uses (hark_cmd_getopt) and the analysis options (--fft, --hop,
 * --overlap, --window, --window-size, --scale, --height, --bins-per-octave, --fmin, --range,
 * --colormap, --channel with its lists, --reassign, --pcen and its parameters), then the
 * checks that resolve them. Whatever the input: no crash, no sanitizer report, and what is
 * accepted is consistent (a hop within the frame, a window within it, a range that is a range,
 * at least two rows at any rate the checks accept, channels that exist in any input the
 * selection accepts). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cmd.h"

#define MAX_ARGS 64

static hark_err apply(void *ctx, int code, const char *value)
{
    return hark_analysis_apply(ctx, code, value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); /* libFuzzer calls it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        HARK_ANALYSIS_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_ARGS + 2] = {"render"};
    int argc = 1;
    for (size_t i = 0; i <= size && argc <= MAX_ARGS; i++) {
        argv[argc++] = text + i;
        i += strlen(text + i);
    }
    argv[argc] = NULL;
    hark_analysis a;
    hark_analysis_defaults(&a, 1024);
    int help = 0;
    hark_err err = hark_cmd_getopt(argc, argv, ":h", options, "render", apply, &a, &help);
    if (!err && !help && hark_analysis_finish(&a) == HARK_OK) {
        if (a.hop < 1 || a.hop > a.fft_size || !(a.min_db < a.max_db) ||
            a.window_size > a.fft_size || a.stack > HARK_STACK_MAX)
            abort(); /* accepted, but not a usable analysis */
        static const double rates[] = {1000.0, 8000.0, 48000.0, 768000.0};
        for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++)
            if (hark_analysis_check_rate(&a, rates[r]) == HARK_OK &&
                hark_analysis_rows(&a, rates[r]) < 2)
                abort();
        int picked[HARK_STACK_MAX];
        unsigned n = 0;
        for (unsigned channels = 1; channels <= 8; channels++)
            if (hark_analysis_channels(&a, channels, picked, &n) == HARK_OK)
                for (unsigned c = 0; c < n; c++)
                    if (picked[c] >= (int)channels || picked[c] < HARK_CHANNEL_SIDE ||
                        (picked[c] < HARK_CHANNEL_MIX && channels != 2))
                        abort(); /* a channel the input does not have */
        hark_error_clear();
    }
    free(text);
    return 0;
}
