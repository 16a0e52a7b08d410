#define _GNU_SOURCE /* memfd_create */
#include "quiet.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HARK_QUIET_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HARK_QUIET_OFF 1
#endif
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int hark_quiet_known_start(const unsigned char *b, size_t n)
{
    static const char *const magic[] = {"RIFF", "RIFX", "RF64", "BW64", "riff", "FORM",
                                        "fLaC", "OggS", "caff", ".snd", "dns."};
    for (size_t i = 0; n >= 4 && i < sizeof magic / sizeof magic[0]; i++)
        if (memcmp(b, magic[i], 4) == 0)
            return 1;
    return n >= 3 && memcmp(b, "ID3", 3) == 0; /* an MP3's tag: libmpg123 is meant for it */
}

/* libmpg123's own lines (its notes, warnings and "[src/libmpg123/...] error: ..."). */
static int is_noise(const char *line, size_t len)
{
    static const char *const prefix[] = {"Note: ", "Warning: ", "[src/libmpg123/"};
    for (size_t i = 0; i < sizeof prefix / sizeof prefix[0]; i++) {
        size_t n = strlen(prefix[i]);
        if (len >= n && memcmp(line, prefix[i], n) == 0)
            return 1;
    }
    return 0;
}

void hark_quiet_begin(hark_quiet *q)
{
    q->saved = q->mem = -1;
#ifndef HARK_QUIET_OFF
    pthread_mutex_lock(&lock);
    fflush(stderr);
    q->mem = memfd_create("hark-stderr", MFD_CLOEXEC);
    q->saved = q->mem >= 0 ? fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0) : -1;
    if (q->saved < 0 || dup2(q->mem, STDERR_FILENO) < 0) {
        if (q->saved >= 0)
            close(q->saved);
        if (q->mem >= 0)
            close(q->mem);
        q->saved = q->mem = -1;
        pthread_mutex_unlock(&lock);
    }
#endif
}

void hark_quiet_end(hark_quiet *q)
{
    if (q->saved < 0)
        return;
    fflush(stderr);
    dup2(q->saved, STDERR_FILENO);
    close(q->saved);
    struct stat st;
    char *text = fstat(q->mem, &st) == 0 && st.st_size > 0 ? malloc((size_t)st.st_size) : NULL;
    ssize_t n = text ? pread(q->mem, text, (size_t)st.st_size, 0) : 0;
    for (ssize_t at = 0; n > 0 && at < n;) { /* the lines that are not the library's */
        const char *nl = memchr(text + at, '\n', (size_t)(n - at));
        size_t len = nl ? (size_t)(nl - (text + at)) + 1 : (size_t)(n - at);
        if (!is_noise(text + at, len))
            (void)!write(STDERR_FILENO, text + at, len);
        at += (ssize_t)len;
    }
    free(text);
    close(q->mem);
    q->saved = q->mem = -1;
    pthread_mutex_unlock(&lock);
}
