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

void hark_overlay_layout(unsigned width, unsigned height, int newest_at_top, int file_time,
                         hark_text *t, hark_layout *out)
{
    int line = hark_text_ascent(t) + hark_text_descent(t);
    int freq_label = hark_text_width(t, "22.05k");
    int time_label = hark_text_width(t, file_time ? "1:00:00.0" : "88.8");
    int top = PAD + line + 6 + line + 4; /* the status line, then the axis titles */
    int bottom = HARK_LOOK_TICK + 2 + line + 4 + line + PAD;
    int left = PAD + (newest_at_top ? time_label : freq_label) + 4 + HARK_LOOK_TICK + 1;
    int right = 1 + BAR_GAP + HARK_LOOK_BAR_W + HARK_LOOK_TICK + 3 + hark_text_width(t, "-120") + PAD;
    int w = (int)width - left - right, h = (int)height - top - bottom;
    *out = (hark_layout){width, height, (unsigned)left, (unsigned)top, w > 2 ? (unsigned)w : 2,
                         h > 2 ? (unsigned)h : 2};
}

void hark_overlay_scale(const hark_overlay_state *st, const hark_layout *lay, hark_scale *out)
{
    unsigned rows = st->newest_at_top ? lay->data_w : lay->data_h;
    hark_scale_init(out, st->scale, rows, st->rate_hz, st->fft_size);
}

