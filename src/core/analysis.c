#include "analysis.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stft.h"

const char hark_analysis_help[] =
    "Analysis options:\n"
    "  --fft N              frame size in samples, even, 16..262144\n"
    "  --hop H              hop in samples, 1..N (default: from --overlap)\n"
    "  --overlap F          overlap as a fraction 0..0.99 or a percentage 0%..99% [50%]\n"
    "  --window W           hann | hamming | blackman | blackman-harris | rect [hann]\n"
    "  --window-size W      window of W samples centred in the --fft N frame, zeros\n"
    "                       around it (zero-padding: finer bins), even, 16..N [N]\n"
    "  --scale S            linear | log | mel | cqt [linear]\n"
    "  --height R           output rows (default: fft/2 + 1, one per bin; cqt: one per\n"
    "                       note of its grid from --fmin to Nyquist)\n"
    "  --bins-per-octave B  cqt: rows an octave, 12..96, which also sets Q [12]\n"
    "  --fmin F             cqt: the lowest row's frequency in Hz [32.703, C1]\n"
    "  --reassign           reassigned spectrogram: each bin's energy moved to its\n"
    "                       instantaneous frequency and group-delay time\n"
    "  --reassign-threshold DB  bins below DB dBFS stay where they are [-100]\n"
    "  --pcen               per-channel energy normalisation (librosa's): rows are PCEN\n"
    "                       values, coloured over --range [0:3]\n"
    "  --pcen-gain G --pcen-bias B --pcen-power P --pcen-time S --pcen-eps E\n"
    "                       PCEN's parameters [0.98, 2, 0.5, 0.4 s, 1e-6]\n"
    "  --range MIN:MAX      dBFS range mapped to colours [-120:0]\n"
    "  --colormap C         magma | viridis | inferno | gray | jet [magma]\n"
    "  --channel C          mix (the mean of all) | N (channel N, 1 = first) | mid ((L+R)/2)\n"
    "                       | side ((L-R)/2) [mix]; or several, stacked (channel 1 at the\n"
    "                       top; live and play: a pane each, at most 8): all | a list, 1,3\n"
    "                       | ms (mid and side)\n";

void hark_analysis_defaults(hark_analysis *a, unsigned fft_size)
{
    *a = (hark_analysis){
        .fft_size = fft_size,
        .overlap = 0.5,
        .window = HARK_WINDOW_HANN,
        .scale = HARK_SCALE_LINEAR,
        .min_db = -120.0f,
        .max_db = 0.0f,
        .colormap = HARK_COLORMAP_MAGMA,
        .channel = HARK_CHANNEL_MIX,
        .reassign_db = HARK_REASSIGN_DB,
        .bins_per_octave = HARK_CQT_BPO,
        .fmin_hz = HARK_CQT_FMIN_HZ,
    };
    hark_pcen_defaults(&a->pcen_params);
}

/* Whole numbers and reals, the whole text and nothing else; 1 when s is one in range. */
static int parse_whole(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < (long long)lo || v > (long long)hi)
        return 0;
    *out = (unsigned)v;
    return 1;
}

