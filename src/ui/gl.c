#include "gl.h"

#include <stdio.h>

static GLuint compile(GLenum kind, const char *src, char *log, size_t log_size)
{
    GLuint s = glCreateShader(kind);
    glShaderSource(s, 1, &src, NULL);
    glCompileShader(s);
    GLint ok = GL_FALSE;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (ok)
        return s;
    glGetShaderInfoLog(s, (GLsizei)log_size, NULL, log);
    glDeleteShader(s);
    return 0;
}

/* The first line of an info log, for a one-line error. */
static const char *first_line(char *log)
{
    for (char *p = log; *p; p++)
        if (*p == '\n') {
            *p = '\0';
            break;
        }
    return log;
}

hark_err hark_gl_program(const char *name, const char *vert_src, const char *frag_src,
                         GLuint *out)
{
    char log[1024] = "";
    GLuint vs = compile(GL_VERTEX_SHADER, vert_src, log, sizeof log);
    if (!vs)
        return hark_error_set(HARK_ERR_DISPLAY, "%s vertex shader: %s", name, first_line(log));
    GLuint fs = compile(GL_FRAGMENT_SHADER, frag_src, log, sizeof log);
    if (!fs) {
        glDeleteShader(vs);
        return hark_error_set(HARK_ERR_DISPLAY, "%s fragment shader: %s", name, first_line(log));
    }
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        glGetProgramInfoLog(p, sizeof log, NULL, log);
        glDeleteProgram(p);
        return hark_error_set(HARK_ERR_DISPLAY, "%s shaders do not link: %s", name, first_line(log));
    }
    *out = p;
    return HARK_OK;
}

void hark_gl_quad_create(hark_gl_quad *q)
{
    glGenVertexArrays(1, &q->vao);
    glGenBuffers(1, &q->vbo);
    glBindVertexArray(q->vao);
    glBindBuffer(GL_ARRAY_BUFFER, q->vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof(float) * 24, NULL, GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float), (void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 4 * sizeof(float),
                          (void *)(2 * sizeof(float)));
    glBindVertexArray(0);
    hark_gl_quad_place(q, -1, -1, 1, 1);
}

void hark_gl_quad_place(hark_gl_quad *q, float x0, float y0, float x1, float y1)
{
    const float v[24] = {x0, y0, 0, 0, x1, y0, 1, 0, x1, y1, 1, 1,
                         x0, y0, 0, 0, x1, y1, 1, 1, x0, y1, 0, 1};
    glBindBuffer(GL_ARRAY_BUFFER, q->vbo);
    glBufferSubData(GL_ARRAY_BUFFER, 0, sizeof v, v);
}

void hark_gl_quad_draw(const hark_gl_quad *q)
{
    glBindVertexArray(q->vao);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glBindVertexArray(0);
}

void hark_gl_quad_destroy(hark_gl_quad *q)
{
    glDeleteBuffers(1, &q->vbo);
    glDeleteVertexArrays(1, &q->vao);
}

void hark_gl_texture_params(GLint filter)
{
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}
