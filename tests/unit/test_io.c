/* test_io.c -- the readers: JSONL, HTML, plain text, gzip, WARC, directories,
 * and hostile input. Returns non-zero on failure, 77 when skipped. With
 * TALLY_SHARED set, also reads the shared WARC files and corpora. */
#include "tally.h"
#include "io/reader.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static int failures = 0, checks = 0;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        checks++;                                                            \
        if (!(cond)) {                                                       \
            failures++;                                                      \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

/* ------------------------------------------------------------ collecting */

#define MAXR 64
typedef struct item {
    tally_status st;
    char id[256];
    char *text;
    size_t text_len;
    char title[256], url[256], source[256];
    tally_date pub;
    uint64_t input_offset;
    tally_error err;
} item;

typedef struct run {
    item it[MAXR];
    size_t n;     /* results kept (docs and errors) */
    size_t docs, errors, total;
    tally_status last_st; /* the last result, even past MAXR */
    tally_error last_err;
} run;

static void run_free(run *r) {
    for (size_t i = 0; i < r->n; i++) free(r->it[i].text);
    memset(r, 0, sizeof *r);
}

static void copy_str(char *dst, size_t cap, tally_str s) {
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    if (n) memcpy(dst, s.ptr, n);
    dst[n] = 0;
}

static void drain(tally_reader *rd, run *r) {
    memset(r, 0, sizeof *r);
    tally_doc d;
    tally_error e;
    tally_status st;
    while ((st = tally_reader_next(rd, &d, &e)) != TALLY_DONE) {
        r->total++;
        if (st == TALLY_OK) r->docs++;
        else r->errors++;
        r->last_st = st;
        r->last_err = e;
        if (r->total > 1000000) break; /* no endless loops */
        if (r->n >= MAXR) continue;
        item *it = &r->it[r->n++];
        it->st = st;
        it->err = e;
        if (st == TALLY_OK) {
            copy_str(it->id, sizeof it->id, d.id);
            copy_str(it->title, sizeof it->title, d.title);
            copy_str(it->url, sizeof it->url, d.url);
            copy_str(it->source, sizeof it->source, d.source);
            it->text = malloc(d.text.len + 1);
            if (d.text.len) memcpy(it->text, d.text.ptr, d.text.len);
            it->text[d.text.len] = 0;
            it->text_len = d.text.len;
            it->pub = d.published;
            it->input_offset = d.input_offset;
        }
    }
}

static int read_mem(const char *name, const char *data, size_t len, run *r, size_t max_doc) {
    tally_reader *rd;
    tally_error e;
    if (tally_reader_open_memory(name, data, len, NULL, &rd, &e) != TALLY_OK) return 0;
    if (max_doc) tly_reader_set_max_doc_bytes(rd, max_doc);
    drain(rd, r);
    tally_reader_close(rd);
    return 1;
}

static int read_path(const char *path, run *r) {
    tally_reader *rd;
    tally_error e;
    memset(r, 0, sizeof *r);
    if (tally_reader_open(path, NULL, &rd, &e) != TALLY_OK) return 0;
    drain(rd, r);
    tally_reader_close(rd);
    return 1;
}

static const char *sname(tally_status s) {
    static const char *n[] = {"OK", "DONE", "NOMEM", "IO", "UTF8", "BINARY", "EMPTY", "JSON",
                              "HTML", "GZIP", "WARC", "LIMIT", "DATA", "USAGE"};
    return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "?";
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* gzip of data as one member. */
static unsigned char *gzip_mem(const void *data, size_t n, size_t *out_len) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

/* A growable string for building inputs. */
typedef struct sb { char *p; size_t n, cap; } sb;
static void sb_put(sb *b, const void *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 1024;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void sb_puts(sb *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_rep(sb *b, const char *s, size_t times) { for (size_t i = 0; i < times; i++) sb_puts(b, s); }

static char data_dir[1024];

static int find_data_dir(void) {
    const char *src = getenv("TALLY_SOURCE_DIR");
    const char *cands[] = {src, ".", "..", "../..", "../../.."};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        if (!cands[i]) continue;
        snprintf(data_dir, sizeof data_dir, "%s/tests/data/io", cands[i]);
        struct stat st;
        if (stat(data_dir, &st) == 0 && S_ISDIR(st.st_mode)) return 1;
    }
    data_dir[0] = 0;
    return 0;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    sb b = {0};
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) sb_put(&b, buf, k);
    fclose(f);
    if (!b.p) sb_put(&b, "", 0);
    *len = b.n;
    return b.p;
}

static void write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) { fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno)); failures++; return; }
    fwrite(data, 1, n, f);
    fclose(f);
}

/* ------------------------------------------------------------ tests */

