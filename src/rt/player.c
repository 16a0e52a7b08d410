#define _GNU_SOURCE /* pthread_setname_np */
#include "player.h"

#include <math.h>
#include <pthread.h>
#include <samplerate.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#define BLOCK_FRAMES 1024u     /* file frames the decoder thread reads at a time */
#define SCRATCH_FRAMES 1024u   /* frames the callback moves at a time */
#define RING_SECONDS 0.5       /* decoded sound kept ready */
#define PREFILL_SECONDS 0.05   /* ready before the stream starts */
#define STAMP_RING 1024u
#define SEGMENT_RING 64u
#define NOT_ENDED UINT64_MAX
/* The seek handshake (p->hold): the main thread asks, the callback empties the frame ring,
 * restarts its count and holds (silence, no ring touched) until the main thread lets go. */
enum { RUNNING, HOLD_ASKED, HELD };

struct hark_player {
    hark_decoder *dec;
    hark_decoder_info info;
    char *path;
    double rate_hz;
    unsigned out_ch, elem;      /* output channels; floats per ring element (+ lanes) */
    unsigned lanes;             /* channels analysed, and each one's */
    int lane[HARK_LANES_MAX];
    int started;
    atomic_int loop;            /* the owner's, read by the decoder thread at each block ... */
    atomic_llong loop_from, loop_to; /* ... as the A-B loop in file frames (to < 0: the end) */
    int64_t pos;                /* the file frame the decoder thread reads next */
    hark_ring *frames, *stamps, *segments, *samples;
    hark_ring *heard;           /* what went out (out_ch floats each), for the meters */
    /* the callback's own */
    uint64_t played;
    float *scratch, *analysed;
    atomic_int paused, hold;
    atomic_uint_fast64_t underruns, ended_at, calls, unmetered;
    atomic_uint_fast64_t taken; /* frames the device took */
    /* the decoder thread's own */
    pthread_t thread;
    int thread_running;
    atomic_int stop, failed;
    SRC_STATE *src;
    double ratio;               /* output frames a file frame: rate / (file rate x speed) */
    double speed;               /* the decoder thread's, as applied */
    atomic_int speed_asked;     /* thousandths (the owner's call, read by the decoder thread) */
    float *in_block, *mapped, *resampled;
    size_t out_cap;             /* resampled frames one block can give, with room to spare */
    uint64_t written;
    hark_error error;           /* the decoder thread's failure, read once failed is set */
};

/* ---- the output callback: real-time ----------------------------------------------------- */

static void split_frames(hark_player *p, const float *in, size_t n, float *out)
{
    const unsigned oc = p->out_ch, ec = p->elem, lanes = p->lanes;
    for (size_t i = 0; i < n; i++) {
        for (unsigned o = 0; o < oc; o++)
            out[i * oc + o] = in[i * ec + o];
        for (unsigned k = 0; k < lanes; k++)
            p->analysed[i * lanes + k] = in[i * ec + oc + k];
    }
}

void hark_player_pull(hark_player *p, float *out, unsigned long frames, double time)
{
    unsigned long done = 0;
    atomic_fetch_add_explicit(&p->calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->taken, frames, memory_order_relaxed);
    int hold = atomic_load_explicit(&p->hold, memory_order_acquire);
    if (hold == HOLD_ASKED) { /* the decoder thread has stopped: the ring is ours to empty */
        hark_ring_skip(p->frames, hark_ring_readable(p->frames));
        p->played = 0;
        atomic_store_explicit(&p->hold, HELD, memory_order_release);
        hold = HELD;
    }
    int paused = hold != RUNNING || atomic_load_explicit(&p->paused, memory_order_relaxed);
    while (!paused && done < frames) {
        size_t want = frames - done < SCRATCH_FRAMES ? frames - done : SCRATCH_FRAMES;
        size_t room = hark_ring_writable(p->samples); /* every sample heard is analysed */
        size_t n = hark_ring_read(p->frames, p->scratch, want < room ? want : room);
        if (n == 0)
            break;
        split_frames(p, p->scratch, n, out + done * p->out_ch);
        hark_ring_write(p->samples, p->analysed, n);
        size_t metered = hark_ring_write(p->heard, out + done * p->out_ch, n);
        if (metered < n)
            atomic_fetch_add_explicit(&p->unmetered, n - metered, memory_order_relaxed);
        done += n;
    }
    memset(out + done * p->out_ch, 0, (frames - done) * p->out_ch * sizeof(float));
    if (done > 0) {
        hark_stamp stamp = {p->played, (uint32_t)done, time};
        hark_ring_write(p->stamps, &stamp, 1); /* full: the owner is behind */
        p->played += done;
    }
    uint64_t end = atomic_load_explicit(&p->ended_at, memory_order_acquire);
    if (!paused && done < frames && p->played < end)
        atomic_fetch_add_explicit(&p->underruns, frames - done, memory_order_relaxed);
}

