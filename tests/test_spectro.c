/* The analysis of a stream of frames (spectro.h) and PCEN (pcen.h): PCEN's smoother as
 * librosa's; two smoothers started at different frames agree to the last bit after the
 * warm-up hark_pcen_warmup_frames gives (what lets render split a PCEN file between threads);
 * a stream started hark_spectro_lead frames early gives the rows of a stream from frame 0
 * (reassigned and PCEN'd alike), and the reassigned rows of a stream come `delay` frames late
 * and all of them by hark_spectro_finish. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "spectro.h"

static double uniform(void) { return (check_random() + 0.5) / 4294967296.0; }

static void test_pcen_is_librosas(void)
{
    hark_pcen_params p;
    hark_pcen_defaults(&p);
    double t = 0.4 * 22050 / 512, b = (sqrt(1 + 4 * t * t) - 1) / (2 * t * t);
    CHECK_NEAR(hark_pcen_coefficient(&p, 22050, 512), b, 1e-15, "b as librosa's");
    enum { BINS = 7, FRAMES = 200 };
    hark_pcen *c;
    CHECK(hark_pcen_create(&p, 22050, 512, BINS, &c) == HARK_OK, "create");
    double m[BINS];
    float power[BINS], out[BINS];
    double worst = 0;
    for (int f = 0; f < FRAMES; f++) {
        for (int k = 0; k < BINS; k++)
            power[k] = (float)(k == 0 ? 0.0 : pow(10.0, -8 * uniform()));
        hark_pcen_process(c, power, out);
        for (int k = 0; k < BINS; k++) {
            double e = sqrt((double)power[k]);
            m[k] = f == 0 ? e : (1 - b) * m[k] + b * e;
            double want = pow(e / pow(1e-6 + m[k], 0.98) + 2.0, 0.5) - sqrt(2.0);
            worst = fmax(worst, fabs(out[k] - want) / fmax(1.0, want));
            CHECK(isfinite(out[k]) && out[k] >= 0.0f, "finite, never negative");
        }
    }
    CHECK(worst < 1e-5, "PCEN within 1e-5 of the formula in double: %g", worst);
    hark_pcen_destroy(c);
}

/* Two smoothers over the same frames, one from frame 0 and one from `warm` frames before
 * frame `at`: from `at` on they give the same bits. */
static void test_pcen_warmup_meets(double rate, unsigned hop)
{
    enum { BINS = 2049 };
    hark_pcen_params p;
    hark_pcen_defaults(&p);
    uint64_t warm = hark_pcen_warmup_frames(&p, rate, hop), at = warm + 300;
    hark_pcen *a, *late;
    hark_pcen_create(&p, rate, hop, BINS, &a);
    hark_pcen_create(&p, rate, hop, BINS, &late);
    float *power = malloc(sizeof(float) * BINS), *oa = malloc(sizeof(float) * BINS),
          *ob = malloc(sizeof(float) * BINS);
    unsigned differ = 0;
    for (uint64_t f = 0; f < at + 200; f++) {
        for (unsigned k = 0; k < BINS; k++) /* levels over 120 dB, and some silence */
            power[k] = check_random() % 17 == 0 ? 0.0f : (float)pow(10.0, -12 * uniform());
        hark_pcen_process(a, power, oa);
        if (f + warm >= at)
            hark_pcen_process(late, power, ob);
        if (f >= at)
            differ += memcmp(oa, ob, sizeof(float) * BINS) != 0;
    }
    CHECK(differ == 0, "rate %g hop %u: warm-up %llu frames; %u frames differ", rate, hop,
          (unsigned long long)warm, differ);
    hark_pcen_destroy(a);
    hark_pcen_destroy(late);
    free(power);
    free(oa);
    free(ob);
}

/* The rows of a stream started at frame `first` and finished after frame `frames` - 1, into
 * rows[index]; *last_late: how many frames late the last row before the finish came. */
static void run_stream(const hark_spectro_config *cfg, const float *x, uint64_t first,
                       uint64_t frames, float *rows, unsigned floats, uint64_t *last_late)
{
    hark_spectro *s;
    CHECK(hark_spectro_create(cfg, first, &s) == HARK_OK, "create");
    unsigned hop = cfg->hop;
    const float *row;
    uint64_t index;
    *last_late = 0;
    for (uint64_t f = first; f < frames; f++) {
        hark_spectro_push(s, x + f * hop);
        while ((row = hark_spectro_next(s, &index))) {
            CHECK(index + hark_spectro_delay(cfg) == f || index >= f, "row %llu after frame %llu",
                  (unsigned long long)index, (unsigned long long)f);
            *last_late = f - index;
            memcpy(rows + index * floats, row, sizeof(float) * floats);
        }
    }
    hark_spectro_finish(s);
    uint64_t expect = frames - hark_spectro_delay(cfg);
    while ((row = hark_spectro_next(s, &index))) {
        CHECK(index == expect++, "the rest in order");
        memcpy(rows + index * floats, row, sizeof(float) * floats);
    }
    CHECK(expect == frames, "every row: %llu of %llu", (unsigned long long)expect,
          (unsigned long long)frames);
    hark_spectro_destroy(s);
}

static void test_a_late_start_gives_the_same_rows(int reassign, int pcen)
{
    enum { FFT = 256, HOP = 64, FRAMES = 7000, START = 6000 };
    hark_spectro_config cfg = {.hop = HOP, .reassign = reassign, .reassign_db = -100,
                               .pcen = pcen,
                               .stft = {.fft_size = FFT, .rate_hz = 8000,
                                        .window = HARK_WINDOW_HANN, .floor_db = -120}};
    hark_pcen_defaults(&cfg.pcen_params);
    size_t n = (size_t)FRAMES * HOP + FFT;
    float *x = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) /* a chirp over noise */
        x[i] = (float)(0.3 * sin(2 * M_PI * (300.0 * i / 8000 + 0.02 * i * i / 64e6)) +
                       0.01 * (uniform() - 0.5));
    unsigned floats = FFT / 2 + 1;
    float *whole = malloc(sizeof(float) * floats * FRAMES);
    float *part = malloc(sizeof(float) * floats * FRAMES);
    uint64_t lead = hark_spectro_lead(&cfg, 8000), late;
    CHECK(lead < START, "the lead fits: %llu", (unsigned long long)lead);
    run_stream(&cfg, x, 0, FRAMES, whole, floats, &late);
    CHECK(late == hark_spectro_delay(&cfg), "rows come %u frames late: %llu",
          hark_spectro_delay(&cfg), (unsigned long long)late);
    run_stream(&cfg, x, START - lead, FRAMES, part, floats, &late);
    CHECK(memcmp(whole + (size_t)START * floats, part + (size_t)START * floats,
                 sizeof(float) * floats * (FRAMES - START)) == 0,
          "reassign %d pcen %d: the rows from the share's start are the same bits", reassign,
          pcen);
    free(x);
    free(whole);
    free(part);
}

int main(void)
{
    test_pcen_is_librosas();
    test_pcen_warmup_meets(8000, 256);
    test_pcen_warmup_meets(48000, 64);
    test_pcen_warmup_meets(44100, 512);
    test_a_late_start_gives_the_same_rows(1, 0);
    test_a_late_start_gives_the_same_rows(0, 1);
    test_a_late_start_gives_the_same_rows(1, 1);
    return check_finish("test_spectro");
}