static void test_jsonl_mixed(void) {
    const char *in =
        "{\"id\": \"a1\", \"text\": \"First \\\"doc\\\".\\nLine two.\", \"published\": \"2020-10-04T08:00:00Z\", "
        "\"title\": \"T1\", \"source\": \"S1\", \"url\": \"http://x.example/1\", \"extra\": [1, {\"k\": null}]}\n"
        "this is not json\n"
        "[1, 2, 3]\n"
        "{\"id\": \"no-text\", \"title\": \"x\"}\n"
        "\n"
        "   \n"
        "{\"text\": \"caf\\u00e9 \\ud83d\\ude00 lone \\udc00 end\"}\n"
        "{\"id\": 42, \"text\": 7}\n"
        "{\"id\": 43, \"text\": \"numeric id\"} trailing\n"
        "{\"id\": 44, \"text\": \"crlf line\"}\r\n"
        "{\"text\": \"\"}\n"
        "{\"text\": \"bad escape \\q\"}\n"
        "{\"text\": \"last line without newline\", \"id\": 1.5e3}";
    run r;
    read_mem("mixed.jsonl", in, strlen(in), &r, 0);
    static const tally_status want[] = {TALLY_OK, TALLY_ERR_JSON, TALLY_ERR_JSON, TALLY_ERR_JSON, TALLY_OK,
                                        TALLY_ERR_JSON, TALLY_ERR_JSON, TALLY_OK, TALLY_ERR_EMPTY,
                                        TALLY_ERR_JSON, TALLY_OK};
    size_t nw = sizeof want / sizeof want[0];
    CHECK(r.n == nw, "got %zu results, want %zu", r.n, nw);
    for (size_t i = 0; i < r.n && i < nw; i++)
        CHECK(r.it[i].st == want[i], "result %zu: %s, want %s (%s)", i, sname(r.it[i].st), sname(want[i]),
              r.it[i].err.message);
    if (r.n < nw) { run_free(&r); return; }
    item *a = &r.it[0];
    CHECK(strcmp(a->id, "a1") == 0, "id %s", a->id);
    CHECK(strcmp(a->text, "First \"doc\".\nLine two.") == 0, "text [%s]", a->text);
    CHECK(a->pub.year == 2020 && a->pub.month == 10 && a->pub.day == 4, "published %d-%d-%d", a->pub.year,
          a->pub.month, a->pub.day);
    CHECK(strcmp(a->title, "T1") == 0 && strcmp(a->source, "S1") == 0 && strcmp(a->url, "http://x.example/1") == 0,
          "meta %s %s %s", a->title, a->source, a->url);
    CHECK(a->input_offset == 0, "offset %llu", (unsigned long long)a->input_offset);
    /* "this is not json" is line 2, at byte = length of line 1 + 1 */
    size_t l1 = (size_t)(strchr(in, '\n') - in) + 1;
    CHECK(r.it[1].err.has_offset && r.it[1].err.offset == l1, "offset %llu want %zu",
          (unsigned long long)r.it[1].err.offset, l1);
    CHECK(strcmp(r.it[1].err.doc, "mixed.jsonl:2") == 0, "doc %s", r.it[1].err.doc);
    CHECK(strstr(r.it[1].err.message, "line 2") != NULL, "message %s", r.it[1].err.message);
    CHECK(strcmp(r.it[3].err.doc, "no-text") == 0, "doc %s", r.it[3].err.doc);
    item *u = &r.it[4];
    CHECK(strcmp(u->text, "caf\xc3\xa9 \xf0\x9f\x98\x80 lone \xef\xbf\xbd end") == 0, "unicode [%s]", u->text);
    CHECK(strcmp(u->id, "mixed:7") == 0, "id %s", u->id);
    CHECK(strstr(r.it[5].err.message, "not a string") != NULL, "message %s", r.it[5].err.message);
    CHECK(strcmp(r.it[7].id, "44") == 0 && strcmp(r.it[7].text, "crlf line") == 0, "crlf %s [%s]", r.it[7].id,
          r.it[7].text);
    CHECK(strcmp(r.it[10].id, "1.5e3") == 0, "id %s", r.it[10].id);
    /* the error offset of the bad escape points at the backslash */
    const char *bad = strstr(in, "\\q");
    CHECK(r.it[9].err.offset == (uint64_t)(bad - in), "offset %llu want %zu",
          (unsigned long long)r.it[9].err.offset, (size_t)(bad - in));
    run_free(&r);
}

