#include "levels.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MODES (EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_S | EBUR128_MODE_TRUE_PEAK)

/* What one loudness meter (the programme's, or one channel's) has seen. */
typedef struct {
    ebur128_state *st;
    double max_momentary, max_short_term; /* -HUGE_VAL until measured */
    double momentary, short_term;         /* at the last step (-HUGE_VAL: none) */
} meter;

#define RMS_BLOCKS 3 /* the RMS meter's 300 ms */

/* One channel: its sums over everything, and its meter over the block being filled, the
 * last ones, and what is held. */
typedef struct {
    double sum_squares, peak;
    uint64_t samples, clipped;
    double block_squares, block_peak, block_true_peak;   /* the block being filled */
    double last_squares[RMS_BLOCKS];                     /* the last whole blocks' */
    double last_peak, last_true_peak;
    double held_peak, held_true_peak;
    uint64_t held_clipped;
} channel_sums;

struct hark_levels {
    unsigned channels;
    size_t step_frames;     /* 100 ms: how often the momentary and short-term are read */
    size_t since_step;
    uint64_t steps;
    meter programme;
    meter *per_channel;
    channel_sums *sums;
    float *one;             /* a block of one channel, for its meter */
};

static hark_err meter_init(meter *m, unsigned channels, double rate_hz)
{
    m->st = ebur128_init(channels, (unsigned long)lround(rate_hz), MODES);
    m->max_momentary = m->max_short_term = m->momentary = m->short_term = -HUGE_VAL;
    return m->st ? HARK_OK : hark_error_set(HARK_ERR_NOMEM, "libebur128: cannot start a meter");
}

static void meter_step(meter *m)
{
    double v;
    m->momentary = ebur128_loudness_momentary(m->st, &v) == EBUR128_SUCCESS ? v : -HUGE_VAL;
    m->short_term = ebur128_loudness_shortterm(m->st, &v) == EBUR128_SUCCESS ? v : -HUGE_VAL;
    m->max_momentary = m->momentary > m->max_momentary ? m->momentary : m->max_momentary;
    m->max_short_term = m->short_term > m->max_short_term ? m->short_term : m->max_short_term;
}

/* A whole block: what the meters show next. */
static void channel_step(channel_sums *s, uint64_t step)
{
    s->last_squares[step % RMS_BLOCKS] = s->block_squares;
    s->last_peak = s->block_peak;
    s->last_true_peak = s->block_true_peak;
    s->held_peak = s->block_peak > s->held_peak ? s->block_peak : s->held_peak;
    s->held_true_peak = s->block_true_peak > s->held_true_peak ? s->block_true_peak
                                                               : s->held_true_peak;
    s->block_squares = s->block_peak = s->block_true_peak = 0;
}

hark_err hark_levels_create(unsigned channels, double rate_hz, hark_levels **out)
{
    *out = NULL;
    hark_levels *l = calloc(1, sizeof *l);
    if (!l)
        return hark_fail(HARK_ERR_NOMEM);
    l->channels = channels;
    l->step_frames = (size_t)lround(rate_hz / 10.0);
    l->per_channel = calloc(channels, sizeof *l->per_channel);
    l->sums = calloc(channels, sizeof *l->sums);
    l->one = malloc(sizeof(float) * l->step_frames);
    hark_err err = l->per_channel && l->sums && l->one ? meter_init(&l->programme, channels, rate_hz)
                                                       : hark_fail(HARK_ERR_NOMEM);
    for (unsigned c = 0; c < channels && !err; c++)
        err = meter_init(&l->per_channel[c], 1, rate_hz);
    if (err) {
        hark_levels_destroy(l);
        return err;
    }
    *out = l;
    return HARK_OK;
}

void hark_levels_destroy(hark_levels *l)
{
    if (!l)
        return;
    if (l->programme.st)
        ebur128_destroy(&l->programme.st);
    for (unsigned c = 0; l->per_channel && c < l->channels; c++)
        if (l->per_channel[c].st)
            ebur128_destroy(&l->per_channel[c].st);
    free(l->per_channel);
    free(l->sums);
    free(l->one);
    free(l);
}

/* Frames up to the next 100 ms step (at most step_frames). */
static hark_err add_piece(hark_levels *l, const float *x, size_t n)
{
    const unsigned ch = l->channels;
    if (ebur128_add_frames_float(l->programme.st, x, n) != EBUR128_SUCCESS)
        return hark_error_set(HARK_ERR_NOMEM, "libebur128: cannot take the samples");
    for (unsigned c = 0; c < ch; c++) {
        channel_sums *s = &l->sums[c];
        double squares = 0, peak = 0;
        uint64_t clipped = 0;
        for (size_t i = 0; i < n; i++) {
            float v = x[i * ch + c], a = fabsf(v);
            l->one[i] = v;
            squares += (double)v * v;
            peak = a > peak ? a : peak;
            clipped += a >= 1.0f;
        }
        s->block_squares += squares; /* the meters' block, and the whole */
        s->sum_squares += squares;
        s->block_peak = peak > s->block_peak ? peak : s->block_peak;
        s->peak = peak > s->peak ? peak : s->peak;
        s->held_clipped += clipped;
        s->clipped += clipped;
        s->samples += n;
        double tp;
        if (ebur128_prev_true_peak(l->programme.st, c, &tp) == EBUR128_SUCCESS)
            s->block_true_peak = tp > s->block_true_peak ? tp : s->block_true_peak;
        if (ebur128_add_frames_float(l->per_channel[c].st, l->one, n) != EBUR128_SUCCESS)
            return hark_error_set(HARK_ERR_NOMEM, "libebur128: cannot take the samples");
    }
    l->since_step += n;
    if (l->since_step == l->step_frames) {
        l->since_step = 0;
        meter_step(&l->programme);
        for (unsigned c = 0; c < ch; c++) {
            meter_step(&l->per_channel[c]);
            channel_step(&l->sums[c], l->steps);
        }
        l->steps++;
    }
    return HARK_OK;
}

