#version 330 core
// A quad over the whole window for the overlay (axes, labels, status line, readout).
layout(location = 0) in vec2 position;
layout(location = 1) in vec2 corner;
out vec2 uv;

void main()
{
    uv = vec2(corner.x, 1.0 - corner.y); // the overlay image is stored top line first
    gl_Position = vec4(position, 0.0, 1.0);
}
