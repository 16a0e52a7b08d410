#include "keys.h"

#include <SDL.h>
#include <string.h>

static const struct {
    int keycode;
    hark_key action;
} bindings[] = {
    {SDLK_q, HARK_KEY_QUIT},           {SDLK_ESCAPE, HARK_KEY_QUIT},
    {SDLK_s, HARK_KEY_SNAPSHOT},       {SDLK_r, HARK_KEY_RECORD},
    {SDLK_LEFT, HARK_KEY_SEEK_BACK},   {SDLK_RIGHT, HARK_KEY_SEEK_FORWARD},
    {SDLK_SPACE, HARK_KEY_PAUSE},      {SDLK_c, HARK_KEY_COLORMAP},
    {SDLK_l, HARK_KEY_SCALE},          {SDLK_UP, HARK_KEY_RANGE_UP},
    {SDLK_DOWN, HARK_KEY_RANGE_DOWN},  {SDLK_PLUS, HARK_KEY_WIDEN},
    {SDLK_EQUALS, HARK_KEY_WIDEN},     {SDLK_KP_PLUS, HARK_KEY_WIDEN},
    {SDLK_MINUS, HARK_KEY_NARROW},     {SDLK_KP_MINUS, HARK_KEY_NARROW},
    {SDLK_f, HARK_KEY_FULLSCREEN},     {SDLK_h, HARK_KEY_HELP},
    {SDLK_p, HARK_KEY_SPECTRUM},       {SDLK_m, HARK_KEY_METERS},
    {SDLK_a, HARK_KEY_AVERAGE},        {SDLK_k, HARK_KEY_PEAK_HOLD},
    {SDLK_n, HARK_KEY_MIN_HOLD},       {SDLK_z, HARK_KEY_RESET_HOLDS},
    {SDLK_v, HARK_KEY_REFERENCE},      {SDLK_o, HARK_KEY_OCTAVE},
    {SDLK_w, HARK_KEY_WEIGHTING},      {SDLK_t, HARK_KEY_TRACE_OUT},
    {SDLK_e, HARK_KEY_PCEN},           {SDLK_b, HARK_KEY_PANES},
    {SDLK_PAGEUP, HARK_KEY_PAGE_UP},   {SDLK_PAGEDOWN, HARK_KEY_PAGE_DOWN},
    {SDLK_HOME, HARK_KEY_HOME},        {SDLK_0, HARK_KEY_ZOOM_RESET},
    {SDLK_KP_0, HARK_KEY_ZOOM_RESET},  {SDLK_LEFTBRACKET, HARK_KEY_SLOWER},
    {SDLK_RIGHTBRACKET, HARK_KEY_FASTER},
};

/* The help, a line a key (or pair of keys); NULL where a command has no such key. */
static const struct {
    const char *keys, *live, *play;
} help[] = {
    {"Space", "pause / resume the picture (audio flows on)",
     "pause / resume sound and picture together"},
    {"Left / Right", NULL, "seek 5 s back / ahead (the waterfall restarts)"},
    {"[ / ]", NULL, "slower / faster: 0.05x to 4x, the pitch follows"},
    {"Click, drag", NULL, "seek there (strip, pane); drag strip: A-B loop"},
    {"PgUp/Dn, wheel", "scroll back / ahead (pauses; or drag a pane)",
     "scroll back / ahead (pauses; or drag a pane)"},
    {"Home", "back to the newest row, following it", "back to the newest row, following it"},
    {"Ctrl+wheel", "zoom frequency about the mouse (or drag axis)",
     "zoom frequency about the mouse (or drag axis)"},
    {"Shift+wheel", "zoom the time axis: 1/8 to 64 frames a line",
     "zoom the time axis: 1/8 to 64 frames a line"},
    {"0, dbl-click", "whole frequency axis, a frame a line",
     "whole frequency axis, a frame a line"},
    {"S", "snapshot of the window to a PNG (path printed)",
     "snapshot of the window to a PNG (path printed)"},
    {"R", "start / stop recording strips (--record DIR)",
     "start / stop recording strips (--record DIR)"},
    {"C", "next colour map (the history is recoloured)",
     "next colour map (the history is recoloured)"},
    {"L", "next scale: linear, log, mel, cqt", "next scale: linear, log, mel, cqt"},
    {"E", "PCEN on / off (the waterfall starts again)",
     "PCEN on / off (the waterfall starts again)"},
    {"B", "channels' panes: stacked or side by side", "channels' panes: stacked or side by side"},
    {"Up / Down", "move the range by 6 dB (PCEN: 0.25)", "move the range by 6 dB (PCEN: 0.25)"},
    {"+ / -", "widen / narrow the range by 6 dB (PCEN: 0.25)",
     "widen / narrow the range by 6 dB (PCEN: 0.25)"},
    {"P", "show / hide the spectrum panel", "show / hide the spectrum panel"},
    {"M", "show / hide the level meters", "show / hide the level meters"},
    {"A", "next averaging time: off, 0.1, 0.3, 1, 3, 10 s",
     "next averaging time: off, 0.1, 0.3, 1, 3, 10 s"},
    {"K", "peak hold: held, or falling 10 / 30 dB/s", "peak hold: held, or falling 10 / 30 dB/s"},
    {"N", "show / hide the min hold trace", "show / hide the min hold trace"},
    {"Z", "reset the peak and min holds and clip lights",
     "reset the peak and min holds and clip lights"},
    {"V", "reference trace: capture the average / clear",
     "reference trace: capture the average / clear"},
    {"O", "bands: bins, 1/1, 1/3, 1/6, 1/12, 1/24 octave",
     "bands: bins, 1/1, 1/3, 1/6, 1/12, 1/24 octave"},
    {"W", "spectrum weighting: Z, A, C", "spectrum weighting: Z, A, C"},
    {"T", "write the traces to --trace-out now", "write the traces to --trace-out now"},
    {"F", "fullscreen", "fullscreen"},
    {"H", "this help", "this help"},
    {"Q, Esc", "quit", "quit"},
};

hark_key hark_keys_action(int keycode)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (bindings[i].keycode == keycode)
            return bindings[i].action;
    return HARK_KEY_NONE;
}

int hark_keys_help(const char *command, size_t i, const char **keys, const char **does)
{
    int play = strcmp(command, "play") == 0;
    for (size_t k = 0; k < sizeof help / sizeof help[0]; k++) {
        const char *d = play ? help[k].play : help[k].live;
        if (!d)
            continue;
        if (i-- == 0) {
            *keys = help[k].keys;
            *does = d;
            return 1;
        }
    }
    return 0;
}
