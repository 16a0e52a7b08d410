#ifndef HARK_PLAYCLOCK_H
#define HARK_PLAYCLOCK_H
/*
 * Where playback is, by the audio clock. The output callback publishes one stamp per buffer
 * that carried sound (its first frame's index in the played stream, how many frames, and
 * PortAudio's output DAC time of the first); the decoder thread publishes a segment wherever
 * the stream jumps in the file (the start, a loop). From these the main thread knows which
 * sample is being heard now, when a given sample is (or was) heard, and where in the file a
 * stream position is. Pure: no clock of its own, no PortAudio. Thread: the one that owns it.
 */
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t first;   /* index in the played stream of the buffer's first frame */
    uint32_t frames;  /* frames of sound in it (the rest, if any, was silence) */
    double dac_time;  /* when its first frame reaches the DAC (stream clock, s) */
} hark_play_stamp;

typedef struct {
    uint64_t stream_first; /* from this stream index on ... */
    int64_t file_frame;    /* ... the file plays from this frame */
} hark_play_segment;

#define HARK_PLAYCLOCK_STAMPS 1024u
#define HARK_PLAYCLOCK_SEGMENTS 64u

typedef struct {
    double rate_hz;        /* the stream's (the device's) */
    double file_rate_hz;   /* the file's (differs when resampling) */
    double loop_s;         /* the file's length when looping, else 0 */
    hark_play_stamp stamps[HARK_PLAYCLOCK_STAMPS];     /* a circle of the newest */
    size_t nstamps;
    hark_play_segment segments[HARK_PLAYCLOCK_SEGMENTS]; /* a circle of the newest */
    size_t nsegments;
} hark_playclock;

void hark_playclock_init(hark_playclock *c, double rate_hz, double file_rate_hz);
/* Forget everything (a seek restarts the stream at index 0). */
void hark_playclock_reset(hark_playclock *c);
void hark_playclock_add_stamp(hark_playclock *c, hark_play_stamp s);
void hark_playclock_add_segment(hark_playclock *c, hark_play_segment s);

/* The stream position being heard at time t (fractional frames): from the newest stamp at or
 * before t, never past the end of its sound (nothing after it has been played yet). Returns 0
 * when nothing has been heard by t. */
int hark_playclock_heard(const hark_playclock *c, double t, double *pos);

/* When stream sample s reaches the DAC: from the stamp holding it. Returns 1 then, 0 when it
 * has not been handed to the device yet (or no stamp came yet), -1 when it is older than
 * every stamp kept or falls where stamps were lost. */
int hark_playclock_dac_time(const hark_playclock *c, uint64_t s, double *t);

/* The file position, in seconds, of stream position pos (before any segment: 0); with a loop
 * length set, taken modulo it (so lost loop segments do not matter). */
double hark_playclock_file_seconds(const hark_playclock *c, double pos);
/* --loop: the file's length in seconds (0: no loop). */
void hark_playclock_set_loop(hark_playclock *c, double seconds);

#endif
