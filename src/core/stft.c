#include "stft.h"

#include "db.h"
#include "kernels.h"

#include <fftw3.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* FFTW's planner is not thread-safe (only fftwf_execute is): every plan is made and destroyed
 * under this lock, so batch workers can each create their own hark_stft. */
static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;

struct hark_stft {
    hark_stft_config cfg; /* as made (hark_stft_matches) */
    unsigned fft_size, bins, rows;
    float floor_db;
    float *window;        /* fft_size */
    float *in;            /* fft_size, fftw-aligned */
    fftwf_complex *out;   /* bins, fftw-aligned */
    float *bins_db;       /* bins, when rows are resampled */
    float power_gain;     /* (2/sum(w))^2 */
    const hark_kernels_table *kernels; /* chosen at create: no getenv on the audio side */
    float edge_gain;      /* (1/sum(w))^2, for DC and Nyquist */
    hark_scale scale;
    hark_scale_tap *taps; /* rows, or NULL for the identity (linear, rows == bins) */
    fftwf_plan plan;
};

uint64_t hark_stft_frame_count(uint64_t n_samples, unsigned hop)
{
    return 1 + n_samples / hop;
}

static hark_err check_config(const hark_stft_config *cfg)
{
    if (cfg->fft_size < HARK_FFT_MIN || cfg->fft_size > HARK_FFT_MAX || cfg->fft_size % 2)
        return hark_error_set(HARK_ERR_USAGE, "fft size %u must be even, from %u to %u",
                              cfg->fft_size, HARK_FFT_MIN, HARK_FFT_MAX);
    if (cfg->rows == 1 || cfg->rows > 65536)
        return hark_error_set(HARK_ERR_USAGE, "height %u must be from 2 to 65536", cfg->rows);
    if (!(cfg->rate_hz > 0))
        return hark_error_set(HARK_ERR_USAGE, "sample rate must be positive");
    return HARK_OK;
}

static hark_err allocate(hark_stft *s, int resample)
{
    s->window = malloc(sizeof(float) * s->fft_size);
    s->in = fftwf_malloc(sizeof(float) * s->fft_size);
    s->out = fftwf_malloc(sizeof(fftwf_complex) * s->bins);
    s->bins_db = malloc(sizeof(float) * s->bins);
    if (resample)
        s->taps = malloc(sizeof(hark_scale_tap) * s->rows);
    if (!s->window || !s->in || !s->out || !s->bins_db || (resample && !s->taps))
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %u-point FFT", s->fft_size);
    return HARK_OK;
}

static hark_err make_plan(hark_stft *s)
{
    pthread_mutex_lock(&planner_lock);
    /* FFTW_ESTIMATE: the same algorithm every run, so the same input gives the same bytes. */
    s->plan = fftwf_plan_dft_r2c_1d((int)s->fft_size, s->in, s->out, FFTW_ESTIMATE);
    pthread_mutex_unlock(&planner_lock);
    if (!s->plan)
        return hark_error_set(HARK_ERR_FFT, "FFTW could not plan a %u-point transform",
                              s->fft_size);
    return HARK_OK;
}

int hark_stft_matches(const hark_stft *s, const hark_stft_config *cfg)
{
    const hark_stft_config *m = &s->cfg;
    return m->fft_size == cfg->fft_size && m->rate_hz == cfg->rate_hz &&
           m->window == cfg->window && m->scale == cfg->scale && m->rows == cfg->rows &&
           m->floor_db == cfg->floor_db;
}

hark_err hark_stft_create(const hark_stft_config *cfg, hark_stft **out)
{
    *out = NULL;
    hark_err err = check_config(cfg);
    if (err)
        return err;
    hark_stft *s = calloc(1, sizeof *s);
    if (!s)
        return hark_fail(HARK_ERR_NOMEM);
    s->cfg = *cfg;
    s->fft_size = cfg->fft_size;
    s->bins = cfg->fft_size / 2 + 1;
    s->rows = cfg->rows ? cfg->rows : s->bins;
    s->floor_db = cfg->floor_db;
    s->kernels = hark_kernels();
    hark_scale_init(&s->scale, cfg->scale, s->rows, cfg->rate_hz, s->fft_size);
    int resample = !(cfg->scale == HARK_SCALE_LINEAR && s->rows == s->bins);
    err = allocate(s, resample);
    if (!err)
        err = make_plan(s);
    if (err) {
        hark_stft_destroy(s);
        return err;
    }
    hark_window_fill(cfg->window, s->window, s->fft_size);
    double sum = hark_window_sum(s->window, s->fft_size);
    s->power_gain = (float)((2.0 / sum) * (2.0 / sum));
    s->edge_gain = (float)((1.0 / sum) * (1.0 / sum));
    if (resample)
        hark_scale_make_taps(&s->scale, s->taps);
    *out = s;
    return HARK_OK;
}

