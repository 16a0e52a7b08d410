#include "sidecar.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "json.h"
#include "outfile.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void hark_sidecar_params(const hark_render_job *job, const hark_render_result *res,
                         uint64_t first_frame, uint64_t frames, char *buf, size_t size)
{
    const hark_analysis *a = job->analysis;
    char source[512], channel[16];
    hark_json_escape(base_name(job->in_path), source, sizeof source);
    if (a->channel == HARK_CHANNEL_MIX)
        snprintf(channel, sizeof channel, "\"mix\"");
    else
        snprintf(channel, sizeof channel, "%d", a->channel + 1);
    snprintf(buf, size,
             "{\"version\": \"%s\", \"source\": \"%s\", \"rate_hz\": %.17g, \"channels\": %u, "
             "\"channel\": %s, \"fft\": %u, \"hop\": %u, \"window\": \"%s\", \"scale\": \"%s\", "
             "\"rows\": %u, \"range_db\": [%.9g, %.9g], \"colormap\": \"%s\", "
             "\"framing\": \"centered\", \"first_frame\": %" PRIu64 ", \"frames\": %" PRIu64 ", "
             "\"units\": \"dBFS\"}",
             HARK_VERSION, source, res->rate_hz, res->channels, channel, a->fft_size, a->hop,
             hark_window_name(a->window), hark_scale_name(a->scale), res->rows,
             (double)a->min_db, (double)a->max_db, hark_colormap_name(a->colormap),
             first_frame, frames);
}

char *hark_sidecar_path(const char *npy_path)
{
    size_t len = strlen(npy_path);
    size_t stem = (len > 4 && strcmp(npy_path + len - 4, ".npy") == 0) ? len - 4 : len;
    char *path = malloc(stem + 6);
    if (path)
        snprintf(path, stem + 6, "%.*s.json", (int)stem, npy_path);
    return path;
}

static void write_json(FILE *fp, const hark_render_job *job, const hark_render_result *res,
                       const hark_scale *scale)
{
    char params[2048];
    hark_sidecar_params(job, res, 0, res->frames, params, sizeof params);
    params[strlen(params) - 1] = '\0'; /* reopen the object to add the matrix description */
    fprintf(fp, "%s, \"samples\": %" PRIu64 ", \"nonfinite_samples\": %" PRIu64
                ", \"peak_db\": %.9g,\n",
            params, res->samples, res->nonfinite, (double)res->peak_db);
    fprintf(fp, " \"npy\": {\"file\": \"%s\", \"dtype\": \"float32\", \"shape\": [%u, %" PRIu64
                "], \"row0\": \"lowest frequency\", \"floor_db\": %.9g},\n",
            base_name(job->npy_path), res->rows, res->frames, (double)job->analysis->min_db);
    fprintf(fp, " \"frame_times_s\": \"frame k is centred on sample k*hop: t = k*%u/%.17g\",\n",
            job->analysis->hop, res->rate_hz);
    fprintf(fp, " \"row_hz\": [");
    for (unsigned r = 0; r < res->rows; r++)
        fprintf(fp, "%s%.6f", r ? ", " : "", hark_scale_freq(scale, r));
    fprintf(fp, "]}\n");
}

hark_err hark_sidecar_write(const hark_render_job *job, const hark_render_result *res,
                            const hark_scale *scale)
{
    char *path = hark_sidecar_path(job->npy_path);
    if (!path)
        return HARK_ERR_NOMEM;
    hark_outfile of;
    hark_err err = hark_outfile_open(&of, path);
    free(path);
    if (err)
        return err;
    write_json(of.fp, job, res, scale);
    return hark_outfile_commit(&of);
}
