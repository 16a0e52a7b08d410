/* Axis ticks: nice steps, positions that match the scale, labels a reader expects. */
#include <string.h>

#include "axis.h"
#include "check.h"

static int has_label(const hark_tick *t, size_t n, const char *label)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].label, label) == 0)
            return 1;
    return 0;
}

static void check_ordered(const hark_tick *t, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        CHECK(t[i].pos >= -1e-9 && t[i].pos <= 1 + 1e-9, "%s: tick %zu inside the axis", what, i);
        if (i)
            CHECK(t[i].pos > t[i - 1].pos, "%s: ticks in order", what);
    }
}

static void test_time(void)
{
    hark_tick t[64];
    size_t n = hark_axis_time(0.0, 10.0, 6, t, 64);
    CHECK(n == 6, "0..10 s in at most 6 ticks: step 2 gives 6, got %zu", n);
    CHECK(strcmp(t[0].label, "0") == 0 && strcmp(t[5].label, "10") == 0, "labels 0..10");
    CHECK_NEAR(t[5].pos, 1.0, 1e-12, "10 s at the end");
    n = hark_axis_time(0.25, 1.3, 12, t, 64);
    CHECK(n <= 12 && n >= 5, "sub-second ticks: %zu", n);
    CHECK(has_label(t, n, "0.5") && has_label(t, n, "1.0"), "decimals follow the step");
    check_ordered(t, n, "time");
    CHECK_NEAR(t[0].pos, (t[0].value - 0.25) / 1.05, 1e-12, "position is linear in time");
    n = hark_axis_time(3600.0, 7200.0, 5, t, 64);
    CHECK(n <= 5 && n >= 2, "an hour: %zu ticks", n);
    CHECK(has_label(t, n, "4000"), "whole seconds");
}

static void test_freq(void)
{
    hark_tick t[64];
    hark_scale s;
    hark_scale_init(&s, HARK_SCALE_LINEAR, 513, 44100, 1024);
    size_t n = hark_axis_freq(&s, 6, t, 64);
    CHECK(n <= 6, "at most 6 ticks");
    CHECK(has_label(t, n, "0") && has_label(t, n, "5k") && has_label(t, n, "20k"),
          "linear: 0, 5k, ... 20k");
    check_ordered(t, n, "linear");
    for (size_t i = 0; i < n; i++)
        CHECK_NEAR(t[i].pos * 512, t[i].value * 1024 / 44100, 1e-6, "linear tick on its bin");

    hark_scale_init(&s, HARK_SCALE_LOG, 400, 44100, 1024);
    n = hark_axis_freq(&s, 10, t, 64);
    CHECK(has_label(t, n, "100") && has_label(t, n, "1k") && has_label(t, n, "10k"),
          "log: decades");
    check_ordered(t, n, "log");
    for (size_t i = 0; i < n; i++)
        CHECK_NEAR(hark_scale_freq(&s, t[i].pos * 399), t[i].value, t[i].value * 1e-9,
                   "log tick at its frequency's row");

    hark_scale_init(&s, HARK_SCALE_MEL, 128, 16000, 512);
    n = hark_axis_freq(&s, 6, t, 64);
    CHECK(n >= 3 && n <= 6, "mel: %zu ticks", n);
    CHECK(has_label(t, n, "0") && has_label(t, n, "1k"), "mel: 0 and 1k");
    check_ordered(t, n, "mel");
    for (size_t i = 1; i < n; i++)
        CHECK(t[i].pos - t[i - 1].pos >= 1.0 / 6 - 1e-9, "mel ticks do not crowd");

    hark_scale_init(&s, HARK_SCALE_LINEAR, 1025, 48000, 2048);
    n = hark_axis_freq(&s, 40, t, 64);
    CHECK(has_label(t, n, "1k") && has_label(t, n, "1.5k") == 0, "dense linear: 1k steps? %s",
          n > 1 ? t[1].label : "-");
}

static void test_db(void)
{
    hark_tick t[64];
    size_t n = hark_axis_db(-120.0, 0.0, 7, t, 64);
    CHECK(n == 7, "-120..0 in 20 dB steps: %zu", n);
    CHECK(strcmp(t[0].label, "-120") == 0 && strcmp(t[n - 1].label, "0") == 0, "-120 .. 0");
    check_ordered(t, n, "dB");
    n = hark_axis_db(-90.0, -30.0, 4, t, 64);
    CHECK(n == 3 && strcmp(t[0].label, "-80") == 0, "-90..-30: multiples of 20");
    CHECK(hark_axis_db(-120.0, 0.0, 100, t, 3) == 3, "never more than cap");
}

int main(void)
{
    test_time();
    test_freq();
    test_db();
    return check_finish("test_axis");
}
