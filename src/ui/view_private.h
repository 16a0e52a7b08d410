#ifndef HARK_VIEW_PRIVATE_H
#define HARK_VIEW_PRIVATE_H
/*
 * The window's insides, shared by view.c (the window, its panels, drawing, keys) and
 * view_nav.c (pausing and scrolling back, zooming, the mouse). Not for anything outside ui/.
 * Thread: main.
 */
#include <SDL.h>

#include "gl.h"
#include "overlay.h"
#include "panels.h"
#include "text.h"
#include "view.h"
#include "waterfall.h"

#define MAX_CHANNELS 8u      /* meters shown */

/* What the left button, held down, is doing. */
typedef enum {
    HARK_DRAG_NONE,
    HARK_DRAG_PANE,           /* a click on a pane, or scrolling it */
    HARK_DRAG_AXIS,           /* choosing a band along the frequency axis (from drag_freq_hz) */
    HARK_DRAG_STRIP           /* a click on the overview, or an A-B loop along it */
} hark_drag;

struct hark_view {
    hark_view_config cfg;
    SDL_Window *window;
    SDL_GLContext gl;
    GLuint overlay_prog, overlay_tex;
    hark_gl_quad pane_quad[HARK_LANES_MAX], full_quad;
    unsigned panes;            /* a waterfall a channel analysed */
    hark_waterfall *waterfall[HARK_LANES_MAX];
    char pane_name[HARK_LANES_MAX][16];
    const char *pane_names[HARK_LANES_MAX]; /* (NULL: one pane, not named) */
    int split_time;            /* B: panes side by side (each the whole frequency axis) */
    hark_panels *panels;
    const hark_traces *traces;  /* the analyzer's (NULL: none) */
    const hark_levels *levels;
    int show_spectrum, show_meters, show_min;
    float *points;             /* a trace's strip: 2 floats a pixel along the frequency axis */
    hark_scale_map map;        /* the data area's scale over the bins (dB: the traces) */
    unsigned freq_px;
    hark_legend_item legend[8];
    unsigned legend_n;
    char meter_text[MAX_CHANNELS][HARK_METER_LINES][12];
    char loudness[2][48];
    hark_text *text;
    hark_layout layout;
    uint8_t *overlay;          /* layout.width * layout.height * 4 */
    hark_rect boxes;           /* the overlay's boxes over the data area */
    int overlay_dirty, dirty, paused, help;
    uint32_t last_overlay_ms;
    double next_frame_ms;      /* when the next frame is due (SDL ticks) */
    int mouse_in, mouse_x, mouse_y;
    hark_drag dragging;
    int drag_x, drag_y, press_x, press_y;
    double drag_freq_hz, press_s;
    double target_s, target_end_s; /* a seek's position, or an A-B loop's ends (s) */
    hark_overview_state overview;  /* play's strip (rgb NULL: none yet) */
    double zoom_lo_hz, zoom_hi_hz; /* the frequency axis' band (hi 0: the whole axis) */
    double now_s;              /* file_time: the newest row's position */
    long now_label;            /* now_s in tenths, as the time axis last showed it */
    char status_extra[320];
};

/* view.c: the frequency scale of a pane over a band (hi 0: the whole axis), or as zoomed, and
 * the taps again after it changed. */
void hark_view_scale_over(const hark_view *v, double lo_hz, double hi_hz, hark_scale *scale);
void hark_view_scale_of(const hark_view *v, hark_scale *scale);
hark_err hark_view_rescale(hark_view *v);

/* view_nav.c */
void hark_view_nav_pause(hark_view *v, int paused);  /* the panes stay; rows are kept */
void hark_view_nav_scroll(hark_view *v, double lines); /* back in time (pauses first) */
void hark_view_nav_zoom_time(hark_view *v, int steps);
void hark_view_nav_reset(hark_view *v);              /* the whole axis, a frame a line */
void hark_view_nav_wheel(hark_view *v, int notches);
hark_view_action hark_view_nav_button(hark_view *v, const SDL_MouseButtonEvent *b);
void hark_view_nav_drag(hark_view *v);

#endif
