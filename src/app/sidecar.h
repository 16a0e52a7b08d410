#ifndef HARK_SIDECAR_H
#define HARK_SIDECAR_H
/*
 * Every parameter of a render, written where the data goes: as JSON text in the PNG's "hark"
 * text chunk, and as a JSON file next to a .npy ("x.npy" -> "x.json"), so a matrix or an image
 * found later says how it was made. No timestamps: the same input and options give the same
 * bytes. Thread: any.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "scale.h"
#include "spectrogram.h"

/* JSON object with the parameters of frames [first_frame, first_frame + frames) into buf. */
void hark_sidecar_params(const hark_render_job *job, const hark_render_result *res,
                         uint64_t first_frame, uint64_t frames, char *buf, size_t size);

/* The sidecar path of an .npy path: the ".npy" suffix (if any) replaced by ".json".
 * Returns a malloc'd string or NULL. */
char *hark_sidecar_path(const char *npy_path);

/* Write the JSON sidecar of job->npy_path (temporary name, then rename). */
hark_err hark_sidecar_write(const hark_render_job *job, const hark_render_result *res,
                            const hark_scale *scale);

#endif
