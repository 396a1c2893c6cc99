/* json.c -- an iterative, depth-limited parser for one JSONL line. */
#include "io/json.h"
#include "util/utf8.h"
#include "io/limits.h"
#include <stdio.h>
#include <string.h>

typedef struct jp {
    const char *p;
    size_t n, i;
    size_t err_at;
    char *msg;
    size_t msg_cap;
    int nomem;
} jp;

static tally_status jerr(jp *j, size_t at, const char *what) {
    j->err_at = at;
    if (at < j->n) {
        unsigned c = (unsigned char)j->p[at];
        if (c >= 0x20 && c < 0x7f)
            snprintf(j->msg, j->msg_cap, "%s (found '%c')", what, (char)c);
        else
            snprintf(j->msg, j->msg_cap, "%s (found byte 0x%02x)", what, c);
    } else {
        snprintf(j->msg, j->msg_cap, "%s (found end of line)", what);
    }
    return TALLY_ERR_JSON;
}

static void skip_ws(jp *j) {
    while (j->i < j->n) {
        char c = j->p[j->i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
        j->i++;
    }
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int read_u4(jp *j, size_t at, unsigned *out) {
    if (at + 4 > j->n) return 0;
    unsigned v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(j->p[at + k]);
        if (h < 0) return 0;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return 1;
}

/* Where a decoded string goes: a buffer, a small key array, or nowhere. */
typedef struct sink {
    tly_buf *buf;
    char *key;
    size_t key_cap, len;
    size_t nul_at;
} sink;

static void put(jp *j, sink *s, const char *b, size_t k) {
    if (s->buf) {
        if (!tly_buf_put(s->buf, b, k)) j->nomem = 1;
    } else if (s->key) {
        for (size_t x = 0; x < k; x++)
            if (s->len + x < s->key_cap) s->key[s->len + x] = b[x];
    }
    s->len += k;
}

static void put_cp(jp *j, sink *s, unsigned cp) {
    char u[4];
    put(j, s, u, tly_utf8_encode(cp, u));
}

/* At j->i is the opening quote. Decodes into s. */
static tally_status parse_string(jp *j, sink *s) {
    size_t start = j->i;
    j->i++;
    for (;;) {
        /* copy a run of plain bytes at once */
        size_t r = j->i;
        while (r < j->n) {
            unsigned char c = (unsigned char)j->p[r];
            if (c == '"' || c == '\\' || c < 0x20) break;
            r++;
        }
        if (r > j->i) put(j, s, j->p + j->i, r - j->i);
        j->i = r;
        if (j->i >= j->n) return jerr(j, start, "unterminated string");
        unsigned char c = (unsigned char)j->p[j->i];
        if (c == '"') { j->i++; return TALLY_OK; }
        if (c < 0x20) return jerr(j, j->i, "control character in a string");
        /* backslash */
        size_t esc = j->i;
        if (j->i + 1 >= j->n) return jerr(j, j->i + 1, "unterminated escape");
        char e = j->p[j->i + 1];
        j->i += 2;
        switch (e) {
        case '"': put(j, s, "\"", 1); break;
        case '\\': put(j, s, "\\", 1); break;
        case '/': put(j, s, "/", 1); break;
        case 'b': put(j, s, "\b", 1); break;
        case 'f': put(j, s, "\f", 1); break;
        case 'n': put(j, s, "\n", 1); break;
        case 'r': put(j, s, "\r", 1); break;
        case 't': put(j, s, "\t", 1); break;
        case 'u': {
            unsigned cp;
            if (!read_u4(j, j->i, &cp)) return jerr(j, esc, "bad \\u escape");
            j->i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (j->i + 6 <= j->n && j->p[j->i] == '\\' && j->p[j->i + 1] == 'u' &&
                    read_u4(j, j->i + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    j->i += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                    cp = 0xFFFD; /* unpaired high surrogate */
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD; /* unpaired low surrogate */
            }
            if (cp == 0 && s->nul_at == (size_t)-1) s->nul_at = esc;
            put_cp(j, s, cp);
            break;
        }
        default:
            return jerr(j, esc, "bad escape in a string");
        }
    }
}

static tally_status parse_number(jp *j) {
    size_t st = j->i, i = j->i;
    const char *p = j->p;
    if (i < j->n && p[i] == '-') i++;
    if (i < j->n && p[i] == '0') i++;
    else if (i < j->n && p[i] >= '1' && p[i] <= '9') { while (i < j->n && p[i] >= '0' && p[i] <= '9') i++; }
    else return jerr(j, i, "bad number");
    if (i < j->n && p[i] == '.') {
        i++;
        if (!(i < j->n && p[i] >= '0' && p[i] <= '9')) return jerr(j, i, "bad number");
        while (i < j->n && p[i] >= '0' && p[i] <= '9') i++;
    }
    if (i < j->n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < j->n && (p[i] == '+' || p[i] == '-')) i++;
        if (!(i < j->n && p[i] >= '0' && p[i] <= '9')) return jerr(j, i, "bad number");
        while (i < j->n && p[i] >= '0' && p[i] <= '9') i++;
    }
    (void)st;
    j->i = i;
    return TALLY_OK;
}

static int field_of(const char *k, size_t n) {
    static const char *names[TLY_JF_N] = {"text", "id", "published", "title", "source", "url"};
    for (int f = 0; f < TLY_JF_N; f++)
        if (strlen(names[f]) == n && memcmp(names[f], k, n) == 0) return f;
    return -1;
}

enum { S_KEY_OR_END, S_KEY, S_COLON, S_VALUE, S_VALUE_OR_END, S_COMMA_OR_END };

tally_status tly_json_parse_line(const char *line, size_t n, tly_buf *out, tly_json_doc *d,
                                 size_t *err_at, char *msg, size_t msg_cap) {
    jp j = {line, n, 0, 0, msg, msg_cap, 0};
    char stack[TLY_JSON_MAX_DEPTH];
    size_t depth = 0;
    int field = -1; /* the known key whose value comes next (depth 1 only) */
    tally_status st = TALLY_OK;
    memset(d, 0, sizeof *d);
    d->nul_at = (size_t)-1;
    msg[0] = 0;

    skip_ws(&j);
    if (j.i >= n || line[j.i] != '{') {
        st = jerr(&j, j.i, "the line is not a JSON object");
        goto done;
    }
    stack[depth++] = '{';
    j.i++;
    int state = S_KEY_OR_END;
    while (depth > 0) {
        skip_ws(&j);
        if (j.nomem) return TALLY_ERR_NOMEM;
        char c = j.i < n ? line[j.i] : 0;
        int at_end = j.i >= n;
        switch (state) {
        case S_KEY_OR_END:
            if (!at_end && c == '}') goto close;
            /* fall through */
        case S_KEY: {
            if (at_end || c != '"') { st = jerr(&j, j.i, "expected a key string"); goto done; }
            char key[16];
            sink s = {NULL, key, sizeof key, 0, (size_t)-1};
            st = parse_string(&j, &s);
            if (st) goto done;
            field = (depth == 1 && s.len <= sizeof key) ? field_of(key, s.len) : -1;
            state = S_COLON;
            break;
        }
        case S_COLON:
            if (at_end || c != ':') { st = jerr(&j, j.i, "expected ':' after a key"); goto done; }
            j.i++;
            state = S_VALUE;
            break;
        case S_VALUE_OR_END:
            if (!at_end && c == ']') goto close;
            /* fall through */
        case S_VALUE: {
            int f = field;
            field = -1;
            if (at_end) { st = jerr(&j, j.i, "expected a value"); goto done; }
            if (c == '{' || c == '[') {
                if (depth >= TLY_JSON_MAX_DEPTH) {
                    j.err_at = j.i;
                    snprintf(msg, msg_cap, "JSON nested deeper than %d", TLY_JSON_MAX_DEPTH);
                    st = TALLY_ERR_JSON;
                    goto done;
                }
                if (f >= 0) d->f[f].not_string = 1;
                stack[depth++] = c;
                j.i++;
                state = c == '{' ? S_KEY_OR_END : S_VALUE_OR_END;
                break;
            }
            if (c == '"') {
                sink s = {f >= 0 ? out : NULL, NULL, 0, 0, (size_t)-1};
                size_t off = out->len;
                st = parse_string(&j, &s);
                if (st) goto done;
                if (j.nomem) return TALLY_ERR_NOMEM;
                if (f >= 0) {
                    d->f[f].present = 1;
                    d->f[f].not_string = 0;
                    d->f[f].off = off;
                    d->f[f].len = s.len;
                    if (f == TLY_JF_TEXT) d->nul_at = s.nul_at;
                }
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                size_t b = j.i;
                st = parse_number(&j);
                if (st) goto done;
                if (f == TLY_JF_ID) {
                    size_t off = out->len;
                    if (!tly_buf_put(out, line + b, j.i - b)) return TALLY_ERR_NOMEM;
                    d->f[f].present = 1;
                    d->f[f].not_string = 0;
                    d->f[f].off = off;
                    d->f[f].len = j.i - b;
                } else if (f >= 0) {
                    d->f[f].not_string = 1;
                }
            } else if (n - j.i >= 4 && memcmp(line + j.i, "true", 4) == 0) {
                j.i += 4;
                if (f >= 0) d->f[f].not_string = 1;
            } else if (n - j.i >= 5 && memcmp(line + j.i, "false", 5) == 0) {
                j.i += 5;
                if (f >= 0) d->f[f].not_string = 1;
            } else if (n - j.i >= 4 && memcmp(line + j.i, "null", 4) == 0) {
                j.i += 4; /* null: as if absent */
                if (f >= 0) { d->f[f].present = 0; d->f[f].not_string = 0; }
            } else {
                st = jerr(&j, j.i, "expected a value");
                goto done;
            }
            state = S_COMMA_OR_END;
            break;
        }
        case S_COMMA_OR_END:
            if (!at_end && c == ',') {
                j.i++;
                state = stack[depth - 1] == '{' ? S_KEY : S_VALUE;
                break;
            }
            if (!at_end && (c == '}' || c == ']')) goto close;
            st = jerr(&j, j.i, stack[depth - 1] == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
            goto done;
        }
        continue;
    close:
        if ((c == '}') != (stack[depth - 1] == '{')) {
            st = jerr(&j, j.i, "mismatched bracket");
            goto done;
        }
        j.i++;
        depth--;
        state = S_COMMA_OR_END;
    }
    skip_ws(&j);
    if (j.i < n) st = jerr(&j, j.i, "unexpected characters after the object");
done:
    *err_at = j.err_at;
    return st;
}
