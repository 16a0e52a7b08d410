#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "axis.h"
#include "keys.h"
#include "look.h"

#define PAD 8
#define BAR_GAP 12
#define MAX_TICKS 48
#define BOX_ALPHA 230

static const uint8_t BOX[3] = {44, 44, 44};

typedef struct {
    uint8_t *rgba;
    int w, h;
    hark_text *text;
    int asc, desc, line, cap;
} canvas;

static void fill(const canvas *c, int x0, int y0, int x1, int y1, const uint8_t rgb[3], uint8_t a)
{
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > c->w ? c->w : x1;
    y1 = y1 > c->h ? c->h : y1;
    for (int y = y0; y < y1; y++) {
        uint8_t *p = c->rgba + ((size_t)y * (size_t)c->w + (size_t)x0) * 4;
        for (int x = x0; x < x1; x++, p += 4)
            p[0] = rgb[0], p[1] = rgb[1], p[2] = rgb[2], p[3] = a;
    }
}

static void text(const canvas *c, int x, int baseline, const char *s)
{
    hark_text_draw_px(c->text, c->rgba, c->w, c->h, (size_t)c->w * 4, 4, x, baseline, s, HARK_LOOK_INK);
}

static int width_of(const canvas *c, const char *s)
{
    return hark_text_width(c->text, s);
}

/* ---- layout -------------------------------------------------------------------------------- */

#define SPEC_SHARE 0.3   /* of the room the panel takes */
#define OVERVIEW_H 48    /* play's overview strip */
#define OVERVIEW_GAP 8
#define METER_GAP 14     /* between the colour bar's labels and the meters */
#define CLIP_H 10        /* the clip lights' height */

void hark_overlay_layout(unsigned width, unsigned height, int newest_at_top, int file_time,
                         hark_text *t, hark_layout *out)
{
    const hark_panels_shown none = {0, 0, 0, 0, 0, 0};
    hark_overlay_layout_panels(width, height, newest_at_top, file_time, &none, t, out);
}

/* The meters' columns: the scale's labels, then a column a channel. */
static unsigned meter_width(const hark_panels_shown *shown, hark_text *t, unsigned *col,
                            unsigned *scale_w)
{
    *scale_w = (unsigned)hark_text_width(t, "rms ") + 2;
    *col = (unsigned)hark_text_width(t, "-100.0") + 8;
    return shown->meters && shown->channels ? *scale_w + shown->channels * *col + PAD : 0;
}

/* The panes in the data area; split along the frequency axis, the spectrum panel beside the
 * first pane (the same frequencies). Across, panes are a label apart (the axis' end labels);
 * down, a line (each pane's name above it). */
static void place_panes(const hark_panels_shown *shown, int newest_at_top, int across_label,
                        int line, hark_layout *l)
{
    unsigned n = shown->panes > 1 ? shown->panes : 1;
    l->panes = n;
    l->split_freq = !shown->split_time;
    l->panes_down = l->split_freq != newest_at_top;
    l->pane_gap = n == 1 ? 0 : l->panes_down ? (unsigned)line + 6 : (unsigned)across_label + 12;
    unsigned along = l->panes_down ? l->data_h : l->data_w, gaps = (n - 1) * l->pane_gap;
    unsigned each = along > gaps + 2 * n ? (along - gaps) / n : 2;
    l->pane_w = l->panes_down ? l->data_w : each;
    l->pane_h = l->panes_down ? each : l->data_h;
    if (n > 1 && l->split_freq && l->spec_w) {
        if (newest_at_top)
            l->spec_w = l->pane_w;
        else
            l->spec_h = l->pane_h;
    }
}

