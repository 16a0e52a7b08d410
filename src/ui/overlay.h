#ifndef HARK_OVERLAY_H
#define HARK_OVERLAY_H
/*
 * What the live window draws around and over the waterfall, composed on the CPU as one RGBA
 * image the size of the drawable: a status line at the top, a frequency axis on the active
 * scale, a time axis (seconds ago, or the position in the file being played), a dBFS colour bar, the readout under the mouse and the
 * help box. Alpha is 0 over the data area (the waterfall shows through) and opaque elsewhere.
 * Pure: no GL, so it is tested on its own. Thread: any (one hark_text per thread).
 */
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "scale.h"
#include "text.h"

typedef struct {
    unsigned width, height;                   /* the whole image (drawable pixels) */
    unsigned data_x, data_y, data_w, data_h;  /* the data area, top-left origin */
    /* The spectrum panel (spec_w 0: hidden): under the data area with newest_at_top (the
     * same frequency across), else at its right (the same frequency up); level grows up, or
     * to the right. */
    unsigned spec_x, spec_y, spec_w, spec_h;
    /* The level meters (meter_w 0: hidden), at the right: a scale column, then a column per
     * channel with its peak and RMS bars from bar_top (0 dBFS) to bar_bottom (-60 dBFS), a
     * clip light above, and its numbers below. */
    unsigned meter_x, meter_y, meter_w, meter_h, meter_channels;
    unsigned meter_col, meter_scale_w, bar_top, bar_bottom;
    /* The panes in the data area (several channels: a waterfall each, in order, the first at
     * the top or the left), all pane_w x pane_h, pane_gap apart: one under the other
     * (panes_down) or side by side. One pane is the data area. Split along the frequency
     * axis (split_freq), each has its own frequency axis and the spectrum panel is beside the
     * first; split along the time axis, each has its own time axis. */
    unsigned panes, pane_w, pane_h, pane_gap;
    int panes_down, split_freq;
    /* play's overview of the whole file (ov_w 0: none): a strip along the bottom, under the
     * data area's axis, from its left edge to the colour bar. */
    unsigned ov_x, ov_y, ov_w, ov_h;
} hark_layout;

/* The meters' range, dBFS. */
#define HARK_METER_MIN_DB (-60.0)
#define HARK_METER_MAX_DB 0.0
#define HARK_METER_LINES 5 /* numbers under each channel: pk, tp, rms, M, S */

/* A word of the spectrum panel's legend, after a short line in its trace's colour (swatch). */
typedef struct {
    char text[40];
    uint8_t rgb[3];
    int swatch;
} hark_legend_item;

/* What the window shows besides the waterfall. */
typedef struct {
    int spectrum, meters;     /* shown */
    unsigned channels;        /* the meters' */
    unsigned panes;           /* waterfalls (0: 1) ... */
    int split_time;           /* ... each the whole frequency axis and a share of the time
                                 axis (side by side), else a share of the frequency axis
                                 (stacked, as render stacks channels) */
    int overview;             /* play's strip of the whole file */
} hark_panels_shown;

/* The overview strip: the file's picture (rows x cols RGB, the columns below `done` drawn),
 * and where things are in the file, s. */
typedef struct {
    const uint8_t *rgb;
    unsigned cols, rows, done;
    double length_s, playhead_s, shown_from_s, shown_to_s;
    double loop_from_s, loop_to_s; /* an A-B loop (to 0: none) */
} hark_overview_state;

