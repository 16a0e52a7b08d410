#version 330 core
// The overlay image, drawn over the waterfall with its alpha (0 over the data area).
in vec2 uv;
out vec4 colour;
uniform sampler2D overlay;

void main()
{
    colour = texture(overlay, uv);
}