void hark_overlay_layout_panels(unsigned width, unsigned height, int newest_at_top,
                                int file_time, const hark_panels_shown *shown, hark_text *t,
                                hark_layout *out)
{
    int line = hark_text_ascent(t) + hark_text_descent(t);
    int freq_label = hark_text_width(t, "22.05k");
    int time_label = hark_text_width(t, file_time ? "1:00:00.0" : "88.8");
    int db_label = hark_text_width(t, "-120");
    int top = PAD + line + 6 + line + 4; /* the status line, then the axis titles */
    int bottom = HARK_LOOK_TICK + 2 + line + 4 + line + PAD;
    int side = newest_at_top ? (time_label > db_label ? time_label : db_label) : freq_label;
    int left = PAD + side + 4 + HARK_LOOK_TICK + 1;
    int right = 1 + BAR_GAP + HARK_LOOK_BAR_W + HARK_LOOK_TICK + 3 + db_label + PAD;
    unsigned col, scale_w, mw = meter_width(shown, t, &col, &scale_w);
    right += mw ? METER_GAP + (int)mw : 0;
    int ov_h = shown->overview ? OVERVIEW_H + OVERVIEW_GAP : 0;
    bottom += ov_h;
    int w = (int)width - left - right, h = (int)height - top - bottom;
    w = w > 2 ? w : 2;
    h = h > 2 ? h : 2;
    *out = (hark_layout){.width = width, .height = height, .data_x = (unsigned)left,
                         .data_y = (unsigned)top, .data_w = (unsigned)w, .data_h = (unsigned)h};
    /* Between the data area and the panel: room for the labels at their ends to clear. */
    int gap = newest_at_top ? line : db_label;
    if (shown->spectrum && newest_at_top && h > 200) {
        int sh = (int)(SPEC_SHARE * h);
        out->data_h = (unsigned)(h - sh - gap);
        out->spec_x = (unsigned)left;
        out->spec_y = (unsigned)(top + h - sh);
        out->spec_w = (unsigned)w;
        out->spec_h = (unsigned)sh;
    } else if (shown->spectrum && !newest_at_top && w > 300) {
        int sw = (int)(SPEC_SHARE * w);
        out->data_w = (unsigned)(w - sw - gap);
        out->spec_x = (unsigned)(left + w - sw);
        out->spec_y = (unsigned)top;
        out->spec_w = (unsigned)sw;
        out->spec_h = (unsigned)h;
    }
    place_panes(shown, newest_at_top, newest_at_top ? freq_label : time_label, line, out);
    if (ov_h) {
        out->ov_x = (unsigned)left;
        out->ov_y = height - PAD - OVERVIEW_H;
        out->ov_w = width - (unsigned)left - (unsigned)right + 1 + BAR_GAP + HARK_LOOK_BAR_W;
        out->ov_h = OVERVIEW_H;
    }
    if (mw) {
        out->meter_x = (unsigned)((int)width - PAD - (int)mw + PAD);
        out->meter_y = (unsigned)top;
        out->meter_w = mw - PAD;
        out->meter_h = (unsigned)h;
        out->meter_channels = shown->channels;
        out->meter_col = col;
        out->meter_scale_w = scale_w;
        out->bar_top = (unsigned)(top + CLIP_H + 4);
        int below = (HARK_METER_LINES + 2) * line + 6;
        out->bar_bottom = (unsigned)(top + h - below > top + CLIP_H + 40 ? top + h - below
                                                                         : top + CLIP_H + 40);
    }
}

void hark_overlay_spectrum_point(const hark_layout *l, int newest_at_top, unsigned j,
                                 double frac, float *x, float *y)
{
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    if (newest_at_top) {
        *x = (float)l->spec_x + (float)j + 0.5f;
        *y = (float)(l->spec_y + l->spec_h) - 0.5f - (float)(frac * (l->spec_h - 1));
    } else {
        *x = (float)l->spec_x + 0.5f + (float)(frac * (l->spec_w - 1));
        *y = (float)(l->spec_y + l->spec_h) - 0.5f - (float)j;
    }
}

float hark_overlay_meter_y(const hark_layout *l, double db)
{
    double frac = (db - HARK_METER_MIN_DB) / (HARK_METER_MAX_DB - HARK_METER_MIN_DB);
    frac = !(frac > 0) ? 0 : frac > 1 ? 1 : frac;
    return (float)l->bar_bottom - (float)(frac * (l->bar_bottom - l->bar_top));
}

void hark_overlay_meter_bar(const hark_layout *l, unsigned c, int which, float *x0, float *x1)
{
    float left = (float)(l->meter_x + l->meter_scale_w + c * l->meter_col) + 2;
    float bar = ((float)l->meter_col - 8) / 2;
    *x0 = left + (float)which * (bar + 2);
    *x1 = *x0 + bar;
}

