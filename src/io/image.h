#ifndef HARK_IMAGE_H
#define HARK_IMAGE_H
/*
 * The labelled image: a tile's data area, coloured with the palette pixel for pixel (never
 * resampled), with a title line above, a frequency axis on the left (ticks follow the scale),
 * a time axis in seconds below, and a dBFS colour bar on the right.
 * Thread: any (the hark_text is used by the calling thread only).
 */
#include <stdint.h>

#include "colormap.h"
#include "error.h"
#include "scale.h"
#include "text.h"
#include "tile.h"

typedef struct {
    const char *title;        /* e.g. "speech.wav  44100 Hz  fft 1024  hop 512  hann" */
    double t0_s;              /* time of the tile's first frame centre */
    double frame_s;           /* seconds per frame (hop / rate) */
    const hark_scale *scale;  /* the rows' frequency axis */
    float min_db, max_db;
    const hark_rgb *palette;  /* 256 entries */
    const char *units;        /* the colour bar's: "dBFS" (NULL) or "PCEN" */
    unsigned bands;           /* 0 or 1: one channel; else the tile's rows are this many
                               * channels stacked, each named and with its frequency axis */
    const char *const *band_names; /* bands of them, the top band first */
} hark_labels;

typedef struct {
    uint8_t *rgb;        /* width * height * 3 bytes, top line first; owned, free() it */
    unsigned width, height;
    unsigned data_x, data_y; /* top-left corner of the data area */
} hark_image;

/* Compose the labelled image of tile. On success *out owns a new buffer. */
hark_err hark_image_compose(const hark_tile *tile, const hark_labels *labels, hark_text *text,
                            hark_image *out);

#endif
