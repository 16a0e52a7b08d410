#ifndef HARK_PCEN_H
#define HARK_PCEN_H
/*
 * Per-channel energy normalisation (Wang et al. 2017), as librosa.pcen computes it, on a
 * stream of frames: for each bin, E the magnitude (hark's scale: a full-scale sine reads 1),
 *   M[t] = (1 - b) M[t-1] + b E[t],   M[0] = E[0] (librosa's lfilter_zi start),
 *   P[t] = (E[t] / (eps + M[t])^gain + bias)^power - bias^power,
 * with b from the time constant T in frames (T = time_s * rate / hop) as librosa's:
 *   b = (sqrt(1 + 4 T^2) - 1) / (2 T^2).
 * The smoother runs in double. Stationary sound ends near a constant; a sound that rises
 * above its recent past stands out. Thread: one hark_pcen per thread; no allocation after
 * create.
 */
#include <stdint.h>

#include "error.h"

typedef struct {
    double gain, bias, power, time_s, eps; /* librosa's defaults: 0.98, 2, 0.5, 0.4, 1e-6 */
} hark_pcen_params;

void hark_pcen_defaults(hark_pcen_params *p);

/* The smoother's coefficient b for frames hop samples apart at rate_hz. */
double hark_pcen_coefficient(const hark_pcen_params *p, double rate_hz, unsigned hop);

/* Frames after which two smoothers started anywhere before agree to the last bit: a thread
 * that starts this many frames early gives the same output as one that started at frame 0
 * (render's split; 100 / b, so the difference has shrunk below a double's precision and the
 * rounding has met). */
uint64_t hark_pcen_warmup_frames(const hark_pcen_params *p, double rate_hz, unsigned hop);

typedef struct hark_pcen hark_pcen;

hark_err hark_pcen_create(const hark_pcen_params *p, double rate_hz, unsigned hop,
                          unsigned bins, hark_pcen **out);
void hark_pcen_destroy(hark_pcen *p); /* NULL-safe */

/* Forget the past: the next frame starts the smoother again (as frame 0). */
void hark_pcen_reset(hark_pcen *p);

/* One frame: power[0..bins-1] (hark_stft_power's scale) in, PCEN values out. */
void hark_pcen_process(hark_pcen *p, const float *power, float *out);

#endif
