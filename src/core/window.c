#include "window.h"

#include <math.h>
#include <string.h>

static const char *const names[HARK_WINDOW_COUNT] = {
    [HARK_WINDOW_HANN] = "hann",
    [HARK_WINDOW_HAMMING] = "hamming",
    [HARK_WINDOW_BLACKMAN] = "blackman",
    [HARK_WINDOW_BLACKMAN_HARRIS] = "blackman-harris",
    [HARK_WINDOW_RECT] = "rect",
};

/* Generalised cosine windows: w[n] = sum_k (-1)^k a_k cos(2 pi k n / N). */
static const double cosine_terms[HARK_WINDOW_COUNT][4] = {
    [HARK_WINDOW_HANN] = {0.5, 0.5, 0.0, 0.0},
    [HARK_WINDOW_HAMMING] = {0.54, 0.46, 0.0, 0.0},
    [HARK_WINDOW_BLACKMAN] = {0.42, 0.5, 0.08, 0.0},
    [HARK_WINDOW_BLACKMAN_HARRIS] = {0.35875, 0.48829, 0.14128, 0.01168},
    [HARK_WINDOW_RECT] = {1.0, 0.0, 0.0, 0.0},
};

const double *hark_window_terms(hark_window_kind kind)
{
    return cosine_terms[kind];
}

hark_err hark_window_parse(const char *name, hark_window_kind *out)
{
    for (int k = 0; k < HARK_WINDOW_COUNT; k++) {
        if (strcmp(name, names[k]) == 0) {
            *out = (hark_window_kind)k;
            return HARK_OK;
        }
    }
    return hark_error_set(HARK_ERR_USAGE,
                          "unknown window '%s' (hann, hamming, blackman, blackman-harris, rect)",
                          name);
}

const char *hark_window_name(hark_window_kind kind)
{
    return (kind >= 0 && kind < HARK_WINDOW_COUNT) ? names[kind] : "?";
}

void hark_window_fill(hark_window_kind kind, float *w, size_t n)
{
    const double *a = cosine_terms[kind];
    for (size_t i = 0; i < n; i++) {
        double phase = 2.0 * M_PI * (double)i / (double)n; /* periodic: divide by n, not n-1 */
        w[i] = (float)(a[0] - a[1] * cos(phase) + a[2] * cos(2 * phase) - a[3] * cos(3 * phase));
    }
}

void hark_window_fill_derivative(hark_window_kind kind, float *dw, size_t n)
{
    const double *a = cosine_terms[kind];
    for (size_t i = 0; i < n; i++) {
        double phase = 2.0 * M_PI * (double)i / (double)n, step = 2.0 * M_PI / (double)n;
        dw[i] = (float)(step * (a[1] * sin(phase) - 2 * a[2] * sin(2 * phase) +
                                3 * a[3] * sin(3 * phase)));
    }
}

double hark_window_sum(const float *w, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    return sum;
}
