#version 330 core
// Colours the waterfall (src/ui/waterfall.h). history is a texture of dB rows (one texel row per
// STFT frame, one texel column per linear FFT bin) used as a circular buffer; newest_row is
// where the last row went. This pass draws into the "coloured" texture: one line per frame,
// one texel per pixel along the frequency axis, itself a circle of `lines` lines with the
// newest frame at newest_line. Texel j shows row j of the active scale, by its tap (the same
// that render uses, src/core/scale.h): the maximum of the bins whose centres the row spans, or,
// when it spans less than one bin, the interpolation in dB between the two nearest. So the
// window shows render's numbers. Range and map are uniforms, the taps a texture: a change
// re-runs this pass over every line. New frames need only their own line (scroll.frag then
// shows the circle).
out vec4 colour;

uniform sampler2D history;   // R32F, bins x history_rows
uniform sampler2D palette;   // RGB8, 256 x 1
uniform sampler2D taps;      // RGB32F, freq_px x 1: first bin, bin count, fraction
uniform int history_rows;
uniform int newest_row;      // the newest frame's row in history
uniform int rows_valid;      // frames in history that hold a measurement
uniform int lines;           // lines of the coloured circle (frames shown)
uniform int newest_line;     // the newest frame's line in it
uniform float min_db;
uniform float max_db;

int wrap(int i, int n) { return i - n * int(floor(float(i) / float(n))); }

float level_db(int row)
{
    vec3 tap = texelFetch(taps, ivec2(int(gl_FragCoord.x), 0), 0).rgb;
    int first = int(tap.r);
    int count = int(tap.g);
    float a = texelFetch(history, ivec2(first, row), 0).r;
    if (count < 2) {
        float b = texelFetch(history, ivec2(first + 1, row), 0).r;
        return a + tap.b * (b - a);
    }
    for (int i = 1; i < count; i++)
        a = max(a, texelFetch(history, ivec2(first + i, row), 0).r);
    return a;
}

void main()
{
    int line = int(gl_FragCoord.y);
    int frames_ago = wrap(newest_line - line, lines);
    if (frames_ago >= rows_valid) { // nothing measured there yet
        colour = vec4(0.06, 0.06, 0.06, 1.0);
        return;
    }
    int row = wrap(newest_row - frames_ago, history_rows);
    float level = clamp((level_db(row) - min_db) / (max_db - min_db), 0.0, 1.0);
    colour = vec4(texture(palette, vec2((level * 255.0 + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
