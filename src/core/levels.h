#ifndef HARK_LEVELS_H
#define HARK_LEVELS_H
/*
 * The levels of a recording, per channel and for the programme (all channels): sample peak
 * and RMS in dBFS (RMS as 20 log10 of the root mean square: a -20 dBFS sine reads -23.01),
 * true peak in dBTP (BS.1770-4, 4x oversampled), clipped samples (|x| >= 1, full scale or
 * beyond), and loudness per EBU R128 / ITU-R BS.1770: integrated (LUFS), loudness range (LU),
 * and the largest momentary (400 ms) and short-term (3 s) loudness, measured every 100 ms.
 * Loudness and true peak are libebur128's, the reference implementation (no K-weighting
 * filter or oversampler of hark's own). The programme weighs channels as BS.1770 does in
 * libebur128's default order (L, R, C, LFE unused, Ls, Rs; further channels unused); each
 * channel's own loudness is that channel measured alone (so a -23 dBFS sine in one channel
 * reads -26 LUFS: one channel has half a stereo pair's power). A level of nothing (silence,
 * or loudness below the gates) is NAN: callers say so in words, never -inf.
 * Thread: one accumulator per thread.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct {
    double sample_peak_dbfs, true_peak_dbtp, rms_dbfs;
    uint64_t clipped;
    double integrated_lufs, range_lu, max_momentary_lufs, max_short_term_lufs;
} hark_level_set;

typedef struct hark_levels hark_levels;

/* channels >= 1 interleaved at rate_hz (HARK_RATE_MIN..MAX). */
hark_err hark_levels_create(unsigned channels, double rate_hz, hark_levels **out);
void hark_levels_destroy(hark_levels *l); /* NULL-safe */

/* Add frames of interleaved samples (channels each). */
hark_err hark_levels_add(hark_levels *l, const float *x, size_t frames);

/* The programme's levels, and channel c's (0-based). */
void hark_levels_programme(const hark_levels *l, hark_level_set *out);
void hark_levels_channel(const hark_levels *l, unsigned c, hark_level_set *out);

/* A meter's reading, as of the last whole 100 ms block (live: the level meters). Peaks and
 * the clip count are held from the last reset; momentary (400 ms) and short-term (3 s)
 * loudness are this channel's alone, as hark_levels_channel's. NAN: nothing to show yet (no
 * block, silence, or loudness below libebur128's gate). */
typedef struct {
    double peak_dbfs, peak_held_dbfs;           /* sample peak of the block; held */
    double true_peak_dbtp, true_peak_held_dbtp; /* 4x oversampled (libebur128); held */
    double rms_dbfs;                            /* over the last 300 ms */
    double momentary_lufs, short_term_lufs;
    uint64_t clipped_held;                      /* samples at or beyond full scale */
} hark_meter_reading;

void hark_levels_meter(const hark_levels *l, unsigned c, hark_meter_reading *out);
/* The programme's momentary and short-term loudness now (NAN as above). */
void hark_levels_programme_now(const hark_levels *l, double *momentary_lufs,
                               double *short_term_lufs);
void hark_levels_reset_holds(hark_levels *l);
unsigned hark_levels_channels(const hark_levels *l);

#endif
