#version 330 core
// Quads over parts of the window (the margins, the readout box) showing the same parts of the
// overlay image, which covers the whole window and is stored top line first.
layout(location = 0) in vec2 position; // clip space
layout(location = 1) in vec2 corner;   // unused
out vec2 uv;

void main()
{
    uv = vec2(position.x * 0.5 + 0.5, 0.5 - position.y * 0.5);
    gl_Position = vec4(position, 0.0, 1.0);
}
