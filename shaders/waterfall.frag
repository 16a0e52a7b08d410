#version 330 core
// Colours the waterfall (src/ui/waterfall.h). history is a texture of dB rows (one texel row per
// STFT frame, one texel column per linear FFT bin) used as a circular buffer; newest_row is
// where the last row went. This pass draws into the "coloured" texture: one line per frame,
// one texel per pixel along the frequency axis, itself a circle of `lines` lines with the
// newest frame at newest_line. Texel j shows row j of the active scale, by its tap (the same
// that render uses, src/core/scale.h): the maximum of the bins whose centres the row spans, or,
// when it spans less than one bin, the interpolation in dB between the two nearest, or (cqt)
// its kernel's weighted power sum over the bins. So the
// window shows render's numbers. Range and map are uniforms, the taps a texture: a change
// re-runs this pass over every line. New frames need only their own line (scroll.frag then
// shows the circle).
out vec4 colour;

uniform sampler2D history;   // R32F, bins x history_rows
uniform sampler2D palette;   // RGB8, 256 x 1
uniform sampler2D taps;      // RGBA32F, freq_px x 1: first bin, bin count, fraction, kernel
uniform sampler2D weights;   // R32F, 4096 wide: the kernels' weights (cqt)
uniform int history_rows;
uniform int newest_row;      // the newest frame's row in history
uniform int rows_valid;      // frames in history that hold a measurement
uniform int lines;           // lines of the coloured circle (frames shown)
uniform int newest_line;     // the newest frame's line in it
uniform float min_db;
uniform float max_db;
uniform float floor_db;      // kernels: bins at or below it carry no power
uniform int not_db;          // the rows are PCEN values: kernels take the weighted mean

int wrap(int i, int n) { return i - n * int(floor(float(i) / float(n))); }

// A constant-Q row: its kernel over the bins, as hark_scale_tap_value computes it.
float kernel_level(int row, int first, int count, int at)
{
    float sum = 0.0, wsum = 0.0;
    for (int i = 0; i < count; i++) {
        int k = at + i;
        float w = texelFetch(weights, ivec2(k % 4096, k / 4096), 0).r;
        float b = texelFetch(history, ivec2(first + i, row), 0).r;
        if (not_db != 0) {
            sum += w * b;
            wsum += w;
        } else if (b > floor_db) {
            sum += w * exp(0.230258509 * b);
        }
    }
    if (not_db != 0)
        return wsum > 0.0 ? sum / wsum : texelFetch(history, ivec2(first, row), 0).r;
    return sum > 0.0 ? max(10.0 * log(sum) / log(10.0), floor_db) : floor_db;
}

float level_db(int row)
{
    vec4 tap = texelFetch(taps, ivec2(int(gl_FragCoord.x), 0), 0);
    int first = int(tap.r);
    int count = int(tap.g);
    if (tap.a >= 0.0)
        return kernel_level(row, first, count, int(tap.a));
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