void hark_stft_destroy(hark_stft *s)
{
    if (!s)
        return;
    if (s->plan) {
        pthread_mutex_lock(&planner_lock);
        fftwf_destroy_plan(s->plan);
        pthread_mutex_unlock(&planner_lock);
    }
    fftwf_free(s->in);
    fftwf_free(s->out);
    free(s->window);
    free(s->bins_db);
    free(s->taps);
    free(s);
}

unsigned hark_stft_rows(const hark_stft *s) { return s->rows; }
const hark_scale *hark_stft_scale(const hark_stft *s) { return &s->scale; }

static void spectrum_db(hark_stft *s, float *db)
{
    const fftwf_complex *X = s->out;
    const float gain = s->power_gain, floor_db = s->floor_db;
    unsigned last = s->bins - 1;
    if (last > 1)
        s->kernels->power_db(&X[1][0], last - 1, gain, floor_db, db + 1);
    db[0] = hark_db_from_power(X[0][0] * X[0][0] * s->edge_gain, floor_db);
    db[last] = hark_db_from_power(X[last][0] * X[last][0] * s->edge_gain, floor_db);
}

void hark_stft_process(hark_stft *s, const float *frame, float *out_db)
{
    for (unsigned i = 0; i < s->fft_size; i++)
        s->in[i] = frame[i] * s->window[i];
    fftwf_execute(s->plan);
    if (!s->taps) {
        spectrum_db(s, out_db);
        return;
    }
    spectrum_db(s, s->bins_db);
    hark_scale_apply(s->taps, s->rows, s->bins_db, out_db);
}

/* ---- framer ------------------------------------------------------------------------------ */

struct hark_framer {
    unsigned fft_size, hop;
    unsigned fill;        /* samples in buf */
    int shift_pending;    /* the last frame was handed out: drop hop samples before refilling */
    uint64_t samples, frames;
    uint64_t first_sample;
    float buf[];          /* fft_size */
};

hark_err hark_framer_create(unsigned fft_size, unsigned hop, uint64_t first_frame,
                            hark_framer **out)
{
    *out = NULL;
    if (fft_size < 2 || fft_size % 2 || hop < 1 || hop > fft_size)
        return hark_error_set(HARK_ERR_USAGE, "hop %u must be from 1 to the fft size %u", hop,
                              fft_size);
    hark_framer *f = calloc(1, sizeof *f + sizeof(float) * fft_size);
    if (!f)
        return hark_fail(HARK_ERR_NOMEM);
    f->fft_size = fft_size;
    f->hop = hop;
    f->frames = first_frame;
    /* Frame k starts at sample k*hop - fft/2; before the first sample the frame holds zeros
     * (calloc'd), and the caller starts feeding at the first real sample. */
    uint64_t centre = first_frame * hop, half = fft_size / 2;
    f->fill = centre >= half ? 0 : (unsigned)(half - centre);
    f->samples = f->first_sample = centre >= half ? centre - half : 0;
    *out = f;
    return HARK_OK;
}

uint64_t hark_framer_first_sample(const hark_framer *f)
{
    return f->first_sample;
}

void hark_framer_destroy(hark_framer *f)
{
    free(f);
}

static void shift_if_pending(hark_framer *f)
{
    if (!f->shift_pending)
        return;
    memmove(f->buf, f->buf + f->hop, sizeof(float) * (f->fft_size - f->hop));
    f->fill = f->fft_size - f->hop;
    f->shift_pending = 0;
}

static const float *hand_out(hark_framer *f)
{
    f->shift_pending = 1;
    f->frames++;
    return f->buf;
}

const float *hark_framer_next(hark_framer *f, const float **x, size_t *n)
{
    shift_if_pending(f);
    size_t want = f->fft_size - f->fill;
    size_t take = *n < want ? *n : want;
    memcpy(f->buf + f->fill, *x, sizeof(float) * take);
    f->fill += (unsigned)take;
    f->samples += take;
    *x += take;
    *n -= take;
    return f->fill == f->fft_size ? hand_out(f) : NULL;
}

const float *hark_framer_drain(hark_framer *f)
{
    if (f->frames >= hark_stft_frame_count(f->samples, f->hop))
        return NULL;
    shift_if_pending(f);
    memset(f->buf + f->fill, 0, sizeof(float) * (f->fft_size - f->fill));
    f->fill = f->fft_size;
    return hand_out(f);
}

uint64_t hark_framer_samples(const hark_framer *f) { return f->samples; }
uint64_t hark_framer_frames(const hark_framer *f) { return f->frames; }
