#ifndef HARK_NPY_SINK_H
#define HARK_NPY_SINK_H
/*
 * The matrix sinks (sink.h):
 *   the .npy: the rows as float32 dBFS, shape (rows, frames), streamed to disk a frame at a
 *   time (npy.h), so its size is not bounded by memory;
 *   its sidecar: "x.npy" -> "x.json", every parameter (params_json.h) with what the stream
 *   turned out to be (samples, NaN/Inf samples, peak) and each row's frequency
 *   (docs/FORMATS.md).
 * Frames in order, one thread. Each appears at commit.
 */
#include "sink.h"

/* New sinks (NULL: out of memory); the strings are copied. */
hark_sink *hark_npy_sink_create(const char *npy_path);
hark_sink *hark_sidecar_sink_create(const char *json_path, const char *npy_path);

/* The sidecar's name of an .npy: its ".npy" (if any) replaced by ".json". malloc'd. */
char *hark_sidecar_path(const char *npy_path);

#endif