static void test_jsonl_deep(void) {
    for (int kind = 0; kind < 2; kind++) {
        sb b = {0};
        sb_puts(&b, "{\"text\": \"before\"}\n{\"text\": \"deep\", \"x\": ");
        size_t depth = 100000;
        if (kind == 0) {
            sb_rep(&b, "[", depth);
            sb_rep(&b, "]", depth);
        } else {
            sb_rep(&b, "{\"a\":", depth);
            sb_puts(&b, "1");
            sb_rep(&b, "}", depth);
        }
        sb_puts(&b, "}\n{\"text\": \"after\"}\n");
        double t0 = now();
        run r;
        read_mem("deep.jsonl", b.p, b.n, &r, 0);
        double dt = now() - t0;
        CHECK(r.n == 3, "results %zu", r.n);
        if (r.n == 3) {
            CHECK(r.it[0].st == TALLY_OK && r.it[2].st == TALLY_OK, "%s %s", sname(r.it[0].st), sname(r.it[2].st));
            CHECK(r.it[1].st == TALLY_ERR_JSON, "%s", sname(r.it[1].st));
            CHECK(strstr(r.it[1].err.message, "deeper") != NULL, "message %s", r.it[1].err.message);
            CHECK(strcmp(r.it[2].text, "after") == 0, "text %s", r.it[2].text);
        }
        CHECK(dt < 10.0, "took %.2fs", dt);
        run_free(&r);
        free(b.p);
    }
    /* 64 levels are fine, 65 are not */
    for (int d = 63; d <= 64; d++) {
        sb b = {0};
        sb_puts(&b, "{\"text\": \"t\", \"x\": ");
        sb_rep(&b, "[", (size_t)d);
        sb_rep(&b, "]", (size_t)d);
        sb_puts(&b, "}\n");
        run r;
        read_mem("d.jsonl", b.p, b.n, &r, 0);
        CHECK(r.n == 1 && r.it[0].st == (d == 63 ? TALLY_OK : TALLY_ERR_JSON), "depth %d: %s", d + 1,
              r.n ? sname(r.it[0].st) : "-");
        run_free(&r);
        free(b.p);
    }
}

static void test_jsonl_limit(void) {
    sb b = {0};
    sb_puts(&b, "{\"text\": \"short one\"}\n{\"text\": \"");
    sb_rep(&b, "x", 5000);
    sb_puts(&b, "\"}\n{\"text\": \"short two\"}\n");
    run r;
    read_mem("lim.jsonl", b.p, b.n, &r, 1000);
    CHECK(r.n == 3, "results %zu", r.n);
    if (r.n == 3) {
        CHECK(r.it[0].st == TALLY_OK && r.it[1].st == TALLY_ERR_LIMIT && r.it[2].st == TALLY_OK, "%s %s %s",
              sname(r.it[0].st), sname(r.it[1].st), sname(r.it[2].st));
        CHECK(strcmp(r.it[2].text, "short two") == 0, "text %s", r.it[2].text);
        CHECK(strcmp(r.it[2].id, "lim:3") == 0, "id %s", r.it[2].id);
        CHECK(r.it[1].err.offset == 22, "offset %llu", (unsigned long long)r.it[1].err.offset);
    }
    run_free(&r);
    free(b.p);
}

