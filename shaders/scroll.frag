#version 330 core
// Shows the coloured waterfall (shaders/waterfall.frag made it): a circle of `lines` lines,
// one per frame, the newest at newest_line. Each pixel of the data area takes the texel of its
// frequency and its age; nothing moves in the texture, the offset does the scrolling.
in vec2 uv;
out vec4 colour;

uniform sampler2D coloured;  // RGBA8, freq_px x lines
uniform int lines;
uniform int newest_line;
uniform int freq_px;
uniform int newest_at_top;   // 1: frequency across, time down; 0: time across (newest right)

void main()
{
    float coord = newest_at_top == 1 ? uv.x : uv.y;
    float age = newest_at_top == 1 ? 1.0 - uv.y : 1.0 - uv.x; // 0 at the newest edge
    int j = min(int(coord * float(freq_px)), freq_px - 1);
    int frames_ago = min(int(floor(age * float(lines))), lines - 1);
    int line = newest_line - frames_ago;
    line += line < 0 ? lines : 0;
    colour = texelFetch(coloured, ivec2(j, line), 0);
}
