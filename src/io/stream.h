/* stream.h -- a buffered byte stream over a file descriptor or memory, with
 * optional streamed gunzip (multi-member), for the readers.
 *
 * The window buf[pos..end) holds bytes not yet consumed; buf[pos] is at
 * offset `off` of the (decompressed) input. Errors (read failure, corrupt or
 * truncated gzip) are latched: the bytes decoded before them stay readable,
 * then the stream reports status != TALLY_OK and delivers nothing more. */
#ifndef TLY_IO_STREAM_H
#define TLY_IO_STREAM_H
#include "tally.h"
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

typedef struct tly_stream {
    const tally_alc *alc;
    int fd, close_fd;                 /* fd < 0: memory */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    uint64_t raw_off;                 /* raw bytes taken from the source */
    int raw_eof;

    int gz, z_ready, z_boundary;      /* z_boundary: between two gzip members */
    z_stream z;
    unsigned char *zin;
    size_t zin_cap;

    unsigned char *buf;
    size_t cap, pos, end;
    uint64_t off;                     /* input offset of buf[pos] */
    int borrowed;                     /* buf is the caller's memory */
    int eof;                          /* nothing more will come */
    int gave_up;                      /* a line ran past TLY_MAX_SKIP_FACTOR x its limit: the rest is not read */

    tally_status status;              /* latched error, TALLY_OK if none */
    uint64_t err_off;
    char msg[200];
} tly_stream;

void tly_stream_init_fd(tly_stream *s, const tally_alc *alc, int fd, int close_fd);
void tly_stream_init_mem(tly_stream *s, const tally_alc *alc, const char *data, size_t len);
void tly_stream_close(tly_stream *s);
/* Switches to gunzip; only before anything was consumed. 0: out of memory. */
int tly_stream_enable_gzip(tly_stream *s);

/* Tries to make `want` bytes available; returns how many are (fewer only at
 * the end of input, on an error, or when out of memory). */
size_t tly_stream_fill(tly_stream *s, size_t want);
static inline size_t tly_stream_avail(const tly_stream *s) { return s->end - s->pos; }
static inline const char *tly_stream_ptr(const tly_stream *s) { return (const char *)s->buf + s->pos; }
void tly_stream_consume(tly_stream *s, size_t n);
/* Gives back window memory a big document left behind (invalidates
 * pointers into the window). */
void tly_stream_shrink(tly_stream *s);
/* Discards up to n bytes without holding them; returns how many. */
uint64_t tly_stream_skip(tly_stream *s, uint64_t n);

enum { TLY_LINE_OK = 1, TLY_LINE_EOF = 0, TLY_LINE_LONG = -1, TLY_LINE_ERR = -2 };
/* Reads one line (without its '\n'; a final line without '\n' counts) of at
 * most max bytes. *line stays valid until the next call on the stream.
 * TLY_LINE_LONG: the line was longer and has been skipped (*off, *len = its
 * start and the bytes skipped); TLY_LINE_ERR: the stream failed (see status)
 * before the line was complete; TLY_LINE_EOF: no more bytes. */
int tly_stream_line(tly_stream *s, size_t max, const char **line, size_t *len, uint64_t *off);

#endif
