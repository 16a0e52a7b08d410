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
#include "pcen.h"
#include "scale.h"
#include "stft.h"
#include "window.h"

/* --channel mix, mid ((L+R)/2) and side ((L-R)/2) of a stereo input, and `all` in a
 * selection (every channel of the input, resolved when it is opened); and what an input may
 * be: rates and channel counts outside these are refused with a clear error (a header can
 * claim any rate libsndfile accepts, 1 Hz to 2^31). */
#define HARK_CHANNEL_MIX (-1)
#define HARK_CHANNEL_MID (-2)
#define HARK_CHANNEL_SIDE (-3)
#define HARK_CHANNEL_ALL (-4)
#define HARK_STACK_MAX 64u     /* channels one render can stack */
#define HARK_LANES_MAX 8u      /* channels live and play analyse at once (a pane each) */
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
    int channel;           /* one channel: HARK_CHANNEL_MIX, _MID, _SIDE or a 0-based index
                            * (the option is 1-based) */
    unsigned stack;        /* 0: that one channel; else the count of `stacked` (--channel
                            * all, 1,3, ms): render stacks them, channel 1 at the top */
    int stacked[HARK_STACK_MAX]; /* channel codes as above, or HARK_CHANNEL_ALL alone */
    int range_given;       /* --range was given (else PCEN takes its own range) */
    unsigned window_size;  /* --window-size: 0 = the fft size */
    int reassign;          /* --reassign */
    float reassign_db;     /* --reassign-threshold: bins below it stay where they are */
    int pcen;              /* --pcen: rows are PCEN values, not dBFS */
    hark_pcen_params pcen_params; /* --pcen-gain, -bias, -power, -time, -eps */
    unsigned bins_per_octave; /* --bins-per-octave (cqt) */
    double fmin_hz;        /* --fmin (cqt) */
} hark_analysis;

/* PCEN's colour range when --range is not given, and the reassignment threshold's default. */
#define HARK_PCEN_RANGE_MIN 0.0f
#define HARK_PCEN_RANGE_MAX 3.0f
#define HARK_REASSIGN_DB (-100.0f)
#define HARK_PCEN_DB_FLOOR (-120.0f)

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
    HARK_OPT_WINDOW_SIZE,
    HARK_OPT_REASSIGN,
    HARK_OPT_REASSIGN_DB,
    HARK_OPT_PCEN,
    HARK_OPT_PCEN_GAIN,
    HARK_OPT_PCEN_BIAS,
    HARK_OPT_PCEN_POWER,
    HARK_OPT_PCEN_TIME,
    HARK_OPT_PCEN_EPS,
    HARK_OPT_BPO,
    HARK_OPT_FMIN,
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
    {"channel", required_argument, NULL, HARK_OPT_CHANNEL},     \
    {"window-size", required_argument, NULL, HARK_OPT_WINDOW_SIZE}, \
    {"reassign", no_argument, NULL, HARK_OPT_REASSIGN},         \
    {"reassign-threshold", required_argument, NULL, HARK_OPT_REASSIGN_DB}, \
    {"pcen", no_argument, NULL, HARK_OPT_PCEN},                 \
    {"pcen-gain", required_argument, NULL, HARK_OPT_PCEN_GAIN}, \
    {"pcen-bias", required_argument, NULL, HARK_OPT_PCEN_BIAS}, \
    {"pcen-power", required_argument, NULL, HARK_OPT_PCEN_POWER}, \
    {"pcen-time", required_argument, NULL, HARK_OPT_PCEN_TIME}, \
    {"pcen-eps", required_argument, NULL, HARK_OPT_PCEN_EPS},   \
    {"bins-per-octave", required_argument, NULL, HARK_OPT_BPO}, \
    {"fmin", required_argument, NULL, HARK_OPT_FMIN}

/* Defaults: the given fft size, 50 % overlap, hann, linear, -120:0, magma, mix. */
void hark_analysis_defaults(hark_analysis *a, unsigned fft_size);

/* Apply one option (code from HARK_ANALYSIS_OPTIONS). HARK_ERR_USAGE with a detail on a bad
 * value. */
hark_err hark_analysis_apply(hark_analysis *a, int code, const char *value);

/* Resolve the hop from --overlap when --hop was not given, and check the combination. */
hark_err hark_analysis_finish(hark_analysis *a);

/* One sample of `channel` (an index, mix, mid or side) from a frame of `channels` samples. */
static inline float hark_channel_sample(int channel, const float *frame, unsigned channels)
{
    if (channel >= 0)
        return frame[channel];
    if (channel == HARK_CHANNEL_MID || channel == HARK_CHANNEL_SIDE)
        return channels < 2 ? frame[0]
                            : 0.5f * (frame[0] + (channel == HARK_CHANNEL_MID ? frame[1] : -frame[1]));
    float sum = 0.0f;
    for (unsigned c = 0; c < channels; c++)
        sum += frame[c];
    return sum / (float)channels;
}

/* Check that `channel` exists in an input of `channels` (mid and side need two).
 * HARK_ERR_USAGE. */
hark_err hark_analysis_check_channel(int channel, unsigned channels);

/* The channels analysed, for an input of `channels`: the one channel, or the stack resolved
 * (all: 0..channels-1, at most HARK_STACK_MAX), into out[HARK_STACK_MAX]; *n their count.
 * HARK_ERR_USAGE when one does not exist. */
hark_err hark_analysis_channels(const hark_analysis *a, unsigned channels, int *out,
                                unsigned *n);

/* A channel's name: "1" (1-based), "mix", "mid", "side". buf >= 12 bytes. */
const char *hark_channel_name(int channel, char *buf);

/* The number of output rows for these options at this rate: height, or for cqt the note
 * grid's rows from --fmin to Nyquist, else fft/2 + 1. */
unsigned hark_analysis_rows(const hark_analysis *a, double rate_hz);

/* Check what depends on the input's rate (cqt: --fmin below Nyquist). HARK_ERR_USAGE. */
hark_err hark_analysis_check_rate(const hark_analysis *a, double rate_hz);

/* The STFT's configuration for these options at this rate, with `rows` rows (0: the bins). */
void hark_analysis_stft_config(const hark_analysis *a, double rate_hz, unsigned rows,
                               hark_stft_config *out);
/* The scale of `rows` rows these options draw at this rate. */
void hark_analysis_scale(const hark_analysis *a, double rate_hz, unsigned rows, hark_scale *out);
/* The floor of dBFS values: the range's bottom, or with --pcen (whose range is PCEN's) -120. */
float hark_analysis_floor_db(const hark_analysis *a);
/* What a row's values are: "dBFS", or "PCEN". */
const char *hark_analysis_units(const hark_analysis *a);

/* Help text for the analysis options (for --help). */
extern const char hark_analysis_help[];

#endif
