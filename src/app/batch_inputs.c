#include "batch_inputs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decoder.h"

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int slash = la > 0 && a[la - 1] != '/' && lb > 0;
    char *s = malloc(la + lb + 2);
    if (s) {
        memcpy(s, a, la);
        if (slash)
            s[la++] = '/';
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

/* A relative path that stays inside the output folder: "", "." and ".." parts and leading
 * slashes are dropped ("../x/./a.wav" -> "x/a.wav"), so nothing is written outside it. */
static char *contained(const char *relative)
{
    char *out = malloc(strlen(relative) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (const char *p = relative; *p;) {
        size_t len = strcspn(p, "/");
        int skip = len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.');
        if (!skip) {
            if (n)
                out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len + (p[len] == '/');
    }
    out[n] = '\0';
    return out;
}

static hark_err push(hark_batch_inputs *in, const char *path, const char *relative)
{
    if (in->count == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        hark_batch_input *items = realloc(in->items, cap * sizeof *items);
        if (!items)
            return hark_fail(HARK_ERR_NOMEM);
        in->items = items;
        in->cap = cap;
    }
    hark_batch_input *it = &in->items[in->count];
    it->path = strdup(path);
    it->relative = contained(relative);
    if (!it->path || !it->relative) {
        free(it->path);
        free(it->relative);
        return hark_fail(HARK_ERR_NOMEM);
    }
    in->count++;
    return HARK_OK;
}

/* ---- folders ------------------------------------------------------------------------------- */

/* A folder searched, by what it is (device and inode), not by its name. */
struct hark_batch_seen {
    dev_t dev;
    ino_t ino;
};

/* 1 when the folder was searched already (through another link, or a loop back); else it is
 * noted as searched now. */
static int seen_before(hark_batch_inputs *in, const struct stat *st, int *nomem)
{
    for (size_t i = 0; i < in->nseen; i++)
        if (in->seen[i].dev == st->st_dev && in->seen[i].ino == st->st_ino)
            return 1;
    struct hark_batch_seen *grown = realloc(in->seen, sizeof *grown * (in->nseen + 1));
    if (!grown) {
        *nomem = 1;
        return 1;
    }
    in->seen = grown;
    in->seen[in->nseen++] = (struct hark_batch_seen){st->st_dev, st->st_ino};
    return 0;
}

static hark_err note_unreadable(hark_batch_inputs *in, const char *dir, int e)
{
    hark_batch_unreadable *grown = realloc(in->unreadable, sizeof *grown * (in->nunreadable + 1));
    if (!grown)
        return hark_fail(HARK_ERR_NOMEM);
    in->unreadable = grown;
    hark_batch_unreadable *u = &in->unreadable[in->nunreadable];
    if (!(u->path = strdup(dir)) || !(u->why = strdup(strerror(e)))) {
        free(u->path);
        return hark_fail(HARK_ERR_NOMEM);
    }
    in->nunreadable++;
    return HARK_OK;
}

static hark_err add_folder(hark_batch_inputs *in, const char *dir, const char *relative)
{
    struct stat self;
    int nomem = 0;
    if (stat(dir, &self) != 0 || seen_before(in, &self, &nomem))
        return nomem ? hark_fail(HARK_ERR_NOMEM) : HARK_OK; /* gone meanwhile, or seen */
    DIR *d = opendir(dir);
    if (!d) /* said in the manifest and on stderr; the rest goes on */
        return note_unreadable(in, dir, errno);
    hark_err err = HARK_OK;
    struct dirent *e;
    while (!err && (e = readdir(d))) {
        if (e->d_name[0] == '.') /* ., .., and hidden files */
            continue;
        char *path = join(dir, e->d_name), *rel = join(relative, e->d_name);
        struct stat st;
        if (!path || !rel)
            err = hark_fail(HARK_ERR_NOMEM);
        else if (stat(path, &st) != 0)
            ; /* a dangling link: nothing to render */
        else if (S_ISDIR(st.st_mode))
            err = add_folder(in, path, rel);
        else if (S_ISREG(st.st_mode) && hark_decoder_reads_name(e->d_name))
            err = push(in, path, rel);
        free(path);
        free(rel);
    }
    closedir(d);
    return err;
}

/* ---- lists ----------------------------------------------------------------------------------- */

static hark_err add_list(hark_batch_inputs *in, const char *list)
{
    FILE *f = fopen(list, "r");
    if (!f)
        return hark_error_at(HARK_ERR_OPEN, list, "%s", strerror(errno));
    char *line = NULL; /* lines of any length */
    size_t cap = 0;
    hark_err err = HARK_OK;
    while (!err && getline(&line, &cap, f) >= 0) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        err = push(in, line, line);
    }
    if (!err && ferror(f))
        err = hark_error_at(HARK_ERR_READ, list, "%s", strerror(errno));
    free(line);
    fclose(f);
    return err;
}

hark_err hark_batch_inputs_add(hark_batch_inputs *in, const char *arg)
{
    if (arg[0] == '@')
        return add_list(in, arg + 1);
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* the folder's own name leads its files' relative paths: "in/" -> "in/a/b.wav" */
        char *real = realpath(arg, NULL); /* "..", "." and "dir/" are named by what they are */
        if (!real)
            return hark_error_at(HARK_ERR_OPEN, arg, "%s", strerror(errno));
        const char *slash = strrchr(real, '/');
        const char *name = slash && slash[1] ? slash + 1 : "";
        hark_err err = add_folder(in, arg, name);
        free(real);
        return err;
    }
    const char *slash = strrchr(arg, '/');
    return push(in, arg, slash ? slash + 1 : arg); /* a missing file fails when it is rendered */
}

/* The relative path without its extension: what the outputs are named after. */
static size_t stem_length(const char *relative)
{
    const char *slash = strrchr(relative, '/');
    const char *dot = strrchr(relative, '.');
    return dot && (!slash || dot > slash + 1) ? (size_t)(dot - relative) : strlen(relative);
}

static int by_stem(const void *a, const void *b)
{
    const char *x = ((const hark_batch_input *)a)->relative, *y = ((const hark_batch_input *)b)->relative;
    size_t lx = stem_length(x), ly = stem_length(y);
    int c = strncmp(x, y, lx < ly ? lx : ly);
    if (c)
        return c;
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x, y);
}