static int parse_real(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static hark_err parse_uint(const char *opt, const char *s, unsigned lo, unsigned hi,
                           unsigned *out)
{
    if (!parse_whole(s, lo, hi, out))
        return hark_error_set(HARK_ERR_USAGE, "--%s '%s': expected a whole number from %u to %u",
                              opt, s, lo, hi);
    return HARK_OK;
}

/* A fraction below 1 ("0.75") or a percentage with its sign ("75%"): a bare 1 or 50 is
 * refused rather than guessed at. */
static hark_err parse_overlap(hark_analysis *a, const char *s)
{
    char buf[64];
    size_t len = strlen(s);
    int percent = len > 0 && s[len - 1] == '%';
    double v = 0;
    int ok = len < sizeof buf;
    if (ok) {
        snprintf(buf, sizeof buf, "%.*s", (int)(percent ? len - 1 : len), s);
        ok = parse_real(buf, &v);
    }
    if (ok && percent)
        v /= 100.0;
    if (!ok || v < 0.0 || v > 0.99)
        return hark_error_set(HARK_ERR_USAGE, "--overlap '%s': expected a fraction from 0 to "
                              "0.99 (0.75) or a percentage from 0%% to 99%% (75%%)", s);
    a->overlap = v;
    return HARK_OK;
}

static hark_err parse_range(hark_analysis *a, const char *s)
{
    char buf[64];
    /* The minimum is usually negative, so split at the colon, not at a dash. */
    const char *colon = strchr(s, ':');
    double lo = 0, hi = 0;
    int ok = colon && strlen(s) < sizeof buf;
    if (ok) {
        snprintf(buf, sizeof buf, "%.*s", (int)(colon - s), s);
        ok = parse_real(buf, &lo) && parse_real(colon + 1, &hi);
    }
    if (!ok)
        return hark_error_set(HARK_ERR_USAGE, "--range '%s': expected MIN:MAX in dBFS", s);
    /* Compared as the floats they are kept as: ends that round to one value are no range. */
    if (!((float)lo < (float)hi) || lo < -300.0 || hi > 100.0)
        return hark_error_set(HARK_ERR_USAGE,
                              "--range '%s': MIN must be below MAX, within -300:100", s);
    a->min_db = (float)lo;
    a->max_db = (float)hi;
    a->range_given = 1;
    return HARK_OK;
}

/* A real number in (lo, hi] (or [lo, hi] with closed) for --opt. */
static hark_err parse_between(const char *opt, const char *s, double lo, double hi, int closed,
                              double *out)
{
    double v = 0;
    if (!parse_real(s, &v) || v > hi || v < lo || (!closed && v == lo))
        return hark_error_set(HARK_ERR_USAGE, "--%s '%s': expected a number %s %g to %g", opt,
                              s, closed ? "from" : "above", lo, hi);
    *out = v;
    return HARK_OK;
}

static hark_err parse_pcen(hark_analysis *a, int code, const char *v)
{
    hark_pcen_params *p = &a->pcen_params;
    switch (code) {
    case HARK_OPT_PCEN_GAIN:
        return parse_between("pcen-gain", v, 0.0, 10.0, 1, &p->gain);
    case HARK_OPT_PCEN_BIAS:
        return parse_between("pcen-bias", v, 0.0, 1e6, 0, &p->bias);
    case HARK_OPT_PCEN_POWER:
        return parse_between("pcen-power", v, 0.0, 10.0, 0, &p->power);
    case HARK_OPT_PCEN_TIME:
        return parse_between("pcen-time", v, 0.0, 3600.0, 0, &p->time_s);
    default:
        return parse_between("pcen-eps", v, 0.0, 1.0, 0, &p->eps);
    }
}

/* One channel of a --channel value: mix, mid, side, or 1..HARK_CHANNELS_MAX. */
static int parse_one_channel(const char *s, int *out)
{
    static const struct { const char *name; int code; } names[] = {
        {"mix", HARK_CHANNEL_MIX}, {"mid", HARK_CHANNEL_MID}, {"side", HARK_CHANNEL_SIDE}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].code;
            return 1;
        }
    unsigned n = 0;
    if (!parse_whole(s, 1, HARK_CHANNELS_MAX, &n))
        return 0;
    *out = (int)n - 1;
    return 1;
}

/* A list of channels, "1,3" or "mid,side": stacked. 0 when it is not one. */
static int parse_channel_list(hark_analysis *a, const char *s)
{
    char buf[32];
    for (const char *p = s;; p++) {
        size_t len = strcspn(p, ",");
        int ch;
        if (len == 0 || len >= sizeof buf || a->stack == HARK_STACK_MAX)
            return 0;
        snprintf(buf, sizeof buf, "%.*s", (int)len, p);
        if (!parse_one_channel(buf, &ch) || ch == HARK_CHANNEL_MIX)
            return 0;
        a->stacked[a->stack++] = ch;
        p += len;
        if (!*p)
            return 1;
    }
}

