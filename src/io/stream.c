/* stream.c -- buffered input with streamed multi-member gunzip. */
#include "io/stream.h"
#include "io/limits.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *z_alloc(void *opaque, uInt items, uInt size) {
    const tally_alc *alc = opaque;
    if (size && items > ((size_t)-1) / size) return NULL;
    return alc->malloc(alc->ctx, (size_t)items * size);
}
static void z_free(void *opaque, void *p) {
    const tally_alc *alc = opaque;
    if (p) alc->free(alc->ctx, p);
}

static void fail(tly_stream *s, tally_status st, uint64_t off, const char *msg) {
    if (s->status != TALLY_OK) return;
    s->status = st;
    s->err_off = off;
    snprintf(s->msg, sizeof s->msg, "%s", msg);
    s->eof = 1;
}

void tly_stream_init_fd(tly_stream *s, const tally_alc *alc, int fd, int close_fd) {
    memset(s, 0, sizeof *s);
    s->alc = alc;
    s->fd = fd;
    s->close_fd = close_fd;
}

void tly_stream_init_mem(tly_stream *s, const tally_alc *alc, const char *data, size_t len) {
    memset(s, 0, sizeof *s);
    s->alc = alc;
    s->fd = -1;
    s->mem = (const unsigned char *)data;
    s->mem_len = len;
    s->buf = (unsigned char *)(uintptr_t)data; /* never written while borrowed */
    s->cap = s->end = len;
    s->borrowed = 1;
    s->raw_off = len;
    s->raw_eof = 1;
    s->eof = 1;
}

void tly_stream_close(tly_stream *s) {
    if (s->z_ready) inflateEnd(&s->z);
    if (s->zin) s->alc->free(s->alc->ctx, s->zin);
    if (s->buf && !s->borrowed) s->alc->free(s->alc->ctx, s->buf);
    if (s->fd >= 0 && s->close_fd) close(s->fd);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

/* Makes room for at least `extra` more bytes after end. */
static int room(tly_stream *s, size_t extra) {
    if (s->cap - s->end >= extra) return 1;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
        if (s->cap - s->end >= extra) return 1;
    }
    size_t nc = s->cap ? s->cap : TLY_IO_CHUNK;
    while (nc - s->end < extra) {
        if (nc > ((size_t)-1) / 2) return 0;
        nc *= 2;
    }
    unsigned char *nb = s->buf ? s->alc->realloc(s->alc->ctx, s->buf, s->cap, nc)
                               : s->alc->malloc(s->alc->ctx, nc);
    if (!nb) return 0;
    s->buf = nb;
    s->cap = nc;
    return 1;
}

/* Reads raw bytes from the fd into dst; returns count, 0 at EOF, -1 error. */
static long raw_read(tly_stream *s, unsigned char *dst, size_t n) {
    for (;;) {
        ssize_t k = read(s->fd, dst, n);
        if (k >= 0) {
            if (k == 0) s->raw_eof = 1;
            s->raw_off += (uint64_t)k;
            return (long)k;
        }
        if (errno == EINTR) continue;
        char m[160];
        snprintf(m, sizeof m, "read error: %s", strerror(errno));
        fail(s, TALLY_ERR_IO, s->raw_off, m);
        return -1;
    }
}

int tly_stream_enable_gzip(tly_stream *s) {
    size_t have = s->end - s->pos;
    if (s->borrowed) {
        /* The raw bytes are the caller's memory: inflate straight from it. */
        s->mem_pos = s->pos;
        s->buf = NULL;
        s->cap = s->pos = s->end = 0;
        s->borrowed = 0;
        s->z.next_in = (Bytef *)(uintptr_t)(s->mem + s->mem_pos);
        s->z.avail_in = 0;
    } else {
        s->zin_cap = have > TLY_IO_CHUNK ? have : TLY_IO_CHUNK;
        s->zin = s->alc->malloc(s->alc->ctx, s->zin_cap);
        if (!s->zin) return 0;
        if (have) memcpy(s->zin, s->buf + s->pos, have);
        s->z.next_in = s->zin;
        s->z.avail_in = (uInt)have;
        s->pos = s->end = 0;
    }
    s->z.zalloc = z_alloc;
    s->z.zfree = z_free;
    s->z.opaque = (void *)(uintptr_t)s->alc;
    if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) return 0;
    s->z_ready = 1;
    s->gz = 1;
    s->eof = 0;
    s->off = 0;
    return 1;
}

