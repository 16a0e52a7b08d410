/* The module's side of live_module.h: its entry, over the commands it holds. */
#include <string.h>

#include "cmd.h"
#include "live_module.h"

#define EXPORTED __attribute__((visibility("default")))

EXPORTED hark_err hark_live_module_run(const char *command, int argc, char **argv);
EXPORTED const char *hark_live_module_version(void);

hark_err hark_live_module_run(const char *command, int argc, char **argv)
{
    if (strcmp(command, "live") == 0)
        return hark_cmd_live(argc, argv);
    if (strcmp(command, "play") == 0)
        return hark_cmd_play(argc, argv);
    if (strcmp(command, "devices") == 0)
        return hark_cmd_devices(argc, argv);
    return hark_error_set(HARK_ERR_USAGE, "the live module has no command '%s'", command);
}

const char *hark_live_module_version(void)
{
    return HARK_VERSION;
}