static hark_err parse_channel(hark_analysis *a, const char *s)
{
    a->stack = 0;
    if (parse_one_channel(s, &a->channel))
        return HARK_OK;
    if (strcmp(s, "all") == 0 || strcmp(s, "ms") == 0) {
        int all = s[0] == 'a';
        a->stack = all ? 1 : 2;
        a->stacked[0] = all ? HARK_CHANNEL_ALL : HARK_CHANNEL_MID;
        a->stacked[1] = HARK_CHANNEL_SIDE;
        return HARK_OK;
    }
    if (strchr(s, ',') && parse_channel_list(a, s))
        return HARK_OK;
    a->stack = 0;
    return hark_error_set(HARK_ERR_USAGE, "--channel '%s': expected mix, mid, side, 1..%u, all, "
                          "ms, or a list of channels (1,3 or mid,side; at most %u)", s,
                          HARK_CHANNELS_MAX, HARK_STACK_MAX);
}

hark_err hark_analysis_check_channel(int channel, unsigned channels)
{
    if ((channel == HARK_CHANNEL_MID || channel == HARK_CHANNEL_SIDE) && channels != 2)
        return hark_error_set(HARK_ERR_USAGE, "--channel %s needs a stereo input; it has %u "
                              "channel%s", channel == HARK_CHANNEL_MID ? "mid" : "side",
                              channels, channels == 1 ? "" : "s");
    if (channel >= 0 && (unsigned)channel >= channels)
        return hark_error_set(HARK_ERR_USAGE, "--channel %d, but the input has %u channel%s",
                              channel + 1, channels, channels == 1 ? "" : "s");
    return HARK_OK;
}

hark_err hark_analysis_channels(const hark_analysis *a, unsigned channels, int *out,
                                unsigned *n)
{
    *n = 0;
    if (!a->stack) {
        out[(*n)++] = a->channel;
        return hark_analysis_check_channel(a->channel, channels);
    }
    if (a->stacked[0] == HARK_CHANNEL_ALL) {
        if (channels > HARK_STACK_MAX)
            return hark_error_set(HARK_ERR_USAGE, "--channel all: the input has %u channels; "
                                  "render stacks at most %u (give a list)", channels,
                                  HARK_STACK_MAX);
        for (unsigned c = 0; c < channels; c++)
            out[(*n)++] = (int)c;
        return HARK_OK;
    }
    for (unsigned i = 0; i < a->stack; i++) {
        hark_err err = hark_analysis_check_channel(a->stacked[i], channels);
        if (err)
            return err;
        out[(*n)++] = a->stacked[i];
    }
    return HARK_OK;
}

const char *hark_channel_name(int channel, char *buf)
{
    if (channel >= 0)
        snprintf(buf, 12, "%d", channel + 1);
    else
        snprintf(buf, 12, "%s", channel == HARK_CHANNEL_MID ? "mid"
                                : channel == HARK_CHANNEL_SIDE ? "side" : "mix");
    return buf;
}

hark_err hark_analysis_apply(hark_analysis *a, int code, const char *v)
{
    switch (code) {
    case HARK_OPT_FFT:
        return parse_uint("fft", v, HARK_FFT_MIN, HARK_FFT_MAX, &a->fft_size);
    case HARK_OPT_HOP:
        a->hop_given = 1;
        return parse_uint("hop", v, 1, HARK_FFT_MAX, &a->hop);
    case HARK_OPT_OVERLAP:
        a->hop_given = 0;
        return parse_overlap(a, v);
    case HARK_OPT_WINDOW:
        return hark_window_parse(v, &a->window);
    case HARK_OPT_SCALE:
        return hark_scale_parse(v, &a->scale);
    case HARK_OPT_HEIGHT:
        return parse_uint("height", v, 2, 65536, &a->height);
    case HARK_OPT_RANGE:
        return parse_range(a, v);
    case HARK_OPT_COLORMAP:
        return hark_colormap_parse(v, &a->colormap);
    case HARK_OPT_CHANNEL:
        return parse_channel(a, v);
    case HARK_OPT_WINDOW_SIZE:
        return parse_uint("window-size", v, HARK_FFT_MIN, HARK_FFT_MAX, &a->window_size);
    case HARK_OPT_REASSIGN:
        a->reassign = 1;
        return HARK_OK;
    case HARK_OPT_REASSIGN_DB: {
        double db = 0;
        hark_err err = parse_between("reassign-threshold", v, -300.0, 100.0, 1, &db);
        a->reassign_db = (float)db;
        return err;
    }
    case HARK_OPT_PCEN:
        a->pcen = 1;
        return HARK_OK;
    case HARK_OPT_PCEN_GAIN:
    case HARK_OPT_PCEN_BIAS:
    case HARK_OPT_PCEN_POWER:
    case HARK_OPT_PCEN_TIME:
    case HARK_OPT_PCEN_EPS:
        return parse_pcen(a, code, v);
    case HARK_OPT_BPO:
        return parse_uint("bins-per-octave", v, HARK_CQT_BPO_MIN, HARK_CQT_BPO_MAX,
                          &a->bins_per_octave);
    case HARK_OPT_FMIN:
        return parse_between("fmin", v, 0.0, 1e6, 0, &a->fmin_hz);
    default:
        return hark_error_set(HARK_ERR_USAGE, "unknown analysis option");
    }
}