/* ---- the decoder thread ----------------------------------------------------------------- */

static void nap_ms(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* File frames to ring elements: output o is the mean of the file channels c with
 * c mod outputs == o; the last `lanes` floats are the analysis samples. */
static void map_frames(const hark_player *p, size_t n)
{
    const unsigned fc = p->info.channels, oc = p->out_ch, ec = p->elem;
    for (size_t i = 0; i < n; i++) {
        const float *in = p->in_block + i * fc;
        float *e = p->mapped + i * ec;
        double all = 0.0;
        for (unsigned o = 0; o < oc; o++)
            e[o] = 0.0f;
        for (unsigned c = 0; c < fc; c++) {
            e[c % oc] += in[c];
            all += in[c];
        }
        for (unsigned o = 0; o < oc; o++)
            e[o] /= (float)((fc - o + oc - 1) / oc); /* channels that went to o */
        for (unsigned k = 0; k < p->lanes; k++)
            e[oc + k] = p->lane[k] == HARK_CHANNEL_MIX ? (float)(all / fc)
                                                       : hark_channel_sample(p->lane[k], in, fc);
    }
}

static void fail(hark_player *p)
{
    hark_error_subject(p->path);
    p->error = *hark_error_get();
    atomic_store_explicit(&p->failed, 1, memory_order_release);
}

/* Elements into the ring, through the resampler when there is one. The caller made sure of
 * room for 2 * out_cap elements. */
static int write_frames(hark_player *p, const float *data, size_t n, int end)
{
    if (!p->src || p->ratio == 1.0) {
        p->written += hark_ring_write(p->frames, data, n);
        return 1;
    }
    SRC_DATA d = {.data_in = data, .input_frames = (long)n, .data_out = p->resampled,
                  .output_frames = (long)p->out_cap, .src_ratio = p->ratio,
                  .end_of_input = end};
    for (;;) {
        int e = src_process(p->src, &d);
        if (e) {
            hark_error_set(HARK_ERR_READ, "resampling: %s", src_strerror(e));
            fail(p);
            return 0;
        }
        p->written += hark_ring_write(p->frames, p->resampled, (size_t)d.output_frames_gen);
        d.data_in += d.input_frames_used * (long)p->elem;
        d.input_frames -= d.input_frames_used;
        if (d.input_frames == 0 && (!end || d.output_frames_gen == 0))
            return 1;
    }
}

/* A speed asked since the last block: the resampler's ratio from now on, and a segment where
 * the stream's relation to the file changes (at the frames read so far: the resampler's
 * few frames of delay aside). */
static void apply_speed(hark_player *p)
{
    double want = atomic_load_explicit(&p->speed_asked, memory_order_relaxed) / 1000.0;
    if (want == p->speed)
        return;
    p->speed = want;
    p->ratio = p->rate_hz / (p->info.rate_hz * want);
    hark_segment seg = {p->written, p->pos, want};
    hark_ring_write(p->segments, &seg, 1);
}

static void *decode_main(void *arg)
{
    hark_player *p = arg;
    pthread_setname_np(pthread_self(), "hark-decode");
    hark_error_clear();
    size_t since_start = 0; /* frames read since the last (re)start: a looped empty file ends */
    while (!atomic_load_explicit(&p->stop, memory_order_acquire)) {
        apply_speed(p);
        if (hark_ring_writable(p->frames) < 2 * p->out_cap) {
            nap_ms(5);
            continue;
        }
        /* A loop's end (or a position past it: a seek) goes back to its start. */
        int loop = atomic_load_explicit(&p->loop, memory_order_relaxed);
        int64_t loop_from = atomic_load_explicit(&p->loop_from, memory_order_relaxed);
        int64_t loop_to = atomic_load_explicit(&p->loop_to, memory_order_relaxed);
        int at_b = loop && loop_to >= 0 && p->pos >= loop_to;
        size_t want = BLOCK_FRAMES, got = 0;
        if (loop && loop_to >= 0 && !at_b && loop_to - p->pos < (int64_t)want)
            want = (size_t)(loop_to - p->pos);
        if (!at_b && hark_decoder_read_frames(p->dec, p->in_block, want, &got)) {
            fail(p);
            break;
        }
        p->pos += (int64_t)got;
        if (got == 0 && loop && p->info.seekable && (since_start > 0 || at_b) &&
            hark_decoder_seek(p->dec, loop_from) == HARK_OK) {
            hark_segment seg = {p->written, loop_from, p->speed};
            hark_ring_write(p->segments, &seg, 1);
            p->pos = loop_from;
            since_start = 0;
            continue;
        }
        if (got == 0) {
            if (write_frames(p, p->mapped, 0, 1))
                atomic_store_explicit(&p->ended_at, p->written, memory_order_release);
            break;
        }
        since_start += got;
        map_frames(p, got);
        if (!write_frames(p, p->mapped, got, 0))
            break;
    }
    return NULL;
}

/* ---- open / close ----------------------------------------------------------------------- */

static hark_err alloc_buffers(hark_player *p)
{
    /* room for the slowest speed's frames */
    p->out_cap = (size_t)ceil(BLOCK_FRAMES * p->rate_hz / p->info.rate_hz / HARK_SPEED_MIN) + 64;
    size_t ring = (size_t)(RING_SECONDS * p->rate_hz) + 2 * p->out_cap;
    p->in_block = malloc(sizeof(float) * BLOCK_FRAMES * p->info.channels);
    p->mapped = malloc(sizeof(float) * BLOCK_FRAMES * p->elem);
    p->resampled = malloc(sizeof(float) * p->out_cap * p->elem);
    p->scratch = malloc(sizeof(float) * SCRATCH_FRAMES * p->elem);
    p->analysed = malloc(sizeof(float) * SCRATCH_FRAMES * p->lanes);
    if (!p->in_block || !p->mapped || !p->resampled || !p->scratch || !p->analysed)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for playback buffers");
    hark_err err;
    if ((err = hark_ring_create(sizeof(float) * p->elem, ring, &p->frames)) ||
        (err = hark_ring_create(sizeof(hark_stamp), STAMP_RING, &p->stamps)) ||
        (err = hark_ring_create(sizeof(hark_segment), SEGMENT_RING, &p->segments)) ||
        (err = hark_ring_create(sizeof(float) * p->out_ch, (size_t)(2 * p->rate_hz), &p->heard)))
        return err;
    return HARK_OK;
}

/* A resampler in any case: the speed may change while playing (at 1x and the file's rate
 * the frames go round it). */
static hark_err make_resampler(hark_player *p)
{
    double speed = atomic_load(&p->speed_asked) / 1000.0;
    p->speed = speed;
    p->ratio = p->rate_hz / (p->info.rate_hz * speed);
    int e = 0;
    p->src = src_new(SRC_SINC_MEDIUM_QUALITY, (int)p->elem, &e);
    return p->src ? HARK_OK
                  : hark_error_set(HARK_ERR_NOMEM, "cannot make a resampler: %s", src_strerror(e));
}

hark_err hark_player_create(const char *path, const hark_raw_input *raw, int loop,
                            const atomic_int *stop, hark_player **out)
{
    *out = NULL;
    hark_player *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        return hark_fail(HARK_ERR_NOMEM);
    }
    atomic_init(&p->loop, loop);
    atomic_init(&p->loop_from, 0);
    atomic_init(&p->loop_to, -1);
    p->ratio = 1.0;
    atomic_init(&p->paused, 0);
    atomic_init(&p->speed_asked, 1000);
    atomic_init(&p->hold, RUNNING);
    atomic_init(&p->underruns, 0);
    atomic_init(&p->calls, 0);
    atomic_init(&p->unmetered, 0);
    atomic_init(&p->taken, 0);
    atomic_init(&p->ended_at, NOT_ENDED);
    atomic_init(&p->stop, 0);
    atomic_init(&p->failed, 0);
    hark_err err = hark_decoder_create_raw(path, raw, HARK_CHANNEL_ALL, stop, &p->dec);
    if (err) {
        hark_error_subject(path);
        hark_player_destroy(p);
        return err;
    }
    hark_decoder_set_stop(p->dec, &p->stop); /* from now on the decoder thread reads it */
    p->info = *hark_decoder_get_info(p->dec);
    *out = p;
    return HARK_OK;
}

