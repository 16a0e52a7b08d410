#ifndef HARK_ERROR_H
#define HARK_ERROR_H
/*
 * One error type for the whole program. Functions return hark_err (HARK_OK == 0) and write
 * results through out-parameters. When a function fails it may leave a one-line detail (the
 * third-party message: sf_strerror, strerror, the GL info log...) with hark_error_set();
 * main.c prints "hark: <subject>: <detail or hark_strerror()>".
 *
 * The detail is thread-local: each thread sees the detail of its own last failure.
 * Thread: any. Never called from the audio callback (formatting is not real-time safe).
 */
#include <stdarg.h>

typedef enum {
    HARK_OK = 0,
    HARK_ERR_NOMEM,       /* out of memory */
    HARK_ERR_USAGE,       /* bad option or argument (exit status 2) */
    HARK_ERR_OPEN,        /* cannot open an input */
    HARK_ERR_FORMAT,      /* input is not audio, or audio we refuse (rate, channels) */
    HARK_ERR_READ,        /* read failed mid-file */
    HARK_ERR_EMPTY,       /* input has no audio frames */
    HARK_ERR_WRITE,       /* cannot create or write an output */
    HARK_ERR_TOO_LARGE,   /* a size that would overflow or exceed a stated limit */
    HARK_ERR_FFT,         /* FFTW could not make a plan */
    HARK_ERR_FONT,        /* FreeType failed */
    HARK_ERR_INTERRUPTED, /* stopped by SIGINT/SIGTERM */
    HARK_ERR_COUNT
} hark_err;

/* A short, static description of an error code. */
const char *hark_strerror(hark_err err);

/* Record the detail of the current failure (printf format) and return err, so a failing
 * function can end with `return hark_error_set(HARK_ERR_OPEN, "%s", sf_strerror(NULL));`. */
hark_err hark_error_set(hark_err err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The detail of this thread's last failure, or hark_strerror(err) if none was recorded
 * since the last hark_error_clear(). Never NULL. */
const char *hark_error_message(hark_err err);

/* Forget this thread's detail. */
void hark_error_clear(void);

#endif
