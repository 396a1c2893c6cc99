/* warc.c -- WARC records and HTTP responses, streamed record by record. */
#include "io/warc.h"
#include "io/limits.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static void werr(tly_warc_error *e, tally_status code, uint64_t off, tally_str id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void werr(tly_warc_error *e, tally_status code, uint64_t off, tally_str id, const char *fmt, ...) {
    e->code = code;
    e->offset = off;
    size_t k = id.len < sizeof e->id - 1 ? id.len : sizeof e->id - 1;
    if (k) memcpy(e->id, id.ptr, k);
    e->id[k] = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

static void stream_err(tly_stream *s, tly_warc_error *e, tally_str id) {
    werr(e, s->status, s->err_off, id, "%s", s->msg);
}

static int ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void trim(const char **p, size_t *n) {
    while (*n && ws(**p)) (*p)++, (*n)--;
    while (*n && ws((*p)[*n - 1])) (*n)--;
}

static tally_str sdup(tly_arena *a, const char *p, size_t n) {
    tally_str r = {"", 0};
    char *d = tly_arena_strndup(a, p, n);
    if (d) { r.ptr = d; r.len = n; }
    return r;
}

static int parse_u64(const char *p, size_t n, uint64_t *out) {
    uint64_t v = 0;
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        if (v > (UINT64_MAX - 9) / 10) return 0;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    *out = v;
    return 1;
}

static int has_ci(tally_str s, const char *needle) {
    return s.len && tly_memcasemem(s.ptr, s.len, needle) != (size_t)-1;
}

/* The kind of content a Content-Type names: HTML, TEXT or UNKNOWN (skip). */
static tly_format kind_of(tally_str ct) {
    if (has_ci(ct, "html")) return TLY_FMT_HTML;
    if (has_ci(ct, "text/plain")) return TLY_FMT_TEXT;
    return TLY_FMT_UNKNOWN;
}

/* ---------------------------------------------------------------- HTTP */

static int dechunk(const char *p, size_t n, tly_buf *out) {
    size_t i = 0;
    int chunks = 0;
    out->len = 0;
    for (;;) {
        uint64_t size = 0;
        size_t d = 0;
        while (i < n) {
            char c = p[i];
            int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (v < 0) break;
            if (size > (UINT64_MAX >> 4)) return 0;
            size = size * 16 + (uint64_t)v;
            i++;
            d++;
        }
        if (d == 0) return chunks > 0;
        const char *nl = memchr(p + i, '\n', n - i); /* chunk extensions up to the line end */
        if (!nl) return chunks > 0;
        i = (size_t)(nl - p) + 1;
        if (size == 0) return 1;
        if (size > n - i) {
            /* truncated: keep what there is */
            tly_buf_put(out, p + i, n - i);
            return !out->failed;
        }
        if (!tly_buf_put(out, p + i, (size_t)size)) return 0;
        chunks++;
        i += (size_t)size;
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
        if (i >= n) return 1;
    }
}

static void *z_alloc(void *opaque, uInt items, uInt size) {
    const tally_alc *alc = opaque;
    if (size && items > ((size_t)-1) / size) return NULL;
    return alc->malloc(alc->ctx, (size_t)items * size);
}
static void z_free(void *opaque, void *p) {
    const tally_alc *alc = opaque;
    if (p) alc->free(alc->ctx, p);
}

/* 0 ok, 1 corrupt, 2 over max, 3 out of memory. */
static int inflate_mem(const char *p, size_t n, int window_bits, tly_buf *out, size_t max) {
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = z_alloc;
    z.zfree = z_free;
    z.opaque = (void *)(uintptr_t)out->alc;
    if (inflateInit2(&z, window_bits) != Z_OK) return 3;
    out->len = 0;
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)(n > (size_t)1 << 30 ? (size_t)1 << 30 : n);
    int res = 0;
    for (;;) {
        if (!tly_buf_reserve(out, (size_t)64 << 10)) { res = 3; break; }
        size_t space = out->cap - out->len - 1;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(space > (size_t)1 << 30 ? (size_t)1 << 30 : space);
        uInt before = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        out->len += before - z.avail_out;
        out->data[out->len] = 0;
        if (out->len > max) { res = 2; break; }
        if (rc == Z_STREAM_END) break;
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && z.avail_out == 0) continue;
        /* Z_BUF_ERROR with output room: the input ended early; keep what came */
        res = rc == Z_BUF_ERROR ? (out->len ? 0 : 1) : rc == Z_MEM_ERROR ? 3 : 1;
        break;
    }
    inflateEnd(&z);
    return res;
}

/* ---------------------------------------------------------------- records */

enum { R_SKIP = 0, R_HTTP, R_CONTENT };

