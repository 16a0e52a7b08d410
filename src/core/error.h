#ifndef HARK_ERROR_H
#define HARK_ERROR_H
/*
 * One error record. Functions return hark_err (HARK_OK == 0) and write results through
 * out-parameters. A function that fails records what went wrong in its thread's record: the
 * code, what it is about (the subject: a file, an output, a device) and the detail (the
 * third-party library's own words, or ours). The first failure wins: once the record holds an
 * error, later ones (clean-up after the first, a thread stopping because another failed) leave
 * it as it is until hark_error_clear. So a caller that handles a failure and goes on clears the
 * record; a caller that knows better what a failure is about names it with hark_error_subject.
 * main.c prints "hark: <subject>: <detail>" (docs/ARCHITECTURE.md, "Errors").
 *
 * Records are thread-local. A worker thread's failure reaches the thread that joins it through
 * a hark_error_first shared by the workers: the first of them to fail, in time, fills it.
 * Thread: any. Never the audio callback (formatting is not real-time safe).
 */
#include <stdatomic.h>

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
    HARK_ERR_INTERRUPTED, /* stopped by a signal (SIGINT, SIGTERM, SIGHUP) */
    HARK_ERR_DEVICE,      /* an audio device failed: cannot open, start, or it went away */
    HARK_ERR_DISPLAY,     /* the window or the GPU (SDL, OpenGL) failed */
    HARK_ERR_PIPE,        /* the reader of standard output (or a FIFO) went away: said by
                             nobody, as `cat` would not */
    HARK_ERR_COUNT
} hark_err;

#define HARK_SUBJECT_MAX 4096
#define HARK_DETAIL_MAX 512

typedef struct {
    hark_err code;                  /* HARK_OK: nothing recorded */
    char subject[HARK_SUBJECT_MAX]; /* "" when the code that failed did not know */
    char detail[HARK_DETAIL_MAX];   /* "" when the code says it all */
} hark_error;

/* A short, static description of an error code. */
const char *hark_strerror(hark_err err);

/* Record a failure with its detail (printf format), unless one is recorded already, and return
 * err, so a failing function can end with
 * `return hark_error_set(HARK_ERR_OPEN, "%s", sf_strerror(NULL));`. */
hark_err hark_error_set(hark_err err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, naming what it is about. */
hark_err hark_error_at(hark_err err, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record just the code (its description is the detail): `return hark_fail(HARK_ERR_NOMEM);`. */
hark_err hark_fail(hark_err err);

/* Give the recorded failure a subject if it has none yet (a caller naming the file or device
 * a call was about). Does nothing when nothing is recorded. */
void hark_error_subject(const char *subject);

/* This thread's record. */
const hark_error *hark_error_get(void);
/* The detail of this thread's record if it holds err, else hark_strerror(err). Never NULL. */
const char *hark_error_message(hark_err err);
/* Forget this thread's record (a failure handled). */
void hark_error_clear(void);

/* Fill a record of one's own (not the thread's): a failure to report later. */
void hark_error_fill(hark_error *e, hark_err err, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Make e this thread's failure, unless one is recorded already (first wins); returns its
 * code. */
hark_err hark_error_raise(const hark_error *e);

/* A record several threads share: the first to fail fills it, the others' failures (often
 * only "stopped because another failed") are left out. Zero-initialise it. */
typedef struct {
    atomic_int claimed;
    hark_error error;
} hark_error_first;

/* Offer this thread's record (when it holds an error) to the shared one. Returns 1 when it
 * was the first. */
int hark_error_offer(hark_error_first *first);
/* After the threads are joined: make the shared record this thread's (so a thread that works
 * beside the others offers its own first) and return its code; HARK_OK, and this thread's
 * record left alone, when nobody failed. */
hark_err hark_error_adopt(const hark_error_first *first);
/* The same for a thread that may have failed before the others were stopped: the shared
 * record becomes this thread's only when this one holds none (first wins). */
hark_err hark_error_merge(const hark_error_first *first);

#endif
