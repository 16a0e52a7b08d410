/* The live spectrum's traces (traces.h), from real STFT frames of made signals: a -20 dBFS
 * bin-centred sine reads -20.0 on the current and averaged traces; white noise averages flat;
 * the average's time constant is the one set, measured from a step; peak hold keeps a 50 ms
 * burst; min, reference, bands and weighting. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stft.h"
#include "traces.h"

#define RATE 48000.0
#define FFT 4096u
#define HOP 512u
#define BINS (FFT / 2 + 1)
#define FLOOR -140.0

static hark_stft *stft;
static float frame[FFT], bins[BINS];

static hark_traces *make(double average_s, double decay, unsigned octave, hark_weighting w)
{
    hark_traces_config cfg = {
        .lines = {.fft_size = FFT, .rate_hz = RATE, .window = HARK_WINDOW_HANN, .octave = octave,
                  .weighting = w},
        .frame_s = HOP / RATE, .average_s = average_s, .peak_decay_db_s = decay,
        .floor_db = FLOOR};
    hark_traces *t = NULL;
    CHECK(hark_traces_create(&cfg, &t) == HARK_OK, "create");
    return t;
}

/* One frame of a sine (amplitude a, f Hz) starting at sample `at`, through the STFT. */
static void sine_frame(hark_traces *t, double a, double f, uint64_t at)
{
    for (unsigned i = 0; i < FFT; i++)
        frame[i] = (float)(a * sin(2 * M_PI * f * (double)(at + i) / RATE));
    hark_stft_process(stft, frame, bins);
    hark_traces_push(t, bins);
}

/* The next frame of a continuous stream of uniform white noise of this RMS (hop by hop, as a
 * live input gives it). */
static void noise_frame(hark_traces *t, double rms)
{
    memmove(frame, frame + HOP, (FFT - HOP) * sizeof(float));
    for (unsigned i = FFT - HOP; i < FFT; i++) {
        double u = check_random() / 4294967296.0 - 0.5;
        frame[i] = (float)(u * rms * sqrt(12.0));
    }
    hark_stft_process(stft, frame, bins);
    hark_traces_push(t, bins);
}

static void test_sine_reads_its_level(void)
{
    hark_traces *t = make(1.0, 0, 0, HARK_WEIGHT_Z);
    const double f = 100 * RATE / FFT; /* bin 100's centre */
    for (unsigned k = 0; k < 200; k++)
        sine_frame(t, 0.1, f, (uint64_t)k * HOP);
    hark_trace_point p;
    hark_traces_point(t, 100, &p);
    CHECK_NEAR(p.hz, f, 1e-9, "the line's frequency");
    CHECK_NEAR(p.current, -20.0, 0.1, "current");
    CHECK_NEAR(p.average, -20.0, 0.1, "average");
    CHECK_NEAR(p.peak, -20.0, 0.1, "peak");
    CHECK_NEAR(p.min, -20.0, 0.1, "min");
    CHECK(isnan(p.reference), "no reference yet");
    CHECK(hark_traces_levels(t, HARK_TRACE_REFERENCE) == NULL, "no reference trace");
    hark_traces_capture_reference(t);
    hark_traces_point(t, 100, &p);
    CHECK_NEAR(p.reference, -20.0, 0.1, "the reference is the average when captured");
    hark_traces_destroy(t);
}

/* White noise after 10 time constants: the averaged trace is flat, no tilt or ripple: the
 * mean of each of 32 equal groups of bins (above DC) within 0.5 dB of the whole's. (Each bin
 * alone scatters by the estimate's own variance, about 0.3 dB at 1 s with a 4096 frame.) */
static void test_noise_averages_flat(void)
{
    const double tau = 1.0;
    hark_traces *t = make(tau, 0, 0, HARK_WEIGHT_Z);
    unsigned frames = (unsigned)ceil(10 * tau * RATE / HOP) + FFT / HOP;
    for (unsigned k = 0; k < frames; k++)
        noise_frame(t, 0.1);
    enum { GROUPS = 32 };
    const unsigned per = (BINS - 2) / GROUPS;
    double group[GROUPS] = {0}, all = 0;
    for (unsigned g = 0; g < GROUPS; g++) {
        for (unsigned i = 1 + g * per; i < 1 + (g + 1) * per; i++) {
            hark_trace_point p;
            hark_traces_point(t, i, &p);
            group[g] += p.average / per;
        }
        all += group[g] / GROUPS;
    }
    double worst = 0;
    for (unsigned g = 0; g < GROUPS; g++)
        worst = fabs(group[g] - all) > worst ? fabs(group[g] - all) : worst;
    CHECK(worst <= 0.5, "flat: a group %.2f dB from the mean %.2f", worst, all);
    /* And it is the noise's level: E|X|^2 = var * sum(w^2), scaled by (2 / sum(w))^2, is
     * var * 4 * ENBW / N (Hann's ENBW: 1.5 bins): -48.34 dBFS for RMS 0.1 at N = 4096. */
    CHECK_NEAR(all, 10 * log10(0.01 * 4 * 1.5 / FFT), 0.3, "the noise's level per bin");
    hark_traces_destroy(t);
}

/* After a step from silence to a steady sine, the average reaches 1 - 1/e of the step's power
 * after average_s: measured, within 10 %. */
