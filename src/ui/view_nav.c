/* The window's navigation (view_private.h): pause and scroll back through the kept rows,
 * zoom and pan the frequency axis, zoom the time axis, and the mouse's clicks and drags. */
#include <math.h>
#include <stdlib.h>

#include "view_private.h"

/* Pause (the panes stay where they are; rows are still kept) or follow the newest row again. */
void hark_view_nav_pause(hark_view *v, int paused)
{
    v->paused = paused;
    for (unsigned k = 0; k < v->panes; k++)
        hark_waterfall_anchor(v->waterfall[k], paused);
    v->overlay_dirty = v->dirty = 1;
}

/* Scroll the paused panes `lines` lines back in time (negative: forward); pauses first. */
void hark_view_nav_scroll(hark_view *v, double lines)
{
    if (!v->paused)
        hark_view_nav_pause(v, 1);
    for (unsigned k = 0; k < v->panes; k++)
        hark_waterfall_scroll(v->waterfall[k], lines);
    v->overlay_dirty = v->dirty = 1;
}

void hark_view_nav_zoom_time(hark_view *v, int steps)
{
    for (unsigned k = 0; k < v->panes; k++)
        hark_waterfall_zoom_time(v->waterfall[k], steps);
    v->overlay_dirty = v->dirty = 1;
}

/* Show the band lo..hi Hz (within the whole axis; at least a few bins wide), or the whole
 * axis when it covers it. */
static void zoom_band(hark_view *v, double lo, double hi)
{
    hark_scale full;
    hark_view_scale_over(v, 0, 0, &full);
    double min_span = 4.0 * v->cfg.rate_hz / v->cfg.fft_size;
    lo = lo < full.lo_hz ? full.lo_hz : lo;
    hi = hi > full.hi_hz ? full.hi_hz : hi;
    if (hi - lo < min_span) {
        double mid = (lo + hi) / 2;
        lo = mid - min_span / 2 < full.lo_hz ? full.lo_hz : mid - min_span / 2;
        hi = lo + min_span;
    }
    int whole = lo <= full.lo_hz && hi >= full.hi_hz;
    v->zoom_lo_hz = whole ? 0 : lo;
    v->zoom_hi_hz = whole ? 0 : hi;
    if (hark_view_rescale(v))
        hark_error_clear(); /* out of memory: the old taps stay */
    v->overlay_dirty = v->dirty = 1;
}

/* Zoom the frequency axis by `factor` (< 1: in) about the fraction `at` of it. */
static void zoom_freq_at(hark_view *v, double at, double factor)
{
    hark_scale sc;
    hark_view_scale_of(v, &sc);
    double n = sc.rows - 1;
    zoom_band(v, hark_scale_freq(&sc, (at - at * factor) * n),
              hark_scale_freq(&sc, (at + (1 - at) * factor) * n));
}

/* Where along the frequency axis (x or y) a point is, as a fraction of a pane's axis; 0 when
 * no pane spans it. */
static int along_freq(const hark_view *v, int x, int y, double *frac)
{
    const hark_layout *l = &v->layout;
    for (unsigned k = 0; k < l->panes; k++) {
        unsigned px, py;
        hark_overlay_pane(l, k, &px, &py);
        if (v->cfg.newest_at_top && x >= (int)px && x < (int)(px + l->pane_w)) {
            *frac = (double)(x - (int)px) / (l->pane_w - 1);
            return 1;
        }
        if (!v->cfg.newest_at_top && y >= (int)py && y < (int)(py + l->pane_h)) {
            *frac = (double)((int)(py + l->pane_h) - 1 - y) / (l->pane_h - 1);
            return 1;
        }
    }
    return 0;
}

/* The frequency at a fraction of the (zoomed) axis. */
static double freq_at(const hark_view *v, double at)
{
    hark_scale sc;
    hark_view_scale_of(v, &sc);
    return hark_scale_freq(&sc, at * (sc.rows - 1));
}

/* The frequency axis' margin: left of the panes (time across), or under them (frequency
 * across; the spectrum panel's and the axis' rows). */
static int on_freq_axis(const hark_view *v, int x, int y)
{
    const hark_layout *l = &v->layout;
    return v->cfg.newest_at_top ? y >= (int)(l->data_y + l->data_h) : x < (int)l->data_x;
}

/* Move the zoomed band by `share` of its width (up in frequency when positive). */
static void pan_freq(hark_view *v, double share)
{
    hark_scale sc, full;
    hark_view_scale_of(v, &sc);
    hark_view_scale_over(v, 0, 0, &full);
    double n = sc.rows - 1, lo = hark_scale_freq(&sc, share * n),
           hi = hark_scale_freq(&sc, (1 + share) * n);
    if (lo < full.lo_hz || hi > full.hi_hz) /* at an end: the band keeps its width there */
        return;
    zoom_band(v, lo, hi);
}

void hark_view_nav_reset(hark_view *v)
{
    hark_view_nav_zoom_time(v, -hark_waterfall_zoom_exp(v->waterfall[0]));
    zoom_band(v, 0, INFINITY);
}

