/* hark-floor [--runs N] FILE...: the machine's floor for rendering FILE at hark's defaults (FFT 1024,
 * hop 512, Hann, 513 rows): each step a render cannot skip, timed alone on one core with
 * hark's own parts (best of N runs, default 5), summed over the files, and divided by the
 * cores, since every step splits between them. A render can not be faster than this without doing less work;
 * bench/render.sh reports hark's time as a multiple of it.
 *   decode      libsndfile, the file to mono float samples
 *   fft         window and fftw3f (the plan hark makes), every frame
 *   db          power to dBFS (kernels.h), every frame
 *   quantise    dBFS to palette indices into the tile (kernels.h)
 *   transpose   the frame-major tile to PNG lines (kernels.h)
 *   deflate     the lines through the Huffman block coder (huffblock.h), 64-line bands
 *   crc+write   the PNG chunks' CRC-32 and writing the bytes to a file (page cache) */
#include <fcntl.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "decoder.h"
#include "huffblock.h"
#include "kernels.h"
#include "window.h"

#define FFT 1024u
#define HOP 512u
#define ROWS (FFT / 2 + 1)
#define BAND 64u
#define RING 256u   /* frames in flight between the steps, as render's blocks hold */
#define SLOT 520u   /* a ring slot, in floats or complex values: 64-byte aligned */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct {
    const char *path;
    float *samples;
    size_t n, cap, frames;
    float *window, *in, *db;  /* db: RING slots */
    float gain;               /* (2 / sum(w))^2, as the STFT's */
    fftwf_complex *out;       /* RING slots */
    fftwf_plan plan;
    uint8_t *tile, *lines, *packed;
    size_t packed_len;
    char written[64];         /* step_write's file, removed after the timing */
} job;

static void step_decode(job *j)
{
    hark_decoder *dec;
    if (hark_decoder_create(j->path, HARK_CHANNEL_MIX, NULL, &dec)) {
        fprintf(stderr, "hark-floor: %s: cannot read\n", j->path);
        exit(1);
    }
    size_t block = 1 << 16, got;
    j->n = 0;
    for (;;) {
        if (j->n + block > j->cap) { /* the first run only: later runs reuse the buffer */
            j->cap = (j->n + block) * 2;
            j->samples = realloc(j->samples, sizeof(float) * j->cap);
        }
        if (hark_decoder_read(dec, j->samples + j->n, block, &got) || !got)
            break;
        j->n += got;
    }
    hark_decoder_destroy(dec);
}

/* Frame k centred on sample k * HOP, zeros beyond the ends (hark's framing), windowed. */
static void frame_in(const job *j, size_t k)
{
    long start = (long)(k * HOP) - (long)(FFT / 2);
    if (start >= 0 && (size_t)start + FFT <= j->n) {
        const float *x = j->samples + start;
        for (unsigned i = 0; i < FFT; i++)
            j->in[i] = x[i] * j->window[i];
        return;
    }
    for (unsigned i = 0; i < FFT; i++) {
        long s = start + (long)i;
        j->in[i] = (s >= 0 && (size_t)s < j->n ? j->samples[s] : 0.0f) * j->window[i];
    }
}

static void step_fft(job *j)
{
    for (size_t k = 0; k < j->frames; k++) {
        frame_in(j, k);
        fftwf_execute_dft_r2c(j->plan, j->in, j->out + (k % RING) * SLOT);
    }
}

static void step_db(job *j)
{
    const hark_kernels_table *kt = hark_kernels();
    for (size_t k = 0; k < j->frames; k++)
        kt->power_db(&j->out[(k % RING) * SLOT][0], ROWS, j->gain, -120.0f,
                     j->db + (k % RING) * SLOT);
}

static void step_quantise(job *j)
{
    const hark_kernels_table *kt = hark_kernels();
    for (size_t k = 0; k < j->frames; k++)
        kt->quantize(j->db + (k % RING) * SLOT, ROWS, -120.0f, 0.0f, j->tile + k * ROWS);
}

static void step_transpose(job *j)
{
    size_t stride = j->frames + 1;
    for (unsigned top = 0; top < ROWS; top += BAND) {
        unsigned count = top + BAND < ROWS ? BAND : ROWS - top;
        hark_kernel_tile_lines(j->tile, ROWS, j->frames, ROWS - 1 - top, count,
                               j->lines + (size_t)top * stride + 1, stride);
    }
}

static void step_deflate(job *j)
{
    size_t stride = j->frames + 1;
    j->packed_len = 0;
    for (unsigned top = 0; top < ROWS; top += BAND) {
        unsigned count = top + BAND < ROWS ? BAND : ROWS - top;
        j->packed_len += hark_huffblock_encode(j->lines + (size_t)top * stride, count * stride,
                                               top + BAND >= ROWS, j->packed + j->packed_len);
    }
}