int hark_overlay_overview_at(const hark_layout *l, double length_s, int x, int y,
                             double *seconds)
{
    int dx = x - (int)l->ov_x, dy = y - (int)l->ov_y;
    if (!l->ov_w || dx < 0 || dy < 0 || dx >= (int)l->ov_w || dy >= (int)l->ov_h)
        return 0;
    *seconds = length_s * dx / (l->ov_w - 1);
    return 1;
}

void hark_overlay_pane(const hark_layout *l, unsigned k, unsigned *x, unsigned *y)
{
    *x = l->data_x + (l->panes_down ? 0 : k * (l->pane_w + l->pane_gap));
    *y = l->data_y + (l->panes_down ? k * (l->pane_h + l->pane_gap) : 0);
}

void hark_overlay_scale(const hark_overlay_state *st, const hark_layout *lay, hark_scale *out)
{
    unsigned rows = st->newest_at_top ? lay->pane_w : lay->pane_h;
    const hark_scale *q = st->cqt;
    if (st->scale == HARK_SCALE_CQT && q)
        hark_scale_init_cqt(out, rows, st->rate_hz, st->fft_size, q->bins_per_octave, q->lo_hz,
                            q->window, q->window_size);
    else
        hark_scale_init(out, st->scale, rows, st->rate_hz, st->fft_size);
    if (st->zoom_hi_hz > st->zoom_lo_hz) {
        double lo = st->zoom_lo_hz > out->lo_hz ? st->zoom_lo_hz : out->lo_hz;
        double hi = st->zoom_hi_hz < out->hi_hz ? st->zoom_hi_hz : out->hi_hz;
        if (hi > lo) {
            out->lo_hz = lo;
            out->hi_hz = hi;
        }
    }
}

int hark_overlay_locate(const hark_layout *lay, int newest_at_top, int x, int y, unsigned *pane,
                        double *along_freq, double *age)
{
    for (unsigned k = 0; k < lay->panes; k++) {
        unsigned px, py;
        hark_overlay_pane(lay, k, &px, &py);
        int dx = x - (int)px, dy = y - (int)py;
        unsigned w = lay->pane_w, h = lay->pane_h;
        if (dx < 0 || dy < 0 || dx >= (int)w || dy >= (int)h)
            continue;
        *pane = k;
        if (newest_at_top) {
            *along_freq = (double)dx / (w - 1);
            *age = (double)dy / h;
        } else {
            *along_freq = (double)(h - 1 - (unsigned)dy) / (h - 1);
            *age = (double)(w - 1 - (unsigned)dx) / w;
        }
        return 1;
    }
    return 0;
}

void hark_overlay_clock(double s, int decimals, char *buf, size_t size)
{
    if (!(s >= -0.0005) || !isfinite(s)) {
        buf[0] = '\0';
        return;
    }
    decimals = decimals < 0 ? 0 : decimals > 3 ? 3 : decimals;
    double unit = pow(10.0, decimals);
    double t = floor(s * unit + 0.5) / unit; /* rounded once, so 59.96 s is 01:00.0 */
    long whole = (long)floor(t);
    double sec = t - (double)(whole / 60 * 60);
    long min = whole / 60 % 60, hours = whole / 3600;
    int width = decimals ? 3 + decimals : 2;
    if (hours)
        snprintf(buf, size, "%ld:%02ld:%0*.*f", hours, min, width, decimals, sec);
    else
        snprintf(buf, size, "%02ld:%0*.*f", min, width, decimals, sec);
}