tally_status tly_warc_next(tly_stream *s, tly_warc_state *st, size_t max_doc, tly_arena *a,
                           tly_buf *tmp1, tly_buf *tmp2, tly_warc_payload *out, tly_warc_error *e) {
    memset(out, 0, sizeof *out);
    memset(e, 0, sizeof *e);
    tally_str none = {"", 0};
    for (;;) {
        if (st->done) return TALLY_DONE;
        const char *l;
        size_t len;
        uint64_t off;
        /* --- the version line */
        int rc = tly_stream_line(s, TLY_WARC_MAX_HEADER_BYTES, &l, &len, &off);
        if (rc == TLY_LINE_EOF) { st->done = 1; return TALLY_DONE; }
        if (rc == TLY_LINE_ERR) { st->done = 1; stream_err(s, e, none); return e->code; }
        if (rc == TLY_LINE_LONG && s->gave_up) {
            st->done = 1;
            werr(e, TALLY_ERR_LIMIT, off, none, "a line of more than %zu bytes at byte %llu with no end in sight: the rest of the input is not read",
                 (size_t)TLY_WARC_MAX_HEADER_BYTES * TLY_MAX_SKIP_FACTOR, (unsigned long long)off);
            return TALLY_ERR_LIMIT;
        }
        if (rc == TLY_LINE_LONG) {
            if (st->resync) continue;
            st->resync = 1;
            werr(e, TALLY_ERR_WARC, off, none, "expected a WARC record at byte %llu, found a %zu-byte line",
                 (unsigned long long)off, len);
            return TALLY_ERR_WARC;
        }
        while (len && (l[len - 1] == '\r' || l[len - 1] == ' ' || l[len - 1] == '\t')) len--;
        if (len == 0) continue;
        if (!(len >= 7 && memcmp(l, "WARC/1.", 7) == 0)) {
            if (st->resync) continue;
            st->resync = 1;
            werr(e, TALLY_ERR_WARC, off, none, "expected a WARC record at byte %llu", (unsigned long long)off);
            return TALLY_ERR_WARC;
        }
        st->resync = 0;
        uint64_t rec_off = off;

        /* --- header fields */
        tally_str type = none, id = none, uri = none, date = none, ctype = none;
        uint64_t clen = 0;
        int have_len = 0, bad_len = 0;
        size_t total = 0;
        for (;;) {
            rc = tly_stream_line(s, TLY_WARC_MAX_HEADER_BYTES, &l, &len, &off);
            if (rc == TLY_LINE_ERR) { st->done = 1; stream_err(s, e, id); return e->code; }
            if (rc == TLY_LINE_EOF) {
                st->done = 1;
                werr(e, TALLY_ERR_WARC, rec_off, id, "truncated WARC header in the record at byte %llu",
                     (unsigned long long)rec_off);
                return TALLY_ERR_WARC;
            }
            if (rc == TLY_LINE_LONG) {
                st->resync = 1;
                if (s->gave_up) st->done = 1;
                werr(e, TALLY_ERR_WARC, off, id, "WARC header line too long at byte %llu",
                     (unsigned long long)off);
                return TALLY_ERR_WARC;
            }
            while (len && l[len - 1] == '\r') len--;
            if (len == 0) break;
            total += len;
            if (total > TLY_WARC_MAX_HEADER_BYTES) {
                st->resync = 1;
                werr(e, TALLY_ERR_WARC, rec_off, id, "WARC header larger than %zu bytes in the record at byte %llu",
                     (size_t)TLY_WARC_MAX_HEADER_BYTES, (unsigned long long)rec_off);
                return TALLY_ERR_WARC;
            }
            if (l[0] == ' ' || l[0] == '\t') continue; /* continuation of a field we do not need */
            const char *colon = memchr(l, ':', len);
            if (!colon) {
                st->resync = 1;
                werr(e, TALLY_ERR_WARC, off, id, "malformed WARC header line at byte %llu",
                     (unsigned long long)off);
                return TALLY_ERR_WARC;
            }
            const char *name = l, *val = colon + 1;
            size_t nl = (size_t)(colon - l), vl = len - nl - 1;
            trim(&name, &nl);
            trim(&val, &vl);
            if (tly_strncaseeq(name, nl, "WARC-Type")) type = sdup(a, val, vl);
            else if (tly_strncaseeq(name, nl, "WARC-Record-ID")) {
                if (vl >= 2 && val[0] == '<' && val[vl - 1] == '>') val++, vl -= 2;
                id = sdup(a, val, vl);
            } else if (tly_strncaseeq(name, nl, "WARC-Target-URI")) {
                if (vl >= 2 && val[0] == '<' && val[vl - 1] == '>') val++, vl -= 2;
                uri = sdup(a, val, vl);
            } else if (tly_strncaseeq(name, nl, "WARC-Date")) date = sdup(a, val, vl);
            else if (tly_strncaseeq(name, nl, "Content-Type")) ctype = sdup(a, val, vl);
            else if (tly_strncaseeq(name, nl, "Content-Length")) {
                have_len = 1;
                if (!parse_u64(val, vl, &clen)) bad_len = 1;
            }
        }
        if (!have_len || bad_len) {
            st->resync = 1;
            werr(e, TALLY_ERR_WARC, rec_off, id, "%s Content-Length in the WARC record at byte %llu",
                 have_len ? "bad" : "no", (unsigned long long)rec_off);
            return TALLY_ERR_WARC;
        }

        /* --- what to do with the block */
        int mode = R_SKIP;
        tly_format kind = TLY_FMT_UNKNOWN;
        if (tly_strncaseeq(type.ptr, type.len, "response")) {
            if (has_ci(ctype, "application/http")) mode = R_HTTP;
            else if ((kind = kind_of(ctype)) != TLY_FMT_UNKNOWN) mode = R_CONTENT;
        } else if (tly_strncaseeq(type.ptr, type.len, "resource")) {
            /* metadata://... resources are the crawler's own files (wget's log) */
            int meta = uri.len >= 9 && tly_strncaseeq(uri.ptr, 9, "metadata:");
            if (!meta && (kind = kind_of(ctype)) != TLY_FMT_UNKNOWN) mode = R_CONTENT;
        } else if (tly_strncaseeq(type.ptr, type.len, "conversion")) {
            kind = ctype.len ? kind_of(ctype) : TLY_FMT_TEXT;
            if (kind != TLY_FMT_UNKNOWN) mode = R_CONTENT;
        }
        uint64_t block_off = s->off;
        uint64_t limit = mode == R_HTTP ? (uint64_t)max_doc + TLY_WARC_MAX_HEADER_BYTES : (uint64_t)max_doc;
        if (mode == R_SKIP || clen > limit) {
            uint64_t got = tly_stream_skip(s, clen);
            if (got < clen) {
                st->done = 1;
                if (s->status != TALLY_OK) { stream_err(s, e, id); return e->code; }
                werr(e, TALLY_ERR_WARC, rec_off, id,
                     "truncated WARC record at byte %llu: Content-Length %llu, only %llu bytes",
                     (unsigned long long)rec_off, (unsigned long long)clen, (unsigned long long)got);
                return TALLY_ERR_WARC;
            }
            if (mode == R_SKIP) continue;
            werr(e, TALLY_ERR_LIMIT, rec_off, id, "WARC record at byte %llu larger than %zu bytes",
                 (unsigned long long)rec_off, max_doc);
            return TALLY_ERR_LIMIT;
        }
        size_t avail = tly_stream_fill(s, (size_t)clen);
        if (avail < clen) {
            tly_stream_consume(s, avail);
            st->done = 1;
            if (s->status != TALLY_OK) { stream_err(s, e, id); return e->code; }
            werr(e, TALLY_ERR_WARC, rec_off, id,
                 "truncated WARC record at byte %llu: Content-Length %llu, only %zu bytes",
                 (unsigned long long)rec_off, (unsigned long long)clen, avail);
            return TALLY_ERR_WARC;
        }
        const char *block = tly_stream_ptr(s);
        size_t blen = (size_t)clen;
        tly_stream_consume(s, blen); /* the bytes stay in place until the next read */

        out->record_off = rec_off;
        out->id = id;
        out->url = uri;
        out->date = date;
        out->data_exact = 1;
        out->data_off = block_off;
        if (mode == R_CONTENT) {
            out->kind = kind;
            out->charset = tly_charset_find(ctype.ptr, ctype.len);
            out->data = block;
            out->len = blen;
            return TALLY_OK;
        }

        /* --- HTTP response */
        const char *nl1 = memchr(block, '\n', blen);
        size_t sl = nl1 ? (size_t)(nl1 - block) : blen;
        int status = -1;
        if (sl >= 12 && memcmp(block, "HTTP/", 5) == 0) {
            const char *sp = memchr(block, ' ', sl);
            if (sp && (size_t)(sp - block) + 4 <= sl && sp[1] >= '0' && sp[1] <= '9' &&
                sp[2] >= '0' && sp[2] <= '9' && sp[3] >= '0' && sp[3] <= '9')
                status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
        }
        if (status < 0 || !nl1) {
            werr(e, TALLY_ERR_WARC, block_off, id, "malformed HTTP response in the WARC record at byte %llu",
                 (unsigned long long)rec_off);
            return TALLY_ERR_WARC;
        }
        if (status < 200 || status > 299) continue;
        size_t i = sl + 1;
        tally_str hct = none, te = none, ce = none;
        int ended = 0;
        while (i < blen) {
            const char *nl = memchr(block + i, '\n', blen - i);
            size_t le = nl ? (size_t)(nl - block) : blen;
            const char *hl = block + i;
            size_t hn = le - i;
            i = nl ? le + 1 : blen;
            while (hn && hl[hn - 1] == '\r') hn--;
            if (hn == 0) { ended = 1; break; }
            const char *colon = memchr(hl, ':', hn);
            if (!colon) continue;
            const char *name = hl, *val = colon + 1;
            size_t nn = (size_t)(colon - hl), vn = hn - nn - 1;
            trim(&name, &nn);
            trim(&val, &vn);
            if (tly_strncaseeq(name, nn, "Content-Type")) hct = (tally_str){val, vn};
            else if (tly_strncaseeq(name, nn, "Transfer-Encoding")) te = (tally_str){val, vn};
            else if (tly_strncaseeq(name, nn, "Content-Encoding")) ce = (tally_str){val, vn};
        }
        if (!ended) {
            werr(e, TALLY_ERR_WARC, block_off, id, "truncated HTTP header in the WARC record at byte %llu",
                 (unsigned long long)rec_off);
            return TALLY_ERR_WARC;
        }
        const char *body = block + i;
        size_t bn = blen - i;
        out->data_off = block_off + i;
        if (hct.len) kind = kind_of(hct);
        else kind = tly_sniff(body, bn > 1024 ? 1024 : bn);
        if (kind == TLY_FMT_UNKNOWN) continue; /* images, scripts, ... */
        out->charset = tly_charset_find(hct.ptr, hct.len);
        if (has_ci(te, "chunked")) {
            if (dechunk(body, bn, tmp1)) {
                body = tmp1->data ? tmp1->data : "";
                bn = tmp1->len;
                out->data_exact = 0;
            } else if (tmp1->failed) {
                werr(e, TALLY_ERR_NOMEM, rec_off, id, "out of memory");
                return TALLY_ERR_NOMEM;
            } /* else: not really chunked; take the body as it is */
        }
        int gz = has_ci(ce, "gzip"), df = has_ci(ce, "deflate");
        /* Crawlers (Common Crawl among them) often store the body decoded
         * but keep the Content-Encoding header: take such a body as it is. */
        if (gz && !(bn >= 2 && (unsigned char)body[0] == 0x1f && (unsigned char)body[1] == 0x8b)) gz = 0;
        else if (df && bn >= 1 && (body[0] == '<' || body[0] == ' ' || body[0] == '\n')) df = 0;
        if (gz || df) {
            int r = inflate_mem(body, bn, 32 + MAX_WBITS, tmp2, max_doc);
            if (r == 1 && df) r = inflate_mem(body, bn, -MAX_WBITS, tmp2, max_doc);
            if (r == 1) {
                werr(e, TALLY_ERR_GZIP, rec_off, id, "corrupt %s Content-Encoding in the WARC record at byte %llu",
                     gz ? "gzip" : "deflate", (unsigned long long)rec_off);
                return TALLY_ERR_GZIP;
            }
            if (r == 2) {
                werr(e, TALLY_ERR_LIMIT, rec_off, id, "decoded WARC record at byte %llu larger than %zu bytes",
                     (unsigned long long)rec_off, max_doc);
                return TALLY_ERR_LIMIT;
            }
            if (r == 3) {
                werr(e, TALLY_ERR_NOMEM, rec_off, id, "out of memory");
                return TALLY_ERR_NOMEM;
            }
            body = tmp2->data ? tmp2->data : "";
            bn = tmp2->len;
            out->data_exact = 0;
        } else if (ce.len && !tly_strncaseeq(ce.ptr, ce.len, "identity") && !has_ci(ce, "gzip") &&
                   !has_ci(ce, "deflate")) {
            werr(e, TALLY_ERR_WARC, rec_off, id, "unsupported Content-Encoding '%.*s' in the WARC record at byte %llu",
                 (int)(ce.len > 20 ? 20 : ce.len), ce.ptr, (unsigned long long)rec_off);
            return TALLY_ERR_WARC;
        }
        if (bn == 0) continue; /* an empty body is no document */
        if (bn > max_doc) {
            werr(e, TALLY_ERR_LIMIT, rec_off, id, "WARC record at byte %llu larger than %zu bytes",
                 (unsigned long long)rec_off, max_doc);
            return TALLY_ERR_LIMIT;
        }
        out->kind = kind;
        out->data = body;
        out->len = bn;
        return TALLY_OK;
    }
}
