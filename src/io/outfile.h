#ifndef HARK_OUTFILE_H
#define HARK_OUTFILE_H
/*
 * Outputs that appear whole or not at all: written to "<path>.tmp.XXXXXX" in the same folder,
 * then renamed onto path by commit; abort (or a failed commit) removes the temporary file.
 * Thread: one thread per outfile.
 */
#include <stdio.h>

#include "error.h"

typedef struct {
    FILE *fp;
    char *path;
    char *tmp_path;
} hark_outfile;

/* Create the temporary file. HARK_ERR_WRITE with strerror as detail if the folder is not
 * writable. */
hark_err hark_outfile_open(hark_outfile *of, const char *path);

/* Flush, close and rename onto the final path. Always releases of. */
hark_err hark_outfile_commit(hark_outfile *of);

/* Close and remove the temporary file. NULL-safe and safe on a released outfile. */
void hark_outfile_abort(hark_outfile *of);

/* Before the work: can path be written? Not a folder (nor a name ending in '/'), and its
 * folder takes a new file (tried with a temporary one, removed again). */
hark_err hark_outfile_check(const char *path);

/* Do a and b name the same file? Existing files compare by device and inode, others by
 * their folder's real path and their name. */
int hark_outfile_same(const char *a, const char *b);

#endif
