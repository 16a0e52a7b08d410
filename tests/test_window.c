/* Windows: known sums, periodic symmetry, shape. */
#include <stdlib.h>

#include "check.h"
#include "window.h"

#define N 1024

static void test_sums(void)
{
    /* Periodic cosine windows sum to N * a0 exactly (the cosine terms sum to zero). */
    const struct { hark_window_kind kind; double a0; } cases[] = {
        {HARK_WINDOW_HANN, 0.5},      {HARK_WINDOW_HAMMING, 0.54},
        {HARK_WINDOW_BLACKMAN, 0.42}, {HARK_WINDOW_BLACKMAN_HARRIS, 0.35875},
        {HARK_WINDOW_RECT, 1.0},
    };
    float w[N];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hark_window_fill(cases[i].kind, w, N);
        CHECK_NEAR(hark_window_sum(w, N), N * cases[i].a0, 1e-3, hark_window_name(cases[i].kind));
    }
}

static void test_periodic_symmetry(void)
{
    /* Periodic (DFT-even): w[n] == w[N-n] for n = 1..N-1, w[0] is the minimum, w[N/2] the peak. */
    float w[N];
    for (int k = 0; k < HARK_WINDOW_COUNT; k++) {
        hark_window_fill((hark_window_kind)k, w, N);
        float worst = 0;
        for (int n = 1; n < N; n++)
            worst = fabsf(w[n] - w[N - n]) > worst ? fabsf(w[n] - w[N - n]) : worst;
        CHECK(worst < 1e-6f, "%s: asymmetry %g", hark_window_name((hark_window_kind)k), worst);
        for (int n = 0; n < N; n++)
            CHECK(w[n] <= w[N / 2] + 1e-6f, "%s: w[%d] above the centre",
                  hark_window_name((hark_window_kind)k), n);
    }
    hark_window_fill(HARK_WINDOW_HANN, w, N);
    CHECK_NEAR(w[0], 0.0, 1e-7, "hann starts at 0");
    CHECK_NEAR(w[N / 2], 1.0, 1e-7, "hann peaks at 1");
    CHECK(w[N - 1] > 0.0f, "periodic hann does not end at 0 (that is the symmetric one)");
    hark_window_fill(HARK_WINDOW_HAMMING, w, N);
    CHECK_NEAR(w[0], 0.08, 1e-6, "hamming starts at 0.08");
}

static void test_hann_overlap_adds_to_constant(void)
{
    /* Periodic Hann at hop N/2 sums to exactly 1 everywhere: the reason to use periodic. */
    float w[N];
    hark_window_fill(HARK_WINDOW_HANN, w, N);
    for (int n = 0; n < N / 2; n++)
        CHECK_NEAR(w[n] + w[n + N / 2], 1.0, 1e-6, "hann COLA at 50%");
}

static void test_parse(void)
{
    hark_window_kind k;
    CHECK(hark_window_parse("blackman-harris", &k) == HARK_OK && k == HARK_WINDOW_BLACKMAN_HARRIS,
          "parse blackman-harris");
    CHECK(hark_window_parse("hanning", &k) == HARK_ERR_USAGE, "unknown names are usage errors");
    for (int i = 0; i < HARK_WINDOW_COUNT; i++)
        CHECK(hark_window_parse(hark_window_name((hark_window_kind)i), &k) == HARK_OK &&
                  k == (hark_window_kind)i,
              "name round trip %d", i);
}

int main(void)
{
    test_sums();
    test_periodic_symmetry();
    test_hann_overlap_adds_to_constant();
    test_parse();
    return check_finish("test_window");
}
