#ifndef HARK_ANALYSIS_H
#define HARK_ANALYSIS_H
/*
 * The analysis options shared by every command (README, "What it does"): --fft, --hop/--overlap, --window,
 * --scale, --height, --range, --colormap, --channel. Parsed from getopt_long codes so each
 * command adds HARK_ANALYSIS_OPTIONS to its own option table.
 * Thread: main.
 */
#include <getopt.h>

#include "colormap.h"
#include "error.h"
#include "scale.h"
#include "window.h"

/* --channel mix; and what an input may be: rates and channel counts outside these are refused
 * with a clear error (a header can claim any rate libsndfile accepts, 1 Hz to 2^31). */
#define HARK_CHANNEL_MIX (-1)
#define HARK_RATE_MIN 1000.0
#define HARK_RATE_MAX 768000.0
#define HARK_CHANNELS_MAX 1024u

typedef struct {
    unsigned fft_size;
    unsigned hop;          /* resolved by hark_analysis_finish */
    double overlap;        /* fraction in [0, 1); used when --hop is not given */
    int hop_given;
    hark_window_kind window;
    hark_scale_kind scale;
    unsigned height;       /* 0 = the bin count */
    float min_db, max_db;
    hark_colormap_kind colormap;
    int channel;           /* HARK_CHANNEL_MIX or a 0-based index (the option is 1-based) */
} hark_analysis;

enum {
    HARK_OPT_FFT = 1000,
    HARK_OPT_HOP,
    HARK_OPT_OVERLAP,
    HARK_OPT_WINDOW,
    HARK_OPT_SCALE,
    HARK_OPT_HEIGHT,
    HARK_OPT_RANGE,
    HARK_OPT_COLORMAP,
    HARK_OPT_CHANNEL,
    HARK_OPT_LAST_ANALYSIS
};

#define HARK_ANALYSIS_OPTIONS                                   \
    {"fft", required_argument, NULL, HARK_OPT_FFT},             \
    {"hop", required_argument, NULL, HARK_OPT_HOP},             \
    {"overlap", required_argument, NULL, HARK_OPT_OVERLAP},     \
    {"window", required_argument, NULL, HARK_OPT_WINDOW},       \
    {"scale", required_argument, NULL, HARK_OPT_SCALE},         \
    {"height", required_argument, NULL, HARK_OPT_HEIGHT},       \
    {"range", required_argument, NULL, HARK_OPT_RANGE},         \
    {"colormap", required_argument, NULL, HARK_OPT_COLORMAP},   \
    {"channel", required_argument, NULL, HARK_OPT_CHANNEL}

/* Defaults: the given fft size, 50 % overlap, hann, linear, -120:0, magma, mix. */
void hark_analysis_defaults(hark_analysis *a, unsigned fft_size);

/* Apply one option (code from HARK_ANALYSIS_OPTIONS). HARK_ERR_USAGE with a detail on a bad
 * value. */
hark_err hark_analysis_apply(hark_analysis *a, int code, const char *value);

/* Resolve the hop from --overlap when --hop was not given, and check the combination. */
hark_err hark_analysis_finish(hark_analysis *a);

/* The number of output rows for these options: height, or fft/2 + 1. */
unsigned hark_analysis_rows(const hark_analysis *a);

/* Help text for the analysis options (for --help). */
extern const char hark_analysis_help[];

#endif
