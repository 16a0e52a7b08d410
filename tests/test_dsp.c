/* The DSP thread: samples in one ring come out as rows of dBFS in the other, the same numbers
 * as the STFT gives offline; a full row ring drops and counts; a paused thread consumes nothing. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "dsp.h"

#define FFT 1024u
#define HOP 512u
#define RATE 48000.0
#define BINS (FFT / 2 + 1)

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait (at most 5 s) until the DSP thread has computed `rows` rows. */
static int wait_rows(const hark_dsp *d, uint64_t rows)
{
    for (int i = 0; i < 5000 && hark_dsp_rows(d) < rows; i++)
        sleep_ms(1);
    return hark_dsp_rows(d) >= rows;
}

static hark_dsp_config config(hark_ring *samples, hark_ring *rows)
{
    return (hark_dsp_config){
        .samples = samples, .rows = rows, .hop = HOP,
        .spectro = {.hop = HOP,
                    .stft = {.fft_size = FFT, .rate_hz = RATE, .window = HARK_WINDOW_HANN,
                             .scale = HARK_SCALE_LINEAR, .rows = BINS, .floor_db = -120.0f}}};
}

static void test_tone_rows(void)
{
    hark_ring *samples, *rows;
    hark_ring_create(sizeof(float), 1 << 16, &samples);
    hark_ring_create(sizeof(float) * BINS, 64, &rows);
    hark_dsp_config cfg = config(samples, rows);
    hark_dsp *d;
    CHECK(hark_dsp_start(&cfg, &d) == HARK_OK, "start");
    /* A -20 dBFS sine on bin 64, fed in odd-sized pieces as a callback would. */
    enum { N = 20 * HOP };
    static float x[N];
    for (unsigned i = 0; i < N; i++)
        x[i] = 0.1f * (float)cos(2 * M_PI * 64 * i / FFT);
    for (unsigned at = 0; at < N;) {
        unsigned n = N - at < 333 ? N - at : 333;
        at += (unsigned)hark_ring_write(samples, x + at, n);
    }
    /* While streaming, frame k is complete once sample k*hop + fft/2 - 1 has arrived: n
     * samples give floor((n - fft/2) / hop) + 1 = 20 frames. */
    CHECK(wait_rows(d, 20), "rows computed: %llu", (unsigned long long)hark_dsp_rows(d));
    static float row[BINS];
    int rows_read = 0, wrong = 0;
    while (hark_ring_read(rows, row, 1) == 1) {
        if (rows_read++ >= 2) /* the first frames straddle the zeros before sample 0 */
            wrong += fabsf(row[64] + 20.0f) > 0.1f || row[200] > -100.0f;
    }
    CHECK(rows_read == 20, "20 rows in the ring, got %d", rows_read);
    CHECK(wrong == 0, "each full row reads -20 dBFS in bin 64 (%d wrong)", wrong);
    CHECK(hark_dsp_rows_dropped(d) == 0, "no row dropped");
    hark_dsp_stop(d);
    hark_ring_destroy(samples);
    hark_ring_destroy(rows);
}

static void test_full_row_ring_drops_and_pause(void)
{
    hark_ring *samples, *rows;
    hark_ring_create(sizeof(float), 1 << 16, &samples);
    hark_ring_create(sizeof(float) * BINS, 4, &rows);
    hark_dsp_config cfg = config(samples, rows);
    hark_dsp *d;
    hark_dsp_start(&cfg, &d);
    static float zeros[40 * HOP];
    hark_ring_write(samples, zeros, 40 * HOP);
    CHECK(wait_rows(d, 39), "rows computed");
    CHECK(hark_dsp_rows_dropped(d) == hark_dsp_rows(d) - 4, "all but 4 rows dropped: %llu of %llu",
          (unsigned long long)hark_dsp_rows_dropped(d), (unsigned long long)hark_dsp_rows(d));

    hark_dsp_pause_for_test(d, 1);
    sleep_ms(5); /* let a pass in progress finish */
    uint64_t before = hark_dsp_rows(d);
    size_t put = hark_ring_write(samples, zeros, 40 * HOP);
    sleep_ms(50);
    CHECK(hark_dsp_rows(d) == before, "a paused thread computes nothing");
    CHECK(hark_ring_readable(samples) == put, "and consumes nothing");
    hark_dsp_pause_for_test(d, 0);
    CHECK(wait_rows(d, before + 40), "resumes");
    hark_dsp_stop(d);
    hark_ring_destroy(samples);
    hark_ring_destroy(rows);
}

static void test_bad_row_ring(void)
{
    hark_ring *samples, *rows;
    hark_ring_create(sizeof(float), 1024, &samples);
    hark_ring_create(sizeof(float) * 100, 4, &rows);
    hark_dsp_config cfg = config(samples, rows);
    hark_dsp *d;
    CHECK(hark_dsp_start(&cfg, &d) != HARK_OK && d == NULL, "row size must match the STFT");
    hark_ring_destroy(samples);
    hark_ring_destroy(rows);
}

int main(void)
{
    test_tone_rows();
    test_full_row_ring_drops_and_pause();
    test_bad_row_ring();
    return check_finish("test_dsp");
}
