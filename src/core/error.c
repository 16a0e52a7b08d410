#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local hark_error record;

static const char *const messages[HARK_ERR_COUNT] = {
    [HARK_OK] = "success",
    [HARK_ERR_NOMEM] = "out of memory",
    [HARK_ERR_USAGE] = "invalid usage",
    [HARK_ERR_OPEN] = "cannot open",
    [HARK_ERR_FORMAT] = "not a supported audio file",
    [HARK_ERR_READ] = "read error",
    [HARK_ERR_EMPTY] = "no audio frames",
    [HARK_ERR_WRITE] = "cannot write",
    [HARK_ERR_TOO_LARGE] = "too large",
    [HARK_ERR_FFT] = "cannot plan the FFT",
    [HARK_ERR_FONT] = "cannot render text",
    [HARK_ERR_INTERRUPTED] = "interrupted",
    [HARK_ERR_DEVICE] = "the audio device failed",
    [HARK_ERR_DISPLAY] = "the window failed",
    [HARK_ERR_PIPE] = "the reader went away",
};

const char *hark_strerror(hark_err err)
{
    if (err < 0 || err >= HARK_ERR_COUNT)
        return "unknown error";
    return messages[err];
}

/* The first failure since the last clear is the one kept. */
static int taken(hark_err err)
{
    if (record.code != HARK_OK || err == HARK_OK)
        return 1;
    record.code = err;
    record.subject[0] = record.detail[0] = '\0';
    return 0;
}

hark_err hark_error_set(hark_err err, const char *fmt, ...)
{
    if (taken(err))
        return err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(record.detail, sizeof record.detail, fmt, ap);
    va_end(ap);
    return err;
}

hark_err hark_error_at(hark_err err, const char *subject, const char *fmt, ...)
{
    if (taken(err))
        return err;
    snprintf(record.subject, sizeof record.subject, "%s", subject ? subject : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(record.detail, sizeof record.detail, fmt, ap);
    va_end(ap);
    return err;
}

hark_err hark_fail(hark_err err)
{
    taken(err);
    return err;
}

void hark_error_subject(const char *subject)
{
    if (record.code != HARK_OK && !record.subject[0] && subject)
        snprintf(record.subject, sizeof record.subject, "%s", subject);
}

const hark_error *hark_error_get(void)
{
    return &record;
}

const char *hark_error_message(hark_err err)
{
    return record.code == err && record.detail[0] ? record.detail : hark_strerror(err);
}

void hark_error_clear(void)
{
    record.code = HARK_OK;
    record.subject[0] = record.detail[0] = '\0';
}

void hark_error_fill(hark_error *e, hark_err err, const char *subject, const char *fmt, ...)
{
    e->code = err;
    snprintf(e->subject, sizeof e->subject, "%s", subject ? subject : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

hark_err hark_error_raise(const hark_error *e)
{
    if (record.code == HARK_OK)
        record = *e;
    return e->code;
}

int hark_error_offer(hark_error_first *first)
{
    int expected = 0;
    if (record.code == HARK_OK ||
        !atomic_compare_exchange_strong_explicit(&first->claimed, &expected, 1,
                                                 memory_order_acq_rel, memory_order_relaxed))
        return 0;
    first->error = record; /* read by the joining thread after pthread_join */
    return 1;
}

hark_err hark_error_adopt(const hark_error_first *first)
{
    if (!atomic_load_explicit(&first->claimed, memory_order_acquire))
        return HARK_OK;
    record = first->error;
    return first->error.code;
}

hark_err hark_error_merge(const hark_error_first *first)
{
    if (!atomic_load_explicit(&first->claimed, memory_order_acquire))
        return HARK_OK;
    if (record.code == HARK_OK)
        record = first->error;
    return first->error.code;
}
