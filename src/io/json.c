#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hark_json_init(hark_json *j)
{
    memset(j, 0, sizeof *j);
    j->empty[0] = 1;
}

void hark_json_free(hark_json *j)
{
    free(j->text);
    hark_json_init(j);
}

static int reserve(hark_json *j, size_t more)
{
    if (j->failed)
        return 0;
    if (j->len + more + 1 <= j->cap)
        return 1;
    size_t cap = j->cap ? j->cap : 256;
    while (cap < j->len + more + 1)
        cap *= 2;
    char *t = realloc(j->text, cap);
    if (!t) {
        j->failed = 1;
        return 0;
    }
    j->text = t;
    j->cap = cap;
    return 1;
}

static void put(hark_json *j, const char *s, size_t n)
{
    if (!reserve(j, n))
        return;
    memcpy(j->text + j->len, s, n);
    j->len += n;
    j->text[j->len] = '\0';
}

static void putf(hark_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(hark_json *j, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(j, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* The length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), or 0 when the byte there does not start one. */
static size_t utf8_length(const unsigned char *s)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

static void put_string(hark_json *j, const char *value)
{
    put(j, "\"", 1);
    const unsigned char *s = (const unsigned char *)value;
    while (*s) {
        size_t run = 0; /* bytes that need no escape, copied at once */
        while (s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        put(j, (const char *)s, run);
        s += run;
        if (!*s)
            break;
        size_t n = *s >= 0x80 ? utf8_length(s) : 0;
        if (n) {
            put(j, (const char *)s, n);
            s += n;
        } else if (*s == '"' || *s == '\\') {
            putf(j, "\\%c", *s++);
        } else { /* a control character, or a byte that is not UTF-8: its Latin-1 reading */
            putf(j, "\\u%04x", (unsigned)*s++);
        }
    }
    put(j, "\"", 1);
}

/* The separator before a member, and its key. */
static void member(hark_json *j, const char *key)
{
    if (!j->empty[j->depth])
        put(j, j->newline ? ",\n " : ", ", j->newline ? 3 : 2);
    j->empty[j->depth] = 0;
    j->newline = 0;
    if (key) {
        put_string(j, key);
        put(j, ": ", 2);
    }
}

static void open_level(hark_json *j, const char *key, char open, char close)
{
    member(j, key);
    put(j, &open, 1);
    if (j->depth + 1 >= HARK_JSON_DEPTH) {
        j->failed = 1; /* deeper than any output of ours: a bug, said as out of memory */
        return;
    }
    j->depth++;
    j->empty[j->depth] = 1;
    j->closer[j->depth] = close;
}

void hark_json_object(hark_json *j, const char *key) { open_level(j, key, '{', '}'); }
void hark_json_array(hark_json *j, const char *key) { open_level(j, key, '[', ']'); }

void hark_json_end(hark_json *j)
{
    if (j->depth == 0) {
        j->failed = 1;
        return;
    }
    put(j, &j->closer[j->depth], 1);
    j->depth--;
    j->newline = 0;
}

void hark_json_string(hark_json *j, const char *key, const char *value)
{
    member(j, key);
    if (value)
        put_string(j, value);
    else
        put(j, "null", 4);
}

void hark_json_uint(hark_json *j, const char *key, uint64_t value)
{
    member(j, key);
    putf(j, "%llu", (unsigned long long)value);
}

void hark_json_int(hark_json *j, const char *key, int64_t value)
{
    member(j, key);
    putf(j, "%lld", (long long)value);
}

void hark_json_number(hark_json *j, const char *key, double value, int digits)
{
    member(j, key);
    if (isfinite(value))
        putf(j, "%.*g", digits, value);
    else
        put(j, "null", 4);
}

void hark_json_fixed(hark_json *j, const char *key, double value, int decimals)
{
    member(j, key);
    if (isfinite(value) && fabs(value) < 1e30)
        putf(j, "%.*f", decimals, value);
    else
        put(j, "null", 4);
}

void hark_json_newline(hark_json *j)
{
    j->newline = 1;
}

hark_err hark_json_text(hark_json *j, const char **text)
{
    if (!j->failed && !j->text)
        put(j, "", 0);
    if (j->failed)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for JSON text");
    *text = j->text;
    return HARK_OK;
}
