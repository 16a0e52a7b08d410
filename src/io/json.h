#ifndef HARK_JSON_H
#define HARK_JSON_H
#include <stddef.h>

/* A JSON string body of s (quotes, backslashes and control characters escaped) into out. */
void hark_json_escape(const char *s, char *out, size_t size);

#endif