void hark_overlay_note(double hz, char *buf, size_t size)
{
    static const char *names[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    if (!(hz >= 20.0)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    double midi = 69.0 + 12.0 * log2(hz / 440.0);
    long n = lround(midi);
    int cents = (int)lround(100.0 * (midi - (double)n));
    snprintf(buf, size, "%s%ld %+d c", names[((n % 12) + 12) % 12], n / 12 - 1, cents);
}

/* ---- the parts ------------------------------------------------------------------------------- */

static size_t ticks_for(unsigned pixels, unsigned per_tick)
{
    size_t n = pixels / per_tick;
    return n < 2 ? 2 : n > MAX_TICKS ? MAX_TICKS : n;
}

static int along(double pos, unsigned n)
{
    return (int)lround(pos * (double)(n - 1));
}

static void frame_box(const canvas *c, unsigned bx, unsigned by, unsigned bw, unsigned bh)
{
    int x0 = (int)bx - 1, y0 = (int)by - 1;
    int x1 = (int)(bx + bw), y1 = (int)(by + bh);
    fill(c, x0, y0, x1 + 1, y0 + 1, HARK_LOOK_FRAME, 255);
    fill(c, x0, y1, x1 + 1, y1 + 1, HARK_LOOK_FRAME, 255);
    fill(c, x0, y0, x0 + 1, y1 + 1, HARK_LOOK_FRAME, 255);
    fill(c, x1, y0, x1 + 1, y1 + 1, HARK_LOOK_FRAME, 255);
}

/* Pane k as a layout of its own: its rectangle is the data area. */
static hark_layout pane_layout(const hark_layout *l, unsigned k)
{
    hark_layout p = *l;
    hark_overlay_pane(l, k, &p.data_x, &p.data_y);
    p.data_w = l->pane_w;
    p.data_h = l->pane_h;
    p.panes = 1;
    return p;
}

/* Each pane's frame, its inside clear (the waterfall shows through), and its name above it. */
static void draw_panes(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    for (unsigned k = 0; k < l->panes; k++) {
        hark_layout p = pane_layout(l, k);
        fill(c, (int)p.data_x, (int)p.data_y, (int)(p.data_x + p.data_w),
             (int)(p.data_y + p.data_h), (const uint8_t[3]){0, 0, 0}, 0);
        frame_box(c, p.data_x, p.data_y, p.data_w, p.data_h);
        if (st->pane_names && st->pane_names[k])
            text(c, (int)p.data_x + 2, (int)p.data_y - 4 - c->desc, st->pane_names[k]);
    }
}

/* Ticks and labels on the bottom edge (x positions) or the left edge (y positions). */
/* Ticks under a box's bottom edge y, over x0 .. x0 + w. */
static void ticks_under(const canvas *c, int x0, unsigned w, int y, const hark_tick *t, size_t n,
                        int reversed, const char *title)
{
    for (size_t i = 0; i < n; i++) {
        int x = x0 + (reversed ? (int)w - 1 - along(t[i].pos, w) : along(t[i].pos, w));
        fill(c, x, y + 1, x + 1, y + 1 + HARK_LOOK_TICK, HARK_LOOK_FRAME, 255);
        int lw = width_of(c, t[i].label), lx = x - lw / 2;
        lx = lx + lw > x0 + (int)w + 4 ? x0 + (int)w + 4 - lw : lx; /* the end's label stays
                                                                        over its axis */
        text(c, lx, y + HARK_LOOK_TICK + 2 + c->asc, t[i].label);
    }
    text(c, x0 + (int)w / 2 - width_of(c, title) / 2, y + HARK_LOOK_TICK + 2 + c->line + 4 + c->asc,
         title);
}

static void bottom_ticks(const canvas *c, const hark_layout *l, const hark_tick *t, size_t n,
                         int reversed, const char *title)
{
    /* With the spectrum panel under the data area, the frequency axis is under the panel. */
    int under_panel = l->spec_w && l->spec_y > l->data_y;
    int y = under_panel ? (int)(l->spec_y + l->spec_h) : (int)(l->data_y + l->data_h);
    ticks_under(c, (int)l->data_x, l->data_w, y, t, n, reversed, title);
}

static void left_ticks(const canvas *c, const hark_layout *l, const hark_tick *t, size_t n,
                       int downward, const char *title)
{
    int x = (int)l->data_x - 1;
    for (size_t i = 0; i < n; i++) {
        int y = (int)l->data_y + (downward ? along(t[i].pos, l->data_h)
                                           : (int)l->data_h - 1 - along(t[i].pos, l->data_h));
        fill(c, x - HARK_LOOK_TICK, y, x, y + 1, HARK_LOOK_FRAME, 255);
        text(c, x - HARK_LOOK_TICK - 3 - width_of(c, t[i].label), y + c->cap / 2, t[i].label);
    }
    text(c, x - HARK_LOOK_TICK - 3 - width_of(c, title), (int)l->data_y - 4 - c->desc, title);
}

static void draw_pane_axes(const canvas *c, const hark_overlay_state *st, const hark_layout *l,
                           int freq, int time)
{
    hark_scale scale;
    hark_overlay_scale(st, l, &scale);
    hark_tick freq_ticks[MAX_TICKS], time_ticks[MAX_TICKS];
    unsigned freq_px = st->newest_at_top ? l->data_w : l->data_h;
    unsigned time_px = st->newest_at_top ? l->data_h : l->data_w;
    size_t nf = hark_axis_freq(&scale, ticks_for(freq_px, st->newest_at_top ? 80 : 40), freq_ticks,
                               MAX_TICKS);
    size_t nt = hark_axis_time(st->behind_s, st->behind_s + time_px * st->frame_s,
                               ticks_for(time_px, st->newest_at_top ? 40 : 80), time_ticks, MAX_TICKS);
    if (st->file_time) /* the same places, labelled with the position heard there */
        for (size_t i = 0; i < nt; i++) {
            time_ticks[i].label[0] = '\0';
            if (time_ticks[i].value - st->behind_s <= st->shown_s)
                hark_overlay_clock(st->now_s - time_ticks[i].value, 1, time_ticks[i].label, sizeof time_ticks[i].label);
        }
    const char *title = st->file_time ? "position" : st->newest_at_top ? "s ago" : "seconds ago";
    int cqt = scale.kind == HARK_SCALE_CQT;
    const char *ftitle = cqt ? "note" : st->newest_at_top ? "frequency (Hz)" : "Hz";
    if (st->newest_at_top) {
        if (freq)
            bottom_ticks(c, l, freq_ticks, nf, 0, ftitle);
        if (time)
            left_ticks(c, l, time_ticks, nt, 1, title);
    } else {
        if (freq)
            left_ticks(c, l, freq_ticks, nf, 0, ftitle);
        if (time)
            bottom_ticks(c, l, time_ticks, nt, 1, title);
    }
}

/* Each pane's axis along the split, and the shared one once: beside the pane at its margin
 * (the left's is the first pane's, the bottom's the last's). */
static void draw_axes(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    int freq_left = !st->newest_at_top; /* else the frequency axis is at the bottom */
    unsigned freq_at = freq_left ? 0 : l->panes - 1, time_at = freq_left ? l->panes - 1 : 0;
    for (unsigned k = 0; k < l->panes; k++) {
        hark_layout p = pane_layout(l, k);
        draw_pane_axes(c, st, &p, l->split_freq || k == freq_at, !l->split_freq || k == time_at);
    }
}

static void draw_colour_bar(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    unsigned right = l->data_x + l->data_w, spec_right = l->spec_w ? l->spec_x + l->spec_w : 0;
    int x0 = (int)(right > spec_right ? right : spec_right) + 1 + BAR_GAP, y0 = (int)l->data_y;
    unsigned h = l->data_h;
    for (unsigned i = 0; i < h; i++) {
        unsigned idx = (unsigned)lround((double)i * 255.0 / (double)(h - 1));
        fill(c, x0, y0 + (int)(h - 1 - i), x0 + HARK_LOOK_BAR_W, y0 + (int)(h - i), st->palette[idx], 255);
    }
    hark_tick db[MAX_TICKS];
    int given = st->bar_units != NULL;
    size_t n = hark_axis_db(given ? st->bar_min : st->min_db, given ? st->bar_max : st->max_db,
                            ticks_for(h, 40), db, MAX_TICKS);
    for (size_t i = 0; i < n; i++) {
        int y = y0 + (int)h - 1 - along(db[i].pos, h);
        fill(c, x0 + HARK_LOOK_BAR_W, y, x0 + HARK_LOOK_BAR_W + HARK_LOOK_TICK, y + 1, HARK_LOOK_FRAME, 255);
        text(c, x0 + HARK_LOOK_BAR_W + HARK_LOOK_TICK + 3, y + c->cap / 2, db[i].label);
    }
    text(c, x0, y0 - 4 - c->desc, given ? st->bar_units : "dBFS");
}

/* ---- the analyzer's panels ------------------------------------------------------------------ */

static const uint8_t PANEL_BG[3] = {8, 8, 8}, GRID[3] = {52, 52, 52};

/* The legend's items from (x, top), each after its swatch, on as many lines as it takes up to
 * x_max. */
static void draw_legend(const canvas *c, const hark_overlay_state *st, int x, int top, int x_max)
{
    int at = x, line = 0;
    for (unsigned i = 0; i < st->legend_n; i++) {
        const hark_legend_item *it = &st->legend[i];
        int w = width_of(c, it->text) + (it->swatch ? 16 : 0);
        if (at > x && at + w > x_max) {
            at = x;
            line++;
        }
        int baseline = top + line * c->line + c->asc;
        if (it->swatch) {
            fill(c, at, baseline - c->cap / 2 - 1, at + 12, baseline - c->cap / 2 + 2, it->rgb, 255);
            at += 16;
        }
        text(c, at, baseline, it->text);
        at += width_of(c, it->text) + 12;
    }
}

/* The spectrum panel: its frame, a grid line and label every tick of the dB range, and the
 * legend; the traces are drawn over it on the GPU (panels.h). */
static void draw_spectrum_panel(const canvas *c, const hark_overlay_state *st,
                                const hark_layout *l)
{
    if (!l->spec_w)
        return;
    int x0 = (int)l->spec_x, y0 = (int)l->spec_y, w = (int)l->spec_w, h = (int)l->spec_h;
    fill(c, x0, y0, x0 + w, y0 + h, PANEL_BG, 255);
    frame_box(c, l->spec_x, l->spec_y, l->spec_w, l->spec_h);
    hark_tick db[MAX_TICKS];
    unsigned level_px = st->newest_at_top ? l->spec_h : l->spec_w;
    size_t n = hark_axis_db(st->min_db, st->max_db, ticks_for(level_px, 30), db, MAX_TICKS);
    for (size_t i = 0; i < n; i++) {
        int at = along(db[i].pos, level_px);
        if (st->newest_at_top) {
            int y = y0 + h - 1 - at;
            fill(c, x0, y, x0 + w, y + 1, GRID, 255);
            fill(c, x0 - 1 - HARK_LOOK_TICK, y, x0 - 1, y + 1, HARK_LOOK_FRAME, 255);
            text(c, x0 - 1 - HARK_LOOK_TICK - 3 - width_of(c, db[i].label), y + c->cap / 2,
                 db[i].label);
        } else {
            int x = x0 + at;
            fill(c, x, y0, x + 1, y0 + h, GRID, 255);
            fill(c, x, y0 + h + 1, x + 1, y0 + h + 1 + HARK_LOOK_TICK, HARK_LOOK_FRAME, 255);
            text(c, x - width_of(c, db[i].label) / 2, y0 + h + HARK_LOOK_TICK + 2 + c->asc,
                 db[i].label);
        }
    }
    if (!st->newest_at_top)
        text(c, x0 + w / 2 - width_of(c, "dBFS") / 2,
             y0 + h + HARK_LOOK_TICK + 2 + c->line + 4 + c->asc, "dBFS");
    draw_legend(c, st, x0 + 6, y0 + 4, x0 + w - 6);
}

/* x of second t of the file on the overview strip. */
static int overview_x(const hark_layout *l, const hark_overview_state *o, double t)
{
    double f = o->length_s > 0 ? t / o->length_s : 0;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return (int)l->ov_x + (int)lround(f * (l->ov_w - 1));
}

/* Blend rgb over a rectangle at alpha a (0..255). */
static void tint(const canvas *c, int x0, int y0, int x1, int y1, const uint8_t rgb[3], int a)
{
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < c->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < c->w; x++) {
            uint8_t *p = c->rgba + ((size_t)y * (size_t)c->w + (size_t)x) * 4;
            for (int k = 0; k < 3; k++)
                p[k] = (uint8_t)((p[k] * (255 - a) + rgb[k] * a) / 255);
        }
}

/* play's strip of the whole file: its picture as far as it is made, the A-B loop tinted, the
 * part the waterfall shows bracketed, the playhead. */
static void draw_overview(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    const hark_overview_state *o = st->overview;
    if (!l->ov_w || !o || !o->rgb)
        return;
    static const uint8_t PLAYHEAD[3] = {255, 255, 255}, SHOWN[3] = {120, 200, 255},
                         LOOP[3] = {255, 214, 64};
    int x0 = (int)l->ov_x, y0 = (int)l->ov_y, w = (int)l->ov_w, h = (int)l->ov_h;
    for (int y = 0; y < h; y++) {
        unsigned r = (unsigned)((long)y * o->rows / h);
        uint8_t *p = c->rgba + ((size_t)(y0 + y) * (size_t)c->w + (size_t)x0) * 4;
        for (int x = 0; x < w && x0 + x < c->w; x++, p += 4) {
            unsigned col = (unsigned)((long)x * o->cols / w);
            const uint8_t *q = o->rgb + ((size_t)r * o->cols + col) * 3;
            int made = col < o->done;
            p[0] = made ? q[0] : 24, p[1] = made ? q[1] : 24, p[2] = made ? q[2] : 24;
            p[3] = 255;
        }
    }
    frame_box(c, l->ov_x, l->ov_y, l->ov_w, l->ov_h);
    if (o->loop_to_s > o->loop_from_s)
        tint(c, overview_x(l, o, o->loop_from_s), y0, overview_x(l, o, o->loop_to_s) + 1,
             y0 + h, LOOP, 70);
    int s0 = overview_x(l, o, o->shown_from_s), s1 = overview_x(l, o, o->shown_to_s);
    fill(c, s0, y0, s1 + 1, y0 + 2, SHOWN, 255);
    fill(c, s0, y0 + h - 2, s1 + 1, y0 + h, SHOWN, 255);
    int px = overview_x(l, o, o->playhead_s);
    fill(c, px - 1, y0, px + 1, y0 + h, PLAYHEAD, 255);
}

static void draw_meters(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    if (!l->meter_w)
        return;
    static const char *const labels[HARK_METER_LINES] = {"pk", "tp", "rms", "M", "S"};
    static const double marks[] = {0, -6, -12, -20, -30, -40, -50, -60};
    int x0 = (int)l->meter_x, sw = (int)l->meter_scale_w;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        int y = (int)lround(hark_overlay_meter_y(l, marks[i]));
        char label[8];
        snprintf(label, sizeof label, "%.0f", marks[i]);
        text(c, x0 + sw - 4 - width_of(c, label), y + c->cap / 2, label);
        fill(c, x0 + sw - 2, y, x0 + sw + (int)(l->meter_channels * l->meter_col), y + 1, GRID,
             255);
    }
    int y = (int)l->bar_bottom + 6;
    for (unsigned ch = 0; ch < l->meter_channels; ch++) {
        char name[12];
        snprintf(name, sizeof name, "%u", ch + 1);
        int cx = x0 + sw + (int)(ch * l->meter_col);
        text(c, cx + (int)l->meter_col / 2 - width_of(c, name) / 2, (int)l->meter_y - 4 - c->desc,
             name);
        for (int k = 0; st->meter_text && k < HARK_METER_LINES; k++)
            text(c, cx + (int)l->meter_col - 4 - width_of(c, st->meter_text[ch][k]),
                 y + k * c->line + c->asc, st->meter_text[ch][k]);
    }
    for (int k = 0; k < HARK_METER_LINES; k++)
        text(c, x0, y + k * c->line + c->asc, labels[k]);
    for (int k = 0; k < 2; k++)
        if (st->loudness_text[k])
            text(c, x0, y + (HARK_METER_LINES + k) * c->line + 2 + c->asc, st->loudness_text[k]);
}

