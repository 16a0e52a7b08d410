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

static hark_err push(hark_batch_inputs *in, const char *path, const char *relative)
{
    if (in->count == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        hark_batch_input *items = realloc(in->items, cap * sizeof *items);
        if (!items)
            return HARK_ERR_NOMEM;
        in->items = items;
        in->cap = cap;
    }
    while (relative[0] == '/' || (relative[0] == '.' && relative[1] == '/'))
        relative += relative[0] == '/' ? 1 : 2;
    hark_batch_input *it = &in->items[in->count];
    it->path = strdup(path);
    it->relative = strdup(relative);
    if (!it->path || !it->relative) {
        free(it->path);
        free(it->relative);
        return HARK_ERR_NOMEM;
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

static hark_err add_folder(hark_batch_inputs *in, const char *dir, const char *relative,
                           const char **subject)
{
    DIR *d = opendir(dir);
    if (!d) {
        static char who[4096]; /* dir may be freed before the message is printed */
        snprintf(who, sizeof who, "%s", dir);
        *subject = who;
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    }
    hark_err err = HARK_OK;
    struct dirent *e;
    while (!err && (e = readdir(d))) {
        if (e->d_name[0] == '.') /* ., .., and hidden files */
            continue;
        char *path = join(dir, e->d_name), *rel = join(relative, e->d_name);
        struct stat st;
        if (!path || !rel)
            err = HARK_ERR_NOMEM;
        else if (stat(path, &st) != 0)
            ; /* a dangling link: nothing to render */
        else if (S_ISDIR(st.st_mode))
            err = add_folder(in, path, rel, subject);
        else if (S_ISREG(st.st_mode) && hark_batch_is_audio_name(e->d_name))
            err = push(in, path, rel);
        free(path);
        free(rel);
    }
    closedir(d);
    return err;
}

/* ---- lists ----------------------------------------------------------------------------------- */

static hark_err add_list(hark_batch_inputs *in, const char *list, const char **subject)
{
    FILE *f = fopen(list, "r");
    if (!f) {
        *subject = list;
        return hark_error_set(HARK_ERR_OPEN, "%s", strerror(errno));
    }
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

hark_err hark_batch_inputs_add(hark_batch_inputs *in, const char *arg, const char **subject)
{
    if (arg[0] == '@')
        return add_list(in, arg + 1, subject);
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* the folder's own name leads its files' relative paths: "in/" -> "in/a/b.wav" */
        char *copy = strdup(arg);
        if (!copy)
            return HARK_ERR_NOMEM;
        size_t n = strlen(copy);
        while (n > 1 && copy[n - 1] == '/')
            copy[--n] = '\0';
        const char *slash = strrchr(copy, '/');
        const char *name = slash ? slash + 1 : copy;
        hark_err err = add_folder(in, arg, strcmp(name, ".") == 0 ? "" : name, subject);
        free(copy);
        return err;
    }
    const char *slash = strrchr(arg, '/');
    return push(in, arg, slash ? slash + 1 : arg); /* a missing file fails when it is rendered */
}

static int by_relative(const void *a, const void *b)
{
    return strcmp(((const hark_batch_input *)a)->relative, ((const hark_batch_input *)b)->relative);
}

hark_err hark_batch_inputs_finish(hark_batch_inputs *in, const char **subject)
{
    if (in->count > 1)
        qsort(in->items, in->count, sizeof *in->items, by_relative);
    size_t kept = 0;
    hark_err err = HARK_OK;
    for (size_t i = 0; i < in->count; i++) {
        hark_batch_input *prev = kept ? &in->items[kept - 1] : NULL;
        if (prev && strcmp(prev->relative, in->items[i].relative) == 0) {
            if (!err && strcmp(prev->path, in->items[i].path) != 0) {
                static char who[4096]; /* outlives the list */
                snprintf(who, sizeof who, "%s", in->items[i].path);
                *subject = who;
                err = hark_error_set(HARK_ERR_USAGE, "has the same output name as %s",
                                     prev->path);
            }
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
