/* hark devices: the audio devices PortAudio sees, with the defaults marked. */
#include <stdio.h>
#include <string.h>

#include "audio.h"
#include "cmd.h"

static void print_devices(void)
{
    int n = hark_audio_device_count();
    printf("%5s %4s %4s %9s  %-10s %s\n", "index", "in", "out", "rate Hz", "host API", "name");
    for (int i = 0; i < n; i++) {
        hark_audio_device d;
        if (hark_audio_device_get(i, &d))
            continue;
        char mark[40] = "";
        if (d.is_default_input || d.is_default_output)
            snprintf(mark, sizeof mark, "  (default %s)",
                     !d.is_default_output ? "input"
                     : !d.is_default_input ? "output" : "input and output");
        printf("%5d %4d %4d %9.0f  %-10s %s%s\n", d.index, d.max_input_channels,
               d.max_output_channels, d.default_rate_hz, d.host_api, d.name, mark);
    }
    if (n == 0)
        printf("(no audio devices)\n");
}

hark_err hark_cmd_devices(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("Usage: hark devices\n\nLists the audio devices (index, input and output channels, "
               "default rate, host API,\nname); --device takes an index or part of a name.\n");
        return HARK_OK;
    }
    if (argc > 1)
        return hark_error_set(HARK_ERR_USAGE, "unexpected argument '%s'", argv[1]);
    hark_err err = hark_audio_init();
    if (err)
        return err;
    print_devices();
    hark_audio_terminate();
    return HARK_OK;
}
