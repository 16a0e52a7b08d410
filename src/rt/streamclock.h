#ifndef HARK_STREAMCLOCK_H
#define HARK_STREAMCLOCK_H
/*
 * When each sample of a source's analysis stream was (or will be) at the converter, and where
 * it is in the file. The source publishes a stamp per buffer (source.h: its first sample's
 * index, how many, the converter time of the first) and, for a file, a segment wherever the
 * stream jumps in the file (the start, a loop); the owner keeps the newest of them here. From
 * these: the time of a given sample, the sample being heard now, and the file position of a
 * stream position. Pure: no clock of its own. Thread: the one that owns it.
 */
#include <stddef.h>
#include <stdint.h>

#include "source.h"

#define HARK_STREAMCLOCK_STAMPS 1024u
#define HARK_STREAMCLOCK_SEGMENTS 64u

typedef struct {
    double rate_hz;        /* the stream's */
    double file_rate_hz;   /* the file's (differs when resampling); 0: no file */
    double loop_from_s, loop_to_s; /* looping: the part of the file played over (to 0: none) */
    hark_stamp stamps[HARK_STREAMCLOCK_STAMPS];       /* a circle of the newest */
    size_t nstamps;
    hark_segment segments[HARK_STREAMCLOCK_SEGMENTS]; /* a circle of the newest */
    size_t nsegments;
} hark_streamclock;

void hark_streamclock_init(hark_streamclock *c, double rate_hz, double file_rate_hz);
/* Forget everything (a seek restarts the stream at index 0). */
void hark_streamclock_reset(hark_streamclock *c);
void hark_streamclock_add_stamp(hark_streamclock *c, hark_stamp s);
/* An input's buffers follow each other on its clock: samples missing before stamp s, where it
 * comes later than the newest stamp's end by more than HARK_STREAMCLOCK_GAP_S (the process was
 * stopped, the device paused); 0 when it follows on. */
#define HARK_STREAMCLOCK_GAP_S 0.1
uint64_t hark_streamclock_gap(const hark_streamclock *c, hark_stamp s);
void hark_streamclock_add_segment(hark_streamclock *c, hark_segment s);

/* The stream position being heard at time t (fractional samples): from the newest stamp at or
 * before t, never past the end of its sound (nothing after it has been played yet). Returns 0
 * when nothing has been heard by t. */
int hark_streamclock_heard(const hark_streamclock *c, double t, double *pos);

/* When stream sample s is (was) at the converter: from the stamp holding it. Returns 1 then, 0
 * when it has not been handed over yet (or no stamp came yet), -1 when it is older than every
 * stamp kept or falls where stamps were lost. */
int hark_streamclock_time(const hark_streamclock *c, uint64_t s, double *t);

/* The file position, in seconds, of stream position pos (before any segment: 0); with a loop
 * set, positions past its end are wrapped into it (so lost loop segments do not matter). */
double hark_streamclock_file_seconds(const hark_streamclock *c, double pos);
/* --loop: positions from `from` to `to` s are played over and over (to 0: no loop). */
void hark_streamclock_set_loop(hark_streamclock *c, double from, double to);

#endif
