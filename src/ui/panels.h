#ifndef HARK_PANELS_H
#define HARK_PANELS_H
/*
 * The analyzer's panels on the GPU: the spectrum's traces as line strips and the level meters'
 * bars as rectangles, given in window pixels (top-left origin), one colour per call
 * (shaders/flat.*). The panels' frames, grids and labels are the overlay's (overlay.h).
 * Thread: main, with the window's GL context current.
 */
#include "error.h"
#include "gl.h"

typedef struct hark_panels hark_panels;

/* Room for strips of up to max_points points and up to max_rects rectangles per call. */
hark_err hark_panels_create(unsigned max_points, unsigned max_rects, hark_panels **out);
void hark_panels_destroy(hark_panels *p); /* NULL-safe */

/* Start drawing into a window of w x h pixels (sets the program and its uniforms). */
void hark_panels_begin(hark_panels *p, unsigned w, unsigned h);
/* A line strip through n points (x, y pairs), in rgba (0..255). */
void hark_panels_strip(hark_panels *p, const float *xy, unsigned n, const uint8_t rgba[4]);
/* n rectangles (x0, y0, x1, y1 each) filled in rgba. */
void hark_panels_rects(hark_panels *p, const float *boxes, unsigned n, const uint8_t rgba[4]);

#endif
