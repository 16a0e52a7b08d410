#ifndef HARK_WATERFALL_H
#define HARK_WATERFALL_H
/*
 * The waterfall panel of the window, on the GPU. History: the rows of dB (one per STFT frame,
 * a float per linear FFT bin) kept on the CPU, as many as asked (--history), and on the GPU a
 * float texture of the newest 4096 used as a circular buffer (one glTexSubImage2D per new
 * row; old rows never move). The view follows the newest frame at one frame a line, or is
 * anchored (paused, scrolled back) and zoomed in time (2^k frames a line, their maximum bin
 * by bin, or 2^k lines a frame): its lines are then composed from the kept rows and uploaded
 * in one go.
 * Colouring (shaders/waterfall.frag): each pixel along the frequency axis is a row of the
 * active scale (scale.h) with its tap, so it shows exactly the value `render --scale S
 * --height <pixels>` gives for that frame: the maximum of the bins it spans, or the
 * interpolation between the two nearest when it spans less than one, or (cqt) its kernel's
 * weighted power sum. A new frame colours one
 * line of a circle of coloured lines (an FBO texture); a change of map, range or scale
 * recolours them all. Showing (shaders/scroll.frag): one texel fetch per pixel, the newest
 * frame at the newest edge.
 * Thread: main, with the window's GL context current.
 */
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "gl.h"
#include "scale.h"

typedef struct hark_waterfall hark_waterfall;

/* A waterfall of rows of `bins` linear bins (fft/2 + 1), keeping the newest `kept` of them
 * (at least 4096): bins x kept floats, allocated now and filled as rows come. */
hark_err hark_waterfall_create(unsigned bins, size_t kept, hark_waterfall **out);
void hark_waterfall_destroy(hark_waterfall *w); /* NULL-safe */

/* The data area: freq_px pixels along the frequency axis, one frame per pixel along the time
 * axis (time_px of them, as far as the history goes), on this scale of freq_px rows. */
hark_err hark_waterfall_layout(hark_waterfall *w, unsigned freq_px, unsigned time_px,
                               const hark_scale *scale);
/* The frequency scale changed (same pixels): recompute the taps, recolour. */
hark_err hark_waterfall_set_scale(hark_waterfall *w, const hark_scale *scale);
/* What the rows are: dBFS floored at floor_db, or (not_db) PCEN values. Clears the history
 * (rows of the other kind would mean nothing); set the scale again after it. */
void hark_waterfall_set_units(hark_waterfall *w, float floor_db, int not_db);
/* The colour map or the range changed: recolour. */
void hark_waterfall_set_look(hark_waterfall *w, hark_colormap_kind map, float min_db,
                             float max_db);

/* A new frame: kept, and shown unless the view is anchored. */
void hark_waterfall_push(hark_waterfall *w, const float *db);
/* Forget every row; the view follows the newest frame again (its time zoom stays). */
void hark_waterfall_clear(hark_waterfall *w);
unsigned hark_waterfall_lines(const hark_waterfall *w);   /* lines along the time axis */

/* Anchor the view where it is (new frames are kept, not shown), or follow the newest again. */
void hark_waterfall_anchor(hark_waterfall *w, int anchored);
/* Move the anchored view `lines` lines back in time (negative: forward), within the history
 * (anchors it first). 1 if it moved. */
int hark_waterfall_scroll(hark_waterfall *w, double lines);
/* Zoom the time axis by `steps` (each halves, or doubles, the frames a line; 2^-3 .. 2^6). 1 if
 * it changed. */
int hark_waterfall_zoom_time(hark_waterfall *w, int steps);
double hark_waterfall_frames_per_line(const hark_waterfall *w);
int hark_waterfall_zoom_exp(const hark_waterfall *w); /* frames a line = 2^it */
/* Frames between the newest and the one on the newest line (0 when following). */
uint64_t hark_waterfall_behind(const hark_waterfall *w);
/* The frames on screen: from *first, *count of them up to the newest line's. */
void hark_waterfall_shown(const hark_waterfall *w, uint64_t *first, uint64_t *count);

/* Bring the coloured lines up to date and draw them into the quad (the data area). */
void hark_waterfall_draw(hark_waterfall *w, const hark_gl_quad *area, int newest_at_top);

/* The level at pixel j along the frequency axis on line `line` from the newest edge: what the
 * pixel shows. 0 where nothing was measured. */
int hark_waterfall_level(const hark_waterfall *w, unsigned j, unsigned line, float *db);

#endif
