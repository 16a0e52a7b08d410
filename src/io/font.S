/* The label font, embedded in the program (see font.h). */
        .include "src/embed.inc"

        asset hark_asset_font, "assets/fonts/DejaVuSans.ttf"

        .section .note.GNU-stack,"",@progbits
