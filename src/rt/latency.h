#ifndef HARK_LATENCY_H
#define HARK_LATENCY_H
/*
 * Display latency of the live window: from a sample's arrival (PortAudio's input ADC time of
 * the callback that brought it, plus its offset in that buffer) to the swap of the first frame
 * that shows it. The capture callback publishes one stamp per buffer; the main thread keeps the
 * recent ones to date any sample, and a histogram of the latencies it measured (fixed memory,
 * 0.1 ms steps up to 2 s). Pure. Thread: the one that owns it (main).
 */
#include <stddef.h>
#include <stdint.h>

/* When a buffer arrived: the index of its first sample and its ADC time (stream clock, s). */
typedef struct {
    uint64_t first_sample;
    double adc_time;
} hark_stamp;

#define HARK_LATENCY_STAMPS 512u
#define HARK_LATENCY_BINS 20000u /* 0.1 ms each */

typedef struct {
    hark_stamp recent[HARK_LATENCY_STAMPS]; /* a circle of the newest stamps */
    size_t stamps;                          /* added so far */
    uint32_t histogram[HARK_LATENCY_BINS];  /* the last bin holds everything from 2 s on */
    uint64_t count;
} hark_latency;

void hark_latency_init(hark_latency *l);
void hark_latency_add_stamp(hark_latency *l, hark_stamp stamp);

/* The ADC time of sample index s at rate_hz, from the newest stamp at or before it. Returns 0
 * when no stamp that old is kept (or none yet). */
int hark_latency_sample_time(const hark_latency *l, uint64_t s, double rate_hz, double *adc_time);

void hark_latency_record(hark_latency *l, double seconds);
/* The q-quantile (0..1) of what was recorded, in seconds; 0 when nothing was. */
double hark_latency_quantile(const hark_latency *l, double q);

#endif
