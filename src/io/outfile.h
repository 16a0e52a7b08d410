#ifndef HARK_OUTFILE_H
#define HARK_OUTFILE_H
/*
 * Outputs that appear whole or not at all, and never replace what they must not.
 *
 * A regular file (or a name that does not exist yet) is written under a temporary name in the
 * same folder ("<name>.tmp.XXXXXX", shortened where the name is so long that the suffix would
 * not fit); close flushes and checks it; publish renames it onto the name, keeping what was
 * there as a backup until settle drops it or abort puts it back, so a set of outputs can be
 * swapped in together and rolled back together. A name that is a link is followed: the file it
 * points to is replaced, and the link stays.
 *
 * What is not a regular file is written through, never renamed over: "-" is standard output,
 * and a FIFO, a terminal or a device node is opened and written in place (its reader gets the
 * bytes as they come; nothing can be taken back).
 *
 * Every failure is recorded with the name given as its subject. Thread: one thread per
 * outfile.
 */
#include <stdio.h>

#include "error.h"

typedef struct {
    FILE *fp;       /* open between open and close */
    char *path;     /* the name given */
    char *target;   /* the file replaced: path, or where a link at path points */
    char *tmp_path; /* the temporary file, until published (NULL: written through) */
    char *backup;   /* after publish: what target held before (NULL: nothing) */
    int through;    /* written in place: standard output, a FIFO, a device */
    int published;
} hark_outfile;

/* Start writing (the temporary file, or the non-regular file itself). */
hark_err hark_outfile_open(hark_outfile *of, const char *path);

/* Flush and close: every byte written, or HARK_ERR_WRITE (HARK_ERR_PIPE when a pipe's reader
 * went away), and then of is released as by abort (the temporary file removed). */
hark_err hark_outfile_close(hark_outfile *of);

/* Move the closed file onto its name; what was there is kept aside until settle or abort. */
hark_err hark_outfile_publish(hark_outfile *of);

/* Drop what publish kept aside, and release. */
void hark_outfile_settle(hark_outfile *of);

/* Remove path (a stale member of a set being replaced): it is kept aside until settle drops
 * it, or abort puts it back. */
hark_err hark_outfile_retire(hark_outfile *of, const char *path);

/* close, publish and settle: one file on its own. */
hark_err hark_outfile_commit(hark_outfile *of);

/* Undo: before publish, remove the temporary file; after it, put back what was there (or
 * remove the new file if nothing was). Releases. NULL-safe; safe on a released outfile. */
void hark_outfile_abort(hark_outfile *of);

/* Before the work: can path be written? Not a folder (nor a name ending in '/'), not a link
 * to nothing, and its folder takes a new file (tried with a temporary one, removed again). */
hark_err hark_outfile_check(const char *path);

/* Would path be written through, not replaced: standard output, a FIFO, a device, or a link
 * to one? (Checked without opening it: opening a FIFO waits for a reader.) */
int hark_outfile_through(const char *path);

/* mkdir -p: the folder and whichever of its parents are missing (one call when it exists).
 * A failure is about the folder that could not be made. */
hark_err hark_outfile_make_folder(const char *folder);

/* Do a and b name the same file? Existing files compare by device and inode (through links),
 * others by their folder's real path and their name; "-" is standard output (or input). */
int hark_outfile_same(const char *a, const char *b);
/* Would output out replace input in? As hark_outfile_same, except that "-" as the input is
 * standard input, which no output is ("-o -" is standard output). */
int hark_outfile_is_input(const char *out, const char *in);

/* 1 when path names standard output ("-"). */
int hark_outfile_is_stdout(const char *path);
/* 1 when what is written to path lands on standard output: "-", /dev/stdout, a link to it. */
int hark_outfile_goes_to_stdout(const char *path);

#endif
