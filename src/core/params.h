#ifndef HARK_PARAMS_H
#define HARK_PARAMS_H
/*
 * What a block of spectrogram rows is: every parameter an output carries, one type for the
 * rendered image and its tiles, the .npy's sidecar, recording strips and snapshots, so that
 * they all say it with the same field names (written by io/params_json.h; each field is in
 * docs/FORMATS.md). Plain data: the pointers are borrowed for as long as the params are used.
 */
#include <stdint.h>

#include "analysis.h"

typedef struct {
    const char *command;   /* "live" or "play" (strips, snapshots); NULL for render and batch */
    const char *source;    /* what was analysed: the input file's name (no folder) or a device */
    double rate_hz;
    unsigned channels;     /* the input's */
    hark_analysis analysis; /* fft, hop, window, channel; scale, range and colour map as drawn */
    unsigned rows;         /* rows of the data (the bins, or --height on a scale), a channel */
    unsigned stacked;      /* 0: one channel; else this many stacked, each `rows` high (the
                            * image's height is stacked x rows, the first at the top) ... */
    int stacked_channels[HARK_STACK_MAX]; /* ... these (0-based index, mid, side), in order */
    uint64_t first_frame;  /* frame k is centred on sample k * hop of the input */
    uint64_t frames;
    /* Written only when set: */
    const char *start_utc; /* strips: when first_frame was centred, ISO 8601 UTC to the ms */
    unsigned strip;        /* strips: the strip's number from 1 */
    int dropped_known;     /* strips: samples lost upstream before the first frame and by ... */
    uint64_t dropped_before, dropped_by; /* ... the last */
    const char *orient;    /* snapshots: "top" or "right" */
    int has_area;          /* snapshots: where the data sits in the image */
    unsigned area[4];      /* x, y, width, height */
    unsigned panes;        /* snapshots of several channels: a pane each (0: one, the area) */
    unsigned pane_area[HARK_LANES_MAX][4]; /* each pane's x, y, width, height */
    int panes_side_by_side; /* each the whole frequency axis (else stacked: a share of it) */
    double frames_per_line; /* snapshots zoomed in time: frames a line (< 1: lines a frame);
                               0 or 1: a frame a line */
    double zoom_hz[2];      /* snapshots zoomed in frequency: the band shown (hi 0: none) */
    /* snapshots: the spectrum panel (x, y, width, height; width 0: hidden) and the level
     * meters' bars (x of the first, y of 0 dBFS, width of them all, y of -60 dBFS; width 0:
     * hidden) */
    unsigned spectrum_area[4], meter_bars[4];
    unsigned overview_area[4]; /* play's snapshots: the overview strip (width 0: none) */
    int has_position;      /* play's snapshots: the now line's position in the file, s */
    double position_s;
} hark_params;

#endif
