#ifndef HARK_BATCH_INPUTS_H
#define HARK_BATCH_INPUTS_H
/*
 * What `hark batch` works on: each argument is a file, a folder (searched recursively for the
 * audio extensions libsndfile knows) or @list.txt (one path a line; blank lines and lines
 * starting with # are skipped). Each input gets a relative path that the output tree mirrors:
 * a file's own name; for a folder, the folder's name and the path inside it; for a list entry,
 * the path as written. "." and ".." parts and leading slashes are dropped from relative paths,
 * so every output stays inside the output folder. Links that loop back are not followed.
 * Sorted by output name; a file named twice is one input. --shard I/N keeps the inputs whose relative path hashes (FNV-1a, 64 bit) to I-1
 * modulo N: the same on every machine, so N machines cover each file exactly once. A folder
 * reached twice through links is searched once, and a file reached by two paths is one input
 * (the first by output name). A folder that cannot be read is listed in unreadable, and the
 * rest is searched.
 * Thread: any; one list per thread.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct {
    char *path;     /* as to open it */
    char *relative; /* as to mirror it under the output folder */
} hark_batch_input;

/* A folder that could not be read: reported, and the rest goes on. */
typedef struct {
    char *path;
    char *why;      /* strerror's words */
} hark_batch_unreadable;

typedef struct {
    hark_batch_input *items;
    size_t count, cap;
    hark_batch_unreadable *unreadable;
    size_t nunreadable;
    struct hark_batch_seen *seen; /* folders searched (a diamond of links is searched once) */
    size_t nseen;
    struct hark_batch_seen *files; /* after finish: the inputs' identities, sorted */
    size_t nfiles;
} hark_batch_inputs;

/* Add what an argument names. HARK_ERR_OPEN, about what cannot be read, when a list or an
 * argument itself cannot be read (an unreadable folder inside is listed in unreadable). */
hark_err hark_batch_inputs_add(hark_batch_inputs *in, const char *arg);
/* Sort by output name and drop an input named twice (in any spelling). Two different files
 * with one output name (a/x.wav and b/x.wav given as files, or x.wav and x.flac side by side)
 * would write one output: a usage error. */
hark_err hark_batch_inputs_finish(hark_batch_inputs *in);
/* Keep shard index (1-based) of count (the unreadable folders too). */
void hark_batch_inputs_shard(hark_batch_inputs *in, unsigned index, unsigned count);
void hark_batch_inputs_free(hark_batch_inputs *in);

/* After finish: is path (through links) one of the inputs? No output may replace one. */
int hark_batch_is_input(const hark_batch_inputs *in, const char *path);


#endif