static void test_text(void) {
    run r;
    /* CRLF kept, BOM skipped */
    const char *t = "\xEF\xBB\xBFLine one.\r\nLine two.\r\n";
    read_mem("crlf.txt", t, strlen(t), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK, "crlf %s", r.n ? sname(r.it[0].st) : "-");
    if (r.n == 1 && r.it[0].st == TALLY_OK) {
        CHECK(strcmp(r.it[0].text, "Line one.\r\nLine two.\r\n") == 0, "text [%s]", r.it[0].text);
        CHECK(strcmp(r.it[0].id, "crlf") == 0, "id %s", r.it[0].id);
        CHECK(r.it[0].input_offset == 3, "offset %llu", (unsigned long long)r.it[0].input_offset);
    }
    run_free(&r);

    /* invalid UTF-8 */
    const char *u = "Good text, then a bad byte: \xC3\x28 here.";
    read_mem("bad.txt", u, strlen(u), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_UTF8, "utf8 %s", r.n ? sname(r.it[0].st) : "-");
    if (r.n == 1) {
        CHECK(r.it[0].err.has_offset && r.it[0].err.offset == 28, "offset %llu", (unsigned long long)r.it[0].err.offset);
        CHECK(strstr(r.it[0].err.message, "invalid UTF-8 at byte 28") != NULL, "message %s", r.it[0].err.message);
        CHECK(strcmp(r.it[0].err.doc, "bad.txt") == 0, "doc %s", r.it[0].err.doc);
    }
    run_free(&r);

    /* NUL bytes */
    const char nul[] = "some text\0more text";
    read_mem("nul.txt", nul, sizeof nul - 1, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_BINARY && r.it[0].err.offset == 9, "nul %s",
          r.n ? sname(r.it[0].st) : "-");
    run_free(&r);

    /* ELF, PNG, PDF, ZIP; gzip in a .txt */
    const char *magics[] = {"\177ELF\x02\x01\x01", "\x89PNG\r\n\x1a\nxxxx", "%PDF-1.7\nabc", "PK\x03\x04zzzz",
                            "\x1f\x8b\x08\x00"};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        read_mem("bin.txt", magics[i], strlen(magics[i]), &r, 0);
        CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_BINARY, "magic %zu: %s", i, r.n ? sname(r.it[0].st) : "-");
        run_free(&r);
    }
    /* an ELF header without an extension */
    read_mem("prog", magics[0], 7, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_BINARY, "elf %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);

    /* empty and blank */
    read_mem("empty.txt", "", 0, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_EMPTY, "empty %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);
    read_mem("blank.txt", " \n\t\r\n", 5, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_EMPTY, "blank %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);
    read_mem("empty.jsonl", "", 0, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_EMPTY, "empty jsonl %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);

    /* too big */
    sb b = {0};
    sb_rep(&b, "word ", 1000);
    read_mem("big.txt", b.p, b.n, &r, 1000);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_LIMIT, "limit %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);
    free(b.p);
}

static void test_sniff(void) {
    run r;
    const char *j = "  {\"text\": \"sniffed json\"}\n";
    read_mem("stdin", j, strlen(j), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, "sniffed json") == 0, "json sniff");
    run_free(&r);
    const char *h = "<!DOCTYPE html><html><body><p>Sniffed page.</p></body></html>";
    read_mem("page", h, strlen(h), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, "Sniffed page.") == 0, "html sniff [%s]",
          r.n && r.it[0].text ? r.it[0].text : "");
    run_free(&r);
    const char *t = "<not html> just a note";
    read_mem("note", t, strlen(t), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, t) == 0, "text sniff");
    run_free(&r);
    /* a BOM before the first JSON line */
    const char *bj = "\xEF\xBB\xBF{\"text\": \"bom\"}\r\n{\"text\": \"two\"}";
    read_mem("b.jsonl", bj, strlen(bj), &r, 0);
    CHECK(r.n == 2 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, "bom") == 0 && r.it[0].input_offset == 3 &&
              r.it[1].st == TALLY_OK && r.it[1].input_offset == 20,
          "bom jsonl");
    run_free(&r);
    /* gzip without .gz: gunzipped, then sniffed */
    size_t gl;
    unsigned char *g = gzip_mem(j, strlen(j), &gl);
    read_mem("blob", (const char *)g, gl, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, "sniffed json") == 0, "gz sniff");
    run_free(&r);
    free(g);
}

static void test_html(void) {
    run r;
    char path[1200];
    snprintf(path, sizeof path, "%s/article.html", data_dir);
    if (!data_dir[0] || !read_path(path, &r)) {
        fprintf(stderr, "note: tests/data/io/article.html not found, HTML fixture test skipped\n");
        return;
    }
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK, "article %s %s", r.n ? sname(r.it[0].st) : "-",
          r.n ? r.it[0].err.message : "");
    if (r.n == 1 && r.it[0].st == TALLY_OK) {
        item *a = &r.it[0];
        CHECK(strcmp(a->id, "article") == 0, "id %s", a->id);
        CHECK(strcmp(a->title, "Flood damages bridge in Riverton") == 0, "title %s", a->title);
        CHECK(strcmp(a->source, "Example Gazette") == 0, "source %s", a->source);
        CHECK(strcmp(a->url, "https://gazette.example/riverton-flood") == 0, "url %s", a->url);
        CHECK(a->pub.year == 2021 && a->pub.month == 3 && a->pub.day == 14, "pub %d-%d-%d", a->pub.year, a->pub.month,
              a->pub.day);
        CHECK(strstr(a->text, "A flood on Saturday damaged the old stone bridge in Riverton, the town\xe2\x80\x99s mayor said.\n\n"
                              "Two people were injured & taken to hospital,\nofficials told reporters.") != NULL,
              "text [%s]", a->text);
        CHECK(strstr(a->text, "rose\xc2\xa0three") != NULL, "nbsp [%s]", a->text);
        CHECK(strstr(a->text, "Engineers will inspect the bridge next week.") != NULL, "last [%s]", a->text);
        const char *banned[] = {"SCRIPT", "STYLE", "HEADER", "NAV", "COOKIE", "ADVERT", "ASIDE", "SHARE",
                                "READMORE", "ALSOLIKE", "RELATED", "FORM", "FOOTER", "You Might", "Advertisement"};
        for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
            CHECK(strstr(a->text, banned[i]) == NULL, "boilerplate %s in [%s]", banned[i], a->text);
    }
    run_free(&r);

    /* dates from other places; <br><br>; no article element */
    const char *h =
        "<html><head><meta name=\"pubdate\" content=\"2019-02-03\"><title> Plain\n title </title></head>"
        "<body><div id=\"content\">First line<br>second line<br><br>new para</div>"
        "<div class=\"sidebar\">SIDEBAR</div><p>Read more</p></body></html>";
    read_mem("x.html", h, strlen(h), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK, "html2");
    if (r.n == 1 && r.it[0].st == TALLY_OK) {
        CHECK(strcmp(r.it[0].text, "First line\nsecond line\n\nnew para") == 0, "text [%s]", r.it[0].text);
        CHECK(strcmp(r.it[0].title, "Plain title") == 0, "title [%s]", r.it[0].title);
        CHECK(r.it[0].pub.year == 2019 && r.it[0].pub.month == 2 && r.it[0].pub.day == 3, "pub");
    }
    run_free(&r);

    const char *h3 = "<html><body><article><p>Story <time datetime=\"2018-07-01T10:00\">Sunday</time> text.</p>"
                     "</article><script type=\"application/ld+json\">{\"datePublished\": \"2017-01-01\"}</script>"
                     "</body></html>";
    read_mem("y.htm", h3, strlen(h3), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && r.it[0].pub.year == 2017, "ld+json date %d",
          r.n ? r.it[0].pub.year : 0);
    run_free(&r);

    /* HTML with no text */
    const char *h4 = "<html><head><title>t</title><script>x()</script></head><body> </body></html>";
    read_mem("z.html", h4, strlen(h4), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_HTML, "no text %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);

    /* latin-1 page */
    const char *h5 = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xe9 \x93quoted\x94</p></body></html>";
    read_mem("l.html", h5, strlen(h5), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d") == 0,
          "latin1 [%s]", r.n && r.it[0].text ? r.it[0].text : "");
    run_free(&r);

    /* invalid UTF-8 in a UTF-8 page */
    const char *h6 = "<html><body><p>bad \xff byte</p></body></html>";
    read_mem("u.html", h6, strlen(h6), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_UTF8 && r.it[0].err.offset == 19, "utf8 html %s %llu",
          r.n ? sname(r.it[0].st) : "-", r.n ? (unsigned long long)r.it[0].err.offset : 0ULL);
    run_free(&r);
}

