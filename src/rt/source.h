#ifndef HARK_SOURCE_H
#define HARK_SOURCE_H
/*
 * Where a session's sound comes from, behind one interface:
 *   capture.h   an input device (PortAudio);
 *   playback.h  a file played to an output device (PortAudio);
 *   clocked.h   a file or a pipe paced at real time by a timer thread: no device at all
 *               (live --input, and the tests of the stream).
 * Whatever it is, a source writes the samples to analyse into its own sample ring, as its
 * only producer: a frame of `lanes` floats per sample, one for each channel analysed (the mix,
 * a channel, mid or side: --channel), and publishes a
 * stamp per buffer: where the buffer's first sample is in that stream, how many samples it
 * holds, and when the first was at the converter (the ADC for an input, the DAC for an output)
 * on the source's own clock. Sources that play a file also publish a segment wherever the
 * stream jumps in the file (the start, a loop). The stream (stream.h) turns these into "when
 * is this row due" and "where in the file is this".
 *
 * The real-time part of each source (a PortAudio callback, the clocked source's timer) keeps
 * the rules: no lock, allocation, I/O or call that can block; what does not fit is dropped and
 * counted. Thread: everything here is for the owner thread (main), except status and now,
 * which any thread may call.
 */
#include <stdint.h>

#include "analysis.h"
#include "decoder.h"
#include "error.h"
#include "ring.h"

/* The sample ring holds this much sound (unless the source says otherwise): the DSP thread may
 * be that late before any drops. */
#define HARK_SOURCE_RING_S 2.0

/* A buffer of the analysis stream: its first sample's index, how many, and its time. */
typedef struct {
    uint64_t first;
    uint32_t frames;
    double time;        /* when `first` was at the converter (the source's clock, s) */
} hark_stamp;

/* From stream index stream_first on, the file plays from file_frame. */
typedef struct {
    uint64_t stream_first;
    int64_t file_frame;
    double speed;       /* from there on, seconds of the file a second of the stream (play
                           --speed; 0: 1) */
} hark_segment;

typedef struct {
    uint64_t progress;  /* callbacks or buffers so far: a device that stops moving it is gone */
    int active;         /* 0 once the stream stopped by itself (its device gave up) */
    uint64_t frames;    /* frames the device gave or took so far */
    uint64_t dropped;   /* input: samples lost: the ring had no room, or the clock jumped */
    uint64_t gaps;      /* input: of those, samples missing where the clock jumped (the process
                           stopped, the device paused): filled by the stream */
    uint64_t underruns; /* output: frames of silence played: the decoder was late, or the
                           analysis ring was full (the DSP thread behind) */
    uint64_t unmetered; /* frames of sound the meters lost (take_frames' ring had no room:
                           the main thread was late) */
    int ended;          /* a file without --loop: all of it has been handed over, ... */
    uint64_t end_sample; /* ... the analysis stream's length */
} hark_source_status;

typedef struct hark_source hark_source;

typedef struct {
    /* Start at file frame `from` (0 for devices). */
    hark_err (*start)(hark_source *s, int64_t from);
    /* Stop at once; the samples not taken yet stay in the ring. */
    hark_err (*stop)(hark_source *s);
    void (*destroy)(hark_source *s);
    double (*now)(const hark_source *s);
    size_t (*take_stamps)(hark_source *s, hark_stamp *out, size_t max);
    size_t (*take_segments)(hark_source *s, hark_segment *out, size_t max); /* NULL: none */
    /* The sound itself for the level meters: up to max frames of info.channels interleaved
     * floats, as captured (an input's opened channels) or as sent to the output (a source
     * that plays), oldest first. The source keeps about two seconds: what its owner does not
     * take in time is lost to the meters only, and counted (status.unmetered). */
    size_t (*take_frames)(hark_source *s, float *out, size_t max);
    void (*status)(const hark_source *s, hark_source_status *out);
    /* A failure on the source's own thread (a read error while decoding): HARK_OK, or the
     * error, recorded in the caller's record. NULL: it has none. */
    hark_err (*failure)(const hark_source *s);
    /* Files only (NULL for devices). seek_begin holds the source (silence, no ring touched) so
     * the owner can empty the rings; seek_end goes on from file frame `from`, the stream's
     * indices starting at 0 again. */
    hark_err (*seek_begin)(hark_source *s);
    hark_err (*seek_end)(hark_source *s, int64_t from);
    void (*set_paused)(hark_source *s, int paused); /* silence, nothing taken */
    /* Sources that play (NULL for the others): play at `speed` times the file's (0.05 to 4),
     * the pitch following (a segment says where it changed). */
    void (*set_speed)(hark_source *s, double speed);
    /* Sources that play: loop seconds [from, to) of the file from now on (NULL: none). */
    void (*set_loop)(hark_source *s, double from, double to);
} hark_source_ops;

typedef struct {
    char name[256];        /* what is analysed: the device's name, or the file's (no folder) */
    char device[256];      /* the device's name ("" for a source without one) */
    double rate_hz;        /* the analysis stream's */
    unsigned channels;     /* opened on the device, or the file's */
    int plays;             /* sound goes out: rows are due when heard, pausing silences it */
    int resampling;        /* the file is converted to rate_hz (libsamplerate) */
    hark_decoder_info file; /* a file's (rate_hz 0 for a device) */
    unsigned lanes;        /* channels analysed: floats per frame of the sample ring */
    int lane[HARK_LANES_MAX]; /* each one's channel: a 0-based index, HARK_CHANNEL_MIX, _MID
                           * or _SIDE, in the order asked */
    int stacked;           /* they were asked as a stack (--channel all, a list, ms): the
                              outputs stack them as render does, even one */
} hark_source_info;

struct hark_source {
    const hark_source_ops *ops;
    hark_source_info info;
    /* The analysis samples: frames of info.lanes floats (HARK_SOURCE_RING_S of them), made at
     * open; the source's real-time thread is their only producer, the stream's DSP thread
     * their consumer. Freed by destroy. */
    hark_ring *samples;
    /* Its device's thread would not stop (audio.h, hark_audio_abort): destroy then frees
     * nothing that thread may touch, the source itself and the samples ring it writes
     * included. */
    int abandoned;
};

/* Destroy a source (NULL-safe): stops it first. */
void hark_source_destroy(hark_source *s);

/* For a source's open: resolve the selection (hark_analysis's channel and stack; NULL: the
 * mix) against an input of `channels` into info->lanes, lane[] and stacked. A device
 * (`device` 1) gives `all` as its first HARK_LANES_MAX channels; a file with more is refused,
 * as is a list longer than that, or a channel the input does not have (usage errors). */
hark_err hark_source_lanes(const hark_analysis *selection, unsigned channels, int device,
                           hark_source_info *info);
/* The input channels a device must open to give info's lanes: up to the highest index, two
 * for mid or side, and for the mix all of `most` (a device's mix is of at most two: virtual
 * devices offer 32 channels of nothing). */
unsigned hark_source_channels_needed(const hark_source_info *info, unsigned most);
/* Make s->samples for info's lanes: `frames` of them (0: HARK_SOURCE_RING_S at info's rate). */
hark_err hark_source_make_ring(hark_source *s, size_t frames);

#endif
