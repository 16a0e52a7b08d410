/* What every source shares (source.h): its channels analysed, its sample ring, its end. */
#include "source.h"

/* A device offers any number of channels (its mix, mid and side are of its first two). */
static hark_err check_device_channel(int c, unsigned channels)
{
    if ((c == HARK_CHANNEL_MID || c == HARK_CHANNEL_SIDE) && channels < 2)
        return hark_error_set(HARK_ERR_USAGE, "--channel mid and side need two input channels; "
                              "it has one");
    if (c >= 0 && (unsigned)c >= channels)
        return hark_error_set(HARK_ERR_USAGE, "--channel %d: it has %u input channel%s", c + 1,
                              channels, channels == 1 ? "" : "s");
    return HARK_OK;
}

hark_err hark_source_lanes(const hark_analysis *sel, unsigned channels, int device,
                           hark_source_info *info)
{
    info->lanes = 1;
    info->lane[0] = sel ? sel->channel : HARK_CHANNEL_MIX;
    info->stacked = sel && sel->stack;
    unsigned n = 1;
    if (sel && sel->stack && sel->stacked[0] == HARK_CHANNEL_ALL) {
        n = device && channels > HARK_LANES_MAX ? HARK_LANES_MAX : channels;
        if (n > HARK_LANES_MAX)
            return hark_error_set(HARK_ERR_USAGE, "--channel all: the input has %u channels; "
                                  "live and play show at most %u at once (give a list, as 1,2)",
                                  channels, HARK_LANES_MAX);
        for (unsigned k = 0; k < n; k++)
            info->lane[k] = (int)k;
    } else if (sel && sel->stack) {
        if (sel->stack > HARK_LANES_MAX)
            return hark_error_set(HARK_ERR_USAGE, "--channel: live and play show at most %u "
                                  "channels at once; %u were asked", HARK_LANES_MAX, sel->stack);
        n = sel->stack;
        for (unsigned k = 0; k < n; k++)
            info->lane[k] = sel->stacked[k];
    }
    info->lanes = n;
    for (unsigned k = 0; k < n; k++) {
        hark_err err = device ? check_device_channel(info->lane[k], channels)
                              : hark_analysis_check_channel(info->lane[k], channels);
        if (err)
            return err;
    }
    return HARK_OK;
}

unsigned hark_source_channels_needed(const hark_source_info *info, unsigned most)
{
    unsigned need = 1;
    for (unsigned k = 0; k < info->lanes; k++) {
        int c = info->lane[k];
        unsigned n = c >= 0 ? (unsigned)c + 1 : c == HARK_CHANNEL_MIX ? (most < 2 ? most : 2) : 2;
        need = n > need ? n : need;
    }
    return need;
}

hark_err hark_source_make_ring(hark_source *s, size_t frames)
{
    if (frames == 0)
        frames = (size_t)(HARK_SOURCE_RING_S * s->info.rate_hz);
    return hark_ring_create(sizeof(float) * s->info.lanes, frames, &s->samples);
}

void hark_source_destroy(hark_source *src)
{
    if (src)
        src->ops->destroy(src);
}
