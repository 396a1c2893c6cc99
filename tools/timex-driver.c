/* timex-driver -- development driver of the temporal tagger.
 *
 *   timex-driver [--data DIR] [--ref YYYY-MM-DD] [FILE.jsonl]
 *
 * Reads JSON Lines documents ({"id", "published", "text", ...}; other keys
 * are skipped) from FILE or stdin and prints one line per temporal
 * expression, in the format of the TempEval gold files:
 *   {"doc","start","end","text","type","value","first","last","flags"}
 * start/end are byte offsets into the decoded text. --ref overrides the
 * documents' "published" date. With --text, reads plain text instead. */
#include "extract/timex.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *p; size_t n, cap; } sbuf;

static int sb_put(sbuf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        while (nc < b->n + n + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) return -1;
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

static void put_utf8(sbuf *b, unsigned long cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    sb_put(b, u, n);
}

static int hex4(const char *s, unsigned long *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        *v <<= 4;
        if (c >= '0' && c <= '9') *v |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f') *v |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *v |= (unsigned long)(c - 'A' + 10);
        else return -1;
    }
    return 0;
}

/* Decodes the JSON string at *pp (after the opening quote) into b. */
static int json_string(const char **pp, const char *end, sbuf *b) {
    const char *p = *pp;
    b->n = 0;
    sb_put(b, "", 0);
    while (p < end && *p != '"') {
        if (*p != '\\') {
            const char *q = p;
            while (q < end && *q != '"' && *q != '\\') q++;
            sb_put(b, p, (size_t)(q - p));
            p = q;
            continue;
        }
        p++;
        if (p >= end) return -1;
        char e = *p++;
        switch (e) {
        case 'n': sb_put(b, "\n", 1); break;
        case 't': sb_put(b, "\t", 1); break;
        case 'r': sb_put(b, "\r", 1); break;
        case 'b': sb_put(b, "\b", 1); break;
        case 'f': sb_put(b, "\f", 1); break;
        case '/': sb_put(b, "/", 1); break;
        case '\\': sb_put(b, "\\", 1); break;
        case '"': sb_put(b, "\"", 1); break;
        case 'u': {
            unsigned long cp, lo;
            if (end - p < 4 || hex4(p, &cp)) return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && !hex4(p + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else cp = 0xFFFD;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) cp = 0xFFFD;
            put_utf8(b, cp);
            break;
        }
        default: return -1;
        }
    }
    if (p >= end) return -1;
    *pp = p + 1;
    return 0;
}

static const char *skip_ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

/* Skips one JSON value (not a string key). */
static const char *skip_value(const char *p, const char *end, sbuf *tmp) {
    p = skip_ws(p, end);
    if (p >= end) return NULL;
    if (*p == '"') { p++; return json_string(&p, end, tmp) ? NULL : p; }
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (p < end) {
            if (*p == '"') { p++; if (json_string(&p, end, tmp)) return NULL; continue; }
            if (*p == '{' || *p == '[') depth++;
            else if (*p == '}' || *p == ']') { if (--depth == 0) return p + 1; }
            p++;
        }
        return NULL;
    }
    while (p < end && *p != ',' && *p != '}' && *p != ']') p++;
    return p;
}

static void json_out(const char *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { putchar('\\'); putchar(c); }
        else if (c == '\n') fputs("\\n", stdout);
        else if (c == '\t') fputs("\\t", stdout);
        else if (c == '\r') fputs("\\r", stdout);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

/* "YYYY", "YYYY-MM", "YYYY-MM-DD..." (local: the driver links without the public API) */
static int date_parse(const char *s, size_t n, tally_date *d) {
    int v[3] = {0, 0, 0}, k = 0;
    size_t i = 0;
    memset(d, 0, sizeof *d);
    while (k < 3) {
        size_t st = i;
        int x = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 4) x = x * 10 + (s[i++] - '0');
        if (i == st) break;
        v[k++] = x;
        if (i < n && s[i] == '-') i++; else break;
    }
    if (!k || v[0] < 1 || v[1] > 12 || v[2] > 31) return 0;
    d->year = (int16_t)v[0]; d->month = (int8_t)v[1]; d->day = (int8_t)v[2];
    return 1;
}

