#ifndef HARK_NPY_H
#define HARK_NPY_H
/*
 * NumPy .npy (format 1.0) writer for float32 matrices of shape (rows, frames), written one frame
 * (one column) at a time so no matrix is held in memory: the file is stored in Fortran
 * (column-major) order, which np.load reads as the same (rows, frames) array. The shape is
 * patched into the header when the stream is closed; the file appears when published (by
 * rename: outfile.h). Failures name the .npy as their subject.
 * Thread: one thread per writer.
 */
#include <stdint.h>

#include "error.h"

typedef struct hark_npy hark_npy;

/* A .npy is written whole to a file (its shape goes in last): standard output, a FIFO or a
 * device is refused. */
hark_err hark_npy_create(const char *path, unsigned rows, hark_npy **out);
/* Shape (planes, rows, frames) in Fortran order: a column is planes x rows values, the plane
 * index fastest (value (c, r) of a frame at c + planes * r). */
hark_err hark_npy_create_planes(const char *path, unsigned planes, unsigned rows,
                                hark_npy **out);
/* Append one column of rows (x planes) little-endian float32 values. */
hark_err hark_npy_append(hark_npy *npy, const float *column);
/* Patch the shape and close (the file stays under its temporary name). On failure the
 * temporary file is gone; npy must still be freed with abort. */
hark_err hark_npy_close(hark_npy *npy);
/* Move the closed file onto its path, keeping what was there aside (outfile.h). */
hark_err hark_npy_publish(hark_npy *npy);
/* After publish: drop what was kept aside, and free. */
void hark_npy_settle(hark_npy *npy);
/* Undo (the temporary file goes, or what was there comes back) and free; NULL-safe. */
void hark_npy_abort(hark_npy *npy);

#endif
