#include "axis.h"

#include <math.h>
#include <stdio.h>

/* The smallest step of 1, 2 or 5 x 10^k giving at most max_ticks multiples in a span. */
static double nice_step(double span, size_t max_ticks)
{
    if (!(span > 0.0))
        return 1.0;
    if (max_ticks < 2)
        max_ticks = 2;
    double step = pow(10.0, floor(log10(span / (double)max_ticks)) - 1.0);
    static const double mant[] = {1.0, 2.0, 5.0};
    for (;;) {
        for (int m = 0; m < 3; m++) {
            double s = step * mant[m];
            if (floor(span / s + 1e-9) + 1.0 <= (double)max_ticks)
                return s;
        }
        step *= 10.0;
    }
}

/* Decimals needed to print multiples of a 1-2-5 step exactly. */
static int step_decimals(double step)
{
    int d = (int)ceil(-log10(step) - 1e-9);
    return d > 0 ? d : 0;
}

/* Evenly stepped ticks over [lo, hi] on a linear axis; labels by fmt_value. */
static size_t linear_ticks(double lo, double hi, size_t max_ticks, hark_tick *out, size_t cap,
                           void (*fmt_value)(double v, int decimals, char *buf, size_t n))
{
    double step = nice_step(hi - lo, max_ticks);
    int decimals = step_decimals(step);
    size_t n = 0;
    for (double i = ceil(lo / step - 1e-9); n < cap; i += 1.0) {
        double v = i * step;
        if (v > hi + step * 1e-9)
            break;
        if (fabs(v) < step * 1e-9)
            v = 0.0; /* no "-0" */
        out[n].value = v;
        out[n].pos = hi > lo ? (v - lo) / (hi - lo) : 0.0;
        fmt_value(v, decimals, out[n].label, sizeof out[n].label);
        n++;
    }
    return n;
}

static void fmt_fixed(double v, int decimals, char *buf, size_t n)
{
    snprintf(buf, n, "%.*f", decimals, v);
}

size_t hark_axis_time(double t0_s, double t1_s, size_t max_ticks, hark_tick *out, size_t cap)
{
    return linear_ticks(t0_s, t1_s, max_ticks, out, cap, fmt_fixed);
}

size_t hark_axis_db(double min_db, double max_db, size_t max_ticks, hark_tick *out, size_t cap)
{
    return linear_ticks(min_db, max_db, max_ticks, out, cap, fmt_fixed);
}

/* "0", "500", "1k", "2.5k", "22.05k". */
static void fmt_hz(double hz, int decimals, char *buf, size_t n)
{
    (void)decimals;
    if (fabs(hz) >= 1000.0)
        snprintf(buf, n, "%gk", round(hz / 10.0) / 100.0);
    else
        snprintf(buf, n, "%g", round(hz * 100.0) / 100.0);
}

static double freq_pos(const hark_scale *s, double hz)
{
    return hark_scale_row(s, hz) / (double)(s->rows - 1);
}

/* Try to add a tick at hz: inside the axis, and at least gap from every tick so far. */
static size_t add_spaced(const hark_scale *s, double hz, double gap, hark_tick *out, size_t n,
                         size_t limit)
{
    if (n >= limit || hz < s->lo_hz * (1 - 1e-9) || hz > s->hi_hz * (1 + 1e-9))
        return n;
    double pos = freq_pos(s, hz);
    for (size_t i = 0; i < n; i++)
        if (fabs(out[i].pos - pos) < gap)
            return n;
    out[n].value = hz;
    out[n].pos = pos;
    fmt_hz(hz, 0, out[n].label, sizeof out[n].label);
    return n + 1;
}

/* Log and mel: round values first (0 and powers of ten), then 5 and 2 x 10^k where they fit,
 * each at least 1/max_ticks of the axis from the others; then sorted by position. */
static size_t warped_freq_ticks(const hark_scale *s, size_t max_ticks, hark_tick *out, size_t cap)
{
    size_t limit = max_ticks < cap ? max_ticks : cap;
    double gap = 1.0 / (double)(max_ticks > 1 ? max_ticks : 2);
    size_t n = add_spaced(s, 0.0, gap, out, 0, limit);
    static const double mant[] = {1.0, 5.0, 2.0};
    for (int m = 0; m < 3; m++)
        for (double p = 1.0; p <= s->hi_hz * (1 + 1e-9); p *= 10.0)
            n = add_spaced(s, mant[m] * p, gap, out, n, limit);
    for (size_t i = 1; i < n; i++) /* insertion sort: n is small */
        for (size_t j = i; j > 0 && out[j].pos < out[j - 1].pos; j--) {
            hark_tick t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

/* cqt: the C of each octave (C1, C2, ...), every other one when they would crowd. */
static size_t note_ticks(const hark_scale *s, size_t max_ticks, hark_tick *out, size_t cap)
{
    const double c0 = 440.0 * pow(2.0, -57.0 / 12.0); /* C0, 16.35 Hz */
    int first = (int)ceil(log2(s->lo_hz / c0) - 1e-9), last = (int)floor(log2(s->hi_hz / c0) + 1e-9);
    int every = 1;
    while (last >= first && (size_t)((last - first) / every + 1) > (max_ticks ? max_ticks : 1))
        every++;
    size_t n = 0;
    for (int oct = first; oct <= last && n < cap; oct += every) {
        double hz = c0 * pow(2.0, oct);
        out[n].value = hz;
        out[n].pos = freq_pos(s, hz);
        snprintf(out[n].label, sizeof out[n].label, "C%d", oct);
        n++;
    }
    return n;
}

size_t hark_axis_freq(const hark_scale *scale, size_t max_ticks, hark_tick *out, size_t cap)
{
    if (scale->kind == HARK_SCALE_CQT)
        return note_ticks(scale, max_ticks, out, cap);
    if (scale->kind != HARK_SCALE_LINEAR)
        return warped_freq_ticks(scale, max_ticks, out, cap);
    size_t n = linear_ticks(scale->lo_hz, scale->hi_hz, max_ticks, out, cap, fmt_hz);
    for (size_t i = 0; i < n; i++)
        out[i].pos = freq_pos(scale, out[i].value);
    return n;
}
