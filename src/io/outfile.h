#ifndef HARK_OUTFILE_H
#define HARK_OUTFILE_H
/*
 * Outputs that appear whole or not at all. An outfile is written to "<path>.tmp.XXXXXX" in the
 * same folder; close flushes and checks it; publish renames it onto path. abort (or a failed
 * close or publish) removes the temporary file. Every failure is recorded with the final path
 * as its subject. Thread: one thread per outfile.
 */
#include <stdio.h>

#include "error.h"

typedef struct {
    FILE *fp;       /* open between open and close */
    char *path;
    char *tmp_path; /* NULL once published or aborted */
} hark_outfile;

/* Create the temporary file (HARK_ERR_WRITE with strerror as detail if the folder will not
 * take it). */
hark_err hark_outfile_open(hark_outfile *of, const char *path);

/* Flush and close: every byte written, or HARK_ERR_WRITE (and the file removed). */
hark_err hark_outfile_close(hark_outfile *of);

/* Rename the closed file onto its path. Releases of whatever the result. */
hark_err hark_outfile_publish(hark_outfile *of);

/* close, then publish. */
hark_err hark_outfile_commit(hark_outfile *of);

/* Close and remove the temporary file, and release. NULL-safe; safe on a released outfile. */
void hark_outfile_abort(hark_outfile *of);

/* Before the work: can path be written? Not a folder (nor a name ending in '/'), and its
 * folder takes a new file (tried with a temporary one, removed again). */
hark_err hark_outfile_check(const char *path);

/* Do a and b name the same file? Existing files compare by device and inode, others by
 * their folder's real path and their name. */
int hark_outfile_same(const char *a, const char *b);

#endif
