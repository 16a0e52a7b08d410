#include "text.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <stdlib.h>

#include "font.h"

struct hark_text {
    FT_Library lib;
    FT_Face face;
    int ascent, descent;
};

static hark_err ft_fail(const char *what, FT_Error e)
{
    return hark_error_set(HARK_ERR_FONT, "FreeType: %s failed (error %d)", what, (int)e);
}

hark_err hark_text_create(unsigned pixel_size, hark_text **out)
{
    hark_text *t = calloc(1, sizeof *t);
    if (!t)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory");
    FT_Error e = FT_Init_FreeType(&t->lib);
    if (e) {
        free(t);
        return ft_fail("FT_Init_FreeType", e);
    }
    e = FT_New_Memory_Face(t->lib, hark_asset_font,
                           (FT_Long)(hark_asset_font_end - hark_asset_font), 0, &t->face);
    if (!e)
        e = FT_Set_Pixel_Sizes(t->face, 0, pixel_size);
    if (e) {
        hark_text_destroy(t);
        return ft_fail("loading the embedded font", e);
    }
    t->ascent = (int)((t->face->size->metrics.ascender + 63) >> 6);
    t->descent = (int)((-t->face->size->metrics.descender + 63) >> 6);
    *out = t;
    return HARK_OK;
}

void hark_text_destroy(hark_text *t)
{
    if (!t)
        return;
    if (t->face)
        FT_Done_Face(t->face);
    FT_Done_FreeType(t->lib);
    free(t);
}

int hark_text_ascent(const hark_text *t)
{
    return t->ascent;
}

int hark_text_descent(const hark_text *t)
{
    return t->descent;
}

/* Next code point of a UTF-8 string (invalid bytes read as U+FFFD, one byte each). */
static unsigned long next_codepoint(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned long c = s[0];
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0) {
        *p = s + 1;
        return 0xFFFD;
    }
    if (extra > 0)
        c &= 0x3Fu >> extra;
    for (int i = 1; i <= extra; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *p = s + 1 + extra;
    return c;
}

/* Load and render one glyph; returns its horizontal advance in pixels (0 on failure). */
static int load_glyph(hark_text *t, unsigned long cp, FT_Int32 flags)
{
    FT_UInt gi = FT_Get_Char_Index(t->face, cp);
    if (FT_Load_Glyph(t->face, gi, flags))
        return 0;
    return (int)((t->face->glyph->advance.x + 32) >> 6);
}

int hark_text_width(hark_text *t, const char *utf8)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p;)
        w += load_glyph(t, next_codepoint(&p), FT_LOAD_DEFAULT);
    return w;
}

static void blend_bitmap(const FT_Bitmap *bm, int left, int top, uint8_t *rgb, int w, int h,
                         size_t stride, size_t bpp, const uint8_t color[3])
{
    for (unsigned by = 0; by < bm->rows; by++) {
        int y = top + (int)by;
        if (y < 0 || y >= h)
            continue;
        const unsigned char *src = bm->buffer + (ptrdiff_t)by * bm->pitch;
        for (unsigned bx = 0; bx < bm->width; bx++) {
            int x = left + (int)bx;
            unsigned a = src[bx];
            if (x < 0 || x >= w || a == 0)
                continue;
            uint8_t *px = rgb + (size_t)y * stride + (size_t)x * bpp;
            for (int c = 0; c < 3; c++)
                px[c] = (uint8_t)((px[c] * (255 - a) + color[c] * a + 127) / 255);
        }
    }
}

void hark_text_draw_px(hark_text *t, uint8_t *px, int w, int h, size_t stride, size_t bpp, int x,
                       int y, const char *utf8, const uint8_t color[3])
{
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        int adv = load_glyph(t, next_codepoint(&p), FT_LOAD_RENDER);
        FT_GlyphSlot g = t->face->glyph;
        if (adv && g->bitmap.pixel_mode == FT_PIXEL_MODE_GRAY)
            blend_bitmap(&g->bitmap, x + g->bitmap_left, y - g->bitmap_top, px, w, h, stride, bpp,
                         color);
        x += adv;
    }
}

void hark_text_draw(hark_text *t, uint8_t *rgb, int w, int h, size_t stride, int x, int y,
                    const char *utf8, const uint8_t color[3])
{
    hark_text_draw_px(t, rgb, w, h, stride, 3, x, y, utf8, color);
}
