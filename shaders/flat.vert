#version 330 core
// The analyzer's panels (panels.h): line strips and rectangles given in window pixels (top-left
// origin), in one colour.
layout(location = 0) in vec2 pixel;
uniform vec2 window_px;

void main()
{
    vec2 clip = vec2(pixel.x / window_px.x * 2.0 - 1.0, 1.0 - pixel.y / window_px.y * 2.0);
    gl_Position = vec4(clip, 0.0, 1.0);
}
