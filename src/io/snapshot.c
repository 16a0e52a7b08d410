#include "snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <time.h>

#include "pngwrite.h"

typedef struct job {
    struct job *next;
    uint8_t *rgb;              /* a snapshot, or */
    uint8_t *index;            /* a strip: frame-major palette indices */
    unsigned width, height;    /* strip: frames x rows */
    const hark_rgb *palette;
    char path[1100];           /* strip: where it goes */
    struct timeval when;
    char params[1000];
} job;

struct hark_snapshots {
    char dir[1024];
    hark_written_fn on_written;
    void *ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job *head, *tail; /* queue, under lock */
    int stopping;     /* under lock */
    hark_err err;     /* the first failure; written by the writer, read after join */
    char bad_path[1100];
    char detail[256];
};

/* "DIR/hark-2026-11-24T12-59-59.123Z.png" (UTC; no colons, for every file system). */
static void snapshot_path(const hark_snapshots *s, const struct timeval *tv, char *buf, size_t size)
{
    struct tm tm;
    gmtime_r(&tv->tv_sec, &tm);
    char stamp[40];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    snprintf(buf, size, "%s/hark-%s.%03dZ.png", s->dir, stamp, (int)(tv->tv_usec / 1000));
}

static void write_one(hark_snapshots *s, job *j)
{
    char path[1100], when[40];
    if (j->index)
        snprintf(path, sizeof path, "%s", j->path);
    else
        snapshot_path(s, &j->when, path, sizeof path);
    struct tm tm;
    gmtime_r(&j->when.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    hark_png_text texts[] = {{"Software", "hark " HARK_VERSION}, {"hark", j->params},
                             {"Creation Time", when}};
    hark_tile tile = {j->index, j->width, j->height};
    hark_err err = j->index ? hark_png_write_tile(path, &tile, j->palette, texts, 3, NULL)
                            : hark_png_write_rgb(path, j->rgb, j->width, j->height, texts, 3, NULL);
    if (err && !s->err) {
        s->err = err;
        snprintf(s->bad_path, sizeof s->bad_path, "%s", path);
        snprintf(s->detail, sizeof s->detail, "%s", hark_error_message(err));
    } else if (!err && s->on_written) {
        s->on_written(path, j->width, j->height, s->ctx);
    }
}

static void *writer_main(void *arg)
{
    hark_snapshots *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->wake, &s->lock);
        job *j = s->head;
        if (!j)
            break; /* stopping, and nothing left */
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        pthread_mutex_unlock(&s->lock);
        write_one(s, j);
        free(j->rgb);
        free(j->index);
        free(j);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

hark_err hark_snapshots_start(const char *dir, hark_written_fn on_written, void *ctx,
                              hark_snapshots **out)
{
    *out = NULL;
    /* A folder that cannot take the files is said now, not after the session. */
    struct stat st;
    const char *d = dir && *dir ? dir : ".";
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode) || access(d, W_OK) != 0)
        return hark_error_set(HARK_ERR_WRITE, "snapshot folder %s: %s", d,
                              stat(d, &st) != 0 ? strerror(errno)
                              : !S_ISDIR(st.st_mode) ? "not a folder" : strerror(EACCES));
    hark_snapshots *s = calloc(1, sizeof *s);
    if (!s)
        return HARK_ERR_NOMEM;
    snprintf(s->dir, sizeof s->dir, "%s", dir && *dir ? dir : ".");
    s->on_written = on_written;
    s->ctx = ctx;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->wake);
        free(s);
        return hark_error_set(HARK_ERR_NOMEM, "cannot start the snapshot writer");
    }
    *out = s;
    return HARK_OK;
}

static void enqueue(hark_snapshots *s, job *j)
{
    gettimeofday(&j->when, NULL);
    pthread_mutex_lock(&s->lock);
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

void hark_snapshots_submit(hark_snapshots *s, uint8_t *rgb, unsigned width, unsigned height,
                           const char *params_json)
{
    job *j = calloc(1, sizeof *j);
    if (!j) {
        free(rgb);
        return;
    }
    j->rgb = rgb;
    j->width = width;
    j->height = height;
    snprintf(j->params, sizeof j->params, "%s", params_json);
    enqueue(s, j);
}

void hark_snapshots_submit_strip(hark_snapshots *s, uint8_t *index, unsigned frames,
                                 unsigned rows, const hark_rgb *palette, const char *path,
                                 const char *params_json)
{
    job *j = calloc(1, sizeof *j);
    if (!j) {
        free(index);
        return;
    }
    j->index = index;
    j->width = frames;
    j->height = rows;
    j->palette = palette;
    snprintf(j->path, sizeof j->path, "%s", path);
    snprintf(j->params, sizeof j->params, "%s", params_json);
    enqueue(s, j);
}

hark_err hark_snapshots_stop(hark_snapshots *s, const char **bad_path)
{
    if (!s)
        return HARK_OK;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    hark_err err = s->err;
    static char path[1100];
    if (err) {
        snprintf(path, sizeof path, "%s", s->bad_path);
        *bad_path = path;
        hark_error_set(err, "%s", s->detail);
    }
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s);
    return err;
}
