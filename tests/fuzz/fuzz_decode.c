/* libFuzzer: arbitrary bytes as an audio file, through libsndfile's virtual I/O into the
 * decoder, the framer and STFT, palette indices and a PNG: the path `render` takes. Any crash,
 * leak or sanitizer report is a finding. The work per input is bounded (samples read, fft
 * size) so the fuzzer spends its time on the parsers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "colormap.h"
#include "decoder.h"
#include "outfile.h"
#include "pngwrite.h"
#include "stft.h"

#define FFT 256u
#define HOP 128u
#define MAX_SAMPLES (1u << 16)
#define MAX_FRAMES (MAX_SAMPLES / HOP + 2)

static char png_path[64];

static void make_png_path(void)
{
    if (!png_path[0])
        snprintf(png_path, sizeof png_path, "/tmp/hark-fuzz-%ld.png", (long)getpid());
}

/* Samples -> rows of palette indices; returns the frame count. */
static unsigned analyse(hark_decoder *dec, hark_stft *stft, hark_framer *framer, uint8_t *index)
{
    static float samples[4096], row[FFT / 2 + 1];
    unsigned frames = 0, rows = hark_stft_rows(stft);
    size_t total = 0, got;
    const float *frame;
    while (total < MAX_SAMPLES && hark_decoder_read(dec, samples, 4096, &got) == HARK_OK && got) {
        total += got;
        const float *x = samples;
        while ((frame = hark_framer_next(framer, &x, &got)) && frames < MAX_FRAMES) {
            hark_stft_process(stft, frame, row);
            for (unsigned r = 0; r < rows; r++)
                index[frames * rows + r] = hark_colormap_index(row[r], -120.0f, 0.0f);
            frames++;
        }
    }
    while ((frame = hark_framer_drain(framer)) && frames < MAX_FRAMES) {
        hark_stft_process(stft, frame, row);
        for (unsigned r = 0; r < rows; r++)
            index[frames * rows + r] = hark_colormap_index(row[r], -120.0f, 0.0f);
        frames++;
    }
    return frames;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); /* libFuzzer calls it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t index[MAX_FRAMES * (FFT / 2 + 1)];
    hark_decoder *dec;
    if (hark_decoder_create_memory(data, size, HARK_CHANNEL_MIX, &dec) != HARK_OK)
        return 0;
    const hark_decoder_info *info = hark_decoder_get_info(dec);
    hark_stft_config sc = {.fft_size = FFT, .rate_hz = info->rate_hz, .window = HARK_WINDOW_HANN,
                           .scale = HARK_SCALE_LOG, .rows = 0, .floor_db = -120.0f};
    hark_stft *stft = NULL;
    hark_framer *framer = NULL;
    if (hark_stft_create(&sc, &stft) == HARK_OK &&
        hark_framer_create(FFT, HOP, 0, &framer) == HARK_OK) {
        unsigned frames = analyse(dec, stft, framer, index);
        if (frames > 0) {
            make_png_path();
            hark_tile tile = {index, frames, hark_stft_rows(stft)};
            hark_png_text text = {"hark", "{\"fuzz\": true}"};
            hark_outfile of; /* written whole, then dropped: the temporary file goes */
            if (hark_outfile_open(&of, png_path) == HARK_OK &&
                hark_png_write_tile(&of, &tile, hark_colormap_table(HARK_COLORMAP_MAGMA), &text,
                                    1, HARK_PNG_HUFFMAN, NULL) == HARK_OK)
                hark_outfile_abort(&of);
        }
    }
    hark_framer_destroy(framer);
    hark_stft_destroy(stft);
    hark_decoder_destroy(dec);
    return 0;
}
