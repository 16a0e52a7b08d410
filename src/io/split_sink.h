#ifndef HARK_SPLIT_SINK_H
#define HARK_SPLIT_SINK_H
/*
 * --split-channels (sink.h): a render of stacked channels written as one set of outputs per
 * channel instead of one stacked image. At begin, for each stacked channel it makes that
 * channel's image (a tile sink: OUT-ch1.png, OUT-mid.png, ... tiles and labels as asked) and
 * .npy with its sidecar (RAW-ch1.npy and RAW-ch1.json), each told it holds that one channel,
 * and hands each the channel's band of every frame. Frames go from several threads at once
 * when every output takes them so. All the outputs appear at commit, or none.
 * Thread: as sink.h.
 */
#include "sink.h"

typedef struct {
    const char *image;       /* NULL: no images; else named after it, "-ch1" before the dot */
    double tile_seconds;     /* as the tile sink's */
    int labels, zlib;
    const char *raw;         /* NULL: no .npy; else named after it likewise, with sidecars */
    const atomic_int *stop;
} hark_split_sink_config;

/* A new sink (NULL: out of memory). The strings are copied. */
hark_sink *hark_split_sink_create(const hark_split_sink_config *cfg);

/* After begin: channels split, and the image (which 0) or the .npy (1) of channel c, or NULL
 * when there is none. */
unsigned hark_split_sink_channels(const hark_sink *s);
const char *hark_split_sink_path(const hark_sink *s, unsigned c, int which);

/* A channel's tag in the names: "ch1", "mid", "side". buf >= 16 bytes. */
const char *hark_split_tag(int channel, char *buf);

/* "dir/out.png" with tag "ch1" -> "dir/out-ch1.png" (no dot in the name: appended).
 * malloc'd, NULL: out of memory. */
char *hark_split_path(const char *path, const char *tag);

#endif
