#include "batch_inputs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

/* ---- audio extensions, from libsndfile itself ------------------------------------------------ */

static int extension_listed(const char *ext)
{
    /* Names libsndfile opens that its format table spells otherwise. */
    static const char *const extra[] = {"aif", "aifc", "ogg", "opus", "oga", "wave", "bwf"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strcasecmp(ext, extra[i]) == 0)
            return 1;
    int count = 0;
    sf_command(NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
    for (int i = 0; i < count; i++) {
        SF_FORMAT_INFO info = {.format = i};
        if (sf_command(NULL, SFC_GET_FORMAT_MAJOR, &info, sizeof info) == 0 && info.extension &&
            strcasecmp(ext, info.extension) == 0)
            return 1;
    }
    return 0;
}

int hark_batch_is_audio_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && dot != name && dot[1] && extension_listed(dot + 1);
}

/* ---- folders ------------------------------------------------------------------------------- */

/* The folders being searched, innermost first: a link back to one of them is a loop. */
typedef struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *up;
} ancestor;

static int is_ancestor(const ancestor *a, const struct stat *st)
{
    for (; a; a = a->up)
        if (a->dev == st->st_dev && a->ino == st->st_ino)
            return 1;
    return 0;
}

static hark_err add_folder(hark_batch_inputs *in, const char *dir, const char *relative,
                           const ancestor *up)
{
    struct stat self;
    if (stat(dir, &self) != 0 || is_ancestor(up, &self))
        return HARK_OK; /* gone meanwhile, or a link that loops back */
    ancestor here = {self.st_dev, self.st_ino, up};
    DIR *d = opendir(dir);
    if (!d)
        return hark_error_at(HARK_ERR_OPEN, dir, "%s", strerror(errno));
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
            err = add_folder(in, path, rel, &here);
        else if (S_ISREG(st.st_mode) && hark_batch_is_audio_name(e->d_name))
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
    char line[8192];
    hark_err err = HARK_OK;
    while (!err && fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        err = push(in, line, line);
    }
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
        hark_err err = add_folder(in, arg, name, NULL);
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

hark_err hark_batch_inputs_finish(hark_batch_inputs *in)
{
    if (in->count > 1)
        qsort(in->items, in->count, sizeof *in->items, by_stem);
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

uint64_t hark_batch_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void hark_batch_inputs_shard(hark_batch_inputs *in, unsigned index, unsigned count)
{
    size_t kept = 0;
    for (size_t i = 0; i < in->count; i++) {
        if (hark_batch_hash(in->items[i].relative) % count == index - 1) {
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
    memset(in, 0, sizeof *in);
}
