#ifndef HARK_CANVAS_H
#define HARK_CANVAS_H
/* An RGB8 picture being drawn (the labelled image, the spectrum plot): clipped pixels and
 * lines, and the frame around a data area. Thread: any (one canvas per thread). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "look.h"

typedef struct {
    uint8_t *rgb;
    int w, h;
    size_t stride;
} hark_canvas;

static inline void hark_canvas_put(const hark_canvas *c, int x, int y, const uint8_t rgb[3])
{
    if (x >= 0 && y >= 0 && x < c->w && y < c->h)
        memcpy(c->rgb + (size_t)y * c->stride + (size_t)x * 3, rgb, 3);
}

static inline void hark_canvas_hline(const hark_canvas *c, int x0, int x1, int y,
                                     const uint8_t rgb[3])
{
    for (int x = x0; x <= x1; x++)
        hark_canvas_put(c, x, y, rgb);
}

static inline void hark_canvas_vline(const hark_canvas *c, int x, int y0, int y1,
                                     const uint8_t rgb[3])
{
    if (y1 < y0) {
        int t = y0;
        y0 = y1, y1 = t;
    }
    for (int y = y0; y <= y1; y++)
        hark_canvas_put(c, x, y, rgb);
}

/* The frame just outside a w x h area whose top-left pixel is (x0, y0). */
static inline void hark_canvas_frame(const hark_canvas *c, int x0, int y0, unsigned w, unsigned h)
{
    hark_canvas_hline(c, x0 - 1, x0 + (int)w, y0 - 1, HARK_LOOK_FRAME);
    hark_canvas_hline(c, x0 - 1, x0 + (int)w, y0 + (int)h, HARK_LOOK_FRAME);
    hark_canvas_vline(c, x0 - 1, y0 - 1, y0 + (int)h, HARK_LOOK_FRAME);
    hark_canvas_vline(c, x0 + (int)w, y0 - 1, y0 + (int)h, HARK_LOOK_FRAME);
}

#endif
