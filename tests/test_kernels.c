/* The AVX2 and the baseline build of the per-pixel loops give the same bits (dB levels and
 * palette indices, over random spectra, silence, NaN and sizes that leave a remainder), each
 * equal to the scalar definitions in db.h and colormap.h; the tile-to-lines transpose equals
 * the plain loop at every size around its 16 x 16 blocks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "colormap.h"
#include "db.h"
#include "kernels.h"

/* Spectra from silence to far above full scale, with zeros, denormals, Inf and NaN. */
static void fill_spectrum(float *X, size_t n)
{
    for (size_t i = 0; i < 2 * n; i++) {
        float mag = powf(10.0f, (float)(check_random() % 4000) / 100.0f - 30.0f);
        X[i] = (check_random() & 1 ? mag : -mag);
        switch (check_random() % 64) {
        case 0: X[i] = 0.0f; break;
        case 1: X[i] = 1e-42f; break;
        case 2: X[i] = INFINITY; break;
        case 3: X[i] = NAN; break;
        default: break;
        }
    }
}

static void test_power_db_and_quantize(const hark_kernels_table *avx2)
{
    const hark_kernels_table *base = hark_kernels_for(HARK_SIMD_BASELINE);
    enum { N = 4099 };
    float *X = malloc(sizeof(float) * 2 * N), *a = malloc(sizeof(float) * N),
          *b = malloc(sizeof(float) * N);
    uint8_t qa[N], qb[N];
    size_t mismatched = 0, unlike_scalar = 0, nonfinite = 0;
    for (int round = 0; round < 50; round++) {
        fill_spectrum(X, N);
        size_t n = N - (size_t)round % 17; /* remainders of every vector width */
        float gain = 1e-6f * (float)(1 + round), floor_db = -120.0f - (float)round;
        base->power_db(X, n, gain, floor_db, a);
        avx2->power_db(X, n, gain, floor_db, b);
        mismatched += memcmp(a, b, sizeof(float) * n) != 0;
        for (size_t k = 0; k < n; k++) {
            float re = X[2 * k], im = X[2 * k + 1];
            float want = hark_db_from_power((re * re + im * im) * gain, floor_db);
            unlike_scalar += memcmp(&want, &a[k], sizeof want) != 0;
            nonfinite += !isfinite(a[k]) && !isinf(re) && !isinf(im);
        }
        base->quantize(a, n, -100.0f, -10.0f, qa);
        avx2->quantize(a, n, -100.0f, -10.0f, qb);
        mismatched += memcmp(qa, qb, n) != 0;
        for (size_t k = 0; k < n; k++)
            unlike_scalar += qa[k] != hark_colormap_index(a[k], -100.0f, -10.0f);
    }
    CHECK(mismatched == 0, "AVX2 and baseline agree bit for bit (%zu rounds differ)", mismatched);
    CHECK(unlike_scalar == 0, "both equal the scalar definitions (%zu values differ)",
          unlike_scalar);
    CHECK(nonfinite == 0, "finite levels for finite input (%zu not)", nonfinite);
    free(X);
    free(a);
    free(b);
}

static void test_tile_lines(void)
{
    size_t wrong = 0;
    const unsigned rows_list[] = {1, 15, 16, 17, 33, 513};
    const size_t frames_list[] = {1, 15, 16, 17, 63, 64, 65, 200};
    for (size_t ri = 0; ri < sizeof rows_list / sizeof *rows_list; ri++)
        for (size_t fi = 0; fi < sizeof frames_list / sizeof *frames_list; fi++) {
            unsigned rows = rows_list[ri];
            size_t frames = frames_list[fi], stride = frames + 3;
            uint8_t *tile = malloc(rows * frames), *dst = malloc(stride * rows);
            for (size_t i = 0; i < rows * frames; i++)
                tile[i] = (uint8_t)check_random();
            /* every band: all the lines, and a band in the middle */
            unsigned bands[2][2] = {{0, rows}, {rows / 3, rows - rows / 3 - rows / 4}};
            for (int b = 0; b < 2; b++) {
                unsigned top = bands[b][0], count = bands[b][1];
                if (!count)
                    continue;
                memset(dst, 0xAA, stride * rows);
                hark_kernel_tile_lines(tile, rows, frames, rows - 1 - top, count, dst, stride);
                for (unsigned j = 0; j < count; j++) {
                    for (size_t f = 0; f < frames; f++)
                        wrong += dst[j * stride + f] != tile[f * rows + (rows - 1 - top - j)];
                    for (size_t f = frames; f < stride; f++)
                        wrong += dst[j * stride + f] != 0xAA; /* nothing past the line */
                }
            }
            free(tile);
            free(dst);
        }
    CHECK(wrong == 0, "tile lines equal the plain transpose (%zu bytes wrong)", wrong);
}

int main(void)
{
    const hark_kernels_table *avx2 = hark_kernels_for(HARK_SIMD_AVX2);
    /* The CI machine has AVX2: without it this check cannot be made, which is a failure. */
    CHECK(avx2 != NULL, "this CPU runs the AVX2 build (needed to compare it)");
    if (avx2)
        test_power_db_and_quantize(avx2);
    const char *force = getenv("HARK_SIMD");
    int baseline = force && strcmp(force, "sse2") == 0;
    CHECK(hark_kernels()->simd == (baseline ? HARK_SIMD_BASELINE : HARK_SIMD_AVX2),
          "the fastest build is chosen unless HARK_SIMD=sse2");
    test_tile_lines();
    return check_finish("test_kernels");
}
