/* The decoder reads what libsndfile writes: formats, depths, rates, channels, and refuses
 * what it should. Files are written here, in a private temporary folder. */
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "decoder.h"

static char dir[] = "/tmp/hark-test-decoder-XXXXXX";

/* Write n frames where channel c holds a sine of amplitude amp*(c+1)/channels at f_hz. */
static int write_file(const char *name, int format, int rate, int channels, sf_count_t n,
                      double f_hz, double amp, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) {
        fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(NULL));
        return -1;
    }
    float *buf = malloc(sizeof(float) * (size_t)(n * channels));
    for (sf_count_t i = 0; i < n; i++)
        for (int c = 0; c < channels; c++)
            buf[i * channels + c] =
                (float)(amp * (c + 1) / channels * sin(2 * M_PI * f_hz * (double)i / rate));
    sf_writef_float(sf, buf, n);
    sf_close(sf);
    free(buf);
    return 0;
}

static double read_all(hark_decoder *d, size_t *total, float *peak)
{
    float buf[1000];
    size_t got;
    double energy = 0;
    *total = 0;
    *peak = 0;
    while (hark_decoder_read(d, buf, 1000, &got) == HARK_OK && got) {
        for (size_t i = 0; i < got; i++) {
            energy += (double)buf[i] * buf[i];
            *peak = fabsf(buf[i]) > *peak ? fabsf(buf[i]) : *peak;
        }
        *total += got;
    }
    return energy;
}