hark_err hark_player_prepare(hark_player *p, double rate_hz, unsigned out_channels,
                             const hark_source *analysis)
{
    p->rate_hz = rate_hz;
    p->out_ch = out_channels < 1 ? 1 : out_channels;
    p->lanes = analysis->info.lanes;
    memcpy(p->lane, analysis->info.lane, sizeof p->lane);
    p->elem = p->out_ch + p->lanes;
    p->samples = analysis->samples;
    hark_err err = make_resampler(p);
    return err ? err : alloc_buffers(p);
}

void hark_player_destroy(hark_player *p)
{
    if (!p)
        return;
    hark_player_stop(p);
    if (p->src)
        src_delete(p->src);
    hark_decoder_destroy(p->dec);
    hark_ring_destroy(p->frames);
    hark_ring_destroy(p->stamps);
    hark_ring_destroy(p->segments);
    hark_ring_destroy(p->heard);
    free(p->in_block);
    free(p->mapped);
    free(p->resampled);
    free(p->scratch);
    free(p->analysed);
    free(p->path);
    free(p);
}

/* ---- start / stop ----------------------------------------------------------------------- */

/* With nothing else using the rings: empty them, go to frame `from`, start the decoder thread
 * and wait until it has a little sound ready (or the file ended, or it failed). */