static void test_time_constant(void)
{
    const double taus[] = {0.1, 1.0, 3.0};
    const double f = 100 * RATE / FFT;
    for (unsigned j = 0; j < 3; j++) {
        hark_traces *t = make(taus[j], 0, 0, HARK_WEIGHT_Z);
        for (unsigned k = 0; k < 20; k++)
            sine_frame(t, 0.0, f, 0);
        double target = 0.01 * (1 - exp(-1)); /* -20 dBFS is 0.01 in power */
        double crossed = -1;
        for (unsigned k = 1; k < 2000 && crossed < 0; k++) {
            sine_frame(t, 0.1, f, (uint64_t)k * HOP);
            hark_trace_point p;
            hark_traces_point(t, 100, &p);
            if (pow(10, p.average / 10) >= target)
                crossed = k * HOP / RATE;
        }
        CHECK(fabs(crossed - taus[j]) <= 0.1 * taus[j], "tau %.1f s measured %.3f s", taus[j],
              crossed);
        hark_traces_destroy(t);
    }
}

/* A 50 ms burst at -10 dBFS in silence: the held peak keeps its level for good; with decay
 * it falls at the rate set; min holds the silence; a reset starts again. */
static void test_holds(void)
{
    const double f = 200 * RATE / FFT;
    hark_traces *held = make(0.3, 0, 0, HARK_WEIGHT_Z), *falling = make(0.3, 20.0, 0,
                                                                        HARK_WEIGHT_Z);
    hark_traces *both[2] = {held, falling};
    uint64_t at = 0;
    float x[FFT * 40] = {0};
    unsigned burst_at = FFT * 10, burst_len = (unsigned)(0.05 * RATE);
    for (unsigned i = burst_at; i < burst_at + burst_len; i++)
        x[i] = (float)(0.316227766 * sin(2 * M_PI * f * i / RATE));
    for (; at + FFT <= sizeof x / sizeof x[0]; at += HOP) {
        hark_stft_process(stft, x + at, bins);
        for (int k = 0; k < 2; k++)
            hark_traces_push(both[k], bins);
    }
    hark_trace_point p, q;
    hark_traces_point(held, 200, &p);
    hark_traces_point(falling, 200, &q);
    /* The frame that holds the whole 50 ms (shorter than the 85 ms frame) reads the burst
     * through the window's weighting of those samples: at most -10, well above silence. */
    CHECK(p.peak > -16.0 && p.peak <= -9.9, "held peak %.2f", p.peak);
    double frames_after = (double)(at - burst_at - burst_len) / HOP;
    CHECK(q.peak < p.peak - 20.0 * frames_after * HOP / RATE * 0.5, "decayed %.2f vs %.2f",
          q.peak, p.peak);
    CHECK_NEAR(p.current, FLOOR, 1e-6, "silence reads the floor");
    CHECK_NEAR(p.min, FLOOR, 1e-6, "min holds the silence");
    hark_traces_reset_holds(held);
    hark_stft_process(stft, x, bins);
    hark_traces_push(held, bins);
    hark_traces_point(held, 200, &p);
    CHECK_NEAR(p.peak, FLOOR, 1e-6, "a reset starts the peak again");
    hark_traces_destroy(held);
    hark_traces_destroy(falling);
}

/* Third-octave bands: a -20 dBFS sine reads -20 in its band; A weighting reads the IEC 61672
 * table at 100 Hz, 1 kHz and 10 kHz. */
static void test_bands_and_weighting(void)
{
    CHECK_NEAR(hark_weighting_db(HARK_WEIGHT_A, 100), -19.1, 0.2, "A at 100 Hz");
    CHECK_NEAR(hark_weighting_db(HARK_WEIGHT_A, 1000), 0.0, 0.2, "A at 1 kHz");
    CHECK_NEAR(hark_weighting_db(HARK_WEIGHT_A, 10000), -2.5, 0.2, "A at 10 kHz");
    CHECK_NEAR(hark_weighting_db(HARK_WEIGHT_C, 100), -0.3, 0.2, "C at 100 Hz");
    hark_traces *t = make(0, 0, 3, HARK_WEIGHT_Z);
    const double f = 85 * RATE / FFT; /* 996 Hz, in the 1 kHz band */
    sine_frame(t, 0.1, f, 0);
    int found = 0;
    for (unsigned i = 0; i < hark_traces_lines(t); i++) {
        hark_trace_point p;
        hark_traces_point(t, i, &p);
        if (fabs(p.hz - 1000.0) < 1.0) {
            found = 1;
            CHECK_NEAR(p.current, -20.0, 0.1, "the 1 kHz band");
        }
    }
    CHECK(found, "a 1 kHz band");
    hark_traces_destroy(t);
    CHECK(hark_traces_check_average(0.05) != HARK_OK, "0.05 s refused");
    CHECK(hark_traces_check_average(10.0) == HARK_OK, "10 s taken");
}

int main(void)
{
    hark_stft_config cfg = {.fft_size = FFT, .rate_hz = RATE, .window = HARK_WINDOW_HANN,
                            .floor_db = (float)FLOOR};
    CHECK(hark_stft_create(&cfg, &stft) == HARK_OK, "stft");
    test_sine_reads_its_level();
    test_noise_averages_flat();
    test_time_constant();
    test_holds();
    test_bands_and_weighting();
    hark_stft_destroy(stft);
    return check_finish("test_traces");
}