int hark_overlay_locate(const hark_layout *lay, int newest_at_top, int x, int y,
                        double *along_freq, double *age)
{
    int dx = x - (int)lay->data_x, dy = y - (int)lay->data_y;
    if (dx < 0 || dy < 0 || dx >= (int)lay->data_w || dy >= (int)lay->data_h)
        return 0;
    if (newest_at_top) {
        *along_freq = (double)dx / (lay->data_w - 1);
        *age = (double)dy / lay->data_h;
    } else {
        *along_freq = (double)(lay->data_h - 1 - (unsigned)dy) / (lay->data_h - 1);
        *age = (double)(lay->data_w - 1 - (unsigned)dx) / lay->data_w;
    }
    return 1;
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

static void draw_frame(const canvas *c, const hark_layout *l)
{
    int x0 = (int)l->data_x - 1, y0 = (int)l->data_y - 1;
    int x1 = (int)(l->data_x + l->data_w), y1 = (int)(l->data_y + l->data_h);
    fill(c, x0, y0, x1 + 1, y0 + 1, HARK_LOOK_FRAME, 255);
    fill(c, x0, y1, x1 + 1, y1 + 1, HARK_LOOK_FRAME, 255);
    fill(c, x0, y0, x0 + 1, y1 + 1, HARK_LOOK_FRAME, 255);
    fill(c, x1, y0, x1 + 1, y1 + 1, HARK_LOOK_FRAME, 255);
}

/* Ticks and labels on the bottom edge (x positions) or the left edge (y positions). */
static void bottom_ticks(const canvas *c, const hark_layout *l, const hark_tick *t, size_t n,
                         int reversed, const char *title)
{
    int y = (int)(l->data_y + l->data_h);
    for (size_t i = 0; i < n; i++) {
        int x = (int)l->data_x + (reversed ? (int)l->data_w - 1 - along(t[i].pos, l->data_w)
                                           : along(t[i].pos, l->data_w));
        fill(c, x, y + 1, x + 1, y + 1 + HARK_LOOK_TICK, HARK_LOOK_FRAME, 255);
        text(c, x - width_of(c, t[i].label) / 2, y + HARK_LOOK_TICK + 2 + c->asc, t[i].label);
    }
    text(c, (int)(l->data_x + l->data_w / 2) - width_of(c, title) / 2,
         y + HARK_LOOK_TICK + 2 + c->line + 4 + c->asc, title);
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

static void draw_axes(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    hark_scale scale;
    hark_overlay_scale(st, l, &scale);
    hark_tick freq[MAX_TICKS], time[MAX_TICKS];
    unsigned freq_px = st->newest_at_top ? l->data_w : l->data_h;
    unsigned time_px = st->newest_at_top ? l->data_h : l->data_w;
    size_t nf = hark_axis_freq(&scale, ticks_for(freq_px, st->newest_at_top ? 80 : 40), freq,
                               MAX_TICKS);
    size_t nt = hark_axis_time(0.0, time_px * st->frame_s,
                               ticks_for(time_px, st->newest_at_top ? 40 : 80), time, MAX_TICKS);
    if (st->file_time) /* the same places, labelled with the position heard there */
        for (size_t i = 0; i < nt; i++) {
            time[i].label[0] = '\0';
            if (time[i].value <= st->shown_s)
                hark_overlay_clock(st->now_s - time[i].value, 1, time[i].label, sizeof time[i].label);
        }
    const char *title = st->file_time ? "position" : st->newest_at_top ? "s ago" : "seconds ago";
    if (st->newest_at_top) {
        bottom_ticks(c, l, freq, nf, 0, "frequency (Hz)");
        left_ticks(c, l, time, nt, 1, title);
    } else {
        left_ticks(c, l, freq, nf, 0, "Hz");
        bottom_ticks(c, l, time, nt, 1, title);
    }
}

static void draw_colour_bar(const canvas *c, const hark_overlay_state *st, const hark_layout *l)
{
    int x0 = (int)(l->data_x + l->data_w) + 1 + BAR_GAP, y0 = (int)l->data_y;
    unsigned h = l->data_h;
    for (unsigned i = 0; i < h; i++) {
        unsigned idx = (unsigned)lround((double)i * 255.0 / (double)(h - 1));
        fill(c, x0, y0 + (int)(h - 1 - i), x0 + HARK_LOOK_BAR_W, y0 + (int)(h - i), st->palette[idx], 255);
    }
    hark_tick db[MAX_TICKS];
    size_t n = hark_axis_db(st->min_db, st->max_db, ticks_for(h, 40), db, MAX_TICKS);
    for (size_t i = 0; i < n; i++) {
        int y = y0 + (int)h - 1 - along(db[i].pos, h);
        fill(c, x0 + HARK_LOOK_BAR_W, y, x0 + HARK_LOOK_BAR_W + HARK_LOOK_TICK, y + 1, HARK_LOOK_FRAME, 255);
        text(c, x0 + HARK_LOOK_BAR_W + HARK_LOOK_TICK + 3, y + c->cap / 2, db[i].label);
    }
    text(c, x0, y0 - 4 - c->desc, "dBFS");
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
static void draw_box(const canvas *c, const hark_layout *l, int x, int y, const char *const *lines,
                     int n, hark_rect *covered)
{
    int col1 = 0, col2 = 0;
    for (int i = 0; i < n; i++) {
        const char *tab = strchr(lines[i], '\t');
        char key[64];
        snprintf(key, sizeof key, "%.*s", tab ? (int)(tab - lines[i]) : (int)strlen(lines[i]), lines[i]);
        int kw = width_of(c, key), dw = tab ? width_of(c, tab + 1) : 0;
        col1 = kw > col1 ? kw : col1;
        col2 = dw > col2 ? dw : col2;
    }
    int gap = col2 ? 2 * PAD : 0;
    int w = col1 + gap + col2 + 2 * PAD, h = n * c->line + 2 * PAD;
    int xmax = (int)(l->data_x + l->data_w) - w, ymax = (int)(l->data_y + l->data_h) - h;
    x = x > xmax ? xmax : x;
    y = y > ymax ? ymax : y;
    x = x < (int)l->data_x ? (int)l->data_x : x;
    y = y < (int)l->data_y ? (int)l->data_y : y;
    fill(c, x, y, x + w, y + h, BOX, BOX_ALPHA);
    grow(covered, x, y, w, h);
    for (int i = 0; i < n; i++) {
        const char *tab = strchr(lines[i], '\t');
        char key[64];
        snprintf(key, sizeof key, "%.*s", tab ? (int)(tab - lines[i]) : (int)strlen(lines[i]), lines[i]);
        int baseline = y + PAD + i * c->line + c->asc;
        text(c, x + PAD, baseline, key);
        if (tab)
            text(c, x + PAD + col1 + gap, baseline, tab + 1);
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
    fill(&c, (int)l->data_x, (int)l->data_y, (int)(l->data_x + l->data_w),
         (int)(l->data_y + l->data_h), (const uint8_t[3]){0, 0, 0}, 0);
    text(&c, PAD, PAD + c.asc, st->status ? st->status : "");
    draw_frame(&c, l);
    draw_axes(&c, st, l);
    draw_colour_bar(&c, st, l);
    if (st->readout && st->readout_text) {
        const char *lines[1] = {st->readout_text};
        draw_box(&c, l, st->mouse_x + 14, st->mouse_y + 14, lines, 1, boxes);
    }
    if (st->help) {
        const char *lines[16];
        char text[16][96];
        int n = help_lines(st->command ? st->command : "live", text, lines, 16);
        draw_box(&c, l, (int)(l->data_x + l->data_w / 2) - 170,
                 (int)(l->data_y + l->data_h / 2) - 100, lines, n, boxes);
    }
}