static hark_err restart_decoding(hark_player *p, int64_t from)
{
    if ((from > 0 || p->started) && !p->info.seekable)
        return hark_error_at(HARK_ERR_READ, p->path, "cannot seek: the input is not seekable");
    hark_err err = p->info.seekable ? hark_decoder_seek(p->dec, from) : HARK_OK;
    if (err) {
        hark_error_subject(p->path);
        return err;
    }
    p->started = 1;
    p->pos = from;
    hark_ring_reset(p->frames);
    hark_ring_reset(p->stamps);
    hark_ring_reset(p->segments);
    if (p->src)
        src_reset(p->src);
    p->written = 0;
    atomic_store(&p->ended_at, NOT_ENDED);
    atomic_store(&p->stop, 0);
    hark_segment seg = {0, from, p->speed};
    hark_ring_write(p->segments, &seg, 1);
    if (pthread_create(&p->thread, NULL, decode_main, p) != 0)
        return hark_error_set(HARK_ERR_NOMEM, "cannot start the decoder thread");
    p->thread_running = 1;
    /* Only the count is read here: the callback, the ring's consumer, is not started yet or
     * holds (seek), so nothing else reads the ring meanwhile. */
    size_t ready = (size_t)(PREFILL_SECONDS * p->rate_hz);
    for (int i = 0; i < 2000 && hark_ring_readable(p->frames) < ready &&
                    atomic_load(&p->ended_at) == NOT_ENDED && !atomic_load(&p->failed);
         i++)
        nap_ms(1);
    return HARK_OK;
}

static void stop_decoding(hark_player *p)
{
    if (!p->thread_running)
        return;
    atomic_store_explicit(&p->stop, 1, memory_order_release);
    pthread_join(p->thread, NULL);
    p->thread_running = 0;
}

hark_err hark_player_start(hark_player *p, int64_t from)
{
    return restart_decoding(p, from);
}

void hark_player_stop(hark_player *p)
{
    if (p)
        stop_decoding(p);
}

