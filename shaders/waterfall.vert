#version 330 core
// A quad covering the data area; uv runs 0..1 across it (0,0 at the bottom left).
layout(location = 0) in vec2 position; // clip space
layout(location = 1) in vec2 corner;   // 0..1
out vec2 uv;

void main()
{
    uv = corner;
    gl_Position = vec4(position, 0.0, 1.0);
}
