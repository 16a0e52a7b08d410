#version 330 core
// One colour for the whole draw call.
out vec4 colour;
uniform vec4 ink;

void main()
{
    colour = ink;
}
