#ifndef HARK_DB_H
#define HARK_DB_H
/* Power to dBFS for the hot loop of the STFT. Pure, inline. Thread: any, audio callback too. */
#include <stdint.h>

/*
 * 10 log10(power), clamped below at the floor, written so the compiler can vectorise the loop
 * over bins (libm's log10f is a scalar call and was a third of the render time). log2 of the
 * power comes from its exponent bits plus log2 of its mantissa m, with m folded into
 * [sqrt(1/2), sqrt(2)) and log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172, summed to s^9:
 * the error is below 1e-6 dB (tests/test_stft.c checks it against log10 over 600 dB).
 * NaN power and zero or denormal power (below any floor we accept) take the floor.
 */
static inline float hark_db_from_power(float power, float floor_db)
{
    union { float f; uint32_t u; } v = {.f = power};
    int32_t e = (int32_t)((v.u >> 23) & 0xff) - 127;
    v.u = (v.u & 0x007fffffu) | 0x3f800000u; /* mantissa in [1, 2) */
    float m = v.f;
    /* Selects, not branches, so the loop vectorises. */
    int32_t fold = m > 1.41421356f;
    m = fold ? m * 0.5f : m;
    e += fold;
    float s = (m - 1.0f) / (m + 1.0f);
    float s2 = s * s;
    float ln_m = 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 / 9))));
    /* 10 log10(p) = 10 log10(2) * e + 10 log10(e) * ln(m) */
    float db = 3.01029996f * (float)e + 4.34294482f * ln_m;
    return ((power >= 1e-30f) & (db >= floor_db)) ? db : floor_db;
}

#endif