static void test_html_hostile(void) {
    static const char *tags[] = {"div", "span", "b", "table", "p", "a", "li", "div/"};
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
        sb b = {0};
        sb_puts(&b, "<html><body>");
        char open[16];
        snprintf(open, sizeof open, "<%s>", tags[k]);
        sb_rep(&b, open, 100000);
        sb_puts(&b, "deep text");
        double t0 = now();
        run r;
        read_mem("deep.html", b.p, b.n, &r, 0);
        double dt = now() - t0;
        CHECK(r.n == 1, "%s: results %zu", tags[k], r.n);
        /* either refused (LIMIT) or read, never a crash, and fast */
        if (r.n == 1)
            CHECK(r.it[0].st == TALLY_ERR_LIMIT || r.it[0].st == TALLY_OK, "%s: %s", tags[k], sname(r.it[0].st));
        if (r.n == 1 && (strcmp(tags[k], "div") == 0 || strcmp(tags[k], "span") == 0))
            CHECK(r.it[0].st == TALLY_ERR_LIMIT && r.it[0].err.offset > 0, "%s: %s", tags[k], sname(r.it[0].st));
        CHECK(dt < 15.0, "%s: took %.2fs", tags[k], dt);
        run_free(&r);
        free(b.p);
    }
    /* an unclosed comment, and a stray '<' storm */
    const char *c = "<html><body><p>Visible text.</p><!-- never closed <p>hidden</p>";
    run r;
    read_mem("c.html", c, strlen(c), &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_OK && strcmp(r.it[0].text, "Visible text.") == 0, "comment [%s]",
          r.n && r.it[0].text ? r.it[0].text : "");
    run_free(&r);
    sb b = {0};
    sb_puts(&b, "<html><body><p>");
    sb_rep(&b, "<<!--<a b='", 50000);
    double t0 = now();
    read_mem("storm.html", b.p, b.n, &r, 0);
    CHECK(r.n == 1 && now() - t0 < 15.0, "storm");
    run_free(&r);
    free(b.p);
}

/* A small WARC: warcinfo, request, response (chunked HTML), metadata,
 * conversion (text), response (PNG, skipped), resource (text). */
