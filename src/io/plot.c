#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "canvas.h"

#define PAD 10
#define MAX_TICKS 64

static const uint8_t MEAN_INK[3] = {252, 141, 89}; /* the mean trace */
static const uint8_t MAX_INK[3] = {110, 150, 210};  /* the largest level */

/* The value at frequency f: points joined linearly between their frequencies; bands held
 * across their edges. NAN outside. */
static double value_at(const hark_plot *p, const double *v, double f)
{
    if (p->band_ratio > 0) {
        for (unsigned i = 0; i < p->n; i++)
            if (f >= p->hz[i] / p->band_ratio && f < p->hz[i] * p->band_ratio)
                return v[i];
        return NAN;
    }
    if (p->n == 0 || f < p->hz[0] || f > p->hz[p->n - 1])
        return NAN;
    unsigned i = 1;
    while (i < p->n - 1 && p->hz[i] < f)
        i++;
    double f0 = p->hz[i - 1], f1 = p->hz[i];
    double t = f1 > f0 ? (f - f0) / (f1 - f0) : 0;
    return v[i - 1] + (v[i] - v[i - 1]) * (t < 0 ? 0 : t > 1 ? 1 : t);
}

/* The pixel line of a level (clamped to the area). */
static int y_of(const hark_plot *p, double db, int y0)
{
    double t = (db - p->axis_min_db) / (p->axis_max_db - p->axis_min_db);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return y0 + (int)HARK_PLOT_HEIGHT - 1 - (int)lround(t * (HARK_PLOT_HEIGHT - 1));
}

static void draw_trace(const hark_canvas *c, const hark_plot *p, const double *v, int x0, int y0,
                       const uint8_t ink[3])
{
    int prev = -1;
    for (unsigned x = 0; x < HARK_PLOT_WIDTH; x++) {
        double db = value_at(p, v, hark_scale_freq(p->scale, x));
        if (isnan(db)) {
            prev = -1;
            continue;
        }
        int y = y_of(p, db, y0);
        hark_canvas_vline(c, x0 + (int)x, prev < 0 ? y : prev, y, ink);
        prev = y;
    }
}

static void draw_axes(const hark_canvas *c, const hark_plot *p, hark_text *text, int x0, int y0)
{
    hark_tick t[MAX_TICKS];
    int cap = (hark_text_ascent(text) * 3 + 2) / 4, asc = hark_text_ascent(text);
    size_t n = hark_axis_db(p->axis_min_db, p->axis_max_db, HARK_PLOT_HEIGHT / 40, t, MAX_TICKS);
    for (size_t i = 0; i < n; i++) {
        int y = y0 + (int)HARK_PLOT_HEIGHT - 1 - (int)lround(t[i].pos * (HARK_PLOT_HEIGHT - 1));
        hark_canvas_hline(c, x0 - 1 - HARK_LOOK_TICK, x0 - 2, y, HARK_LOOK_FRAME);
        int tw = hark_text_width(text, t[i].label);
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x0 - HARK_LOOK_TICK - 4 - tw,
                       y + cap / 2, t[i].label, HARK_LOOK_INK);
    }
    hark_text_draw(text, c->rgb, c->w, c->h, c->stride, PAD, y0 - 6 - hark_text_descent(text),
                   "dBFS", HARK_LOOK_INK);
    n = hark_axis_freq(p->scale, HARK_PLOT_WIDTH / 90, t, MAX_TICKS);
    int y_axis = y0 + (int)HARK_PLOT_HEIGHT;
    for (size_t i = 0; i < n; i++) {
        int x = x0 + (int)lround(t[i].pos * (HARK_PLOT_WIDTH - 1));
        hark_canvas_vline(c, x, y_axis + 1, y_axis + HARK_LOOK_TICK, HARK_LOOK_FRAME);
        int tw = hark_text_width(text, t[i].label);
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x - tw / 2,
                       y_axis + HARK_LOOK_TICK + 2 + asc, t[i].label, HARK_LOOK_INK);
    }
    const char *title = "frequency (Hz)";
    hark_text_draw(text, c->rgb, c->w, c->h, c->stride,
                   x0 + (int)HARK_PLOT_WIDTH / 2 - hark_text_width(text, title) / 2,
                   y_axis + HARK_LOOK_TICK + 2 + 2 * (asc + hark_text_descent(text)) + 4, title,
                   HARK_LOOK_INK);
}

/* The title, then the key: a swatch and the name of each trace. */
static void draw_title(const hark_canvas *c, const hark_plot *p, hark_text *text, int y)
{
    hark_text_draw(text, c->rgb, c->w, c->h, c->stride, PAD, y, p->title, HARK_LOOK_INK);
    int x = PAD + hark_text_width(text, p->title) + 24;
    const char *names[2] = {"mean", "max"};
    const uint8_t *inks[2] = {MEAN_INK, MAX_INK};
    for (int k = 0; k < 2; k++) {
        for (int d = 0; d < 3; d++)
            hark_canvas_hline(c, x, x + 18, y - hark_text_ascent(text) / 3 + d, inks[k]);
        hark_text_draw(text, c->rgb, c->w, c->h, c->stride, x + 24, y, names[k], HARK_LOOK_INK);
        x += 24 + hark_text_width(text, names[k]) + 18;
    }
}

hark_err hark_plot_compose(const hark_plot *p, hark_text *text, hark_image *out)
{
    int line = hark_text_ascent(text) + hark_text_descent(text);
    int left = PAD + hark_text_width(text, "-120") + 4 + HARK_LOOK_TICK + 1;
    int dbfs_w = PAD + hark_text_width(text, "dBFS");
    left = left > dbfs_w ? left : dbfs_w;
    int top = PAD + line + 6 + line + 6;
    int bottom = 1 + HARK_LOOK_TICK + 2 + line + 4 + line + PAD;
    int width = left + (int)HARK_PLOT_WIDTH + 2 * PAD, height = top + (int)HARK_PLOT_HEIGHT + bottom;
    hark_canvas c = {malloc((size_t)width * (size_t)height * 3), width, height,
                     (size_t)width * 3};
    if (!c.rgb)
        return hark_fail(HARK_ERR_NOMEM);
    for (size_t i = 0; i < (size_t)width * (size_t)height; i++)
        memcpy(c.rgb + i * 3, HARK_LOOK_BACKGROUND, 3);
    int x0 = left, y0 = top;
    draw_title(&c, p, text, PAD + hark_text_ascent(text));
    hark_canvas_frame(&c, x0, y0, HARK_PLOT_WIDTH, HARK_PLOT_HEIGHT);
    draw_axes(&c, p, text, x0, y0);
    draw_trace(&c, p, p->peak_db, x0, y0, MAX_INK);
    draw_trace(&c, p, p->mean_db, x0, y0, MEAN_INK);
    *out = (hark_image){c.rgb, (unsigned)width, (unsigned)height, (unsigned)x0, (unsigned)y0};
    return HARK_OK;
}
