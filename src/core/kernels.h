#ifndef HARK_KERNELS_H
#define HARK_KERNELS_H
/*
 * The per-pixel loops of a render, in two builds chosen once at run time: AVX2 (8 floats a
 * step) where the CPU has it, else SSE2 (x86-64's baseline; other CPUs: the compiler's own
 * vectors). Both compute the same IEEE operations in the same order, with no fused
 * multiply-add (the project builds with -ffp-contract=off), so their results are bit for bit
 * the same (tests/test_kernels.c; tests/e2e: the .npy bytes of both). HARK_SIMD=sse2 in the
 * environment forces the baseline (for tests and comparisons).
 * Pure. Thread: any, audio callback too once hark_kernels() has been called (hark_stft_create
 * calls it).
 */
#include <stddef.h>
#include <stdint.h>

typedef enum { HARK_SIMD_BASELINE, HARK_SIMD_AVX2 } hark_simd;

typedef struct {
    hark_simd simd;
    /* db[k] = hark_db_from_power((re^2 + im^2) * gain, floor_db) for the n complex values
     * X = re0, im0, re1, im1, ... (db.h) */
    void (*power_db)(const float *X, size_t n, float gain, float floor_db, float *db);
    /* out[k] = hark_colormap_index(db[k], lo, hi) (colormap.h) */
    void (*quantize)(const float *db, size_t n, float lo, float hi, uint8_t *out);
} hark_kernels_table;

/* The table for this CPU (and HARK_SIMD), chosen on the first call. */
const hark_kernels_table *hark_kernels(void);

/* The table of one build, or NULL when this CPU cannot run it (for tests). */
const hark_kernels_table *hark_kernels_for(hark_simd simd);

/*
 * Palette lines from a tile stored frame by frame (tile[f * rows + r]: frame f, row r): line
 * j (0 <= j < count) of dst (stride bytes apart) gets row (row_hi - j) of every frame, frames
 * 0..frames-1 left to right. SSE2 16x16 byte transposes where there are 16 of each.
 */
void hark_kernel_tile_lines(const uint8_t *tile, unsigned rows, size_t frames, unsigned row_hi,
                            unsigned count, uint8_t *dst, size_t stride);

#endif
