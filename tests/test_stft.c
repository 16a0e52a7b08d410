/* The numbers that must be right: dBFS of known sines, silence, framing, the fast dB. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "stft.h"

static float *sine(size_t n, double cycles_per_sample, double amplitude, double phase)
{
    float *x = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(amplitude * cos(2 * M_PI * cycles_per_sample * (double)i + phase));
    return x;
}

static hark_stft *make(unsigned fft, hark_window_kind w)
{
    hark_stft_config cfg = {.fft_size = fft, .rate_hz = 48000, .window = w, .floor_db = -120};
    hark_stft *s = NULL;
    CHECK(hark_stft_create(&cfg, &s) == HARK_OK, "create fft %u", fft);
    return s;
}

/* A bin-centred sine of the given amplitude reads 20 log10(amplitude) in its bin. */
static void check_tone(unsigned fft, hark_window_kind w, unsigned bin, double amp, double want_db)
{
    hark_stft *s = make(fft, w);
    float *x = sine(fft, (double)bin / fft, amp, bin ? 0.3 : 0.0); /* DC: a constant amp */
    float *db = malloc(sizeof(float) * (fft / 2 + 1));
    hark_stft_process(s, x, db);
    char what[96];
    snprintf(what, sizeof what, "%s fft %u bin %u amp %g", hark_window_name(w), fft, bin, amp);
    CHECK_NEAR(db[bin], want_db, 0.1, what);
    free(x);
    free(db);
    hark_stft_destroy(s);
}

static void test_full_scale_every_window(void)
{
    for (int w = 0; w < HARK_WINDOW_COUNT; w++) {
        check_tone(1024, (hark_window_kind)w, 100, 1.0, 0.0);
        check_tone(2048, (hark_window_kind)w, 7, 1.0, 0.0);
        check_tone(1024, (hark_window_kind)w, 100, 0.1, -20.0);
        check_tone(4096, (hark_window_kind)w, 1500, pow(10, -60 / 20.0), -60.0);
    }
}

static void test_dc_and_nyquist(void)
{
    /* DC at 1.0 and Nyquist at amplitude 1.0 are full scale too (scaled by 1/sum(w)). */
    for (int w = 0; w < HARK_WINDOW_COUNT; w++) {
        check_tone(1024, (hark_window_kind)w, 0, 1.0, 0.0);
        hark_stft *s = make(1024, (hark_window_kind)w);
        float x[1024], db[513];
        for (int i = 0; i < 1024; i++)
            x[i] = (i % 2) ? -0.5f : 0.5f;
        hark_stft_process(s, x, db);
        CHECK_NEAR(db[512], -6.0206, 0.1, "nyquist at half scale");
        hark_stft_destroy(s);
    }
}

static void test_silence_is_the_floor(void)
{
    hark_stft *s = make(1024, HARK_WINDOW_HANN);
    float x[1024] = {0}, db[513];
    hark_stft_process(s, x, db);
    int bad = 0;
    for (int k = 0; k < 513; k++)
        bad += !(db[k] == -120.0f);
    CHECK(bad == 0, "%d bins of silence are not exactly the floor", bad);
    /* Denormal-level input is still floor, never NaN or -inf. */
    for (int i = 0; i < 1024; i++)
        x[i] = 1e-40f;
    hark_stft_process(s, x, db);
    for (int k = 0; k < 513; k++)
        CHECK(isfinite(db[k]) && db[k] >= -120.0f, "bin %d finite and >= floor: %g", k, db[k]);
    hark_stft_destroy(s);
}

static void test_fast_db_matches_libm(void)
{
    /* Over 600 dB of power, including exact powers of two and values around the fold point. */
    double worst = 0;
    for (double db = -300; db <= 300; db += 0.0137) {
        float p = (float)pow(10.0, db / 10.0);
        double want = 10.0 * log10((double)p);
        double got = hark_db_from_power(p, -1000.0f);
        worst = fabs(got - want) > worst ? fabs(got - want) : worst;
    }
    for (int e = -90; e <= 90; e++) {
        float p = ldexpf(1.0f, e);
        CHECK_NEAR(hark_db_from_power(p, -1000.0f), 10.0 * log10((double)p), 1e-4, "2^e");
        p = ldexpf(1.41421356f, e);
        CHECK_NEAR(hark_db_from_power(p, -1000.0f), 10.0 * log10((double)p), 1e-4, "sqrt2 2^e");
    }
    CHECK(worst < 1e-4, "fast dB differs from log10 by %g dB", worst);
    CHECK(hark_db_from_power(0.0f, -120.0f) == -120.0f, "zero power is the floor");
    CHECK(hark_db_from_power(NAN, -120.0f) == -120.0f, "NaN power is the floor");
    CHECK(isfinite(hark_db_from_power(INFINITY, -120.0f)), "infinite power stays finite");
}

