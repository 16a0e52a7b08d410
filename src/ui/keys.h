#ifndef HARK_KEYS_H
#define HARK_KEYS_H
/*
 * The window's keys, as data: one table from which the key handler (view.c), the help box
 * (overlay.c) and each command's --help are made, so they cannot disagree. README lists the
 * same (a test compares it with --help). Pure. Thread: any.
 */
#include <stddef.h>

typedef enum {
    HARK_KEY_NONE,
    HARK_KEY_QUIT,
    HARK_KEY_SNAPSHOT,
    HARK_KEY_RECORD,
    HARK_KEY_SEEK_BACK,
    HARK_KEY_SEEK_FORWARD,
    HARK_KEY_PAUSE,
    HARK_KEY_COLORMAP,
    HARK_KEY_SCALE,
    HARK_KEY_RANGE_UP,
    HARK_KEY_RANGE_DOWN,
    HARK_KEY_WIDEN,
    HARK_KEY_NARROW,
    HARK_KEY_FULLSCREEN,
    HARK_KEY_HELP,
    HARK_KEY_SPECTRUM,        /* the analyzer's panels and traces */
    HARK_KEY_METERS,
    HARK_KEY_AVERAGE,
    HARK_KEY_PEAK_HOLD,
    HARK_KEY_MIN_HOLD,
    HARK_KEY_RESET_HOLDS,
    HARK_KEY_REFERENCE,
    HARK_KEY_OCTAVE,
    HARK_KEY_WEIGHTING,
    HARK_KEY_TRACE_OUT,
    HARK_KEY_PCEN,
    HARK_KEY_PANES,           /* several channels: stacked or side by side */
    HARK_KEY_PAGE_UP,         /* scroll back a screen (pauses) */
    HARK_KEY_PAGE_DOWN,
    HARK_KEY_HOME,            /* back to the newest row, following it */
    HARK_KEY_ZOOM_RESET,
    HARK_KEY_SLOWER,          /* play: the speed down or up a step */
    HARK_KEY_FASTER
} hark_key;

/* What an SDL keycode does (HARK_KEY_NONE: nothing). */
hark_key hark_keys_action(int sdl_keycode);

/* The help lines of a command ("live" or "play"), in order: *keys ("Up / Down") and *does;
 * the mouse's actions too ("Wheel").
 * Returns 0 past the last. */
int hark_keys_help(const char *command, size_t i, const char **keys, const char **does);

#endif
