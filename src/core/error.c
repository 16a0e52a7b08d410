#include "error.h"

#include <stdio.h>

static _Thread_local char detail[512];

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
};

const char *hark_strerror(hark_err err)
{
    if (err < 0 || err >= HARK_ERR_COUNT)
        return "unknown error";
    return messages[err];
}

hark_err hark_error_set(hark_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return err;
}

const char *hark_error_message(hark_err err)
{
    return detail[0] ? detail : hark_strerror(err);
}

void hark_error_clear(void)
{
    detail[0] = '\0';
}
