#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "pngwrite.h"

typedef struct job {
    struct job *next;
    uint8_t *rgb;              /* a snapshot, or */
    uint8_t *index;            /* a tile: frame-major palette indices */
    unsigned width, height;    /* tile: frames x rows */
    const hark_rgb *palette;
    char *path;                /* tile: where it goes */
    char *params;
    struct timeval when;
} job;

struct hark_writer {
    char *dir;
    hark_written_fn on_written;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job *head, *tail; /* queue, under lock */
    int stopping;     /* under lock */
    int lost;         /* under lock: a job that could not be queued (out of memory) */
    hark_error_first first; /* the writer's first failure, read after the join */
};

/* "DIR/hark-2026-11-24T12-59-59.123Z.png" (UTC; no colons, for every file system). */
static char *snapshot_path(const hark_writer *w, const struct timeval *tv)
{
    struct tm tm;
    gmtime_r(&tv->tv_sec, &tm);
    char stamp[40];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    size_t n = strlen(w->dir) + 64;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/hark-%s.%03dZ.png", w->dir, stamp, (int)(tv->tv_usec / 1000));
    return path;
}

static hark_err encode(job *j, const char *path)
{
    char when[40];
    struct tm tm;
    gmtime_r(&j->when.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    hark_png_text texts[] = {{"Software", "hark " HARK_VERSION}, {"hark", j->params},
                             {"Creation Time", when}};
    hark_outfile of;
    hark_err err = hark_outfile_open(&of, path);
    if (err)
        return err;
    hark_tile tile = {j->index, j->width, j->height};
    /* Strips are spectrogram data; a snapshot is mostly flat chrome, which zlib's runs suit. */
    err = j->index ? hark_png_write_tile(&of, &tile, j->palette, texts, 3, HARK_PNG_HUFFMAN, NULL)
                   : hark_png_write_rgb(&of, j->rgb, j->width, j->height, texts, 3,
                                        HARK_PNG_ZLIB, NULL);
    if (!err && (err = hark_outfile_publish(&of)))
        hark_outfile_abort(&of);
    if (!err)
        hark_outfile_settle(&of);
    return err;
}

static void write_one(hark_writer *w, job *j)
{
    char *named = j->path ? NULL : snapshot_path(w, &j->when);
    const char *path = j->path ? j->path : named;
    hark_error_clear();
    hark_err err = path ? encode(j, path) : hark_fail(HARK_ERR_NOMEM);
    if (err)
        hark_error_offer(&w->first);
    else if (w->on_written)
        w->on_written(path, j->width, j->height, w->ctx);
    free(named);
}

static void job_free(job *j)
{
    free(j->rgb);
    free(j->index);
    free(j->path);
    free(j->params);
    free(j);
}

static void *writer_main(void *arg)
{
    hark_writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->wake, &w->lock);
        job *j = w->head;
        if (!j)
            break; /* stopping, and nothing left */
        w->head = j->next;
        if (!w->head)
            w->tail = NULL;
        pthread_mutex_unlock(&w->lock);
        write_one(w, j);
        job_free(j);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

hark_err hark_writer_start(const char *dir, hark_written_fn on_written, void *ctx,
                           hark_writer **out)
{
    *out = NULL;
    /* A folder that cannot take the files is said now, not after the session. */
    struct stat st;
    const char *d = dir && *dir ? dir : ".";
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode) || access(d, W_OK) != 0)
        return hark_error_at(HARK_ERR_WRITE, d, "cannot write snapshots there: %s",
                             stat(d, &st) != 0      ? strerror(errno)
                             : !S_ISDIR(st.st_mode) ? "not a folder"
                                                    : strerror(EACCES));
    hark_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->dir = strdup(d))) {
        free(w);
        return hark_fail(HARK_ERR_NOMEM);
    }
    w->on_written = on_written;
    w->ctx = ctx;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        free(w->dir);
        free(w);
        return hark_error_set(HARK_ERR_NOMEM, "cannot start the writer thread");
    }
    *out = w;
    return HARK_OK;
}

/* Queue j, stamped with the time; a j that could not be made is counted as lost. */
static void enqueue(hark_writer *w, job *j)
{
    pthread_mutex_lock(&w->lock);
    if (!j) {
        w->lost = 1;
    } else {
        gettimeofday(&j->when, NULL);
        if (w->tail)
            w->tail->next = j;
        else
            w->head = j;
        w->tail = j;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
}

static job *new_job(const char *params_json, const char *path)
{
    job *j = calloc(1, sizeof *j);
    if (j && (!(j->params = strdup(params_json)) || (path && !(j->path = strdup(path))))) {
        job_free(j);
        return NULL;
    }
    return j;
}

void hark_writer_snapshot(hark_writer *w, uint8_t *rgb, unsigned width, unsigned height,
                          const char *params_json)
{
    job *j = new_job(params_json, NULL);
    if (j) {
        j->rgb = rgb;
        j->width = width;
        j->height = height;
    } else {
        free(rgb);
    }
    enqueue(w, j);
}

void hark_writer_tile(hark_writer *w, const char *path, uint8_t *index, unsigned frames,
                      unsigned rows, const hark_rgb *palette, const char *params_json)
{
    job *j = new_job(params_json, path);
    if (j) {
        j->index = index;
        j->width = frames;
        j->height = rows;
        j->palette = palette;
    } else {
        free(index);
    }
    enqueue(w, j);
}

hark_err hark_writer_stop(hark_writer *w)
{
    if (!w)
        return HARK_OK;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    hark_err err = hark_error_merge(&w->first);
    if (!err && w->lost)
        err = hark_error_at(HARK_ERR_NOMEM, w->dir, "out of memory: an image was not written");
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w->dir);
    free(w);
    return err;
}
