#include "image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "canvas.h"
#include "look.h"

#define PAD 10
#define BAR_GAP 14
#define MAX_TICKS 64


/* Everything the layout needs to know, measured once. */
typedef struct {
    hark_tick time[MAX_TICKS], freq[MAX_TICKS], db[MAX_TICKS];
    size_t n_time, n_freq, n_db;
    int asc, desc, line, cap; /* font metrics; cap: height of a digit */
    unsigned bar_h;           /* colour bar height */
    const char *units;        /* over the colour bar */
    const char *freq_title;   /* over the frequency axis: "Hz", or "note" (cqt) */
    unsigned bands, band_h;   /* stacked channels (1: one) and each one's rows */
} layout;

/* Offset of the pixel at fraction pos along an axis of n pixels. */
static int along(double pos, unsigned n)
{
    return (int)lround(pos * (double)(n - 1));
}

static int widest(hark_text *text, const hark_tick *ticks, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        int tw = hark_text_width(text, ticks[i].label);
        if (tw > w)
            w = tw;
    }
    return w;
}

static size_t ticks_for(unsigned pixels, unsigned per_tick)
{
    size_t n = pixels / per_tick;
    return n < 2 ? 2 : n > MAX_TICKS ? MAX_TICKS : n;
}

static void measure(const hark_tile *tile, const hark_labels *lb, hark_text *text, layout *L)
{
    L->units = lb->units ? lb->units : "dBFS";
    L->freq_title = lb->scale->kind == HARK_SCALE_CQT ? "note" : "Hz";
    L->asc = hark_text_ascent(text);
    L->desc = hark_text_descent(text);
    L->line = L->asc + L->desc;
    L->cap = (L->asc * 3 + 2) / 4;
    L->bar_h = tile->rows;
    L->bands = lb->bands > 1 ? lb->bands : 1;
    L->band_h = tile->rows / L->bands;
    double t1 = lb->t0_s + (double)(tile->frames - 1) * lb->frame_s;
    L->n_time = hark_axis_time(lb->t0_s, t1, ticks_for(tile->frames, 90), L->time, MAX_TICKS);
    L->n_freq = hark_axis_freq(lb->scale, ticks_for(L->band_h, 40), L->freq, MAX_TICKS);
    L->n_db = hark_axis_db(lb->min_db, lb->max_db, ticks_for(L->bar_h, 40), L->db, MAX_TICKS);
}

/* The data area: one pixel per frame and row, row 0 at the bottom. */
static void draw_data(const hark_canvas *c, const hark_tile *tile, const hark_rgb *palette, int x0,
                      int y0)
{
    for (unsigned r = 0; r < tile->rows; r++) {
        uint8_t *line = c->rgb + (size_t)(y0 + (int)(tile->rows - 1 - r)) * c->stride +
                        (size_t)x0 * 3;
        const uint8_t *src = tile->index + r;
        for (unsigned f = 0; f < tile->frames; f++, line += 3)
            memcpy(line, palette[src[(size_t)f * tile->rows]], 3);
    }
}

/* A band's frequency axis; `first` is the top band (it has the title; the others leave out the
 * label of their top tick, which would touch the band above's bottom one). */
static void draw_freq_axis(const hark_canvas *c, hark_text *text, const layout *L, int x0, int y0,
                           unsigned rows, int first)
{
    for (size_t i = 0; i < L->n_freq; i++) {
        if (!first && L->freq[i].pos > 0.97)
            continue;
        int y = y0 + (int)rows - 1 - along(L->freq[i].pos, rows);
        hark_canvas_hline(c, x0 - 1 - HARK_LOOK_TICK, x0 - 2, y, HARK_LOOK_FRAME);
        int tw = hark_text_width(text, L->freq[i].label);
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x0 - HARK_LOOK_TICK - 4 - tw, y + L->cap / 2,
                       L->freq[i].label, HARK_LOOK_INK);
    }
    int tw = hark_text_width(text, L->freq_title);
    if (first)
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x0 - HARK_LOOK_TICK - 4 - tw,
                       y0 - 6 - L->desc, L->freq_title, HARK_LOOK_INK);
}

static void draw_time_axis(const hark_canvas *c, hark_text *text, const layout *L, int x0, int y_axis,
                           unsigned frames)
{
    for (size_t i = 0; i < L->n_time; i++) {
        int x = x0 + along(L->time[i].pos, frames);
        hark_canvas_vline(c, x, y_axis + 1, y_axis + HARK_LOOK_TICK, HARK_LOOK_FRAME);
        int tw = hark_text_width(text, L->time[i].label);
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x - tw / 2, y_axis + HARK_LOOK_TICK + 2 + L->asc,
                       L->time[i].label, HARK_LOOK_INK);
    }
    const char *title = "time (s)";
    int tw = hark_text_width(text, title);
    int mid = x0 + (int)frames / 2 - tw / 2;
    hark_text_draw(text, c->rgb, c->w, c->h, c->stride, mid > PAD ? mid : PAD,
                   y_axis + HARK_LOOK_TICK + 2 + L->line + 4 + L->asc, title, HARK_LOOK_INK);
}

