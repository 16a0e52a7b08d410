#define _GNU_SOURCE /* pipe2 */
#include "stderr_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HARK_FILTER_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HARK_FILTER_OFF 1
#endif
#endif

#ifndef HARK_FILTER_OFF
static int saved_fd = -1, read_fd = -1;
static pthread_t thread;

/* 1 if a line (without its newline) is audio-library noise. */
static int hark_stderr_is_noise(const char *line)
{
    static const char *const noise[] = {
        "Expression '",                 /* PortAudio's PA_ENSURE/PA_UNLESS reports */
        "ALSA lib ",                    /* alsa-lib's own error handler */
        "PaAlsa",                       /* PortAudio's ALSA host helpers */
        "Cannot connect to server",     /* JACK probing */
        "jack server is not running",
        "JackShmReadWritePtr",
    };
    for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
        if (strstr(line, noise[i]))
            return 1;
    return 0;
}

/* Forward whole lines (longer ones in pieces) unless they are noise. */
static void *filter_main(void *arg)
{
    (void)arg;
    char line[4096];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(read_fd, line + len, sizeof line - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        line[len] = '\0';
        char *start = line, *nl;
        while ((nl = memchr(start, '\n', (size_t)(line + len - start)))) { /* NULs and all */
            *nl = '\0';
            if (!hark_stderr_is_noise(start)) {
                *nl = '\n';
                (void)!write(saved_fd, start, (size_t)(nl - start + 1));
            }
            start = nl + 1;
        }
        len = (size_t)(line + len - start);
        memmove(line, start, len);
        if (len == sizeof line - 1) { /* a very long line: pass it on as it is */
            (void)!write(saved_fd, line, len);
            len = 0;
        }
    }
    if (len > 0 && (line[len] = '\0', !hark_stderr_is_noise(line)))
        (void)!write(saved_fd, line, len);
    return NULL;
}

int hark_stderr_filter_start(void)
{
    int fds[2];
    if (saved_fd >= 0 || pipe2(fds, O_CLOEXEC) != 0) /* children do not keep it open */
        return -1;
    fflush(stderr);
    saved_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    if (saved_fd < 0 || dup2(fds[1], STDERR_FILENO) < 0) {
        close(fds[0]);
        close(fds[1]);
        if (saved_fd >= 0)
            close(saved_fd);
        saved_fd = -1;
        return -1;
    }
    close(fds[1]);
    read_fd = fds[0];
    if (pthread_create(&thread, NULL, filter_main, NULL) != 0) {
        dup2(saved_fd, STDERR_FILENO);
        close(saved_fd);
        close(read_fd);
        saved_fd = read_fd = -1;
        return -1;
    }
    return 0;
}
#else
int hark_stderr_filter_start(void)
{
    return -1;
}
#endif

#ifndef HARK_FILTER_OFF
/* fd 2 becomes `to` (the pipe's last writer is gone: the thread sees its end, having passed
 * on all that was written before). */
static void finish(int to)
{
    if (saved_fd < 0)
        return;
    fflush(stderr);
    dup2(to, STDERR_FILENO);
    pthread_join(thread, NULL);
    close(read_fd);
    close(saved_fd);
    saved_fd = read_fd = -1;
}

static void finish_at_exit(void)
{
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0) /* not a way to end: the real stderr, noise and all */
        null = dup(saved_fd);
    finish(null);
    if (null != STDERR_FILENO)
        close(null);
}
#endif

void hark_stderr_filter_stop(void)
{
#ifndef HARK_FILTER_OFF
    finish(saved_fd);
#endif
}

void hark_stderr_filter_stop_at_exit(void)
{
#ifndef HARK_FILTER_OFF
    if (saved_fd >= 0)
        atexit(finish_at_exit);
#endif
}
