#define _GNU_SOURCE /* mkstemps */
/* The session's scheduling and the seek hand-off, with the clocked source (no sound server,
 * no device) and the real decoder, DSP and clock threads; run under ThreadSanitizer too.
 * A 2 s file holds a burst of 1 kHz in [0.25, 0.75) s and of 2 kHz in [1.25, 1.75) s: a row's
 * content says which part of the file it is. Checked: a playing source's rows come when their
 * centre sample is heard, never before, in order, once each, each at its file position; a seek
 * goes on from the new position with nothing of the old one after it; a pause holds the rows;
 * an input's rows come at once; several channels analysed come as lanes of one row, each its
 * own channel's. */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "clocked.h"
#include "stream.h"

#define RATE 8000
#define SECONDS 2
#define FFT 256
#define HOP 128
#define BINS (FFT / 2 + 1)

static char path[] = "/tmp/hark-test-stream-XXXXXX.wav";

static void write_file(void)
{
    int fd = mkstemps(path, 4);
    if (fd >= 0)
        close(fd);
    SF_INFO info = {.samplerate = RATE, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    static float x[RATE * SECONDS];
    for (int i = 0; i < RATE * SECONDS; i++) {
        double t = (double)i / RATE, frac = t - floor(t);
        double hz = 1000.0 * (1 + floor(t));
        x[i] = frac >= 0.25 && frac < 0.75 ? (float)(0.5 * sin(2 * M_PI * hz * t)) : 0.0f;
    }
    sf_writef_float(f, x, RATE * SECONDS);
    sf_close(f);
}

static void nap_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static hark_stream *open_stream(int plays)
{
    hark_clocked_config cc = {.path = path, .plays = plays, .latency_s = 0.1};
    hark_source *src;
    hark_err err = hark_clocked_open(&cc, &src);
    CHECK(err == HARK_OK, "clocked source: %s", hark_error_message(err));
    hark_stream_config sc = {.source = src, .row_ring = 1024};
    hark_analysis_defaults(&sc.analysis, FFT);
    sc.analysis.hop = HOP;
    hark_stream *s;
    CHECK(hark_stream_create(&sc, &s) == HARK_OK, "stream");
    return s;
}

/* Which burst a row shows: 1 or 2 (kHz), or 0 for silence or a mix at an edge. */
static int burst_of(const float *db)
{
    int peak = 0;
    for (int b = 1; b < BINS; b++)
        peak = db[b] > db[peak] ? b : peak;
    if (db[peak] < -20)
        return 0;
    int khz = (int)lround(peak * (double)RATE / FFT / 1000.0);
    return khz == 1 || khz == 2 ? khz : -1;
}

/* What a frame centred at file position t shows: a burst (1 or 2), silence (0), or either
 * (-1: it spans an edge). */
static int expected_burst(double t)
{
    const double margin = (double)FFT / 2 / RATE + 0.002, frac = t - floor(t);
    if (frac > 0.25 + margin && frac < 0.75 - margin)
        return 1 + (int)floor(t);
    return frac < 0.25 - margin || frac > 0.75 + margin ? 0 : -1;
}

typedef struct {
    uint64_t rows;            /* taken */
    int early, out_of_order, wrong_position, wrong_content;
    double last_file_s;
} tally;

/* Take the due rows at now; check each. */
static void take(hark_stream *s, tally *t, int plays)
{
    double now = hark_stream_now(s);
    hark_stream_row row;
    int wait;
    while (hark_stream_next(s, now, &row, &wait)) {
        t->early += plays && row.time > now + 1e-9;
        t->out_of_order += row.index != t->rows;
        t->wrong_position += fabs(row.file_s - (t->last_file_s + (double)HOP / RATE)) > 1e-9 &&
                             t->rows > 0;
        int want = expected_burst(row.file_s);
        t->wrong_content += want >= 0 && burst_of(row.db) != want;
        t->last_file_s = row.file_s;
        t->rows++;
        hark_stream_release(s);
    }
}

static void test_rows_come_when_heard(void)
{
    hark_stream *s = open_stream(1);
    CHECK(hark_stream_start(s, 0) == HARK_OK, "start");
    tally t = {.last_file_s = -(double)HOP / RATE};
    for (int i = 0; i < 5000 && !hark_stream_finished(s, hark_stream_now(s)); i++) {
        hark_stream_poll(s);
        take(s, &t, 1);
        nap_ms(2);
    }
    uint64_t frames = (RATE * SECONDS - FFT / 2) / HOP + 1; /* live framing: whole frames */
    CHECK(t.rows == frames, "every row of the file once: %llu of %llu",
          (unsigned long long)t.rows, (unsigned long long)frames);
    CHECK(t.early == 0, "%d rows came before their centre was heard", t.early);
    CHECK(t.out_of_order == 0 && t.wrong_position == 0, "in order (%d), at their positions (%d)",
          t.out_of_order, t.wrong_position);
    CHECK(t.wrong_content == 0, "%d rows show another part of the file", t.wrong_content);
    hark_source_status st;
    hark_stream_status(s, &st);
    CHECK(st.ended && st.end_sample == RATE * SECONDS, "the end: %llu",
          (unsigned long long)st.end_sample);
    hark_stream_destroy(s);
}

static void test_seek_and_pause(void)
{
    hark_stream *s = open_stream(1);
    CHECK(hark_stream_start(s, 0) == HARK_OK, "start");
    tally t = {.last_file_s = -(double)HOP / RATE};
    for (int i = 0; i < 2000 && hark_stream_heard(s, hark_stream_now(s)) < 0.4; i++) {
        hark_stream_poll(s);
        take(s, &t, 1);
        nap_ms(2);
    }
    CHECK(t.rows > 0 && t.wrong_content == 0, "before the seek: %llu rows",
          (unsigned long long)t.rows);
    hark_err err = hark_stream_seek(s, 1.2);
    CHECK(err == HARK_OK, "seek: %s", hark_error_message(err));
    /* After the seek: rows from 0 again, at 1.2 s on, nothing of before. */
    tally after = {.last_file_s = 1.2 - (double)HOP / RATE};
    for (int i = 0; i < 2500 && after.rows < 20; i++) { /* 5 s at most: a loaded machine */
        hark_stream_poll(s);
        take(s, &after, 1);
        nap_ms(2);
    }
    CHECK(after.rows > 0 && after.out_of_order == 0 && after.wrong_position == 0,
          "after the seek: %llu rows in order from 1.2 s (%d, %d)",
          (unsigned long long)after.rows, after.out_of_order, after.wrong_position);
    /* A pause holds the sound, so no row comes due; resuming goes on. */
    hark_stream_pause(s, 1);
    /* What the device was given before the pause plays out (0.1 s of latency): wait until
     * 100 ms bring no row, 5 s at most. */
    uint64_t held = UINT64_MAX;
    for (int i = 0; i < 50 && after.rows != held; i++) {
        held = after.rows;
        nap_ms(100);
        hark_stream_poll(s);
        take(s, &after, 1);
    }
    held = after.rows;
    double heard = hark_stream_heard(s, hark_stream_now(s));
    nap_ms(300);
    hark_stream_poll(s);
    take(s, &after, 1);
    CHECK(after.rows == held, "paused: no row comes (%llu then %llu)", (unsigned long long)held,
          (unsigned long long)after.rows);
    CHECK(fabs(hark_stream_heard(s, hark_stream_now(s)) - heard) < 1e-9, "and nothing is heard");
    hark_stream_pause(s, 0);
    for (int i = 0; i < 5000 && !hark_stream_finished(s, hark_stream_now(s)); i++) {
        hark_stream_poll(s);
        take(s, &after, 1);
        nap_ms(2);
    }
    uint64_t frames = ((uint64_t)(RATE * (SECONDS - 1.2)) - FFT / 2) / HOP + 1;
    CHECK(after.rows == frames, "the rest of the file once: %llu of %llu",
          (unsigned long long)after.rows, (unsigned long long)frames);
    CHECK(after.early == 0 && after.wrong_content == 0, "none early (%d), none out of place (%d)",
          after.early, after.wrong_content);
    hark_stream_destroy(s);
}

/* An input's rows are due as soon as they exist. */
static void test_an_input(void)
{
    hark_stream *s = open_stream(0);
    CHECK(hark_stream_start(s, 0) == HARK_OK, "start");
    tally t = {.last_file_s = -(double)HOP / RATE};
    hark_source_status st = {0};
    for (int i = 0; i < 5000 && !(st.ended && st.frames >= st.end_sample); i++) {
        hark_stream_poll(s);
        take(s, &t, 0);
        hark_stream_status(s, &st);
        nap_ms(2);
    }
    hark_stream_stop(s);
    for (int i = 0; i < 1000 && hark_stream_drain(s); i++)
        take(s, &t, 0);
    take(s, &t, 0);
    uint64_t frames = (RATE * SECONDS - FFT / 2) / HOP + 1;
    CHECK(t.rows == frames, "every row: %llu of %llu", (unsigned long long)t.rows,
          (unsigned long long)frames);
    CHECK(t.wrong_content == 0, "%d rows out of place", t.wrong_content);
    hark_stream_destroy(s);
}

/* The peak bin of a row. */
static int peak_bin(const float *db)
{
    int peak = 0;
    for (int b = 1; b < BINS; b++)
        peak = db[b] > db[peak] ? b : peak;
    return peak;
}

/* A stereo file (1 kHz left at -6 dBFS, 2 kHz right at -20 dBFS) analysed as --channel 2,1,side:
 * every row has three lanes, in that order, each its channel's spectrum. */
static void test_lanes(void)
{
    char stereo[] = "/tmp/hark-test-stream-XXXXXX.wav";
    int fd = mkstemps(stereo, 4);
    if (fd >= 0)
        close(fd);
    SF_INFO info = {.samplerate = RATE, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *f = sf_open(stereo, SFM_WRITE, &info);
    static float x[2 * RATE];
    for (int i = 0; i < RATE; i++) {
        x[2 * i] = (float)(0.5 * sin(2 * M_PI * 1000.0 * i / RATE));
        x[2 * i + 1] = (float)(0.1 * sin(2 * M_PI * 2000.0 * i / RATE));
    }
    sf_writef_float(f, x, RATE);
    sf_close(f);
    hark_analysis sel;
    hark_analysis_defaults(&sel, FFT);
    sel.stack = 3;
    sel.stacked[0] = 1, sel.stacked[1] = 0, sel.stacked[2] = HARK_CHANNEL_SIDE;
    hark_clocked_config cc = {.path = stereo, .selection = &sel};
    hark_source *src;
    CHECK(hark_clocked_open(&cc, &src) == HARK_OK, "stereo source");
    CHECK(src->info.lanes == 3 && src->info.stacked, "three lanes (%u)", src->info.lanes);
    hark_stream_config sc = {.source = src, .row_ring = 1024};
    hark_analysis_defaults(&sc.analysis, FFT);
    sc.analysis.hop = HOP;
    hark_stream *s;
    CHECK(hark_stream_create(&sc, &s) == HARK_OK, "stream");
    CHECK(hark_stream_start(s, 0) == HARK_OK, "start");
    uint64_t rows = 0, wrong = 0;
    hark_source_status st = {0};
    for (int i = 0; i < 5000; i++) {
        hark_stream_poll(s);
        hark_stream_row row;
        int wait;
        while (hark_stream_next(s, hark_stream_now(s), &row, &wait)) {
            CHECK(row.lanes == 3 && row.stride == BINS, "lanes %u, stride %zu", row.lanes,
                  row.stride);
            const float *right = row.db, *left = row.db + row.stride, *side = left + row.stride;
            /* side = (L - R) / 2: both tones, 6 dB down */
            /* Row 0 is centred on the first sample: half its window is before the file. */
            int bad = row.index > 0 && (peak_bin(right) != 64 || peak_bin(left) != 32 || peak_bin(side) != 32 ||
                     fabsf(left[32] - (-6.02f)) > 0.1f || fabsf(right[64] - (-20.0f)) > 0.1f ||
                     fabsf(side[64] - (-26.02f)) > 0.1f);
            if (bad && getenv("VERBOSE"))
                printf("row %llu: %d %d %d %.2f %.2f %.2f\n", (unsigned long long)row.index,
                       peak_bin(right), peak_bin(left), peak_bin(side), (double)left[32],
                       (double)right[64], (double)side[64]);
            wrong += (uint64_t)bad;
            rows++;
            hark_stream_release(s);
        }
        hark_stream_status(s, &st);
        if (st.ended && rows == (RATE - FFT / 2) / HOP + 1)
            break;
        nap_ms(2);
    }
    CHECK(rows == (RATE - FFT / 2) / HOP + 1, "every row: %llu", (unsigned long long)rows);
    CHECK(wrong == 0, "each lane its own channel: %llu rows wrong", (unsigned long long)wrong);
    hark_stream_destroy(s);
    sel.stacked[2] = 2; /* a third channel it does not have */
    CHECK(hark_clocked_open(&cc, &src) == HARK_ERR_USAGE, "channel 3 of a stereo file refused");
    unlink(stereo);
}

int main(void)
{
    write_file();
    test_rows_come_when_heard();
    test_seek_and_pause();
    test_an_input();
    test_lanes();
    unlink(path);
    return check_finish("test_stream");
}