static void step_write(job *j)
{
    snprintf(j->written, sizeof j->written, "/tmp/hark-floor-%ld", (long)getpid());
    int fd = open(j->written, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        exit(1);
    uLong crc = 0;
    for (size_t at = 0; at < j->packed_len; at += 1 << 20) { /* 1 MiB chunks, as hark writes */
        size_t len = j->packed_len - at < (1 << 20) ? j->packed_len - at : (1 << 20);
        crc = crc32(crc32(0L, (const Bytef *)"IDAT", 4), j->packed + at, (uInt)len);
        if (write(fd, j->packed + at, len) != (ssize_t)len)
            exit(1);
    }
    close(fd);
    (void)crc;
}

/* The real tile, untimed: every frame's own levels, so the transpose and the coder see the
 * image render writes. */
static void make_tile(job *j)
{
    const hark_kernels_table *kt = hark_kernels();
    for (size_t k = 0; k < j->frames; k++) {
        size_t slot = (k % RING) * SLOT;
        frame_in(j, k);
        fftwf_execute_dft_r2c(j->plan, j->in, j->out + slot);
        kt->power_db(&j->out[slot][0], ROWS, j->gain, -120.0f, j->db + slot);
        kt->quantize(j->db + slot, ROWS, -120.0f, 0.0f, j->tile + k * ROWS);
    }
}

static double best_of(void (*step)(job *), job *j, int runs)
{
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        step(j);
        double t = now() - t0;
        best = t < best ? t : best;
        if (j->written[0])
            unlink(j->written);
        j->written[0] = '\0';
    }
    return best;
}

enum { DECODE, FFT_STEP, DB, QUANTISE, TRANSPOSE, DEFLATE, WRITE, STEPS };
static const char *const step_names[STEPS] = {"decode",    "fft",     "db",       "quantise",
                                              "transpose", "deflate", "crc+write"};

/* One file's steps, each the best of runs, added to t[]. */
static void floor_of(const char *path, int runs, double *t, size_t *frames, size_t *packed)
{
    static job j;
    j.path = path;
    if (!j.plan) {
        j.window = fftwf_malloc(sizeof(float) * FFT);
        j.in = fftwf_malloc(sizeof(float) * FFT);
        j.out = fftwf_malloc(sizeof(fftwf_complex) * SLOT * RING);
        j.db = fftwf_malloc(sizeof(float) * SLOT * RING);
        j.plan = fftwf_plan_dft_r2c_1d(FFT, j.in, j.out, FFTW_ESTIMATE);
        hark_window_fill(HARK_WINDOW_HANN, j.window, FFT);
        double sum = hark_window_sum(j.window, FFT);
        j.gain = (float)((2.0 / sum) * (2.0 / sum));
    }
    t[DECODE] += best_of(step_decode, &j, runs);
    j.frames = 1 + j.n / HOP;
    size_t stride = j.frames + 1;
    j.tile = realloc(j.tile, j.frames * ROWS);
    free(j.lines);
    j.lines = calloc(stride, ROWS);
    j.packed = realloc(j.packed, hark_huffblock_bound(stride * BAND) * (ROWS / BAND + 1));
    t[FFT_STEP] += best_of(step_fft, &j, runs);
    t[DB] += best_of(step_db, &j, runs);
    t[QUANTISE] += best_of(step_quantise, &j, runs);
    make_tile(&j);
    t[TRANSPOSE] += best_of(step_transpose, &j, runs);
    t[DEFLATE] += best_of(step_deflate, &j, runs);
    t[WRITE] += best_of(step_write, &j, runs);
    *frames += j.frames;
    *packed += j.packed_len;
}

int main(int argc, char **argv)
{
    int runs = 5, first = 1;
    if (argc > 2 && strcmp(argv[1], "--runs") == 0) {
        runs = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || runs < 1) {
        fprintf(stderr, "usage: hark-floor [--runs N] FILE...\n");
        return 2;
    }
    double t[STEPS] = {0};
    size_t frames = 0, packed = 0;
    for (int i = first; i < argc; i++)
        floor_of(argv[i], runs, t, &frames, &packed);
    double total = 0;
    for (int s = 0; s < STEPS; s++)
        total += t[s];
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    printf("floor of %d file%s: %zu x %u pixels in all (%.1f MB deflated), best of %d, one core "
           "each\n  ", argc - first, argc - first == 1 ? "" : "s", frames, ROWS, packed / 1e6, runs);
    for (int s = 0; s < STEPS; s++)
        printf("%s %.1f ms%s", step_names[s], t[s] * 1e3, s + 1 < STEPS ? ", " : "\n");
    printf("  sum %.3f s of CPU; on %ld cores: floor %.3f s\n", total, cpus, total / cpus);
    printf("floor_s=%.4f\n", total / cpus);
    return 0;
}