static void draw_colour_bar(const hark_canvas *c, hark_text *text, const layout *L,
                            const hark_rgb *palette, int x0, int y0)
{
    unsigned h = L->bar_h;
    for (unsigned i = 0; i < h; i++) {
        unsigned idx = h > 1 ? (unsigned)lround((double)i * 255.0 / (double)(h - 1)) : 255;
        hark_canvas_hline(c, x0, x0 + HARK_LOOK_BAR_W - 1, y0 + (int)(h - 1 - i), palette[idx]);
    }
    hark_canvas_frame(c, x0, y0, HARK_LOOK_BAR_W, h);
    for (size_t i = 0; i < L->n_db; i++) {
        int y = y0 + (int)h - 1 - along(L->db[i].pos, h);
        hark_canvas_hline(c, x0 + HARK_LOOK_BAR_W + 1, x0 + HARK_LOOK_BAR_W + HARK_LOOK_TICK, y, HARK_LOOK_FRAME);
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x0 + HARK_LOOK_BAR_W + HARK_LOOK_TICK + 3, y + L->cap / 2,
                       L->db[i].label, HARK_LOOK_INK);
    }
    hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x0, y0 - 6 - L->desc,
                   L->units, HARK_LOOK_INK);
}

hark_err hark_image_compose(const hark_tile *tile, const hark_labels *lb, hark_text *text,
                            hark_image *out)
{
    layout L;
    measure(tile, lb, text, &L);

    int freq_w = widest(text, L.freq, L.n_freq);
    int hz_w = hark_text_width(text, L.freq_title);
    int names_w = 0; /* stacked channels: each band's name left of its axis */
    for (unsigned b = 0; L.bands > 1 && b < L.bands; b++) {
        int w = hark_text_width(text, lb->band_names[b]) + 10;
        names_w = w > names_w ? w : names_w;
    }
    int left = PAD + names_w + (freq_w > hz_w ? freq_w : hz_w) + 4 + HARK_LOOK_TICK + 1;
    int top = PAD + L.line + 6 + L.line + 6;
    int bottom = 1 + HARK_LOOK_TICK + 2 + L.line + 4 + L.line + PAD;
    int db_w = widest(text, L.db, L.n_db);
    int dbfs_w = hark_text_width(text, "dBFS");
    int bar_labels = HARK_LOOK_TICK + 3 + db_w;
    int right = 1 + BAR_GAP + HARK_LOOK_BAR_W + (bar_labels > dbfs_w - HARK_LOOK_BAR_W ? bar_labels : dbfs_w - HARK_LOOK_BAR_W) +
                PAD;
    int min_w = 2 * PAD + hark_text_width(text, lb->title);
    int width = left + (int)tile->frames + right;
    if (width < min_w) {
        right += min_w - width;
        width = min_w;
    }
    int height = top + (int)tile->rows + bottom;
    if ((double)width * (double)height * 3.0 > (double)SIZE_MAX / 2)
        return hark_error_set(HARK_ERR_TOO_LARGE, "labelled image too large");

    hark_canvas c = {malloc((size_t)width * (size_t)height * 3), width, height, (size_t)width * 3};
    if (!c.rgb)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %d x %d image", width, height);
    for (size_t i = 0; i < (size_t)width * (size_t)height; i++)
        memcpy(c.rgb + i * 3, HARK_LOOK_BACKGROUND, 3);

    int x0 = left, y0 = top;
    hark_text_draw(text, c.rgb, c.w, c.h, c.stride, PAD, PAD + L.asc, lb->title, HARK_LOOK_INK);
    draw_data(&c, tile, lb->palette, x0, y0);
    hark_canvas_frame(&c, x0, y0, tile->frames, tile->rows);
    for (unsigned b = 0; b < L.bands; b++) {
        int top_b = y0 + (int)(b * L.band_h);
        draw_freq_axis(&c, text, &L, x0, top_b, L.band_h, b == 0);
        if (L.bands > 1)
            hark_text_draw(text, c.rgb, c.w, c.h, c.stride, PAD,
                           top_b + (int)L.band_h / 2 + L.cap / 2, lb->band_names[b], HARK_LOOK_INK);
    }
    draw_time_axis(&c, text, &L, x0, y0 + (int)tile->rows, tile->frames);
    draw_colour_bar(&c, text, &L, lb->palette, x0 + (int)tile->frames + 1 + BAR_GAP, y0);

    *out = (hark_image){c.rgb, (unsigned)width, (unsigned)height, (unsigned)x0, (unsigned)y0};
    return HARK_OK;
}