static hark_err player_seek_begin(hark_player *p)
{
    if (!p->info.seekable)
        return hark_error_at(HARK_ERR_READ, p->path, "cannot seek: the input is not seekable");
    stop_decoding(p);
    atomic_store_explicit(&p->hold, HOLD_ASKED, memory_order_release);
    for (int i = 0; i < 2000; i++) {
        if (atomic_load_explicit(&p->hold, memory_order_acquire) == HELD)
            return HARK_OK;
        nap_ms(1);
    }
    return hark_error_set(HARK_ERR_DEVICE, "the output stopped asking for sound");
}

static hark_err player_seek_end(hark_player *p, int64_t from)
{
    hark_err err = restart_decoding(p, from);
    atomic_store_explicit(&p->hold, RUNNING, memory_order_release);
    return err;
}

/* ---- queries ---------------------------------------------------------------------------- */

const hark_decoder_info *hark_player_file(const hark_player *p) { return &p->info; }

static void player_set_loop(hark_player *p, int64_t from, int64_t to)
{
    atomic_store_explicit(&p->loop_from, from, memory_order_relaxed);
    atomic_store_explicit(&p->loop_to, to, memory_order_relaxed);
    atomic_store_explicit(&p->loop, 1, memory_order_relaxed);
}
int hark_player_resampling(const hark_player *p) { return p->rate_hz != p->info.rate_hz; }

void hark_player_set_speed(hark_player *p, double speed)
{
    speed = speed < HARK_SPEED_MIN ? HARK_SPEED_MIN : speed > HARK_SPEED_MAX ? HARK_SPEED_MAX : speed;
    atomic_store_explicit(&p->speed_asked, (int)lround(speed * 1000), memory_order_relaxed);
}

static void player_set_paused(hark_player *p, int paused)
{
    atomic_store_explicit(&p->paused, paused, memory_order_relaxed);
}

static size_t player_take_stamps(hark_player *p, hark_stamp *out, size_t max)
{
    return hark_ring_read(p->stamps, out, max);
}

static size_t player_take_segments(hark_player *p, hark_segment *out, size_t max)
{
    return hark_ring_read(p->segments, out, max);
}

void hark_player_status(const hark_player *p, hark_source_status *out)
{
    uint64_t end = atomic_load_explicit(&p->ended_at, memory_order_acquire);
    out->progress = atomic_load_explicit(&p->calls, memory_order_relaxed);
    out->frames = atomic_load_explicit(&p->taken, memory_order_relaxed);
    out->underruns = atomic_load_explicit(&p->underruns, memory_order_relaxed);
    out->unmetered = atomic_load_explicit(&p->unmetered, memory_order_relaxed);
    out->ended = end != NOT_ENDED;
    out->end_sample = out->ended ? end : 0;
}

static hark_err player_failure(const hark_player *p)
{
    if (!atomic_load_explicit(&p->failed, memory_order_acquire))
        return HARK_OK;
    return hark_error_raise(&p->error);
}

/* ---- the operations of a source that plays through a player ---------------------------------- */

static hark_player *player_of(const hark_source *s)
{
    return ((const hark_player_source *)s)->player;
}

size_t hark_player_source_stamps(hark_source *s, hark_stamp *out, size_t max)
{
    return player_take_stamps(player_of(s), out, max);
}

size_t hark_player_source_frames(hark_source *s, float *out, size_t max)
{
    return hark_ring_read(player_of(s)->heard, out, max);
}

size_t hark_player_source_segments(hark_source *s, hark_segment *out, size_t max)
{
    return player_take_segments(player_of(s), out, max);
}

hark_err hark_player_source_failure(const hark_source *s)
{
    return player_failure(player_of(s));
}

hark_err hark_player_source_seek_begin(hark_source *s)
{
    hark_err err = player_seek_begin(player_of(s));
    if (err)
        hark_error_subject(s->info.device[0] ? s->info.device : s->info.name);
    return err;
}

hark_err hark_player_source_seek_end(hark_source *s, int64_t from)
{
    return player_seek_end(player_of(s), from);
}

void hark_player_source_pause(hark_source *s, int paused)
{
    player_set_paused(player_of(s), paused);
}

void hark_player_source_speed(hark_source *s, double speed)
{
    hark_player_set_speed(player_of(s), speed);
}

void hark_player_source_loop(hark_source *s, double from, double to)
{
    hark_player *p = player_of(s);
    player_set_loop(p, llround(from * p->info.rate_hz), llround(to * p->info.rate_hz));
}