/* The smallest rectangle holding a and b. */
static void grow(hark_rect *a, int x, int y, int w, int h)
{
    if (a->w == 0) {
        *a = (hark_rect){x, y, w, h};
        return;
    }
    int x1 = a->x + a->w > x + w ? a->x + a->w : x + w;
    int y1 = a->y + a->h > y + h ? a->y + a->h : y + h;
    a->x = a->x < x ? a->x : x;
    a->y = a->y < y ? a->y : y;
    a->w = x1 - a->x;
    a->h = y1 - a->y;
}

/* A box of text lines in one or two columns ("key\tdoes" puts "does" in the second column),
 * kept inside the data area; its rectangle is added to *covered. */
/* A line's key (before its tab) into key. */
static void line_key(const char *line, char *key, size_t size)
{
    const char *tab = strchr(line, '\t');
    snprintf(key, size, "%.*s", tab ? (int)(tab - line) : (int)strlen(line), line);
}

/* A box of "key\tdoes" lines (the part after a tab aligned in a column) at (x, y), kept
 * inside the data area: in two columns of lines when one is too tall for it. */
static void draw_box(const canvas *c, const hark_layout *l, int x, int y, const char *const *lines,
                     int n, hark_rect *covered)
{
    int col1 = 0, col2 = 0;
    for (int i = 0; i < n; i++) {
        char key[64];
        line_key(lines[i], key, sizeof key);
        const char *tab = strchr(lines[i], '\t');
        int kw = width_of(c, key), dw = tab ? width_of(c, tab + 1) : 0;
        col1 = kw > col1 ? kw : col1;
        col2 = dw > col2 ? dw : col2;
    }
    int gap = col2 ? 2 * PAD : 0, one = col1 + gap + col2;
    int halves = n * c->line + 2 * PAD > (int)l->data_h &&
                 2 * one + 3 * PAD + 2 * PAD <= (int)l->data_w ? 2 : 1;
    int per = (n + halves - 1) / halves;
    int w = halves * one + (halves - 1) * 3 * PAD + 2 * PAD, h = per * c->line + 2 * PAD;
    int xmax = (int)(l->data_x + l->data_w) - w, ymax = (int)(l->data_y + l->data_h) - h;
    x = x > xmax ? xmax : x;
    y = y > ymax ? ymax : y;
    x = x < (int)l->data_x ? (int)l->data_x : x;
    y = y < (int)l->data_y ? (int)l->data_y : y;
    fill(c, x, y, x + w, y + h, BOX, BOX_ALPHA);
    grow(covered, x, y, w, h);
    for (int i = 0; i < n; i++) {
        char key[64];
        line_key(lines[i], key, sizeof key);
        const char *tab = strchr(lines[i], '\t');
        int left = x + PAD + (i / per) * (one + 3 * PAD);
        int baseline = y + PAD + (i % per) * c->line + c->asc;
        text(c, left, baseline, key);
        if (tab)
            text(c, left + col1 + gap, baseline, tab + 1);
    }
}