static void date_format(tally_date d, char *b, size_t cap) {
    if (!d.year) b[0] = 0;
    else if (!d.month) snprintf(b, cap, "%04d", d.year);
    else if (!d.day) snprintf(b, cap, "%04d-%02d", d.year, d.month);
    else snprintf(b, cap, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static const char *TYPES[] = {"DATE", "TIME", "DURATION", "SET"};

static void run(const tly_timex_rules *r, const char *id, const char *text, size_t len, tally_date ref) {
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_timex *x;
    size_t n;
    if (tly_timex_tag(r, &a, text, len, ref, &x, &n)) { fprintf(stderr, "%s: out of memory\n", id); n = 0; }
    for (size_t i = 0; i < n; i++) {
        char f[24], l[24];
        date_format(x[i].pub.first, f, sizeof f);
        date_format(x[i].pub.last, l, sizeof l);
        printf("{\"doc\": ");
        json_out(id, strlen(id));
        printf(", \"start\": %zu, \"end\": %zu, \"text\": ", x[i].pub.start, x[i].pub.end);
        json_out(text + x[i].pub.start, x[i].pub.end - x[i].pub.start);
        printf(", \"type\": \"%s\", \"value\": ", TYPES[x[i].pub.type]);
        json_out(x[i].pub.value, strlen(x[i].pub.value));
        printf(", \"first\": \"%s\", \"last\": \"%s\", \"flags\": %u}\n", f, l, x[i].flags);
    }
    tally_date dl;
    if (getenv("TIMEX_DATELINE") && tly_timex_dateline(r, text, len, &dl))
        printf("{\"doc\": \"%s\", \"dateline\": \"%04d-%02d-%02d\"}\n", id, dl.year, dl.month, dl.day);
    tly_arena_free(&a);
}

int main(int argc, char **argv) {
    const char *data_dir = NULL, *file = NULL;
    tally_date force = {0, 0, 0};
    int have_force = 0, plain = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc) data_dir = argv[++i];
        else if (!strcmp(argv[i], "--ref") && i + 1 < argc) {
            const char *s = argv[++i];
            if (!date_parse(s, strlen(s), &force)) { fprintf(stderr, "bad --ref\n"); return 2; }
            have_force = 1;
        } else if (!strcmp(argv[i], "--text")) plain = 1;
        else if (argv[i][0] == '-' && argv[i][1]) { fprintf(stderr, "usage: timex-driver [--data DIR] [--ref DATE] [--text] [FILE]\n"); return 2; }
        else file = argv[i];
    }
    FILE *in = file ? fopen(file, "rb") : stdin;
    if (!in) { perror(file); return 1; }
    tally_error err;
    tly_timex_rules *r = tly_timex_rules_load(data_dir, "en", NULL, &err);
    if (!r) { fprintf(stderr, "timex-driver: %s\n", err.message); return 1; }
    sbuf line = {0}, id = {0}, pub = {0}, text = {0}, tmp = {0};
    if (plain) {
        char buf[65536];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, in)) > 0) sb_put(&text, buf, k);
        run(r, file ? file : "-", text.p ? text.p : "", text.n, force);
    } else {
        int c;
        long lineno = 0;
        for (;;) {
            line.n = 0;
            while ((c = getc(in)) != EOF && c != '\n') { char ch = (char)c; sb_put(&line, &ch, 1); }
            if (c == EOF && line.n == 0) break;
            lineno++;
            const char *p = line.p, *end = line.p + line.n;
            p = skip_ws(p, end);
            if (p >= end || *p != '{') continue;
            p++;
            int ok = 1, has_text = 0;
            id.n = pub.n = 0;
            sb_put(&id, "", 0);
            sb_put(&pub, "", 0);
            for (;;) {
                p = skip_ws(p, end);
                if (p < end && *p == '}') break;
                if (p >= end || *p != '"') { ok = 0; break; }
                p++;
                if (json_string(&p, end, &tmp)) { ok = 0; break; }
                char key[32];
                snprintf(key, sizeof key, "%s", tmp.p);
                p = skip_ws(p, end);
                if (p >= end || *p != ':') { ok = 0; break; }
                p = skip_ws(p + 1, end);
                sbuf *dst = !strcmp(key, "id") ? &id : !strcmp(key, "published") ? &pub : !strcmp(key, "text") ? &text : NULL;
                if (dst && p < end && *p == '"') {
                    p++;
                    if (json_string(&p, end, dst)) { ok = 0; break; }
                    if (dst == &text) has_text = 1;
                } else if (!(p = skip_value(p, end, &tmp))) { ok = 0; break; }
                p = skip_ws(p, end);
                if (p < end && *p == ',') p++;
            }
            if (!ok || !has_text) { fprintf(stderr, "line %ld: not a document\n", lineno); continue; }
            tally_date ref = {0, 0, 0};
            if (have_force) ref = force;
            else if (pub.n) date_parse(pub.p, pub.n, &ref);
            run(r, id.n ? id.p : "?", text.p, text.n, ref);
        }
    }
    free(line.p); free(id.p); free(pub.p); free(text.p); free(tmp.p);
    tly_timex_rules_free(r);
    if (in != stdin) fclose(in);
    return 0;
}