void hark_view_nav_wheel(hark_view *v, int notches)
{
    SDL_Keymod mod = SDL_GetModState();
    double at;
    if (mod & KMOD_CTRL) {
        if (!along_freq(v, v->mouse_x, v->mouse_y, &at))
            at = 0.5;
        zoom_freq_at(v, at, notches > 0 ? pow(0.8, notches) : pow(1.25, -notches));
    } else if (mod & KMOD_SHIFT) {
        hark_view_nav_zoom_time(v, notches > 0 ? -1 : 1);
    } else if (v->zoom_hi_hz > 0 && on_freq_axis(v, v->mouse_x, v->mouse_y)) {
        pan_freq(v, notches > 0 ? 0.125 : -0.125); /* over the axis: pan the band */
    } else {
        hark_view_nav_scroll(v, notches * (double)hark_waterfall_lines(v->waterfall[0]) / 8);
    }
}

/* Moved far enough from where the button went down to be a drag, not a click. */
static int moved_off(const hark_view *v)
{
    return abs(v->mouse_x - v->press_x) + abs(v->mouse_y - v->press_y) >= 3;
}

/* play: a click on a pane seeks to the position of the line under it. */
static hark_view_action click_pane(hark_view *v, double age)
{
    const hark_waterfall *w = v->waterfall[0];
    unsigned line = (unsigned)floor(age * hark_waterfall_lines(w));
    double ago = (double)hark_waterfall_behind(w) + line * hark_waterfall_frames_per_line(w);
    uint64_t first, count;
    hark_waterfall_shown(w, &first, &count);
    if (!v->cfg.file_time || ago >= (double)count)
        return HARK_VIEW_NONE; /* nothing there yet */
    v->target_s = v->now_s - ago * v->cfg.hop / v->cfg.rate_hz;
    return HARK_VIEW_SEEK_TO;
}

static void press(hark_view *v, const SDL_MouseButtonEvent *b)
{
    unsigned pane;
    double a, g, at, t;
    v->press_x = v->drag_x = v->mouse_x;
    v->press_y = v->drag_y = v->mouse_y;
    v->dragging = HARK_DRAG_NONE;
    if (hark_overlay_locate(&v->layout, v->cfg.newest_at_top, v->mouse_x, v->mouse_y, &pane,
                            &a, &g)) {
        if (b->clicks >= 2)
            hark_view_nav_reset(v);
        else
            v->dragging = HARK_DRAG_PANE;
    } else if (hark_overlay_overview_at(&v->layout, v->overview.length_s, v->mouse_x,
                                        v->mouse_y, &t)) {
        v->dragging = HARK_DRAG_STRIP;
        v->press_s = t;
    } else if (on_freq_axis(v, v->mouse_x, v->mouse_y) &&
               along_freq(v, v->mouse_x, v->mouse_y, &at)) {
        v->dragging = HARK_DRAG_AXIS;
        v->drag_freq_hz = freq_at(v, at);
    }
}

/* The left button: down starts a click or a drag; up ends it. A click on a pane (play)
 * or on the overview seeks; a drag on the overview sets an A-B loop, one along the frequency
 * axis zooms to that band (dragging a pane scrolls it: hark_view_nav_drag). */
hark_view_action hark_view_nav_button(hark_view *v, const SDL_MouseButtonEvent *b)
{
    double at, t;
    if (b->button != SDL_BUTTON_LEFT)
        return HARK_VIEW_NONE;
    if (b->type == SDL_MOUSEBUTTONDOWN) {
        press(v, b);
        return HARK_VIEW_NONE;
    }
    hark_drag kind = v->dragging;
    int dragged = moved_off(v);
    v->dragging = HARK_DRAG_NONE;
    if (kind == HARK_DRAG_PANE && !dragged) {
        unsigned pane;
        double a, g;
        if (hark_overlay_locate(&v->layout, v->cfg.newest_at_top, v->mouse_x, v->mouse_y,
                                &pane, &a, &g))
            return click_pane(v, g);
    } else if (kind == HARK_DRAG_STRIP) {
        if (!hark_overlay_overview_at(&v->layout, v->overview.length_s, v->mouse_x,
                                      v->press_y, &t))
            t = v->mouse_x < (int)v->layout.ov_x ? 0 : v->overview.length_s;
        v->target_s = dragged ? (t < v->press_s ? t : v->press_s) : t;
        v->target_end_s = dragged ? (t < v->press_s ? v->press_s : t) : 0;
        return dragged ? HARK_VIEW_LOOP : HARK_VIEW_SEEK_TO;
    } else if (kind == HARK_DRAG_AXIS && dragged &&
               along_freq(v, v->mouse_x, v->mouse_y, &at)) {
        double hz = freq_at(v, at);
        zoom_band(v, hz < v->drag_freq_hz ? hz : v->drag_freq_hz,
                  hz < v->drag_freq_hz ? v->drag_freq_hz : hz);
    }
    return HARK_VIEW_NONE;
}

/* Dragging the picture (once it moved off the click): older rows come in behind it. */
void hark_view_nav_drag(hark_view *v)
{
    if (v->dragging != HARK_DRAG_PANE || !moved_off(v))
        return;
    int moved = v->cfg.newest_at_top ? v->drag_y - v->mouse_y : v->mouse_x - v->drag_x;
    if (moved != 0)
        hark_view_nav_scroll(v, moved);
    v->drag_x = v->mouse_x;
    v->drag_y = v->mouse_y;
}

