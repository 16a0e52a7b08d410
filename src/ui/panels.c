#include "panels.h"

#include <stdlib.h>

#include "shaders.h"

struct hark_panels {
    GLuint prog, vao, vbo;
    GLint window_px, ink;
    unsigned max_points, max_rects;
    float *tri;               /* 6 corners a rectangle */
};

hark_err hark_panels_create(unsigned max_points, unsigned max_rects, hark_panels **out)
{
    *out = NULL;
    hark_panels *p = calloc(1, sizeof *p);
    if (!p || !(p->tri = malloc(sizeof(float) * 12 * (max_rects ? max_rects : 1)))) {
        free(p);
        return hark_fail(HARK_ERR_NOMEM);
    }
    hark_err err = hark_gl_program("panels", hark_asset_flat_vert, hark_asset_flat_frag,
                                   &p->prog);
    if (err) {
        free(p->tri);
        free(p);
        return err;
    }
    p->max_points = max_points;
    p->max_rects = max_rects;
    p->window_px = glGetUniformLocation(p->prog, "window_px");
    p->ink = glGetUniformLocation(p->prog, "ink");
    unsigned floats = 2 * (max_points > 6 * max_rects ? max_points : 6 * max_rects);
    glGenVertexArrays(1, &p->vao);
    glGenBuffers(1, &p->vbo);
    glBindVertexArray(p->vao);
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(sizeof(float) * floats), NULL, GL_STREAM_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), NULL);
    glBindVertexArray(0);
    *out = p;
    return HARK_OK;
}

void hark_panels_destroy(hark_panels *p)
{
    if (!p)
        return;
    glDeleteBuffers(1, &p->vbo);
    glDeleteVertexArrays(1, &p->vao);
    glDeleteProgram(p->prog);
    free(p->tri);
    free(p);
}

void hark_panels_begin(hark_panels *p, unsigned w, unsigned h)
{
    glUseProgram(p->prog);
    glUniform2f(p->window_px, (float)w, (float)h);
    glBindVertexArray(p->vao);
    glBindBuffer(GL_ARRAY_BUFFER, p->vbo);
}

static void ink(const hark_panels *p, const uint8_t rgba[4])
{
    glUniform4f(p->ink, rgba[0] / 255.0f, rgba[1] / 255.0f, rgba[2] / 255.0f, rgba[3] / 255.0f);
}

void hark_panels_strip(hark_panels *p, const float *xy, unsigned n, const uint8_t rgba[4])
{
    n = n < p->max_points ? n : p->max_points;
    if (n < 2)
        return;
    ink(p, rgba);
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)(sizeof(float) * 2 * n), xy);
    glDrawArrays(GL_LINE_STRIP, 0, (GLsizei)n);
}

void hark_panels_rects(hark_panels *p, const float *boxes, unsigned n, const uint8_t rgba[4])
{
    n = n < p->max_rects ? n : p->max_rects;
    if (!n)
        return;
    for (unsigned i = 0; i < n; i++) {
        const float *b = boxes + 4 * i;
        float *t = p->tri + 12 * i;
        const float c[12] = {b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[1], b[2], b[3], b[0], b[3]};
        for (int k = 0; k < 12; k++)
            t[k] = c[k];
    }
    ink(p, rgba);
    glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)(sizeof(float) * 12 * n), p->tri);
    glDrawArrays(GL_TRIANGLES, 0, (GLsizei)(6 * n));
}
