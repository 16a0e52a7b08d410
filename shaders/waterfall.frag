#version 330 core
// The waterfall: history is a texture of dB rows (one texel row per STFT frame, one texel
// column per linear FFT bin) used as a circular buffer; newest_row is where the last row went.
// Each fragment finds its frequency on the active scale and its age in frames, reads the dB
// value, and colours it through the colour map. Range, scale and map are uniforms, so changing
// them recolours the whole history at once.
in vec2 uv;
out vec4 colour;

uniform sampler2D history;   // R32F, bins x history_rows
uniform sampler2D palette;   // RGB8, 256 x 1
uniform int history_rows;
uniform int newest_row;
uniform int rows_shown;      // frames from the newest to the far edge
uniform int bins;
uniform int freq_px;         // pixels along the frequency axis: pixel j shows the scale's row j
uniform float bin_hz;        // rate / fft
uniform float lo_hz;         // frequency at the low edge of the axis
uniform float hi_hz;         // at the high edge (Nyquist)
uniform int scale_kind;      // 0 linear, 1 log, 2 mel
uniform float min_db;
uniform float max_db;
uniform int newest_at_top;   // 1: frequency across, time down; 0: time across (newest right)

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

void main()
{
    float coord = newest_at_top == 1 ? uv.x : uv.y;
    float f_along = (coord * float(freq_px) - 0.5) / float(freq_px - 1);
    float age = newest_at_top == 1 ? 1.0 - uv.y : 1.0 - uv.x; // 0 at the newest edge
    int frames_ago = int(floor(age * float(rows_shown)));
    int row = newest_row - frames_ago;
    row = row - history_rows * int(floor(float(row) / float(history_rows)));
    float bin = frequency(f_along) / bin_hz;
    vec2 at = vec2((bin + 0.5) / float(bins), (float(row) + 0.5) / float(history_rows));
    float db = texture(history, at).r;
    if (db < -900.0) { // nothing measured there yet (view.c fills the history with -1000)
        colour = vec4(0.06, 0.06, 0.06, 1.0);
        return;
    }
    float level = clamp((db - min_db) / (max_db - min_db), 0.0, 1.0);
    colour = vec4(texture(palette, vec2((level * 255.0 + 0.5) / 256.0, 0.5)).rgb, 1.0);
}