static void test_warc(void) {
    char path[1200];
    snprintf(path, sizeof path, "%s/sample.warc", data_dir);
    size_t len = 0;
    char *w = data_dir[0] ? slurp(path, &len) : NULL;
    if (!w) {
        fprintf(stderr, "note: tests/data/io/sample.warc not found, WARC fixture tests skipped\n");
        return;
    }
    run r;
    read_mem("sample.warc", w, len, &r, 0);
    CHECK(r.n == 3 && r.docs == 3, "warc docs %zu results %zu", r.docs, r.n);
    if (r.n == 3) {
        CHECK(strcmp(r.it[0].id, "urn:uuid:00000000-0000-4000-8000-000000000003") == 0, "id %s", r.it[0].id);
        CHECK(strcmp(r.it[0].text, "A fire burned on the hill near Lowmoor.\n\nNo one was hurt.") == 0, "text [%s]",
              r.it[0].text);
        CHECK(strcmp(r.it[0].url, "http://news.example/fire") == 0, "url %s", r.it[0].url);
        CHECK(strcmp(r.it[0].title, "Hill fire") == 0, "title %s", r.it[0].title);
        CHECK(r.it[0].pub.year == 2021 && r.it[0].pub.month == 5 && r.it[0].pub.day == 1, "pub");
        CHECK(strncmp(w + r.it[0].input_offset, "WARC/1.0", 8) == 0, "offset %llu",
              (unsigned long long)r.it[0].input_offset);
        CHECK(strstr(r.it[1].text, "Three houses were damaged.") != NULL, "conversion [%s]", r.it[1].text);
        CHECK(r.it[1].pub.day == 2, "pub day %d", r.it[1].pub.day);
        CHECK(strcmp(r.it[2].url, "file:///notes.txt") == 0, "resource url %s", r.it[2].url);
    }
    run_free(&r);

    /* gzip, one member per record (as Common Crawl does it) */
    sb gz = {0};
    const char *p = w, *end = w + len;
    while (p < end) {
        const char *next = p + 1;
        const char *q;
        while ((q = memchr(next, 'W', (size_t)(end - next))) != NULL && strncmp(q, "WARC/1.0\r\n", 10) != 0) next = q + 1;
        const char *stop = q ? q : end;
        size_t gl;
        unsigned char *g = gzip_mem(p, (size_t)(stop - p), &gl);
        sb_put(&gz, g, gl);
        free(g);
        p = stop;
    }
    read_mem("sample.warc.gz", gz.p, gz.n, &r, 0);
    CHECK(r.n == 3 && r.docs == 3, "warc.gz docs %zu", r.docs);
    if (r.n == 3) CHECK(strcmp(r.it[1].id, "urn:uuid:00000000-0000-4000-8000-000000000005") == 0, "id %s", r.it[1].id);
    run_free(&r);

    /* truncated gzip: the members before the cut still come out */
    read_mem("cut.warc.gz", gz.p, gz.n - 30, &r, 0);
    CHECK(r.docs == 2 && r.errors == 1 && r.n == 3 && r.it[2].st == TALLY_ERR_GZIP, "cut gz: docs %zu errors %zu %s",
          r.docs, r.errors, r.n ? sname(r.it[r.n - 1].st) : "-");
    run_free(&r);
    free(gz.p);

    /* truncated WARC: cut inside the last record */
    read_mem("cut.warc", w, len - 20, &r, 0);
    CHECK(r.docs == 2 && r.errors == 1 && r.n == 3 && r.it[2].st == TALLY_ERR_WARC, "cut warc: docs %zu errors %zu",
          r.docs, r.errors);
    if (r.n == 3) {
        const char *last = w;
        while (last + 13 <= w + len && memcmp(last, "000000000007>", 13) != 0) last++;
        while (last > w && strncmp(last, "WARC/1.0", 8) != 0) last--;
        CHECK(r.it[2].err.offset == (uint64_t)(last - w), "offset %llu want %zu",
              (unsigned long long)r.it[2].err.offset, (size_t)(last - w));
        CHECK(strstr(r.it[2].err.doc, "000000000007") != NULL, "doc %s", r.it[2].err.doc);
    }
    run_free(&r);

    /* garbage between records: one error, then resync */
    sb g2 = {0};
    const char *third = strstr(w, "WARC/1.0\r\nWARC-Type: metadata");
    sb_put(&g2, w, (size_t)(third - w));
    sb_puts(&g2, "garbage line\r\nmore garbage\r\n");
    sb_put(&g2, third, len - (size_t)(third - w));
    read_mem("junk.warc", g2.p, g2.n, &r, 0);
    CHECK(r.docs == 3 && r.errors == 1, "junk: docs %zu errors %zu", r.docs, r.errors);
    run_free(&r);
    free(g2.p);
    free(w);
}

