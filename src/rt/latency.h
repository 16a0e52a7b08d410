#ifndef HARK_LATENCY_H
#define HARK_LATENCY_H
/*
 * A histogram of delays: the display latency of the live window (a sample's ADC time to the
 * swap of the first frame showing it) and play's sync (a row's centre sample at the DAC to the
 * swap showing it). Fixed memory, 0.1 ms steps up to 2 s. Pure. Thread: the one that owns it.
 */
#include <stddef.h>
#include <stdint.h>

#define HARK_LATENCY_BINS 20000u /* 0.1 ms each */

typedef struct {
    uint32_t histogram[HARK_LATENCY_BINS]; /* the last bin holds everything from 2 s on */
    uint64_t count;
} hark_latency;

void hark_latency_init(hark_latency *l);
void hark_latency_record(hark_latency *l, double seconds);
/* The q-quantile (0..1) of what was recorded, in seconds; 0 when nothing was. */
double hark_latency_quantile(const hark_latency *l, double q);

#endif
