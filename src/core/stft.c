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
    unsigned fft_size, bins, rows, window_size, window_at;
    float floor_db;
    float *window;        /* fft_size: the window, centred, zeros around it */
    float *twindow, *dwindow; /* reassign: t*w and dw/dt, likewise */
    fftwf_complex *out_t, *out_d; /* reassign: their transforms */
    float *in;            /* fft_size, fftw-aligned */
    fftwf_complex *out;   /* bins, fftw-aligned */
    float *bins_db;       /* bins, when rows are resampled */
    float power_gain;     /* (2/sum(w))^2 */
    const hark_kernels_table *kernels; /* chosen at create: no getenv on the audio side */
    float edge_gain;      /* (1/sum(w))^2, for DC and Nyquist */
    double enbw;
    hark_scale scale;
    hark_scale_map map;   /* map.taps NULL for the identity (linear, rows == bins) */
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
    if (cfg->window_size && (cfg->window_size % 2 || cfg->window_size < HARK_FFT_MIN ||
                             cfg->window_size > cfg->fft_size))
        return hark_error_set(HARK_ERR_USAGE, "window size %u must be even, from %u to the fft "
                              "size %u", cfg->window_size, HARK_FFT_MIN, cfg->fft_size);
    if (cfg->rows == 1 || cfg->rows > 65536)
        return hark_error_set(HARK_ERR_USAGE, "height %u must be from 2 to 65536", cfg->rows);
    if (!(cfg->rate_hz > 0))
        return hark_error_set(HARK_ERR_USAGE, "sample rate must be positive");
    return HARK_OK;
}

static hark_err allocate(hark_stft *s)
{
    s->window = calloc(s->fft_size, sizeof(float));
    s->in = fftwf_malloc(sizeof(float) * s->fft_size);
    s->out = fftwf_malloc(sizeof(fftwf_complex) * s->bins);
    s->bins_db = malloc(sizeof(float) * s->bins);
    int ok = s->window && s->in && s->out && s->bins_db;
    if (ok && s->cfg.reassign) {
        s->twindow = calloc(s->fft_size, sizeof(float));
        s->dwindow = calloc(s->fft_size, sizeof(float));
        s->out_t = fftwf_malloc(sizeof(fftwf_complex) * s->bins);
        s->out_d = fftwf_malloc(sizeof(fftwf_complex) * s->bins);
        ok = s->twindow && s->dwindow && s->out_t && s->out_d;
    }
    if (!ok)
        return hark_error_set(HARK_ERR_NOMEM, "out of memory for a %u-point FFT", s->fft_size);
    return HARK_OK;
}

/* The window (and for reassignment t*w and dw/dt) of window_size samples centred in the frame:
 * the frame's centre, sample fft_size/2, is the window's. */
static void fill_windows(hark_stft *s)
{
    unsigned W = s->window_size, at = s->window_at;
    hark_window_fill(s->cfg.window, s->window + at, W);
    if (!s->cfg.reassign)
        return;
    hark_window_fill_derivative(s->cfg.window, s->dwindow + at, W);
    for (unsigned i = 0; i < W; i++)
        s->twindow[at + i] = s->window[at + i] * ((float)i - (float)(W / 2));
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
           m->floor_db == cfg->floor_db && m->window_size == cfg->window_size &&
           m->reassign == cfg->reassign && m->bins_per_octave == cfg->bins_per_octave &&
           m->fmin_hz == cfg->fmin_hz;
}

