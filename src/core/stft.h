#ifndef HARK_STFT_H
#define HARK_STFT_H
/*
 * The STFT core shared by every command: framing, window, fftw3f, magnitude to dBFS, scale.
 *
 * Framing (docs/FORMATS.md, "Framing"): frame k is centred on sample k*hop, with half a frame
 * of zeros before the first sample and after the last, so n samples give 1 + floor(n/hop)
 * frames.
 * dBFS: |X[k]| * 2/sum(w) (DC and Nyquist: 1/sum(w)), 20 log10, then clamped below at floor_db,
 * so a bin-centred full-scale sine reads 0 dBFS and silence reads floor_db, never -inf or NaN.
 */
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "scale.h"
#include "window.h"

#define HARK_FFT_MIN 16u
#define HARK_FFT_MAX 262144u

/* Frames for n samples at a hop: 1 + floor(n/hop). */
uint64_t hark_stft_frame_count(uint64_t n_samples, unsigned hop);

typedef struct {
    unsigned fft_size;     /* even, HARK_FFT_MIN..HARK_FFT_MAX */
    unsigned window_size;  /* 0 = fft_size; else even, 16..fft_size: a window of that many
                            * samples centred in the frame, zeros around it (zero-padding) */
    int reassign;          /* also make the time-weighted and derivative windows' plans */
    double rate_hz;        /* for the frequency scale */
    hark_window_kind window;
    hark_scale_kind scale;
    unsigned rows;         /* output rows; 0 = fft_size/2 + 1 (the bin count) */
    float floor_db;        /* lowest value written (the bottom of the range) */
    unsigned bins_per_octave; /* cqt (0: 12) */
    double fmin_hz;        /* cqt (0: C1) */
} hark_stft_config;

/* The scale a configuration gives (its kind, rows, and for cqt its note grid and window). */
void hark_stft_config_scale(const hark_stft_config *cfg, hark_scale *out);

typedef struct hark_stft hark_stft;

/* Allocate buffers and make the fftw3f plan (FFTW_ESTIMATE, so results are bit-identical run to
 * run). Planning is serialised internally, so any thread may create one, but each hark_stft is
 * then used by one thread at a time. */
hark_err hark_stft_create(const hark_stft_config *cfg, hark_stft **out);
void hark_stft_destroy(hark_stft *stft); /* NULL-safe */

/* 1 if stft was made with this configuration (so it can be used again for another file). */
int hark_stft_matches(const hark_stft *stft, const hark_stft_config *cfg);

unsigned hark_stft_rows(const hark_stft *stft);
unsigned hark_stft_bins(const hark_stft *stft);
const hark_scale *hark_stft_scale(const hark_stft *stft);
const hark_scale_map *hark_stft_map(const hark_stft *stft); /* NULL: rows are the bins */
/* The window's equivalent noise bandwidth in bins of the (padded) grid: N sum(w^2)/sum(w)^2. */
double hark_stft_enbw(const hark_stft *stft);

/* One frame: frame[0..fft_size-1] samples in, out_db[0..rows-1] dBFS out (row 0 lowest
 * frequency), every value finite and >= floor_db. Does not allocate. */
void hark_stft_process(hark_stft *stft, const float *frame, float *out_db);

/* One frame's bins as power, scaled as above (a bin-centred sine of amplitude A gives A^2);
 * power[0..bins-1]. */
void hark_stft_power(hark_stft *stft, const float *frame, float *power);

/* Reassignment (made with cfg.reassign): the power as hark_stft_power, and for each bin where
 * its energy belongs (Auger and Flandrin): the instantaneous frequency as a fractional bin,
 * -Im(X_dh conj X_h)/|X_h|^2 * N/(2 pi) from the bin, and the group-delay time in samples from
 * the frame's centre, Re(X_th conj X_h)/|X_h|^2; h the window, th it times the time from its
 * centre, dh its derivative (three FFTs). A bin without energy stays where it is (0, 0). */
void hark_stft_reassign(hark_stft *stft, const float *frame, float *power, float *bin_at,
                        float *time_at);

/*
 * Framer: turns a stream of samples into overlapping frames with the centred framing above.
 * Owns a frame buffer of fft_size samples. Does not allocate after create.
 */
typedef struct hark_framer hark_framer;

/* A framer whose first frame is first_frame. The caller feeds samples from
 * hark_framer_first_sample() on (0 for first_frame 0: the half frame of zeros before the first
 * sample is the framer's own). */
hark_err hark_framer_create(unsigned fft_size, unsigned hop, uint64_t first_frame,
                            hark_framer **out);
uint64_t hark_framer_first_sample(const hark_framer *f);
void hark_framer_destroy(hark_framer *f); /* NULL-safe */

/* Take samples from (*x, *n), advancing them, until a frame is complete; return it (valid until
 * the next call), or NULL when the input ran out first. */
const float *hark_framer_next(hark_framer *f, const float **x, size_t *n);

/* After the last sample: return the remaining frames one per call, zero-padded, then NULL. */
const float *hark_framer_drain(hark_framer *f);

/* The position after the last sample taken (counting from the file's first sample), and the
 * index of the next frame to be returned. */
uint64_t hark_framer_samples(const hark_framer *f);
uint64_t hark_framer_frames(const hark_framer *f);

#endif
