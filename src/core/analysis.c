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
    "  --scale S            linear | log | mel [linear]\n"
    "  --height R           output rows (default: fft/2 + 1, one per bin)\n"
    "  --range MIN:MAX      dBFS range mapped to colours [-120:0]\n"
    "  --colormap C         magma | viridis | inferno | gray | jet [magma]\n"
    "  --channel mix|N      mix all channels, or analyse channel N (1 = first) [mix]\n";

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
    };
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
    return HARK_OK;
}

static hark_err parse_channel(hark_analysis *a, const char *s)
{
    if (strcmp(s, "mix") == 0) {
        a->channel = HARK_CHANNEL_MIX;
        return HARK_OK;
    }
    unsigned n = 0;
    if (!parse_whole(s, 1, HARK_CHANNELS_MAX, &n))
        return hark_error_set(HARK_ERR_USAGE, "--channel '%s': expected mix or 1..%u", s,
                              HARK_CHANNELS_MAX);
    a->channel = (int)n - 1;
    return HARK_OK;
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
    return HARK_OK;
}

unsigned hark_analysis_rows(const hark_analysis *a)
{
    return a->height ? a->height : a->fft_size / 2 + 1;
}