void hark_stft_config_scale(const hark_stft_config *cfg, hark_scale *out)
{
    unsigned rows = cfg->rows ? cfg->rows : cfg->fft_size / 2 + 1;
    if (cfg->scale != HARK_SCALE_CQT) {
        hark_scale_init(out, cfg->scale, rows, cfg->rate_hz, cfg->fft_size);
        return;
    }
    unsigned bpo = cfg->bins_per_octave ? cfg->bins_per_octave : HARK_CQT_BPO;
    double fmin = cfg->fmin_hz > 0 ? cfg->fmin_hz : HARK_CQT_FMIN_HZ;
    hark_scale_init_cqt(out, rows, cfg->rate_hz, cfg->fft_size, bpo, fmin, cfg->window,
                        cfg->window_size);
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
    s->window_size = cfg->window_size ? cfg->window_size : s->fft_size;
    s->window_at = (s->fft_size - s->window_size) / 2;
    s->kernels = hark_kernels();
    hark_stft_config_scale(cfg, &s->scale);
    int resample = !(cfg->scale == HARK_SCALE_LINEAR && s->rows == s->bins);
    err = allocate(s);
    if (!err && resample)
        err = hark_scale_map_make(&s->scale, cfg->floor_db, &s->map);
    if (!err)
        err = make_plan(s);
    if (err) {
        hark_stft_destroy(s);
        return err;
    }
    memset(s->in, 0, sizeof(float) * s->fft_size); /* the padding's zeros (transform) */
    fill_windows(s);
    double sum = hark_window_sum(s->window, s->fft_size), sum2 = 0.0;
    for (unsigned i = 0; i < s->fft_size; i++)
        sum2 += (double)s->window[i] * s->window[i];
    s->enbw = s->fft_size * sum2 / (sum * sum);
    s->power_gain = (float)((2.0 / sum) * (2.0 / sum));
    s->edge_gain = (float)((1.0 / sum) * (1.0 / sum));
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
    fftwf_free(s->out_t);
    fftwf_free(s->out_d);
    free(s->window);
    free(s->twindow);
    free(s->dwindow);
    free(s->bins_db);
    hark_scale_map_free(&s->map);
    free(s);
}

unsigned hark_stft_rows(const hark_stft *s) { return s->rows; }
unsigned hark_stft_bins(const hark_stft *s) { return s->bins; }
const hark_scale *hark_stft_scale(const hark_stft *s) { return &s->scale; }
const hark_scale_map *hark_stft_map(const hark_stft *s) { return s->map.taps ? &s->map : NULL; }
double hark_stft_enbw(const hark_stft *s) { return s->enbw; }

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

/* The frame times a window into in[], and its transform into out. */
static void transform(hark_stft *s, const float *frame, const float *window, fftwf_complex *out)
{
    /* Outside the window the product is zero: in[] is zeroed there once (create), and an
     * out-of-place r2c transform leaves its input as it was. */
    unsigned at = s->window_at, end = at + s->window_size;
    for (unsigned i = at; i < end; i++)
        s->in[i] = frame[i] * window[i];
    if (out == s->out)
        fftwf_execute(s->plan);
    else
        fftwf_execute_dft_r2c(s->plan, s->in, out);
}

void hark_stft_process(hark_stft *s, const float *frame, float *out_db)
{
    transform(s, frame, s->window, s->out);
    if (!s->map.taps) {
        spectrum_db(s, out_db);
        return;
    }
    spectrum_db(s, s->bins_db);
    hark_scale_apply(&s->map, s->bins_db, out_db);
}

static void power_of(const hark_stft *s, float *power)
{
    const fftwf_complex *X = s->out;
    unsigned last = s->bins - 1;
    for (unsigned k = 0; k <= last; k++)
        power[k] = (X[k][0] * X[k][0] + X[k][1] * X[k][1]) *
                   (k == 0 || k == last ? s->edge_gain : s->power_gain);
}

void hark_stft_power(hark_stft *s, const float *frame, float *power)
{
    transform(s, frame, s->window, s->out);
    power_of(s, power);
}

void hark_stft_reassign(hark_stft *s, const float *frame, float *power, float *bin_at,
                        float *time_at)
{
    transform(s, frame, s->twindow, s->out_t);
    transform(s, frame, s->dwindow, s->out_d);
    transform(s, frame, s->window, s->out);
    power_of(s, power);
    const double to_bins = s->fft_size / (2.0 * M_PI);
    for (unsigned k = 0; k < s->bins; k++) {
        double re = s->out[k][0], im = s->out[k][1];
        double mag2 = re * re + im * im;
        if (!(mag2 > 1e-30)) {
            bin_at[k] = (float)k;
            time_at[k] = 0.0f;
            continue;
        }
        double tr = s->out_t[k][0], ti = s->out_t[k][1];
        double dr = s->out_d[k][0], di = s->out_d[k][1];
        /* X_t conj X: re = tr*re + ti*im; X_d conj X: im = di*re - dr*im */
        time_at[k] = (float)((tr * re + ti * im) / mag2);
        bin_at[k] = (float)(k - (di * re - dr * im) / mag2 * to_bins);
    }
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