static void test_gzip(void) {
    const char *a = "{\"id\": \"g1\", \"text\": \"one\"}\n{\"id\": \"g2\", \"text\": \"two\"}\n";
    const char *b = "{\"id\": \"g3\", \"text\": \"three\"}\n";
    size_t la, lb;
    unsigned char *ga = gzip_mem(a, strlen(a), &la), *gb = gzip_mem(b, strlen(b), &lb);
    sb m = {0};
    sb_put(&m, ga, la);
    sb_put(&m, gb, lb);
    run r;
    read_mem("multi.jsonl.gz", m.p, m.n, &r, 0);
    CHECK(r.docs == 3 && r.errors == 0, "multi-member docs %zu errors %zu", r.docs, r.errors);
    if (r.n == 3) {
        CHECK(strcmp(r.it[2].id, "g3") == 0, "id %s", r.it[2].id);
        CHECK(r.it[2].input_offset == strlen(a), "offset %llu", (unsigned long long)r.it[2].input_offset);
    }
    run_free(&r);

    /* truncated: the complete lines before the damage come out */
    sb big = {0};
    for (int i = 0; i < 2000; i++) {
        char line[100];
        snprintf(line, sizeof line, "{\"id\": \"n%d\", \"text\": \"document number %d\"}\n", i, i * 7919);
        sb_puts(&big, line);
    }
    size_t gl;
    unsigned char *g = gzip_mem(big.p, big.n, &gl);
    read_mem("trunc.jsonl.gz", (const char *)g, gl / 2, &r, 0);
    CHECK(r.docs > 100 && r.docs < 2000 && r.errors == 1, "truncated: docs %zu errors %zu", r.docs, r.errors);
    CHECK(r.last_st == TALLY_ERR_GZIP, "last %s", sname(r.last_st));
    CHECK(r.last_err.has_offset && r.last_err.offset <= gl / 2, "offset %llu", (unsigned long long)r.last_err.offset);
    CHECK(strstr(r.last_err.message, "truncated") != NULL, "message %s", r.last_err.message);
    run_free(&r);

    /* corrupt in the middle */
    unsigned char *c = malloc(gl);
    memcpy(c, g, gl);
    for (size_t i = gl / 2; i < gl / 2 + 16; i++) c[i] ^= 0x5a;
    read_mem("corrupt.jsonl.gz", (const char *)c, gl, &r, 0);
    CHECK(r.errors >= 1 && r.total < 2000, "corrupt: docs %zu errors %zu", r.docs, r.errors);
    CHECK(r.last_st == TALLY_ERR_GZIP, "corrupt last %s (%s)", sname(r.last_st), r.last_err.message);
    run_free(&r);

    /* a .gz that is not gzip at all */
    read_mem("plain.txt.gz", "hello", 5, &r, 0);
    CHECK(r.n == 1 && r.it[0].st == TALLY_ERR_GZIP, "not gzip %s", r.n ? sname(r.it[0].st) : "-");
    run_free(&r);

    free(c);
    free(g);
    free(big.p);
    free(ga);
    free(gb);
    free(m.p);
}

static void test_dir(void) {
    char tmpl[] = "/tmp/tally-test-io-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) { CHECK(0, "mkdtemp: %s", strerror(errno)); return; }
    char p[1200];
    snprintf(p, sizeof p, "%s/sub", dir); mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/.git", dir); mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/b.txt", dir); write_file(p, "bee", 3);
    snprintf(p, sizeof p, "%s/a.txt", dir); write_file(p, "ay", 2);
    snprintf(p, sizeof p, "%s/sub/c.txt", dir); write_file(p, "sea", 3);
    snprintf(p, sizeof p, "%s/.hidden.txt", dir); write_file(p, "hidden", 6);
    snprintf(p, sizeof p, "%s/.git/config", dir); write_file(p, "hidden", 6);
    snprintf(p, sizeof p, "%s/z.jsonl", dir); write_file(p, "{\"text\": \"zed\"}\n\n{\"text\": \"zed2\"}\n", 34);
    snprintf(p, sizeof p, "%s/c-broken", dir);
    if (symlink("/nonexistent/tally/target", p) != 0) CHECK(0, "symlink: %s", strerror(errno));
    run r;
    CHECK(read_path(dir, &r), "open dir");
    const char *want[] = {"a", "b", "!", "c", "z:1", "z:3"};
    size_t nw = sizeof want / sizeof want[0];
    CHECK(r.n == nw, "dir results %zu", r.n);
    for (size_t i = 0; i < r.n && i < nw; i++) {
        if (want[i][0] == '!') {
            CHECK(r.it[i].st == TALLY_ERR_IO && strstr(r.it[i].err.doc, "c-broken") != NULL, "%zu: %s %s", i,
                  sname(r.it[i].st), r.it[i].err.doc);
        } else {
            CHECK(r.it[i].st == TALLY_OK && strcmp(r.it[i].id, want[i]) == 0, "%zu: %s id %s want %s", i,
                  sname(r.it[i].st), r.it[i].id, want[i]);
        }
    }
    run_free(&r);
    /* an unreadable file (only meaningful when not root) */
    if (geteuid() != 0) {
        snprintf(p, sizeof p, "%s/b.txt", dir);
        chmod(p, 0);
        read_path(dir, &r);
        CHECK(r.n == nw && r.it[1].st == TALLY_ERR_IO && r.it[3].st == TALLY_OK, "unreadable");
        run_free(&r);
        chmod(p, 0600);
    }
    /* a missing path */
    tally_reader *rd;
    tally_error e;
    snprintf(p, sizeof p, "%s/missing", dir);
    CHECK(tally_reader_open(p, NULL, &rd, &e) == TALLY_ERR_IO, "missing path");
    /* clean up */
    const char *files[] = {"b.txt", "a.txt", "sub/c.txt", ".hidden.txt", ".git/config", "z.jsonl", "c-broken"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/sub", dir); rmdir(p);
    snprintf(p, sizeof p, "%s/.git", dir); rmdir(p);
    rmdir(dir);
}