static void test_formats(void)
{
    const struct { const char *name; int format; int rate; int channels; double tol; } cases[] = {
        {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8000, 1, 0.01},
        {"s16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, 0.001},
        {"s24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 48000, 2, 0.001},
        {"s32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 96000, 1, 0.001},
        {"f32.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 192000, 6, 0.001},
        {"f64.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 22050, 1, 0.001},
        {"s16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2, 0.001},
        {"s24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 96000, 1, 0.001},
        {"vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 2, 0.05},
        {"opus.ogg", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, 1, 0.05},
        {"s16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 32000, 1, 0.001},
        {"f32.caf", SF_FORMAT_CAF | SF_FORMAT_FLOAT, 16000, 1, 0.001},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        sf_count_t n = cases[i].rate; /* one second */
        if (write_file(cases[i].name, cases[i].format, cases[i].rate, cases[i].channels, n, 1000,
                       0.5, path, sizeof path)) {
            CHECK(0, "libsndfile could not write %s", cases[i].name);
            continue;
        }
        hark_decoder *d;
        hark_err err = hark_decoder_create(path, HARK_CHANNEL_MIX, NULL, &d);
        CHECK(err == HARK_OK, "%s: %s", cases[i].name, hark_error_message(err));
        if (err)
            continue;
        const hark_decoder_info *info = hark_decoder_get_info(d);
        CHECK(info->rate_hz == cases[i].rate, "%s rate", cases[i].name);
        CHECK(info->channels == (unsigned)cases[i].channels, "%s channels", cases[i].name);
        size_t total;
        float peak;
        double energy = read_all(d, &total, &peak);
        CHECK(llabs((long long)total - (long long)n) <= n / 100, "%s: %zu frames, want %lld",
              cases[i].name, total, (long long)n);
        /* The mix of channels at amp*(c+1)/C averages to amp*(C+1)/(2C); compared as RMS, since
         * lossy codecs overshoot at their start. */
        double want_amp = 0.5 * (cases[i].channels + 1) / (2.0 * cases[i].channels);
        CHECK_NEAR(sqrt(energy / total), want_amp / sqrt(2.0), cases[i].tol, cases[i].name);
        CHECK(peak < 1.0f, "%s peak %g", cases[i].name, peak);
        hark_decoder_destroy(d);
    }
}

static void test_channel_select(void)
{
    char path[256];
    write_file("six.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 6, 48000, 440, 0.6, path, sizeof path);
    for (int c = 0; c < 6; c++) {
        hark_decoder *d;
        CHECK(hark_decoder_create(path, c, NULL, &d) == HARK_OK, "open channel %d", c);
        size_t total;
        float peak;
        read_all(d, &total, &peak);
        CHECK_NEAR(peak, 0.6 * (c + 1) / 6, 1e-3, "selected channel's own level");
        hark_decoder_destroy(d);
    }
    hark_decoder *d = NULL;
    CHECK(hark_decoder_create(path, 6, NULL, &d) == HARK_ERR_USAGE && !d, "channel 7 of 6 is a usage error");
    CHECK(strstr(hark_error_message(HARK_ERR_USAGE), "6 channels") != NULL, "message names the count: %s",
          hark_error_message(HARK_ERR_USAGE));
}

static void test_nonfinite_samples_become_zero(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/nan.wav", dir);
    SF_INFO info = {.samplerate = 44100, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    float x[100];
    for (int i = 0; i < 100; i++)
        x[i] = (i % 10 == 0) ? NAN : (i % 10 == 1) ? INFINITY : 0.25f;
    sf_writef_float(sf, x, 100);
    sf_close(sf);
    hark_decoder *d;
    CHECK(hark_decoder_create(path, HARK_CHANNEL_MIX, NULL, &d) == HARK_OK, "open nan.wav");
    float y[100];
    size_t got;
    hark_decoder_read(d, y, 100, &got);
    int bad = 0;
    for (size_t i = 0; i < got; i++)
        bad += !isfinite(y[i]);
    CHECK(got == 100 && bad == 0, "%zu samples, %d non-finite", got, bad);
    CHECK(hark_decoder_nonfinite(d) == 20, "20 non-finite counted, got %llu",
          (unsigned long long)hark_decoder_nonfinite(d));
    hark_decoder_destroy(d);
}

static void expect_refused(const char *path, hark_err want, const char *fragment)
{
    hark_decoder *d = NULL;
    hark_error_clear(); /* the first failure is the one recorded (error.h) */
    hark_err err = hark_decoder_create(path, HARK_CHANNEL_MIX, NULL, &d);
    CHECK(err == want && d == NULL, "%s: got %d (%s), want %d", path, err,
          hark_error_message(err), want);
    CHECK(strstr(hark_error_message(err), fragment) != NULL, "%s: message '%s' lacks '%s'", path,
          hark_error_message(err), fragment);
    hark_error_clear();
}

static void test_refusals(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/missing.wav", dir);
    expect_refused(path, HARK_ERR_OPEN, "No such file");
    expect_refused(dir, HARK_ERR_OPEN, "folder");
    snprintf(path, sizeof path, "%s/empty.wav", dir);
    fclose(fopen(path, "w"));
    expect_refused(path, HARK_ERR_FORMAT, "empty");
    snprintf(path, sizeof path, "%s/text.wav", dir);
    FILE *fp = fopen(path, "w");
    fputs("this is not audio, just a text file with a .wav name\n", fp);
    fclose(fp);
    expect_refused(path, HARK_ERR_FORMAT, "");
    write_file("fast.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1000000, 1, 1000, 100, 0.5, path, sizeof path);
    expect_refused(path, HARK_ERR_FORMAT, "sample rate");
    write_file("slow.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 500, 1, 1000, 100, 0.5, path, sizeof path);
    expect_refused(path, HARK_ERR_FORMAT, "sample rate");
}

/* Integer PCM is read as integers and scaled by hark: the floats must be libsndfile's own,
 * bit for bit, at every depth and container, full scale included, for each channel taken. */
static void test_integers_read_as_libsndfile_floats(void)
{
    const struct { const char *name; int format; } cases[] = {
        {"i16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},   {"i24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24},
        {"i32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32},   {"i16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16},
        {"i24.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24}, {"i16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
        {"i24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24}, {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8},
    };
    enum { FRAMES = 100000, CH = 2 };
    int *ints = malloc(sizeof(int) * FRAMES * CH);
    float *want = malloc(sizeof(float) * FRAMES * CH), *got = malloc(sizeof(float) * FRAMES);
    for (size_t i = 0; i < (size_t)FRAMES * CH; i++)
        ints[i] = (int)check_random();
    ints[0] = INT32_MIN, ints[1] = INT32_MAX, ints[2] = 0, ints[3] = -1; /* the extremes */
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, cases[k].name);
        SF_INFO info = {.samplerate = 48000, .channels = CH, .format = cases[k].format};
        SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
        CHECK(sf != NULL, "write %s: %s", cases[k].name, sf_strerror(NULL));
        if (!sf)
            continue;
        sf_writef_int(sf, ints, FRAMES);
        sf_close(sf);
        SF_INFO rinfo = {0};
        sf = sf_open(path, SFM_READ, &rinfo);
        sf_command(sf, SFC_SET_NORM_FLOAT, NULL, SF_TRUE);
        CHECK(sf_readf_float(sf, want, FRAMES) == FRAMES, "%s: libsndfile reads it", cases[k].name);
        sf_close(sf);
        for (int c = 0; c < CH; c++) {
            hark_decoder *d;
            CHECK(hark_decoder_create(path, c, NULL, &d) == HARK_OK, "open %s", cases[k].name);
            size_t total = 0, n, differ = 0;
            while (total < FRAMES && hark_decoder_read(d, got, FRAMES - total, &n) == HARK_OK && n) {
                for (size_t i = 0; i < n; i++)
                    differ += memcmp(&got[i], &want[(total + i) * CH + (size_t)c], sizeof(float)) != 0;
                total += n;
            }
            CHECK(total == FRAMES && differ == 0, "%s channel %d: %zu frames, %zu differ from "
                  "libsndfile's floats", cases[k].name, c + 1, total, differ);
            hark_decoder_destroy(d);
        }
    }
    free(ints);
    free(want);
    free(got);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_formats();
    test_channel_select();
    test_nonfinite_samples_become_zero();
    test_refusals();
    test_integers_read_as_libsndfile_floats();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_finish("test_decoder");
}
