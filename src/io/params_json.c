#include "params_json.h"

#include "colormap.h"
#include "scale.h"
#include "window.h"

/* A channel: its number from 1, or "mix", "mid", "side". */
static void channel_value(hark_json *j, const char *key, int channel)
{
    char name[12];
    if (channel >= 0)
        hark_json_int(j, key, channel + 1);
    else
        hark_json_string(j, key, hark_channel_name(channel, name));
}

void hark_params_members(hark_json *j, const hark_params *p)
{
    const hark_analysis *a = &p->analysis;
    hark_json_string(j, "version", HARK_VERSION);
    if (p->command)
        hark_json_string(j, "command", p->command);
    hark_json_string(j, "source", p->source ? p->source : "");
    if (p->start_utc)
        hark_json_string(j, "start_utc", p->start_utc);
    hark_json_number(j, "rate_hz", p->rate_hz, 17);
    hark_json_uint(j, "channels", p->channels);
    if (p->stacked) {
        hark_json_string(j, "channel", "stacked");
        hark_json_array(j, "channels_stacked");
        for (unsigned c = 0; c < p->stacked; c++)
            channel_value(j, NULL, p->stacked_channels[c]);
        hark_json_end(j);
    } else {
        channel_value(j, "channel", a->channel);
    }
    hark_json_uint(j, "fft", a->fft_size);
    hark_json_uint(j, "window_size", a->window_size ? a->window_size : a->fft_size);
    hark_json_uint(j, "hop", a->hop);
    hark_json_string(j, "window", hark_window_name(a->window));
    hark_json_string(j, "scale", hark_scale_name(a->scale));
    if (a->scale == HARK_SCALE_CQT) {
        hark_json_uint(j, "bins_per_octave", a->bins_per_octave);
        hark_json_number(j, "fmin_hz", a->fmin_hz, 9);
    }
    hark_json_uint(j, "rows", p->rows);
    hark_json_array(j, a->pcen ? "range_pcen" : "range_db");
    hark_json_number(j, NULL, a->min_db, 9);
    hark_json_number(j, NULL, a->max_db, 9);
    hark_json_end(j);
    if (a->reassign)
        hark_json_number(j, "reassign_threshold_db", a->reassign_db, 9);
    if (a->pcen) {
        const hark_pcen_params *c = &a->pcen_params;
        hark_json_object(j, "pcen");
        hark_json_number(j, "gain", c->gain, 9);
        hark_json_number(j, "bias", c->bias, 9);
        hark_json_number(j, "power", c->power, 9);
        hark_json_number(j, "time_s", c->time_s, 9);
        hark_json_number(j, "eps", c->eps, 9);
        hark_json_end(j);
    }
    hark_json_string(j, "colormap", hark_colormap_name(a->colormap));
    hark_json_string(j, "framing", "centered");
    if (p->strip)
        hark_json_uint(j, "strip", p->strip);
    hark_json_uint(j, "first_frame", p->first_frame);
    hark_json_uint(j, "frames", p->frames);
    if (p->dropped_known) {
        hark_json_array(j, "samples_dropped");
        hark_json_uint(j, NULL, p->dropped_before);
        hark_json_uint(j, NULL, p->dropped_by);
        hark_json_end(j);
    }
    hark_json_string(j, "units", hark_analysis_units(a));
    if (p->orient)
        hark_json_string(j, "orient", p->orient);
    if (p->has_area) {
        const char *names[4] = {"data_area", "spectrum_area", "meter_bars", "overview_area"};
        const unsigned *rects[4] = {p->area, p->spectrum_area, p->meter_bars, p->overview_area};
        for (int r = 0; r < 4; r++) {
            if (r > 0 && rects[r][2] == 0)
                continue;
            hark_json_array(j, names[r]);
            for (int i = 0; i < 4; i++)
                hark_json_uint(j, NULL, rects[r][i]);
            hark_json_end(j);
        }
        if (p->frames_per_line > 0 && p->frames_per_line != 1)
            hark_json_fixed(j, "frames_per_line", p->frames_per_line, 3);
        if (p->zoom_hz[1] > 0) {
            hark_json_array(j, "freq_zoom_hz");
            hark_json_fixed(j, NULL, p->zoom_hz[0], 3);
            hark_json_fixed(j, NULL, p->zoom_hz[1], 3);
            hark_json_end(j);
        }
        if (p->panes) {
            hark_json_string(j, "panes", p->panes_side_by_side ? "side by side" : "stacked");
            hark_json_array(j, "pane_areas");
            for (unsigned k = 0; k < p->panes; k++) {
                hark_json_array(j, NULL);
                for (int i = 0; i < 4; i++)
                    hark_json_uint(j, NULL, p->pane_area[k][i]);
                hark_json_end(j);
            }
            hark_json_end(j);
        }
    }
    if (p->has_position)
        hark_json_fixed(j, "position_s", p->position_s, 6);
}

void hark_params_object(hark_json *j, const hark_params *p)
{
    hark_json_object(j, NULL);
    hark_params_members(j, p);
    hark_json_end(j);
}
