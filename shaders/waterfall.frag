#version 330 core
// Colours the waterfall. history is a texture of dB rows (one texel row per STFT frame, one
// texel column per linear FFT bin) used as a circular buffer; newest_row is where the last row
// went. This pass draws into the "coloured" texture (view.c): one line per frame, one texel per
// pixel along the frequency axis, itself a circle of `lines` lines with the newest frame at
// newest_line. Each fragment finds its frequency on the active scale and its frame, reads the
// dB value and colours it through the colour map. Range, scale and map are uniforms: changing
// them re-runs this pass over every line, so the whole history is recoloured at once. New
// frames need only their own line (shaders/scroll.frag then shows the circle).
out vec4 colour;

uniform sampler2D history;   // R32F, bins x history_rows
uniform sampler2D palette;   // RGB8, 256 x 1
uniform int history_rows;
uniform int newest_row;      // the newest frame's row in history
uniform int rows_valid;      // frames in history that hold a measurement
uniform int lines;           // lines of the coloured circle (frames shown)
uniform int newest_line;     // the newest frame's line in it
uniform int freq_px;         // texels along the frequency axis: texel j shows the scale's row j
uniform int bins;
uniform float bin_hz;        // rate / fft
uniform float lo_hz;         // frequency at the low edge of the axis
uniform float hi_hz;         // at the high edge (Nyquist)
uniform int scale_kind;      // 0 linear, 1 log, 2 mel
uniform float min_db;
uniform float max_db;

float mel(float hz) { return 2595.0 * log(1.0 + hz / 700.0) / log(10.0); }
float from_mel(float m) { return 700.0 * (pow(10.0, m / 2595.0) - 1.0); }

float frequency(float along)
{
    if (scale_kind == 1)
        return lo_hz * pow(hi_hz / lo_hz, along);
    if (scale_kind == 2)
        return from_mel(mix(mel(lo_hz), mel(hi_hz), along));
    return mix(lo_hz, hi_hz, along);
}

int wrap(int i, int n) { return i - n * int(floor(float(i) / float(n))); }

void main()
{
    int line = int(gl_FragCoord.y);
    int frames_ago = wrap(newest_line - line, lines);
    if (frames_ago >= rows_valid) { // nothing measured there yet
        colour = vec4(0.06, 0.06, 0.06, 1.0);
        return;
    }
    int row = wrap(newest_row - frames_ago, history_rows);
    float f_along = (gl_FragCoord.x - 0.5) / float(freq_px - 1);
    float bin = frequency(f_along) / bin_hz;
    vec2 at = vec2((bin + 0.5) / float(bins), (float(row) + 0.5) / float(history_rows));
    float db = texture(history, at).r;
    float level = clamp((db - min_db) / (max_db - min_db), 0.0, 1.0);
    colour = vec4(texture(palette, vec2((level * 255.0 + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