/* Gives inflate more raw input. Returns 1, 0 at raw EOF, -1 on error. */
static int gz_more_input(tly_stream *s) {
    if (s->fd < 0) {
        if (s->mem_pos >= s->mem_len) return 0;
        size_t n = s->mem_len - s->mem_pos;
        if (n > (size_t)1 << 30) n = (size_t)1 << 30;
        s->z.next_in = (Bytef *)(uintptr_t)(s->mem + s->mem_pos);
        s->z.avail_in = (uInt)n;
        s->mem_pos += n;
        return 1;
    }
    if (s->raw_eof) return 0;
    long k = raw_read(s, s->zin, s->zin_cap);
    if (k < 0) return -1;
    if (k == 0) return 0;
    s->z.next_in = s->zin;
    s->z.avail_in = (uInt)k;
    return 1;
}

/* Offset in the raw (compressed) input of the next byte inflate will read. */
static uint64_t gz_raw_pos(const tly_stream *s) {
    uint64_t consumed = s->fd < 0 ? (uint64_t)s->mem_pos : s->raw_off;
    return consumed - s->z.avail_in;
}

/* Produces more bytes into the window (after room() was ensured). */
static void produce(tly_stream *s) {
    if (s->eof) return;
    if (!s->gz) {
        long k = raw_read(s, s->buf + s->end, s->cap - s->end);
        if (k > 0) s->end += (size_t)k;
        else if (k == 0) s->eof = 1;
        return;
    }
    for (;;) {
        if (s->z.avail_in == 0) {
            int m = gz_more_input(s);
            if (m < 0) return;
            if (m == 0) {
                if (s->z_boundary) {
                    s->eof = 1;
                } else {
                    char msg[160];
                    snprintf(msg, sizeof msg, "truncated gzip data at byte %llu",
                             (unsigned long long)gz_raw_pos(s));
                    fail(s, TALLY_ERR_GZIP, gz_raw_pos(s), msg);
                }
                return;
            }
        }
        if (s->z_boundary) {
            /* Another member follows: start it. */
            if (inflateReset(&s->z) != Z_OK) {
                fail(s, TALLY_ERR_NOMEM, gz_raw_pos(s), "zlib reset failed");
                return;
            }
        }
        size_t space = s->cap - s->end;
        if (space > (size_t)1 << 30) space = (size_t)1 << 30;
        uint64_t at = gz_raw_pos(s);
        s->z.next_out = s->buf + s->end;
        s->z.avail_out = (uInt)space;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        size_t got = space - s->z.avail_out;
        s->end += got;
        if (rc == Z_STREAM_END) {
            s->z_boundary = 1;
            if (got) return;
            continue;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) {
            if (got || s->z.avail_out == 0) { s->z_boundary = 0; return; }
            if (rc == Z_BUF_ERROR && s->z.avail_in != 0) {
                fail(s, TALLY_ERR_GZIP, gz_raw_pos(s), "gzip decoder made no progress");
                return;
            }
            s->z_boundary = 0;
            continue; /* needs more input */
        }
        char msg[200];
        if (rc == Z_MEM_ERROR) {
            fail(s, TALLY_ERR_NOMEM, at, "out of memory in gzip decoder");
        } else if (s->z_boundary) {
            snprintf(msg, sizeof msg, "trailing garbage after gzip data at byte %llu",
                     (unsigned long long)at);
            fail(s, TALLY_ERR_GZIP, at, msg);
        } else {
            snprintf(msg, sizeof msg, "corrupt gzip data at byte %llu (%s)",
                     (unsigned long long)gz_raw_pos(s), s->z.msg ? s->z.msg : "data error");
            fail(s, TALLY_ERR_GZIP, gz_raw_pos(s), msg);
        }
        return;
    }
}

