#ifndef HARK_LOOK_H
#define HARK_LOOK_H
/* The look shared by the labelled image (image.c) and the live window's overlay (overlay.c):
 * the colours of the chrome around the data, and the sizes of ticks and the colour bar, so a
 * snapshot and a render look like one program's. */
#include <stdint.h>

static const uint8_t HARK_LOOK_BACKGROUND[3] = {24, 24, 24};
static const uint8_t HARK_LOOK_INK[3] = {224, 224, 224};   /* text */
static const uint8_t HARK_LOOK_FRAME[3] = {128, 128, 128}; /* frame lines and ticks */

enum { HARK_LOOK_TICK = 5, HARK_LOOK_BAR_W = 14 };

#endif