hark_err hark_levels_add(hark_levels *l, const float *x, size_t frames)
{
    hark_err err = HARK_OK;
    while (frames > 0 && !err) {
        size_t n = l->step_frames - l->since_step;
        n = n < frames ? n : frames;
        err = add_piece(l, x, n);
        x += n * l->channels;
        frames -= n;
    }
    return err;
}

/* 20 log10 of a level, or NAN for none. */
static double db_of(double linear)
{
    return linear > 0 ? 20.0 * log10(linear) : NAN;
}

/* A loudness libebur128 gave, or NAN where it gave none (-inf: below its gates). */
static double lufs_of(double v)
{
    return isfinite(v) ? v : NAN;
}

static void loudness(const meter *m, hark_level_set *out)
{
    double v;
    out->integrated_lufs = ebur128_loudness_global(m->st, &v) == EBUR128_SUCCESS ? lufs_of(v) : NAN;
    out->range_lu = !isnan(out->integrated_lufs) &&
                            ebur128_loudness_range(m->st, &v) == EBUR128_SUCCESS && isfinite(v)
                        ? v
                        : NAN;
    out->max_momentary_lufs = lufs_of(m->max_momentary);
    out->max_short_term_lufs = lufs_of(m->max_short_term);
}

static double true_peak(ebur128_state *st, unsigned c)
{
    double v;
    return ebur128_true_peak(st, c, &v) == EBUR128_SUCCESS ? v : 0.0;
}

void hark_levels_channel(const hark_levels *l, unsigned c, hark_level_set *out)
{
    const channel_sums *s = &l->sums[c];
    out->sample_peak_dbfs = db_of(s->peak);
    out->true_peak_dbtp = db_of(true_peak(l->programme.st, c));
    out->rms_dbfs = db_of(s->samples ? sqrt(s->sum_squares / (double)s->samples) : 0.0);
    out->clipped = s->clipped;
    loudness(&l->per_channel[c], out);
}

void hark_levels_programme(const hark_levels *l, hark_level_set *out)
{
    double peak = 0, tp = 0, squares = 0;
    uint64_t samples = 0, clipped = 0;
    for (unsigned c = 0; c < l->channels; c++) {
        const channel_sums *s = &l->sums[c];
        peak = s->peak > peak ? s->peak : peak;
        double t = true_peak(l->programme.st, c);
        tp = t > tp ? t : tp;
        squares += s->sum_squares;
        samples += s->samples;
        clipped += s->clipped;
    }
    out->sample_peak_dbfs = db_of(peak);
    out->true_peak_dbtp = db_of(tp);
    out->rms_dbfs = db_of(samples ? sqrt(squares / (double)samples) : 0.0);
    out->clipped = clipped;
    loudness(&l->programme, out);
}

/* ---- the meters ---------------------------------------------------------------------------- */

unsigned hark_levels_channels(const hark_levels *l)
{
    return l->channels;
}

void hark_levels_meter(const hark_levels *l, unsigned c, hark_meter_reading *out)
{
    const channel_sums *s = &l->sums[c];
    unsigned blocks = l->steps < RMS_BLOCKS ? (unsigned)l->steps : RMS_BLOCKS;
    double squares = 0;
    for (unsigned b = 0; b < blocks; b++)
        squares += s->last_squares[b];
    out->peak_dbfs = db_of(s->last_peak);
    out->peak_held_dbfs = db_of(s->held_peak);
    out->true_peak_dbtp = db_of(s->last_true_peak);
    out->true_peak_held_dbtp = db_of(s->held_true_peak);
    out->rms_dbfs = db_of(blocks ? sqrt(squares / ((double)blocks * l->step_frames)) : 0.0);
    out->momentary_lufs = lufs_of(l->per_channel[c].momentary);
    out->short_term_lufs = lufs_of(l->per_channel[c].short_term);
    out->clipped_held = s->held_clipped;
}

void hark_levels_programme_now(const hark_levels *l, double *momentary_lufs,
                               double *short_term_lufs)
{
    *momentary_lufs = lufs_of(l->programme.momentary);
    *short_term_lufs = lufs_of(l->programme.short_term);
}

void hark_levels_reset_holds(hark_levels *l)
{
    for (unsigned c = 0; c < l->channels; c++) {
        channel_sums *s = &l->sums[c];
        s->held_peak = s->last_peak;
        s->held_true_peak = s->last_true_peak;
        s->held_clipped = 0;
    }
}
