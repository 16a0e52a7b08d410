#ifndef HARK_VIEW_H
#define HARK_VIEW_H
/*
 * The window of `live` and `play`: SDL2 with an OpenGL 3.3 core context, the waterfall panel
 * (waterfall.h) in the data area, a pane each channel analysed (stacked or side by side: B), the analyzer's spectrum panel (its traces) and level meters
 * beside it (panels.h, on the GPU), and, around and over them, the overlay (overlay.h: status
 * line, axes, colour bar, the panels' grids and numbers, the readout under the mouse, the
 * help box), re-composed only when something in it changes. HiDPI: everything is laid out in drawable pixels. The keys are
 * keys.h's: the view handles those that change the view (Space, C, L, E, B, Up/Down, +/-, F, H) and
 * returns the others as actions. No SDL type crosses this header.
 * Thread: main only (it owns every SDL and GL object), but hark_view_wake.
 */
#include <stddef.h>
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "levels.h"
#include "overlay.h" /* hark_overview_state */
#include "params.h"
#include "scale.h"
#include "traces.h"

typedef struct {
    const char *command;      /* "live" or "play": its keys in the help box */
    const char *name;         /* the device or the file, for the status line and the title */
    int file_time;            /* 1: the time axis shows the position in a file (play) */
    double rate_hz;
    unsigned fft_size, hop;   /* rows pushed are fft/2 + 1 linear bins */
    hark_scale_kind scale;
    hark_scale cqt;           /* the cqt scale's note grid and window (any rows), for L */
    float min_db, max_db;     /* dBFS: the waterfall's range, and the spectrum panel's */
    float floor_db;           /* the rows' floor (the DSP's) */
    int pcen;                 /* the waterfall starts on the PCEN values (E switches) ... */
    float pcen_min, pcen_max; /* ... coloured over this range */
    hark_colormap_kind colormap;
    int newest_at_top;
    int width, height;        /* initial window size in screen coordinates (at most the
                                 screen's) */
    unsigned channels;        /* of the level meters (the panels start shown, unless the
                                 environment has HARK_NO_PANELS, for benchmarks) */
    unsigned lanes;           /* channels analysed: a waterfall pane each (0: 1) ... */
    int lane[HARK_LANES_MAX]; /* ... each one's channel (analysis.h), named over its pane */
    int named;                /* name the panes even when there is one (a stack was asked) */
    size_t history_rows;      /* rows each pane keeps to scroll back through (at least 4096) */
    double zoom_lo_hz, zoom_hi_hz; /* the frequency axis starts zoomed to this band (hi 0: not) */
    int overview;             /* play: a strip of the whole file along the bottom
                                 (hark_view_set_overview fills it) */
} hark_view_config;

typedef enum {
    HARK_VIEW_NONE,
    HARK_VIEW_QUIT,
    HARK_VIEW_SNAPSHOT,
    HARK_VIEW_RECORD,
    HARK_VIEW_SEEK_BACK,      /* Left */
    HARK_VIEW_SEEK_FORWARD,   /* Right */
    HARK_VIEW_SLOWER,         /* [ */
    HARK_VIEW_FASTER,         /* ] */
    HARK_VIEW_SEEK_TO,        /* a click on the overview or a pane: hark_view_target */
    HARK_VIEW_LOOP,           /* a drag on the overview: an A-B loop, hark_view_target */
    HARK_VIEW_FAILED,         /* the window could not follow a resize (the error is recorded) */
    /* The analyzer's keys (keys.h), for its owner to act on: */
    HARK_VIEW_AVERAGE,        /* next averaging time constant */
    HARK_VIEW_PEAK_HOLD,      /* next peak hold: held, or falling */
    HARK_VIEW_RESET_HOLDS,    /* peak, min and the clip lights start again */
    HARK_VIEW_REFERENCE,      /* capture the reference trace, or clear it */
    HARK_VIEW_OCTAVE,         /* next octave view */
    HARK_VIEW_WEIGHTING,      /* next weighting */
    HARK_VIEW_TRACE_OUT       /* write --trace-out now */
} hark_view_action;

typedef struct hark_view hark_view;

/* HARK_ERR_DISPLAY when there is no display or no GL 3.3 (the error says which). */
hark_err hark_view_create(const hark_view_config *cfg, hark_view **out);
void hark_view_destroy(hark_view *view); /* NULL-safe */

/* A new row of fft/2 + 1 dB values and their PCEN values for each pane, lane k's `stride`
 * floats after lane k-1's: kept, and shown unless paused (the panes stay where they are, and
 * can scroll back through what is kept). */
void hark_view_push_row(hark_view *view, const float *db, const float *pcen, size_t stride);
/* With file_time: the file position (s) of the newest row; the time axis follows it. */
void hark_view_set_position(hark_view *view, double seconds);
/* Forget every row (a seek): the waterfall starts again from empty. */
void hark_view_clear(hark_view *view);

/* The analyzer the panels show (traces.h, levels.h; NULL: none), read when drawing; set it
 * again whenever its owner replaces either. */
void hark_view_set_analyzer(hark_view *view, const hark_traces *traces,
                            const hark_levels *levels);

/* play's overview strip: the file's picture so far, its length, the playhead, the part the
 * waterfall shows and the loop (overlay.h); the image is read when drawing, until the next
 * call. Redrawn when what it shows changes. */
void hark_view_set_overview(hark_view *view, const hark_overview_state *overview);
/* After HARK_VIEW_SEEK_TO: *from, the position clicked (s in the file); after HARK_VIEW_LOOP,
 * the loop's ends. */
void hark_view_target(const hark_view *view, double *from, double *to);

/* The variable part of the status line (dropped samples, latency); redrawn when it changes. */
void hark_view_set_status(hark_view *view, const char *extra);

/* Handle the next pending event: 1 with *action (HARK_VIEW_NONE for what the view handled
 * itself), 0 when none is pending. */
int hark_view_poll(hark_view *view, hark_view_action *action);
/* Sleep until an event (new rows wake it: hark_view_wake) or for ms milliseconds. */
void hark_view_wait(hark_view *view, int ms);

/* When to draw: -1 nothing changed, 0 now, else in that many ms (at most one frame per
 * display refresh, 60 Hz). */
int hark_view_ms_to_frame(const hark_view *view);
int hark_view_paused(const hark_view *view);
/* Draw and present. With rgb non-NULL, also read the frame back first (top line first, RGB8,
 * *rgb malloc'd, the caller frees it). */
hark_err hark_view_draw(hark_view *view, uint8_t **rgb, unsigned *width, unsigned *height);

/* Any thread: wake the main thread's hark_view_wait (an SDL user event; SDL_PushEvent is
 * thread-safe). Coalesced: at most one is pending. Does nothing without a window. No thread
 * may call it once hark_view_destroy has begun: stop the callers first. */
void hark_view_wake(void);

/* The SDL video driver in use ("x11", "offscreen", ...). */
const char *hark_view_driver(void);
/* "OpenGL 4.5 (Core Profile) Mesa 22.3.6, llvmpipe (...)": what the context is. */
const char *hark_view_gl_version(const hark_view *view);

/* What the window shows, into p (params.h): the scale, range and colour map as drawn, one row
 * per pixel along the frequency axis of a pane, the frames on screen, the orientation, the
 * data area, the panes (several) and (file_time) the now line's position. The rest of p is
 * the caller's. */
void hark_view_describe(const hark_view *view, hark_params *p);

/* The keys of a command (keys.h) as text for --help: "Keys:\n  Space  ...\n". */
void hark_view_keys_text(const char *command, char *buf, size_t size);

#endif
