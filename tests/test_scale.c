/* Frequency scales: row <-> frequency, and a tone keeps its level when resampled. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scale.h"
#include "stft.h"

static void test_linear_is_the_bins(void)
{
    hark_scale s;
    hark_scale_init(&s, HARK_SCALE_LINEAR, 513, 44100, 1024);
    CHECK_NEAR(hark_scale_freq(&s, 0), 0.0, 1e-9, "row 0 is 0 Hz");
    CHECK_NEAR(hark_scale_freq(&s, 512), 22050.0, 1e-6, "top row is Nyquist");
    CHECK_NEAR(hark_scale_freq(&s, 100), 100 * 44100.0 / 1024, 1e-6, "row r is bin r");
}

static void test_inverse(void)
{
    for (int k = 0; k < HARK_SCALE_COUNT; k++) {
        hark_scale s;
        hark_scale_init(&s, (hark_scale_kind)k, 300, 48000, 2048);
        for (double row = 0; row <= 299; row += 7.5)
            CHECK_NEAR(hark_scale_row(&s, hark_scale_freq(&s, row)), row, 1e-6,
                       hark_scale_name((hark_scale_kind)k));
        double prev = -1;
        for (int row = 0; row < 300; row++) {
            double f = hark_scale_freq(&s, row);
            CHECK(f > prev, "%s: frequency rises with the row", hark_scale_name((hark_scale_kind)k));
            prev = f;
        }
    }
}

static void test_log_and_mel_ends(void)
{
    hark_scale s;
    hark_scale_init(&s, HARK_SCALE_LOG, 513, 44100, 1024);
    CHECK_NEAR(hark_scale_freq(&s, 0), 44100.0 / 1024, 1e-9, "log starts at bin 1");
    CHECK_NEAR(hark_scale_freq(&s, 256), sqrt(44100.0 / 1024 * 22050), 1e-6, "log midpoint is geometric");
    hark_scale_init(&s, HARK_SCALE_MEL, 128, 16000, 512);
    CHECK_NEAR(hark_scale_freq(&s, 0), 0.0, 1e-9, "mel starts at 0 Hz");
    CHECK_NEAR(hark_scale_freq(&s, 127), 8000.0, 1e-6, "mel ends at Nyquist");
    /* HTK mel: 1000 Hz is 1000 mel. */
    double row1k = hark_scale_row(&s, 1000.0);
    CHECK_NEAR(row1k / 127 * 2595 * log10(1 + 8000 / 700.0), 1000.0, 0.5, "1 kHz is 1000 mel");
}

/* A full-scale tone at a bin centre reads 0 dBFS at its row on every scale of taps (cqt's
 * kernels: below) and height. */
static void test_tone_level_survives_resampling(void)
{
    const unsigned heights[] = {0, 64, 200, 513, 1000};
    for (int k = 0; k < HARK_SCALE_CQT; k++) {
        for (size_t h = 0; h < sizeof heights / sizeof heights[0]; h++) {
            hark_stft_config cfg = {.fft_size = 1024, .rate_hz = 44100,
                                    .scale = (hark_scale_kind)k, .rows = heights[h],
                                    .floor_db = -120};
            hark_stft *s;
            if (hark_stft_create(&cfg, &s) != HARK_OK)
                continue;
            unsigned rows = hark_stft_rows(s), bin = 93; /* ~4 kHz */
            float x[1024], *db = malloc(sizeof(float) * rows);
            for (int i = 0; i < 1024; i++)
                x[i] = (float)sin(2 * M_PI * bin * i / 1024.0);
            hark_stft_process(s, x, db);
            unsigned best = 0;
            for (unsigned r = 1; r < rows; r++)
                best = db[r] > db[best] ? r : best;
            double f = hark_scale_freq(hark_stft_scale(s), best);
            double bin_hz = 44100.0 / 1024;
            double row_hz = fabs(hark_scale_freq(hark_stft_scale(s), best + 0.5) -
                                 hark_scale_freq(hark_stft_scale(s), best - 0.5));
            CHECK(fabs(f - bin * bin_hz) <= bin_hz + row_hz, "%s h%u: peak at %.1f Hz, tone %.1f",
                  hark_scale_name(cfg.scale), rows, f, bin * bin_hz);
            /* Rows at least a bin wide take the max; narrower rows interpolate between bins and
             * may dip by the Hann main lobe's curvature between two bins. */
            double tol = row_hz >= bin_hz ? 0.1 : 1.5;
            CHECK_NEAR(db[best], 0.0, tol, hark_scale_name(cfg.scale));
            free(db);
            hark_stft_destroy(s);
        }
    }
}

/* The cqt scale: its note grid, and a full-scale sine at any row's frequency reads 0 dBFS in
 * that row (the kernels are normalised by the window's response), at the grid's rows and at
 * other heights, with and without zero-padding. */
static void test_cqt_rows_and_levels(void)
{
    hark_scale s;
    hark_scale_init(&s, HARK_SCALE_CQT, hark_scale_cqt_rows(48000, 12, HARK_CQT_FMIN_HZ), 48000,
                    8192);
    CHECK(s.rows == 115, "C1 to 24 kHz: 115 semitones, got %u", s.rows);
    CHECK_NEAR(hark_scale_freq(&s, 45), 440.0, 1e-9, "row 45 is A4");
    CHECK_NEAR(hark_scale_freq(&s, 12) / hark_scale_freq(&s, 0), 2.0, 1e-12, "an octave");
    const struct { unsigned fft, window_size, rows; } cases[] = {
        {8192, 0, 0}, {8192, 0, 300}, {16384, 4096, 0}, {2048, 0, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        hark_stft_config cfg = {.fft_size = cases[c].fft, .window_size = cases[c].window_size,
                                .rate_hz = 48000, .scale = HARK_SCALE_CQT,
                                .rows = cases[c].rows, .floor_db = -120};
        hark_stft *st;
        CHECK(hark_stft_create(&cfg, &st) == HARK_OK, "cqt stft");
        unsigned rows = hark_stft_rows(st), n = cfg.fft_size;
        float *x = malloc(sizeof(float) * n), *db = malloc(sizeof(float) * rows);
        for (unsigned r = rows / 3; r < rows; r += rows / 7) {
            double f = hark_scale_freq(hark_stft_scale(st), r);
            for (unsigned i = 0; i < n; i++)
                x[i] = (float)cos(2 * M_PI * f * i / 48000.0 + 0.3);
            hark_stft_process(st, x, db);
            CHECK_NEAR(db[r], 0.0, 0.1, "cqt row level");
        }
        free(x);
        free(db);
        hark_stft_destroy(st);
    }
    char name[8];
    int cents;
    const struct { double hz; const char *name; } notes[] = {
        {440.0, "A4"}, {261.6255653, "C4"}, {466.1637615, "A#4"}, {27.5, "A0"}, {32.7032, "C1"}};
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        hark_scale_note_name(notes[i].hz, name, &cents);
        CHECK(strcmp(name, notes[i].name) == 0 && cents == 0, "%g Hz: %s %+d, want %s",
              notes[i].hz, name, cents, notes[i].name);
    }
}

int main(void)
{
    test_cqt_rows_and_levels();
    test_linear_is_the_bins();
    test_inverse();
    test_log_and_mel_ends();
    test_tone_level_survives_resampling();
    return check_finish("test_scale");
}
