#ifndef HARK_VIEW_H
#define HARK_VIEW_H
/*
 * The live window: SDL2 with an OpenGL 3.3 core context. The waterfall is a float texture of
 * dB rows used as a circular buffer (one glTexSubImage2D per new row at row = frame mod
 * height, drawn with a row offset: old rows never move); the colour map is a 256x1 lookup
 * texture and the dB range, scale and orientation are uniforms (shaders/waterfall.frag), so
 * changing them recolours the whole history. Around it, the overlay (overlay.h), re-composed
 * only when something in it changes. HiDPI: everything is laid out in drawable pixels.
 * Keys handled here: Space, C, L, Up/Down, +/-, F, H; S, R, Left/Right and Q/Esc are returned
 * as actions.
 * Thread: main only (it owns every SDL and GL object).
 */
#include <SDL.h>
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "scale.h"

typedef struct {
    const char *source;       /* "live" or "play", for the snapshot's parameters */
    const char *device;       /* for the status line and the title: a device or a file name */
    int file_time;            /* 1: the time axis shows the position in a file (play) */
    double rate_hz;
    unsigned fft_size, hop;   /* rows pushed are fft/2 + 1 linear bins */
    hark_scale_kind scale;
    float min_db, max_db;
    hark_colormap_kind colormap;
    int newest_at_top;
    int width, height;        /* initial window size in screen coordinates */
} hark_view_config;

/* HARK_VIEW_FAILED: the window could not follow a resize (the error is set: error.h). */
typedef enum {
    HARK_VIEW_NONE,
    HARK_VIEW_QUIT,
    HARK_VIEW_SNAPSHOT,
    HARK_VIEW_RECORD,
    HARK_VIEW_SEEK_BACK,      /* Left */
    HARK_VIEW_SEEK_FORWARD,   /* Right */
    HARK_VIEW_FAILED
} hark_view_action;

typedef struct hark_view hark_view;

hark_err hark_view_create(const hark_view_config *cfg, hark_view **out);
void hark_view_destroy(hark_view *view); /* NULL-safe */

/* A new row of fft/2 + 1 dB values (ignored while the display is paused). */
void hark_view_push_row(hark_view *view, const float *db);
/* With file_time: the file position (s) of the newest row; the time axis follows it. */
void hark_view_set_position(hark_view *view, double seconds);
/* Forget every row (a seek): the waterfall starts again from empty. */
void hark_view_clear(hark_view *view);

/* The variable part of the status line (dropped samples, latency); redrawn when it changes. */
void hark_view_set_status(hark_view *view, const char *extra);

hark_view_action hark_view_handle_event(hark_view *view, const SDL_Event *event);

/* When to draw: -1 nothing changed, 0 now, else in that many ms (at most one frame per
 * display refresh, 60 Hz). */
int hark_view_ms_to_frame(const hark_view *view);
int hark_view_paused(const hark_view *view);
/* Draw and present. With rgb non-NULL, also read the frame back first (top line first, RGB8,
 * *rgb malloc'd, the caller frees it). */
hark_err hark_view_draw(hark_view *view, uint8_t **rgb, unsigned *width, unsigned *height);

/* Any thread: wake the main thread's SDL_WaitEvent* (an SDL user event; SDL_PushEvent is
 * thread-safe). Coalesced: at most one is pending, hark_view_handle_event clears it. Does
 * nothing before the first hark_view_create. */
void hark_view_wake(void);

/* The SDL video driver in use ("x11", "offscreen", ...). */
const char *hark_view_driver(void);

/* "4.5 (Core Profile) Mesa 22.3.6, llvmpipe (...)": what the context is. */
const char *hark_view_gl_version(const hark_view *view);

/* Parameters as JSON for a snapshot's text chunk, with the data area as
 * "data_area": [x, y, width, height] in the image. */
void hark_view_params(const hark_view *view, char *buf, size_t size);

#endif