typedef struct {
    int newest_at_top;        /* 1: frequency across, time down; 0: time across, newest right */
    hark_scale_kind scale;
    double rate_hz;
    unsigned fft_size;
    const hark_scale *cqt;    /* cqt: its note grid and window (NULL: the defaults) */
    float min_db, max_db;     /* dBFS: the spectrum panel's range */
    float bar_min, bar_max;   /* the colour bar's (the waterfall's) range ... */
    const char *bar_units;    /* ... and its units: "dBFS" or "PCEN" (NULL: dBFS, min_db) */
    const hark_rgb *palette;
    double frame_s;           /* seconds a line along the time axis (hop / rate, zoomed) */
    double behind_s;          /* the newest line is this long before the newest row (scrolled
                                 back); the time axis counts from it */
    double zoom_lo_hz, zoom_hi_hz; /* the frequency axis zoomed to this band (hi 0: not) */
    int file_time;            /* 1: the time axis shows positions in a file (mm:ss.s) ... */
    double now_s;             /* ... the newest row's; 0: seconds ago */
    double shown_s;           /* file_time: seconds of rows held (none beyond: no label) */
    const char *status;       /* the status line */
    int readout;              /* draw the readout box at (mouse_x, mouse_y) */
    int mouse_x, mouse_y;
    const char *readout_text;
    int help;                 /* draw the keys ... */
    const char *command;      /* ... of this command (keys.h) */
    const hark_legend_item *legend; /* over the spectrum panel: what its traces are */
    unsigned legend_n;
    /* Under each meter, HARK_METER_LINES numbers a channel ("-20.0", or "--"), and two
     * session lines (integrated loudness, range) under them all. */
    const char (*meter_text)[HARK_METER_LINES][12];
    const char *loudness_text[2];
    const char *const *pane_names; /* each pane's channel, over it (NULL: none) */
    const hark_overview_state *overview; /* NULL: none */
} hark_overlay_state;

/* Where the data area goes in a drawable of width x height (pixel sizes from the font; time
 * labels are wider with file_time). */
void hark_overlay_layout(unsigned width, unsigned height, int newest_at_top, int file_time,
                         hark_text *text, hark_layout *out);
/* The same with the analyzer's panels. */
void hark_overlay_layout_panels(unsigned width, unsigned height, int newest_at_top,
                                int file_time, const hark_panels_shown *shown, hark_text *text,
                                hark_layout *out);

/* Where the spectrum panel draws a level: pixel j along the frequency axis (as the data area's
 * scale), at frac (0: the bottom of the range, 1: its top, clamped). */
void hark_overlay_spectrum_point(const hark_layout *lay, int newest_at_top, unsigned j,
                                 double frac, float *x, float *y);
/* Where a meter's level sits (y, clamped to the bars), and channel c's bar columns (which 0:
 * peak, 1: RMS). */
float hark_overlay_meter_y(const hark_layout *lay, double db);
void hark_overlay_meter_bar(const hark_layout *lay, unsigned c, int which, float *x0, float *x1);

/* Where in the file a point of the overview strip is (s): 1, or 0 outside it. */
int hark_overlay_overview_at(const hark_layout *lay, double length_s, int x, int y,
                             double *seconds);

/* Pane k's top-left corner. */
void hark_overlay_pane(const hark_layout *lay, unsigned k, unsigned *x, unsigned *y);

/* The frequency scale of a pane: one row per pixel along the frequency axis, over the zoomed
 * band if there is one. */
void hark_overlay_scale(const hark_overlay_state *st, const hark_layout *lay, hark_scale *out);

typedef struct {
    int x, y, w, h; /* w == 0: nothing */
} hark_rect;

/* Compose the overlay into rgba (width * height * 4 bytes, top line first). *boxes is set to
 * the part of the data area the readout and help boxes cover (so a renderer can blend just the
 * margins and that rectangle). */
void hark_overlay_draw(const hark_overlay_state *st, const hark_layout *lay, hark_text *text,
                       uint8_t *rgba, hark_rect *boxes);

/* Where a point of a pane is: *pane, and *along_freq and *age in 0..1 (age 0 = newest edge).
 * Returns 0 when (x, y) is in no pane. */
int hark_overlay_locate(const hark_layout *lay, int newest_at_top, int x, int y, unsigned *pane,
                        double *along_freq, double *age);

/* "01:23.4" (or "1:02:03.4") for a position of s seconds, with `decimals` (0..3) decimals; ""
 * for a negative one. */
void hark_overlay_clock(double s, int decimals, char *buf, size_t size);

/* "A4 +3 c" for a frequency (equal temperament, A4 = 440 Hz); "" below 20 Hz. */
void hark_overlay_note(double hz, char *buf, size_t size);

#endif
