#ifndef HARK_PLOT_H
#define HARK_PLOT_H
/*
 * The spectrum plot (hark spectrum --plot): two traces, the mean level and the largest, over
 * frequency, in the look of the labelled image (look.h): a title line, a frequency axis
 * below (ticks as the labelled image's frequency axis on the same scale: linear, log or mel),
 * a dBFS axis on the left, and the data area, HARK_PLOT_WIDTH x HARK_PLOT_HEIGHT pixels. Points are joined
 * column by column; bands are drawn as steps across their edges.
 * Thread: any (the hark_text is used by the calling thread only).
 */
#include "error.h"
#include "image.h"
#include "scale.h"
#include "text.h"

#define HARK_PLOT_WIDTH 960u
#define HARK_PLOT_HEIGHT 400u

typedef struct {
    const char *title;
    const hark_scale *scale; /* the frequency axis: its rows are the plot's columns */
    unsigned n;              /* points, lowest frequency first */
    const double *hz, *mean_db, *peak_db;
    double band_ratio;       /* bands: an edge is centre * ratio^(+-1) (0: points, not bands) */
    double axis_min_db, axis_max_db; /* the level axis */
} hark_plot;

/* Compose the plot. On success *out owns a new buffer (data_x, data_y: the data area). */
hark_err hark_plot_compose(const hark_plot *p, hark_text *text, hark_image *out);

#endif
