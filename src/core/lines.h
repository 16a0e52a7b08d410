#ifndef HARK_LINES_H
#define HARK_LINES_H
/*
 * The lines of a spectrum, from a frame of STFT bins (dBFS, as the STFT gives them): one line
 * per bin, or per fractional-octave band (IEC 61260-1: base-10 centres 1000 Hz * G^(x/b) for
 * odd b and G^((2x+1)/(2b)) for even b, G = 10^(3/10), edges at G^(+-1/(2b)) of the centre)
 * whose power is the sum of the bins whose centres lie in it, divided by the window's
 * equivalent noise bandwidth in bins: so a sine reads its own level in a band, as in a bin,
 * and noise reads the power in the band. Bands with no bin centre in them (narrower than a
 * bin, at low frequencies) are left out. A frequency weighting (IEC 61672-1 A or C; Z is
 * none) applies to each bin's power first. The long-term spectrum (ltas.h) and the live
 * traces (traces.h) are both made of these lines.
 * Pure; one per thread.
 */
#include "error.h"
#include "window.h"

typedef enum { HARK_WEIGHT_Z, HARK_WEIGHT_A, HARK_WEIGHT_C } hark_weighting;

/* "Z", "A" or "C" (either case). */
hark_err hark_weighting_parse(const char *name, hark_weighting *out);
const char *hark_weighting_name(hark_weighting w);
/* The weighting's gain in dB at f_hz (IEC 61672-1's analytic curves, 0 dB at 1 kHz). */
double hark_weighting_db(hark_weighting w, double f_hz);

typedef struct {
    unsigned fft_size;       /* the STFT's: bins = fft_size / 2 + 1 */
    double rate_hz;
    hark_window_kind window; /* for the bands' noise bandwidth ... */
    unsigned window_size;    /* ... of a window this long (0: fft_size; shorter: zero-padded,
                              * which widens it in bins by fft_size / window_size) */
    int reassigned;          /* the bins are reassigned (spectro.h): a sine's power is in one
                              * bin already, bands sum the bins as they are */
    unsigned octave;         /* 0: bins; else 1, 3, 6, 12 or 24: 1/octave-octave bands */
    hark_weighting weighting;
} hark_lines_config;

/* HARK_ERR_USAGE unless octave is 0, 1, 3, 6, 12 or 24. */
hark_err hark_lines_check_octave(unsigned octave);
/* A 1/octave-octave band's edges are its centre times this ratio and over it: G^(1/(2b)). */
double hark_lines_band_ratio(unsigned octave);

typedef struct hark_lines hark_lines;

hark_err hark_lines_create(const hark_lines_config *cfg, hark_lines **out);
void hark_lines_destroy(hark_lines *l); /* NULL-safe */

unsigned hark_lines_count(const hark_lines *l);
unsigned hark_lines_octave(const hark_lines *l);        /* 0: bins */
hark_weighting hark_lines_weighting(const hark_lines *l);
double hark_lines_hz(const hark_lines *l, unsigned i); /* line i's centre, lowest first */
/* One frame: power[i] for each line (linear, full scale = 1), from fft_size/2 + 1 bins. */
void hark_lines_power(hark_lines *l, const float *bins_db, double *power);

/* 10 log10(power), never below floor_db (nothing, or nothing measurable, reads floor_db). */
double hark_lines_db(double power, double floor_db);

#endif
