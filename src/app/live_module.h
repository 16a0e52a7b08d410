#ifndef HARK_LIVE_MODULE_H
#define HARK_LIVE_MODULE_H
/*
 * The live side of hark in its own module. live, play and devices need PortAudio, SDL2, OpenGL
 * and libsamplerate, whose 47 libraries take 8 of the 10 ms a start of hark would otherwise
 * spend loading and linking: the other commands never load them. The module (hark-live.so,
 * the app's session code with the rt and ui layers) takes everything else from the hark
 * executable that loads it, which exports its symbols: one error record, one stop flag.
 * It lies beside the executable (the build tree) or in ../lib/hark/ from it (an install).
 * Thread: main.
 */
#include "error.h"

/* The module's one entry: run command ("live", "play" or "devices") as hark_cmd_* would. */
#define HARK_LIVE_MODULE_ENTRY "hark_live_module_run"
/* And the version it was built as: it must be the executable's. */
#define HARK_LIVE_MODULE_VERSION "hark_live_module_version"
typedef hark_err (*hark_live_module_run_fn)(const char *command, int argc, char **argv);

/* In the executable: load the module (once) and run command in it. A module that is missing,
 * does not load or is of another version is HARK_ERR_OPEN, naming it. */
hark_err hark_live_module_call(const char *command, int argc, char **argv);

#endif
