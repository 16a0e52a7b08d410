/* The level meters of live and play (levels.h, hark_levels_meter), against EBU Tech 3341
 * cases and the issue's: a -20 dBFS sine's RMS meter reads -23.01; a 1 kHz stereo sine at
 * -23 (-33) dBFS per channel reads -23.0 (-33.0) LUFS momentary, short-term and integrated;
 * a sine at a quarter of the rate with a 45 degree phase: sample peak -3.01 dBFS, true peak
 * 0.0 dBTP; the clip light stays lit until reset. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "levels.h"

#define RATE 48000.0

/* seconds of a stereo sine of amplitude a (dBFS as a sine's peak), fed in 10 ms pieces as a
 * live session does. */
static void feed_sine(hark_levels *l, double a, double f, double phase, double seconds)
{
    static float buf[480 * 2];
    static uint64_t n;
    size_t total = (size_t)(seconds * RATE);
    for (size_t done = 0; done < total; done += 480) {
        for (unsigned i = 0; i < 480; i++, n++) {
            float v = (float)(a * sin(2 * M_PI * f * (double)n / RATE + phase));
            buf[2 * i] = buf[2 * i + 1] = v;
        }
        CHECK(hark_levels_add(l, buf, 480) == HARK_OK, "add");
    }
}

static void test_loudness(double dbfs)
{
    hark_levels *l = NULL;
    CHECK(hark_levels_create(2, RATE, &l) == HARK_OK, "create");
    feed_sine(l, pow(10, dbfs / 20), 1000, 0, 20.0);
    double m, st;
    hark_levels_programme_now(l, &m, &st);
    CHECK_NEAR(m, dbfs, 0.1, "momentary");
    CHECK_NEAR(st, dbfs, 0.1, "short-term");
    hark_level_set set;
    hark_levels_programme(l, &set);
    CHECK_NEAR(set.integrated_lufs, dbfs, 0.1, "integrated");
    hark_meter_reading r;
    hark_levels_meter(l, 0, &r);
    CHECK_NEAR(r.rms_dbfs, dbfs - 3.0103, 0.05, "RMS meter");
    CHECK_NEAR(r.peak_dbfs, dbfs, 0.05, "sample peak of the block");
    CHECK_NEAR(r.momentary_lufs, dbfs - 3.0103, 0.1, "one channel alone: half the power");
    CHECK(r.clipped_held == 0, "no clip");
    hark_levels_destroy(l);
}

static void test_true_peak_and_clip(void)
{
    hark_levels *l = NULL;
    CHECK(hark_levels_create(2, RATE, &l) == HARK_OK, "create");
    feed_sine(l, 1.0, RATE / 4, M_PI / 4, 1.0);
    hark_meter_reading r;
    hark_levels_meter(l, 1, &r);
    CHECK_NEAR(r.peak_dbfs, -3.01, 0.02, "sample peak");
    CHECK_NEAR(r.true_peak_dbtp, 0.0, 0.3, "true peak");
    CHECK_NEAR(r.true_peak_held_dbtp, 0.0, 0.3, "true peak held");
    CHECK(r.clipped_held == 0, "a sample peak of -3 dBFS is no clip");
    feed_sine(l, 1.0, 1000, M_PI / 2, 0.01); /* starts at full scale */
    feed_sine(l, 0.01, 1000, 0, 0.5);
    hark_levels_meter(l, 0, &r);
    CHECK(r.clipped_held >= 1, "the clip light is lit: %llu", (unsigned long long)r.clipped_held);
    CHECK_NEAR(r.peak_held_dbfs, 0.0, 0.01, "the peak held");
    CHECK_NEAR(r.peak_dbfs, -40.0, 0.05, "the peak now");
    hark_levels_reset_holds(l);
    hark_levels_meter(l, 0, &r);
    CHECK(r.clipped_held == 0, "reset");
    CHECK_NEAR(r.peak_held_dbfs, -40.0, 0.05, "the held peak starts again");
    hark_levels_destroy(l);
}

static void test_silence_is_nan_not_inf(void)
{
    hark_levels *l = NULL;
    CHECK(hark_levels_create(1, RATE, &l) == HARK_OK, "create");
    hark_meter_reading r;
    hark_levels_meter(l, 0, &r);
    CHECK(isnan(r.rms_dbfs) && isnan(r.peak_dbfs) && isnan(r.momentary_lufs),
          "nothing yet: NAN");
    float zeros[4800] = {0};
    hark_levels_add(l, zeros, 4800);
    hark_levels_meter(l, 0, &r);
    CHECK(isnan(r.rms_dbfs) && isnan(r.true_peak_dbtp) && isnan(r.momentary_lufs),
          "silence: NAN, never -inf");
    hark_levels_destroy(l);
}

int main(void)
{
    test_loudness(-23.0);
    test_loudness(-33.0);
    test_loudness(-20.0);
    test_true_peak_and_clip();
    test_silence_is_nan_not_inf();
    return check_finish("test_meters");
}