size_t tly_stream_fill(tly_stream *s, size_t want) {
    while (s->end - s->pos < want && !s->eof) {
        size_t need = want - (s->end - s->pos);
        if (need < TLY_IO_CHUNK) need = TLY_IO_CHUNK;
        /* grow by doubling as bytes actually arrive, not to `want` at once */
        size_t step = s->cap > TLY_IO_CHUNK ? s->cap : TLY_IO_CHUNK;
        if (need > step) need = step;
        if (!room(s, need)) {
            fail(s, TALLY_ERR_NOMEM, s->off + (s->end - s->pos), "out of memory");
            break;
        }
        produce(s);
    }
    return s->end - s->pos;
}

void tly_stream_shrink(tly_stream *s) {
    size_t a = s->end - s->pos;
    if (s->borrowed || s->cap <= ((size_t)1 << 20) || a > s->cap / 8) return;
    if (s->pos) memmove(s->buf, s->buf + s->pos, a);
    s->pos = 0;
    s->end = a;
    size_t nc = TLY_IO_CHUNK * 2;
    while (nc < a + 1) nc *= 2;
    unsigned char *nb = s->alc->realloc(s->alc->ctx, s->buf, s->cap, nc);
    if (!nb) return; /* keep the big one */
    s->buf = nb;
    s->cap = nc;
}

void tly_stream_consume(tly_stream *s, size_t n) {
    if (n > s->end - s->pos) n = s->end - s->pos;
    s->pos += n;
    s->off += n;
    if (s->pos == s->end && !s->borrowed) s->pos = s->end = 0;
}

uint64_t tly_stream_skip(tly_stream *s, uint64_t n) {
    uint64_t done = 0;
    while (done < n) {
        size_t a = s->end - s->pos;
        if (a == 0) {
            a = tly_stream_fill(s, 1);
            if (a == 0) break;
        }
        if ((uint64_t)a > n - done) a = (size_t)(n - done);
        tly_stream_consume(s, a);
        done += a;
    }
    return done;
}

int tly_stream_line(tly_stream *s, size_t max, const char **line, size_t *len, uint64_t *off) {
    size_t scanned = 0;
    *off = s->off;
    for (;;) {
        size_t a = s->end - s->pos;
        const unsigned char *p = s->buf + s->pos;
        const unsigned char *nl = scanned < a ? memchr(p + scanned, '\n', a - scanned) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - p);
            if (n > max) {
                *len = n + 1;
                tly_stream_consume(s, n + 1);
                return TLY_LINE_LONG;
            }
            *line = (const char *)p;
            *len = n;
            /* consume after the caller is done: the pointer stays valid
             * because consume never moves bytes. */
            tly_stream_consume(s, n + 1);
            return TLY_LINE_OK;
        }
        scanned = a;
        if (a > max) {
            /* Too long: drop what we have and skip to the next newline,
             * but not forever (endless input): past the skip bound the
             * rest of the input is given up. */
            uint64_t skipped = 0;
            uint64_t bound = (uint64_t)max * TLY_MAX_SKIP_FACTOR;
            if (bound < (uint64_t)max) bound = UINT64_MAX;
            for (;;) {
                if (skipped > bound) {
                    s->gave_up = 1;
                    s->eof = 1;
                    s->pos = s->end;
                    break;
                }
                size_t b = s->end - s->pos;
                const unsigned char *q = s->buf + s->pos;
                const unsigned char *e = b ? memchr(q, '\n', b) : NULL;
                if (e) {
                    size_t k = (size_t)(e - q) + 1;
                    tly_stream_consume(s, k);
                    skipped += k;
                    break;
                }
                tly_stream_consume(s, b);
                skipped += b;
                if (tly_stream_fill(s, 1) == 0) break;
            }
            *len = (size_t)skipped;
            return TLY_LINE_LONG;
        }
        if (s->eof) {
            if (s->status != TALLY_OK) return TLY_LINE_ERR;
            if (a == 0) return TLY_LINE_EOF;
            *line = (const char *)p;
            *len = a;
            tly_stream_consume(s, a);
            return TLY_LINE_OK;
        }
        size_t want = a + TLY_IO_CHUNK;
        if (max < (size_t)-1 && want > max + 1) want = max + 1; /* > a since a <= max */
        tly_stream_fill(s, want);
    }
}