hark_err hark_analysis_finish(hark_analysis *a)
{
    if (a->fft_size % 2)
        return hark_error_set(HARK_ERR_USAGE, "--fft %u: the frame size must be even",
                              a->fft_size);
    if (!a->hop_given) {
        double hop = floor(a->fft_size * (1.0 - a->overlap) + 0.5);
        a->hop = hop < 1.0 ? 1u : (unsigned)hop;
    }
    if (a->hop < 1 || a->hop > a->fft_size)
        return hark_error_set(HARK_ERR_USAGE, "--hop %u: must be from 1 to the fft size %u",
                              a->hop, a->fft_size);
    if (a->window_size && (a->window_size > a->fft_size || a->window_size % 2))
        return hark_error_set(HARK_ERR_USAGE, "--window-size %u: must be even and at most the "
                              "fft size %u", a->window_size, a->fft_size);
    if (a->window_size == a->fft_size)
        a->window_size = 0;
    if (a->reassign && a->window == HARK_WINDOW_RECT)
        return hark_error_set(HARK_ERR_USAGE, "--reassign needs a tapered window, not rect");
    if (a->pcen && !a->range_given) {
        a->min_db = HARK_PCEN_RANGE_MIN;
        a->max_db = HARK_PCEN_RANGE_MAX;
    }
    return HARK_OK;
}

unsigned hark_analysis_rows(const hark_analysis *a, double rate_hz)
{
    if (a->height)
        return a->height;
    if (a->scale == HARK_SCALE_CQT) {
        unsigned n = hark_scale_cqt_rows(rate_hz, a->bins_per_octave, a->fmin_hz);
        return n < 2 ? 2 : n;
    }
    return a->fft_size / 2 + 1;
}

hark_err hark_analysis_check_rate(const hark_analysis *a, double rate_hz)
{
    if (a->scale == HARK_SCALE_CQT &&
        hark_scale_cqt_rows(rate_hz, a->bins_per_octave, a->fmin_hz) < 2)
        return hark_error_set(HARK_ERR_USAGE, "--fmin %g Hz leaves no octave below Nyquist "
                              "(%g Hz) for the cqt scale", a->fmin_hz, rate_hz / 2.0);
    return HARK_OK;
}

void hark_analysis_stft_config(const hark_analysis *a, double rate_hz, unsigned rows,
                               hark_stft_config *out)
{
    *out = (hark_stft_config){.fft_size = a->fft_size, .window_size = a->window_size,
                              .rate_hz = rate_hz, .window = a->window, .scale = a->scale,
                              .rows = rows, .floor_db = hark_analysis_floor_db(a),
                              .bins_per_octave = a->bins_per_octave, .fmin_hz = a->fmin_hz};
}

void hark_analysis_scale(const hark_analysis *a, double rate_hz, unsigned rows, hark_scale *out)
{
    hark_stft_config cfg;
    hark_analysis_stft_config(a, rate_hz, rows, &cfg);
    hark_stft_config_scale(&cfg, out);
}

float hark_analysis_floor_db(const hark_analysis *a)
{
    return a->pcen ? HARK_PCEN_DB_FLOOR : a->min_db;
}

const char *hark_analysis_units(const hark_analysis *a)
{
    return a->pcen ? "PCEN" : "dBFS";
}
