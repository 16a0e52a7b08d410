#include "kernels.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "db.h"

/* The AVX2 build: x86 compilers build it beside the baseline whatever the baseline is. */
#if defined(__x86_64__) || defined(__i386__)
#define HARK_X86 1
#endif
/* The transpose: SSE2 where the baseline has it (always on x86-64). */
#ifdef __SSE2__
#include <emmintrin.h>
#define HARK_SSE2 1
#endif

/* ---- the loops, once; compiled for each target below ------------------------------------------ */

#define POWER_DB_BODY                                                                              \
    for (size_t k = 0; k < n; k++) {                                                              \
        float re = X[2 * k], im = X[2 * k + 1];                                                   \
        db[k] = hark_db_from_power((re * re + im * im) * gain, floor_db);                         \
    }

#define QUANTIZE_BODY                                                                              \
    for (size_t k = 0; k < n; k++)                                                                \
        out[k] = hark_colormap_index(db[k], lo, hi);

static void power_db_baseline(const float *restrict X, size_t n, float gain, float floor_db,
                              float *restrict db)
{
    POWER_DB_BODY
}

static void quantize_baseline(const float *restrict db, size_t n, float lo, float hi,
                              uint8_t *restrict out)
{
    QUANTIZE_BODY
}

static const hark_kernels_table baseline = {HARK_SIMD_BASELINE, power_db_baseline,
                                            quantize_baseline};

#ifdef HARK_X86
__attribute__((target("avx2"))) static void power_db_avx2(const float *restrict X, size_t n,
                                                          float gain, float floor_db,
                                                          float *restrict db)
{
    POWER_DB_BODY
}

__attribute__((target("avx2"))) static void quantize_avx2(const float *restrict db, size_t n,
                                                          float lo, float hi,
                                                          uint8_t *restrict out)
{
    QUANTIZE_BODY
}

static const hark_kernels_table avx2 = {HARK_SIMD_AVX2, power_db_avx2, quantize_avx2};
#endif

const hark_kernels_table *hark_kernels_for(hark_simd simd)
{
    if (simd == HARK_SIMD_BASELINE)
        return &baseline;
#ifdef HARK_X86
    __builtin_cpu_init();
    if (simd == HARK_SIMD_AVX2 && __builtin_cpu_supports("avx2"))
        return &avx2;
#endif
    return NULL;
}

const hark_kernels_table *hark_kernels(void)
{
    static _Atomic(const hark_kernels_table *) chosen;
    const hark_kernels_table *k = atomic_load_explicit(&chosen, memory_order_acquire);
    if (k)
        return k;
    const char *force = getenv("HARK_SIMD");
    k = force && strcmp(force, "sse2") == 0 ? NULL : hark_kernels_for(HARK_SIMD_AVX2);
    if (!k)
        k = &baseline;
    atomic_store_explicit(&chosen, k, memory_order_release); /* every caller picks the same */
    return k;
}

/* ---- tile to lines ----------------------------------------------------------------------------- */

#ifdef HARK_SSE2
/* 16 frames x 16 rows: in v[i], frame i's rows r..r+15; out, v[c] holds row r+c of the 16
 * frames. Four rounds of interleaving, each doubling the run of bytes from one source. */
static inline void transpose16(__m128i v[16])
{
    __m128i t[16];
    for (int i = 0; i < 8; i++) {
        t[i] = _mm_unpacklo_epi8(v[2 * i], v[2 * i + 1]);
        t[i + 8] = _mm_unpackhi_epi8(v[2 * i], v[2 * i + 1]);
    }
    /* t[i], t[i + 8]: bytes 0..7 / 8..15 of sources 2i, 2i + 1, interleaved */
    for (int i = 0; i < 4; i++) {
        v[i] = _mm_unpacklo_epi16(t[2 * i], t[2 * i + 1]);
        v[i + 4] = _mm_unpackhi_epi16(t[2 * i], t[2 * i + 1]);
        v[i + 8] = _mm_unpacklo_epi16(t[8 + 2 * i], t[8 + 2 * i + 1]);
        v[i + 12] = _mm_unpackhi_epi16(t[8 + 2 * i], t[8 + 2 * i + 1]);
    }
    /* v[4q + i]: bytes 4q..4q + 3 of sources 4i..4i + 3 */
    for (int q = 0; q < 4; q++)
        for (int i = 0; i < 2; i++) {
            t[4 * q + i] = _mm_unpacklo_epi32(v[4 * q + 2 * i], v[4 * q + 2 * i + 1]);
            t[4 * q + i + 2] = _mm_unpackhi_epi32(v[4 * q + 2 * i], v[4 * q + 2 * i + 1]);
        }
    /* t[4q], t[4q + 2]: bytes 4q, 4q + 1 / 4q + 2, 4q + 3 of sources 0..7; t[4q + 1], t[4q + 3]:
     * the same of sources 8..15 */
    for (int q = 0; q < 4; q++) {
        v[4 * q] = _mm_unpacklo_epi64(t[4 * q], t[4 * q + 1]);
        v[4 * q + 1] = _mm_unpackhi_epi64(t[4 * q], t[4 * q + 1]);
        v[4 * q + 2] = _mm_unpacklo_epi64(t[4 * q + 2], t[4 * q + 3]);
        v[4 * q + 3] = _mm_unpackhi_epi64(t[4 * q + 2], t[4 * q + 3]);
    }
}
#endif

static void tile_lines_scalar(const uint8_t *tile, unsigned rows, size_t f0, size_t f1,
                              unsigned row_hi, unsigned j0, unsigned j1, uint8_t *dst,
                              size_t stride)
{
    for (unsigned j = j0; j < j1; j++) {
        const uint8_t *src = tile + row_hi - j;
        uint8_t *line = dst + j * stride;
        for (size_t f = f0; f < f1; f++)
            line[f] = src[f * rows];
    }
}

void hark_kernel_tile_lines(const uint8_t *tile, unsigned rows, size_t frames, unsigned row_hi,
                            unsigned count, uint8_t *dst, size_t stride)
{
    size_t f16 = 0;
    unsigned j16 = 0;
#ifdef HARK_SSE2
    f16 = frames / 16 * 16;
    j16 = count / 16 * 16;
    /* Line j is row row_hi - j: a block of lines j..j+15 is rows r..r+15 with r = row_hi - j - 15,
     * so transposed vector i (row r + i) is line j + 15 - i. Frames in blocks of 64 keep the
     * source in L1 across the lines of a band. */
    for (size_t b0 = 0; b0 < f16; b0 += 64) {
        size_t b1 = b0 + 64 < f16 ? b0 + 64 : f16;
        for (unsigned j = 0; j < j16; j += 16) {
            unsigned r = row_hi - j - 15;
            for (size_t f = b0; f < b1; f += 16) {
                __m128i v[16];
                for (int i = 0; i < 16; i++)
                    v[i] = _mm_loadu_si128((const __m128i *)(tile + (f + i) * rows + r));
                transpose16(v);
                for (int i = 0; i < 16; i++)
                    _mm_storeu_si128((__m128i *)(dst + (j + 15 - i) * stride + f), v[i]);
            }
        }
    }
#endif
    tile_lines_scalar(tile, rows, 0, f16, row_hi, j16, count, dst, stride); /* lines left */
    tile_lines_scalar(tile, rows, f16, frames, row_hi, 0, count, dst, stride); /* frames left */
}
