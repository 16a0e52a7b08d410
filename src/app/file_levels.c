#include "file_levels.h"

#include <stdlib.h>

#define BLOCK_FRAMES 4800u

/* Every frame of the file into the meters; *frames: how many. */
static hark_err measure(hark_decoder *dec, hark_levels *l, unsigned channels,
                        const atomic_int *stop, uint64_t *frames)
{
    float *block = malloc(sizeof(float) * BLOCK_FRAMES * channels);
    if (!block)
        return hark_fail(HARK_ERR_NOMEM);
    hark_err err = HARK_OK;
    size_t got = 1;
    *frames = 0;
    while (!err && got > 0) {
        if (stop && atomic_load(stop))
            err = hark_error_set(HARK_ERR_INTERRUPTED, "interrupted");
        else if (!(err = hark_decoder_read_frames(dec, block, BLOCK_FRAMES, &got)))
            err = hark_levels_add(l, block, got);
        *frames += got;
    }
    free(block);
    return err;
}

hark_err hark_file_levels(const char *path, const hark_raw_input *raw, const atomic_int *stop,
                          hark_levels **out, hark_decoder_info *info, uint64_t *frames)
{
    *out = NULL;
    hark_decoder *dec = NULL;
    hark_levels *l = NULL;
    hark_err err = hark_decoder_create_raw(path, raw, HARK_CHANNEL_MIX, stop, &dec);
    if (!err) {
        *info = *hark_decoder_get_info(dec);
        err = hark_levels_create(info->channels, info->rate_hz, &l);
    }
    if (!err)
        err = measure(dec, l, info->channels, stop, frames);
    if (!err && *frames == 0)
        err = hark_error_set(HARK_ERR_EMPTY, "no audio frames in the file");
    hark_decoder_destroy(dec);
    if (err) {
        hark_error_subject(path);
        hark_levels_destroy(l);
        return err;
    }
    *out = l;
    return HARK_OK;
}
