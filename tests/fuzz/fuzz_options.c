/* libFuzzer: arbitrary bytes as a command line (arguments split at NUL bytes) through the
 * option loop every command uses (hark_cmd_getopt) and the analysis options (--fft, --hop,
 * --overlap, --window, --scale, --height, --range, --colormap, --channel), then the checks
 * that resolve them. Whatever the input: no crash, no sanitizer report, and what is accepted
 * is consistent (a hop within the frame, a range that is a range, rows > 0). */
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
            hark_analysis_rows(&a) < 1)
            abort(); /* accepted, but not a usable analysis */
    }
    free(text);
    return 0;
}
