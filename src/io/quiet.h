#ifndef HARK_QUIET_H
#define HARK_QUIET_H
/*
 * Some libraries print to stderr by themselves: libmpg123, the last format libsndfile tries,
 * says "Note: Illegal Audio-MPEG-Header ..." and three more lines about any file that is not
 * audio (a headerless .raw, a text file), which would bury hark's one-line error. Around such
 * a call, fd 2 goes to a memory file; afterwards its lines go on to stderr, except the
 * library's own. One call at a time (a lock); what other threads write meanwhile comes out
 * after it, in order. In sanitizer builds it does nothing: their reports must reach stderr.
 * Thread: any.
 */
#include <stddef.h>

typedef struct {
    int saved; /* the real stderr, or -1: nothing was redirected */
    int mem;
} hark_quiet;

void hark_quiet_begin(hark_quiet *q);
void hark_quiet_end(hark_quiet *q);

/* Does a file starting with these bytes (n of them) announce a container libsndfile reads
 * without its MPEG probe (WAV, AIFF, FLAC, Ogg, CAF, AU, W64), or an MP3 by its ID3 tag?
 * Those need no quiet (and MP3s in a batch are not opened one at a time). */
int hark_quiet_known_start(const unsigned char *bytes, size_t n);

#endif