/* Memory stays flat on a file of many documents; time stays linear. */
static void test_stream_many(void) {
    sb b = {0};
    for (int i = 0; i < 20000; i++) {
        char line[200];
        snprintf(line, sizeof line, "{\"id\": %d, \"text\": \"Line %d says that %d people were hurt.\"}\n", i, i, i % 50);
        sb_puts(&b, line);
    }
    size_t gl;
    unsigned char *g = gzip_mem(b.p, b.n, &gl);
    double t0 = now();
    run r;
    read_mem("many.jsonl.gz", (const char *)g, gl, &r, 0);
    CHECK(r.docs == 20000 && r.errors == 0, "many: docs %zu errors %zu", r.docs, r.errors);
    CHECK(now() - t0 < 30.0, "many: slow");
    run_free(&r);
    free(g);
    free(b.p);
}

/* ------------------------------------------------------------ shared data */

static void shared_file(const char *shared, const char *rel, size_t want_docs, size_t want_errors) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", shared, rel);
    struct stat st;
    if (stat(p, &st) != 0) {
        fprintf(stderr, "note: %s missing, skipped\n", p);
        return;
    }
    run r;
    CHECK(read_path(p, &r), "open %s", p);
    CHECK(r.docs == want_docs && r.errors == want_errors, "%s: docs %zu errors %zu, want %zu and %zu", rel, r.docs,
          r.errors, want_docs, want_errors);
    for (size_t i = 0; i < r.n; i++)
        if (r.it[i].st != TALLY_OK)
            fprintf(stderr, "  %s: %s [%s] %s\n", rel, sname(r.it[i].st), r.it[i].err.doc, r.it[i].err.message);
    run_free(&r);
}

static void test_shared(const char *shared) {
    const char *cc = "warc/CC-MAIN-20140820021334-00006-ip-10-180-136-8.ec2.internal.warc";
    char p[300];
    shared_file(shared, cc, 3, 0);
    snprintf(p, sizeof p, "%s.wat", cc);
    shared_file(shared, p, 0, 0);
    snprintf(p, sizeof p, "%s.wet", cc);
    shared_file(shared, p, 3, 0);
    static const struct { const char *f; size_t docs, errors; } w[] = {
        {"bad.arc", 1, 0},
        {"example-bad-non-chunked.warc.gz", 1, 0},
        {"example-bad.warc.gz.bad", 1, 0},
        {"example-digest.warc", 0, 0},
        {"example-iana.org-chunked.warc", 1, 0},
        {"example-resource.warc.gz", 1, 0},
        {"example-space-in-target-uri.warc.gz", 0, 0},
        {"example-space-in-url.arc", 1, 0},
        {"example-trunc.warc", 1, 1},
        {"example-wget-bad-target-uri.warc.gz", 1, 0}, /* + 2 metadata:// resources, skipped */
        {"example-wrong-chunks.warc.gz", 1, 0},
        {"example.arc", 1, 0},
        {"example.arc.gz", 1, 0},
        {"example.warc", 1, 0},
        {"example.warc.gz", 1, 0},
        {"post-test.warc.gz", 0, 0},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        snprintf(p, sizeof p, "warc/warcio/%s", w[i].f);
        shared_file(shared, p, w[i].docs, w[i].errors);
    }
    shared_file(shared, "warc", 3 + 0 + 3 + 13, 1); /* the whole directory, recursively */
    shared_file(shared, "seeds/seeds.jsonl", 5, 0);
    shared_file(shared, "corpus/dailymail-2020-violence.jsonl", 268, 0);
    shared_file(shared, "corpus/wikipedia-nk2020.jsonl", 1, 0);
    shared_file(shared, "corpus", 269, 0);
}

int main(void) {
    find_data_dir();
    test_jsonl_mixed();
    test_jsonl_deep();
    test_jsonl_limit();
    test_text();
    test_sniff();
    test_html();
    test_html_hostile();
    test_warc();
    test_gzip();
    test_dir();
    test_stream_many();
    const char *shared = getenv("TALLY_SHARED");
    if (shared && *shared) {
        struct stat st;
        if (stat(shared, &st) == 0) test_shared(shared);
        else fprintf(stderr, "note: TALLY_SHARED=%s not found, shared tests skipped\n", shared);
    } else {
        fprintf(stderr, "note: TALLY_SHARED not set, shared tests skipped\n");
    }
    fprintf(stderr, "test_io: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
