#ifndef HARK_PLAYER_H
#define HARK_PLAYER_H
/*
 * The playing of a file, whatever clocks it (a PortAudio output callback: playback.h; a timer
 * thread: clocked.h). A decoder thread reads the file with libsndfile (any format, rate and
 * channel count it reads), maps its channels to the output's (channel c goes to output
 * c mod outputs, mixed), resamples with libsamplerate when the stream runs at another rate, and
 * writes frames into a ring. hark_player_pull, called by the clock for each buffer, copies
 * frames from that ring to the output and hands the analysis samples of each (a sample per
 * channel analysed: the mix, a channel, mid or side of the file) to the sample ring, and
 * publishes a stamp per buffer with the
 * time it is heard (source.h). It never takes more frames than the sample ring can hold, so
 * every sample heard is analysed, and stream index = analysis sample index. When the ring is
 * empty it plays silence and counts an underrun (not at the end of the file). pull keeps the
 * real-time rules: no lock, allocation, I/O or call that can block.
 *
 * Seeking keeps the clock running: seek_begin stops the decoder thread and has pull empty the
 * frame ring and hold (silence, no ring touched); the owner then empties the sample ring (its
 * DSP thread stopped); seek_end starts decoding at the new frame and lets pull go. Stream
 * indices start at 0 again.
 *
 * Threads: pull is the clock's; everything else is for the owner thread.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "decoder.h"
#include "error.h"
#include "ring.h"
#include "source.h"

typedef struct hark_player hark_player;

/* Open the file (its errors are about path); raw (NULL: none) reads it as headerless
 * samples; stop (NULL: none) ends a wait for a stream's first bytes. */
hark_err hark_player_create(const char *path, const hark_raw_input *raw, int loop,
                            const atomic_int *stop, hark_player **out);
void hark_player_destroy(hark_player *p); /* NULL-safe; stops the decoder thread first */

const hark_decoder_info *hark_player_file(const hark_player *p);
/* Play at `speed` times the file's (HARK_SPEED_MIN..MAX, clamped), the pitch following:
 * before start (prepare's buffers are sized for the slowest), or while playing (the decoder
 * thread takes it at its next block: what is already decoded, up to half a second, plays
 * first). Any thread. */
#define HARK_SPEED_MIN 0.05
#define HARK_SPEED_MAX 4.0
void hark_player_set_speed(hark_player *p, double speed);


/* Make the buffers for a stream at rate_hz with out_channels (1 or 2) outputs, feeding the
 * sample ring of `analysis` (its info.lanes channels, its samples: source.h). */
hark_err hark_player_prepare(hark_player *p, double rate_hz, unsigned out_channels,
                             const hark_source *analysis);
int hark_player_resampling(const hark_player *p);

/* Start decoding at file frame `from` (0 unless seekable) and wait until a little sound is
 * ready (or the file ended, or reading failed). */
hark_err hark_player_start(hark_player *p, int64_t from);
/* Stop the decoder thread. */
void hark_player_stop(hark_player *p);

/* The clock's call: fill out (frames x out_channels floats) for a buffer whose first frame is
 * heard at `time`. Real-time safe. */
void hark_player_pull(hark_player *p, float *out, unsigned long frames, double time);

/* progress (calls), frames taken, underruns, ended (any thread); active is the source's to fill. */
void hark_player_status(const hark_player *p, hark_source_status *out);

/* A source that plays a file through a player (playback.h, clocked.h) begins with this, and
 * shares the operations that only ask the player. */
typedef struct {
    hark_source base;
    hark_player *player;
} hark_player_source;

size_t hark_player_source_stamps(hark_source *s, hark_stamp *out, size_t max);
size_t hark_player_source_segments(hark_source *s, hark_segment *out, size_t max);
size_t hark_player_source_frames(hark_source *s, float *out, size_t max); /* as heard */
/* A read error on the decoder thread: HARK_OK, or the error, recorded in the caller's record
 * (about the file). */
hark_err hark_player_source_failure(const hark_source *s);
hark_err hark_player_source_seek_begin(hark_source *s); /* its failure is about the device */
hark_err hark_player_source_seek_end(hark_source *s, int64_t from);
void hark_player_source_pause(hark_source *s, int paused);
void hark_player_source_speed(hark_source *s, double speed);
/* Loop seconds [from, to) of the file over and over instead of playing it once; a position
 * past `to` (a seek) goes back to `from`. Any time: the decoder thread takes it at its next
 * block. */
void hark_player_source_loop(hark_source *s, double from, double to);

#endif
