#ifndef HARK_JSON_H
#define HARK_JSON_H
/*
 * JSON text built in memory: the one writer behind every JSON hark makes (the .npy sidecar,
 * the PNG "hark" text chunk of images, tiles, strips and snapshots: docs/FORMATS.md).
 *
 * Whatever bytes a string holds, the text is valid UTF-8 JSON: '"', '\' and control characters
 * are escaped, valid UTF-8 sequences pass through, and any other byte (a file name that is not
 * UTF-8) is written as \u00XX, its Latin-1 reading. A number that is not finite is written as
 * null. Members are separated by ", " (or ",\n " after hark_json_newline) and keys by ": ".
 *
 * Memory grows as needed; a failed allocation is remembered and reported by hark_json_text.
 * Thread: one builder per thread.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define HARK_JSON_DEPTH 16

typedef struct {
    char *text;
    size_t len, cap;
    int failed;
    unsigned depth;
    unsigned char empty[HARK_JSON_DEPTH]; /* per level: nothing written in it yet */
    char closer[HARK_JSON_DEPTH];         /* per level: '}' or ']' */
    int newline;                         /* the next member starts a line */
} hark_json;

void hark_json_init(hark_json *j);
void hark_json_free(hark_json *j); /* and ready for init again */

/* Each takes the member's key inside an object, and NULL at the top or inside an array. */
void hark_json_object(hark_json *j, const char *key);
void hark_json_array(hark_json *j, const char *key);
void hark_json_end(hark_json *j); /* closes the innermost object or array */
void hark_json_string(hark_json *j, const char *key, const char *value); /* NULL: null */
void hark_json_uint(hark_json *j, const char *key, uint64_t value);
void hark_json_int(hark_json *j, const char *key, int64_t value);
/* With `digits` significant digits (%.*g: 17 round-trips a double, 9 a float). */
void hark_json_number(hark_json *j, const char *key, double value, int digits);
/* With `decimals` digits after the point (%.*f). */
void hark_json_fixed(hark_json *j, const char *key, double value, int decimals);
/* The next member starts a new line (for files people read). */
void hark_json_newline(hark_json *j);

/* The text so far (NUL-terminated, owned by j), or HARK_ERR_NOMEM when memory ran out. */
hark_err hark_json_text(hark_json *j, const char **text);

#endif
