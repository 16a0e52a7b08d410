#ifndef HARK_TEXT_H
#define HARK_TEXT_H
/*
 * Text for labels, rasterised by FreeType from the embedded DejaVu Sans (font.h).
 * Each hark_text owns its FT_Library, so different threads may each use their own.
 * Thread: one thread at a time per hark_text.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct hark_text hark_text;

/* A face at pixel_size pixels per em. */
hark_err hark_text_create(unsigned pixel_size, hark_text **out);
void hark_text_destroy(hark_text *text); /* NULL-safe */

/* Advance width of a UTF-8 string in pixels. */
int hark_text_width(hark_text *text, const char *utf8);
/* Ascender and descender (positive, below the baseline) in pixels; line height = sum. */
int hark_text_ascent(const hark_text *text);
int hark_text_descent(const hark_text *text);

/* Draw utf8 with its baseline starting at (x, y) into an RGB8 image of w x h pixels and
 * stride bytes per line, blending by glyph coverage; clipped to the image. */
void hark_text_draw(hark_text *text, uint8_t *rgb, int w, int h, size_t stride, int x, int y,
                    const char *utf8, const uint8_t color[3]);

/* The same for pixels of bpp bytes (3: RGB, 4: RGBA, alpha left as it is). */
void hark_text_draw_px(hark_text *text, uint8_t *px, int w, int h, size_t stride, size_t bpp,
                       int x, int y, const char *utf8, const uint8_t color[3]);

#endif