/* The keys (keys.h) as "key\tdoes" lines. */
static int help_lines(const char *command, char text[][96], const char **out, int max)
{
    int n = 0;
    const char *keys, *does;
    while (n < max && hark_keys_help(command, (size_t)n, &keys, &does)) {
        snprintf(text[n], sizeof text[n], "%s\t%s", keys, does);
        out[n] = text[n];
        n++;
    }
    return n;
}

void hark_overlay_draw(const hark_overlay_state *st, const hark_layout *l, hark_text *t,
                       uint8_t *rgba, hark_rect *boxes)
{
    *boxes = (hark_rect){0, 0, 0, 0};
    canvas c = {rgba, (int)l->width, (int)l->height, t, hark_text_ascent(t),
                hark_text_descent(t), 0, 0};
    c.line = c.asc + c.desc;
    c.cap = (c.asc * 3 + 2) / 4;
    fill(&c, 0, 0, c.w, c.h, HARK_LOOK_BACKGROUND, 255);
    text(&c, PAD, PAD + c.asc, st->status ? st->status : "");
    draw_panes(&c, st, l);
    draw_axes(&c, st, l);
    draw_colour_bar(&c, st, l);
    draw_spectrum_panel(&c, st, l);
    draw_meters(&c, st, l);
    draw_overview(&c, st, l);
    if (st->readout && st->readout_text) {
        const char *lines[1] = {st->readout_text};
        draw_box(&c, l, st->mouse_x + 14, st->mouse_y + 14, lines, 1, boxes);
    }
    if (st->help) {
        const char *lines[32];
        char text[32][96];
        int n = help_lines(st->command ? st->command : "live", text, lines, 32);
        draw_box(&c, l, (int)(l->data_x + l->data_w / 2) - 220, (int)l->data_y + 8, lines, n,
                 boxes);
    }
}