/* Feed n samples in odd-sized pieces; count frames and check each frame's centre sample. */
static void check_framing(uint64_t n, unsigned fft, unsigned hop)
{
    hark_framer *f;
    CHECK(hark_framer_create(fft, hop, 0, &f) == HARK_OK, "framer %u/%u", fft, hop);
    float *x = malloc(sizeof(float) * (n ? n : 1));
    for (uint64_t i = 0; i < n; i++)
        x[i] = (float)(i + 1); /* sample i holds i+1, so zero padding is recognisable */
    uint64_t frames = 0, bad = 0, off = 0;
    const float *frame;
    while (off < n) {
        size_t piece = (size_t)((off * 7 + 13) % 997 + 1);
        piece = piece > n - off ? (size_t)(n - off) : piece;
        const float *p = x + off;
        size_t left = piece;
        while ((frame = hark_framer_next(f, &p, &left))) {
            bad += frame[fft / 2] != (float)(frames * hop + 1) && frames * hop < n;
            frames++;
        }
        off += piece;
    }
    while ((frame = hark_framer_drain(f))) {
        uint64_t c = frames * hop;
        bad += frame[fft / 2] != (c < n ? (float)(c + 1) : 0.0f);
        bad += frame[fft - 1] != (c + fft / 2 - 1 < n ? (float)(c + fft / 2) : 0.0f);
        frames++;
    }
    CHECK(frames == 1 + n / hop, "n %llu fft %u hop %u: %llu frames, want %llu",
          (unsigned long long)n, fft, hop, (unsigned long long)frames,
          (unsigned long long)(1 + n / hop));
    CHECK(frames == hark_stft_frame_count(n, hop), "frame_count agrees");
    CHECK(bad == 0, "n %llu fft %u hop %u: %llu frames not centred on k*hop",
          (unsigned long long)n, fft, hop, (unsigned long long)bad);
    free(x);
    hark_framer_destroy(f);
}

static void test_framing(void)
{
    const unsigned pairs[][2] = {{1024, 512}, {2048, 512}, {1024, 256}, {256, 100}, {16, 16}, {1024, 1}};
    const uint64_t lengths[] = {0, 1, 100, 511, 512, 513, 1024, 44100, 3 * 44100 + 7};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        for (size_t j = 0; j < sizeof lengths / sizeof lengths[0]; j++)
            if (pairs[i][1] > 1 || lengths[j] < 5000)
                check_framing(lengths[j], pairs[i][0], pairs[i][1]);
}

static void test_framer_starting_mid_stream(void)
{
    /* A framer created at frame k, fed from its first sample, gives the same frames as one
     * that started at 0: this is what lets render split a file between threads. */
    enum { FFT = 64, HOP = 24, N = 1000 };
    float x[N];
    for (int i = 0; i < N; i++)
        x[i] = (float)(i + 1);
    for (uint64_t k0 = 0; k0 < 10; k0++) {
        hark_framer *a, *b;
        hark_framer_create(FFT, HOP, 0, &a);
        hark_framer_create(FFT, HOP, k0, &b);
        uint64_t first = hark_framer_first_sample(b);
        const float *pa = x, *pb = x + first, *fa, *fb;
        size_t na = N, nb = N - first;
        int mismatches = 0, compared = 0;
        for (uint64_t k = 0; (fa = hark_framer_next(a, &pa, &na)); k++) {
            if (k < k0)
                continue;
            fb = hark_framer_next(b, &pb, &nb);
            compared++;
            mismatches += !fb || memcmp(fa, fb, sizeof(float) * FFT) != 0;
        }
        CHECK(compared > 20 && mismatches == 0, "start at frame %llu: %d of %d frames differ",
              (unsigned long long)k0, mismatches, compared);
        hark_framer_destroy(a);
        hark_framer_destroy(b);
    }
}

static void test_bad_config(void)
{
    hark_stft *s;
    hark_stft_config cfg = {.fft_size = 1023, .rate_hz = 44100};
    CHECK(hark_stft_create(&cfg, &s) == HARK_ERR_USAGE && s == NULL, "odd fft refused");
    cfg.fft_size = 8;
    CHECK(hark_stft_create(&cfg, &s) == HARK_ERR_USAGE, "tiny fft refused");
    hark_framer *f;
    CHECK(hark_framer_create(1024, 2048, 0, &f) == HARK_ERR_USAGE, "hop > fft refused");
    CHECK(hark_framer_create(1024, 0, 0, &f) == HARK_ERR_USAGE, "hop 0 refused");
}

int main(void)
{
    test_full_scale_every_window();
    test_dc_and_nyquist();
    test_silence_is_the_floor();
    test_fast_db_matches_libm();
    test_framing();
    test_framer_starting_mid_stream();
    test_bad_config();
    return check_finish("test_stft");
}