static int same_stem(const char *x, const char *y)
{
    size_t lx = stem_length(x);
    return lx == stem_length(y) && strncmp(x, y, lx) == 0;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return strcmp(a, b) == 0;
}

/* Each real file once: of the inputs that are one file (device and inode), the first by
 * output name stays. */
typedef struct {
    dev_t dev;
    ino_t ino;
    size_t index;
} identity;

static int by_identity(const void *a, const void *b)
{
    const identity *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static hark_err drop_same_files(hark_batch_inputs *in)
{
    identity *ids = malloc(sizeof *ids * (in->count + 1));
    char *drop = calloc(in->count + 1, 1);
    if (!ids || !drop) {
        free(ids);
        free(drop);
        return hark_fail(HARK_ERR_NOMEM);
    }
    size_t n = 0;
    struct stat st;
    for (size_t i = 0; i < in->count; i++)
        if (stat(in->items[i].path, &st) == 0) /* a missing file fails when it is rendered */
            ids[n++] = (identity){st.st_dev, st.st_ino, i};
    qsort(ids, n, sizeof *ids, by_identity);
    for (size_t i = 1; i < n; i++)
        drop[ids[i].index] = ids[i].dev == ids[i - 1].dev && ids[i].ino == ids[i - 1].ino;
    size_t kept = 0;
    for (size_t i = 0; i < in->count; i++) {
        if (drop[i]) {
            free(in->items[i].path);
            free(in->items[i].relative);
        } else {
            in->items[kept++] = in->items[i];
        }
    }
    in->count = kept;
    /* The identities stay, sorted, for hark_batch_is_input. */
    in->files = malloc(sizeof *in->files * (n + 1));
    for (size_t i = 0; in->files && i < n; i++)
        if (i == 0 || ids[i].dev != ids[i - 1].dev || ids[i].ino != ids[i - 1].ino)
            in->files[in->nfiles++] = (struct hark_batch_seen){ids[i].dev, ids[i].ino};
    free(ids);
    free(drop);
    return in->files ? HARK_OK : hark_fail(HARK_ERR_NOMEM);
}

static int by_seen(const void *a, const void *b)
{
    const struct hark_batch_seen *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

int hark_batch_is_input(const hark_batch_inputs *in, const char *path)
{
    struct stat st;
    if (!in->files || stat(path, &st) != 0)
        return 0;
    struct hark_batch_seen key = {st.st_dev, st.st_ino};
    return bsearch(&key, in->files, in->nfiles, sizeof key, by_seen) != NULL;
}

hark_err hark_batch_inputs_finish(hark_batch_inputs *in)
{
    if (in->count > 1)
        qsort(in->items, in->count, sizeof *in->items, by_stem);
    hark_err dedup = drop_same_files(in);
    if (dedup)
        return dedup;
    size_t kept = 0;
    hark_err err = HARK_OK;
    for (size_t i = 0; i < in->count; i++) {
        hark_batch_input *prev = kept ? &in->items[kept - 1] : NULL;
        if (prev && same_stem(prev->relative, in->items[i].relative)) {
            /* The same file named twice is one input; two files would write one output. */
            if (!err && !same_file(prev->path, in->items[i].path))
                err = hark_error_at(HARK_ERR_USAGE, in->items[i].path,
                                    "has the same output name as %s", prev->path);
            free(in->items[i].path);
            free(in->items[i].relative);
            continue;
        }
        in->items[kept++] = in->items[i];
    }
    in->count = kept;
    return err;
}

/* FNV-1a: a share that stays the same from run to run and machine to machine. */
static uint64_t stable_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void hark_batch_inputs_shard(hark_batch_inputs *in, unsigned index, unsigned count)
{
    size_t kept = 0;
    for (size_t i = 0; i < in->nunreadable; i++) {
        if (stable_hash(in->unreadable[i].path) % count == index - 1) {
            in->unreadable[kept++] = in->unreadable[i];
        } else {
            free(in->unreadable[i].path);
            free(in->unreadable[i].why);
        }
    }
    in->nunreadable = kept;
    kept = 0;
    for (size_t i = 0; i < in->count; i++) {
        if (stable_hash(in->items[i].relative) % count == index - 1) {
            in->items[kept++] = in->items[i];
        } else {
            free(in->items[i].path);
            free(in->items[i].relative);
        }
    }
    in->count = kept;
}

void hark_batch_inputs_free(hark_batch_inputs *in)
{
    for (size_t i = 0; i < in->count; i++) {
        free(in->items[i].path);
        free(in->items[i].relative);
    }
    free(in->items);
    for (size_t i = 0; i < in->nunreadable; i++) {
        free(in->unreadable[i].path);
        free(in->unreadable[i].why);
    }
    free(in->unreadable);
    free(in->seen);
    free(in->files);
    memset(in, 0, sizeof *in);
}
