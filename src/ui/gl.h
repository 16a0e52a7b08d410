#ifndef HARK_GL_H
#define HARK_GL_H
/*
 * OpenGL 3.3 core, declared through SDL's headers with the prototypes Mesa's libGL exports,
 * and shader programs built with their info log kept for the error message.
 * Thread: the thread that owns the GL context (main).
 */
#define GL_GLEXT_PROTOTYPES 1
#include <SDL_opengl.h>

#include "error.h"

/* Compile and link a program from vertex and fragment sources; the detail of a failure is the
 * shader's info log. name is for the message ("waterfall"). */
hark_err hark_gl_program(const char *name, const char *vert_src, const char *frag_src,
                         GLuint *out);

/* Filter and clamp-to-edge for the bound 2D texture. */
void hark_gl_texture_params(GLint filter);

/* A unit quad (two triangles) as a VAO: attribute 0 = clip-space position of the rectangle
 * [x0, x1] x [y0, y1], attribute 1 = corner in 0..1. Update with hark_gl_quad_place. */
typedef struct {
    GLuint vao, vbo;
} hark_gl_quad;

void hark_gl_quad_create(hark_gl_quad *q);
void hark_gl_quad_place(hark_gl_quad *q, float x0, float y0, float x1, float y1);
void hark_gl_quad_draw(const hark_gl_quad *q);
void hark_gl_quad_destroy(hark_gl_quad *q);

#endif
