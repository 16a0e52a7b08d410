#ifndef HARK_TILE_H
#define HARK_TILE_H
/*
 * A block of consecutive spectrogram frames as palette indices, in the order the STFT makes
 * them: index[f * rows + r] is frame f, row r, with row 0 the lowest frequency. The image of a
 * tile is frames wide and rows high with row 0 at the bottom (so PNG line y shows row
 * rows-1-y). Owned by whoever filled it; readers do not keep the pointer.
 */
#include <stdint.h>

typedef struct {
    const uint8_t *index;
    unsigned frames;
    unsigned rows;
} hark_tile;

#endif
