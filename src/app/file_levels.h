#ifndef HARK_FILE_LEVELS_H
#define HARK_FILE_LEVELS_H
/* The levels (levels.h) of a whole file, every channel, read once: for hark levels and
 * batch --levels. Thread: any (one file per call). */
#include <stdatomic.h>
#include <stdint.h>

#include "decoder.h"
#include "levels.h"

/* raw: NULL or how to read headerless samples; stop (NULL: none) ends the read with
 * HARK_ERR_INTERRUPTED. On success *out holds the levels (hark_levels_destroy them), *info the
 * file's description and *frames its length; on failure the record says what, about path. */
hark_err hark_file_levels(const char *path, const hark_raw_input *raw, const atomic_int *stop,
                          hark_levels **out, hark_decoder_info *info, uint64_t *frames);

#endif
