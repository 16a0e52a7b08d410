#ifndef HARK_WATERFALL_H
#define HARK_WATERFALL_H
/*
 * The waterfall panel of the window, on the GPU. History: a float texture of dB rows, one row
 * per STFT frame and one texel per linear FFT bin, used as a circular buffer (one
 * glTexSubImage2D per new row; old rows never move), with a copy on the CPU for the readout.
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

/* A waterfall of rows of `bins` linear bins (fft/2 + 1). */
hark_err hark_waterfall_create(unsigned bins, hark_waterfall **out);
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

void hark_waterfall_push(hark_waterfall *w, const float *db);
void hark_waterfall_clear(hark_waterfall *w);
uint64_t hark_waterfall_frames(const hark_waterfall *w);  /* pushed since the last clear */
unsigned hark_waterfall_lines(const hark_waterfall *w);   /* frames shown at once */

/* Bring the coloured lines up to date and draw them into the quad (the data area). */
void hark_waterfall_draw(hark_waterfall *w, const hark_gl_quad *area, int newest_at_top);

/* The level at pixel j along the frequency axis, `ago` frames before the newest: what the
 * pixel shows. 0 where nothing was measured. */
int hark_waterfall_level(const hark_waterfall *w, unsigned j, uint64_t ago, float *db);

#endif
