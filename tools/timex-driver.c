/* timex-driver -- development driver of the temporal tagger.
 *
 *   timex-driver [--data DIR] [--ref YYYY-MM-DD] [--text] [FILE]
 *
 * Reads documents (JSON Lines {"id", "published", "text", ...}, or any
 * format tally's readers take) from FILE or stdin and prints one line per
 * temporal expression, in the format of the TempEval gold files:
 *   {"doc","start","end","text","type","value","first","last","flags"}
 * start/end are byte offsets into the decoded text. --ref overrides the
 * documents' "published" date. With --text, the input is one plain text.
 * TIMEX_DATELINE=1 also prints the dateline found.
 *
 * Built as build/timex-driver (CMakeLists.txt). */
#include "extract/timex.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_json(tly_buf *b, const char *s, size_t n) { tly_buf_json_str(b, s, n); }

static void run(const tly_timex_rules *r, const char *id, size_t idlen, const char *text, size_t len,
                tally_date ref) {
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_buf b;
    tly_buf_init(&b, NULL);
    tly_timex *x;
    size_t n;
    if (tly_timex_tag(r, &a, text, len, ref, &x, &n)) { fprintf(stderr, "%.*s: out of memory\n", (int)idlen, id); n = 0; }
    for (size_t i = 0; i < n; i++) {
        const tally_timex *t = &x[i].pub;
        char f[16], l[16];
        tally_date_format(t->first, f, sizeof f);
        tally_date_format(t->last, l, sizeof l);
        tly_buf_puts(&b, "{\"doc\": ");
        put_json(&b, id, idlen);
        tly_buf_printf(&b, ", \"start\": %zu, \"end\": %zu, \"text\": ", t->start, t->end);
        put_json(&b, text + t->start, t->end - t->start);
        tly_buf_printf(&b, ", \"type\": \"%s\", \"value\": ", tally_timex_type_name(t->type));
        put_json(&b, t->value, strlen(t->value));
        tly_buf_printf(&b, ", \"first\": \"%s\", \"last\": \"%s\", \"flags\": %u}\n", f, l, x[i].flags);
    }
    tally_date dl;
    if (getenv("TIMEX_DATELINE") && tly_timex_dateline(r, text, len, &dl)) {
        tly_buf_puts(&b, "{\"doc\": ");
        put_json(&b, id, idlen);
        /* the year may be 0: a dateline without one */
        tly_buf_printf(&b, ", \"dateline\": \"%04d-%02d-%02d\"}\n", dl.year, dl.month, dl.day);
    }
    fwrite(b.data, 1, b.len, stdout);
    tly_buf_free(&b);
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
            if (!tally_date_parse(s, strlen(s), &force)) { fprintf(stderr, "bad --ref\n"); return 2; }
            have_force = 1;
        } else if (!strcmp(argv[i], "--text")) plain = 1;
        else if (argv[i][0] == '-' && argv[i][1]) { fprintf(stderr, "usage: timex-driver [--data DIR] [--ref DATE] [--text] [FILE]\n"); return 2; }
        else file = argv[i];
    }
    tally_error err;
    tly_timex_rules *r = tly_timex_rules_load(data_dir, "en", NULL, &err);
    if (!r) { fprintf(stderr, "timex-driver: %s\n", err.message); return 1; }
    int rc = 0;
    if (plain) {
        FILE *in = file ? fopen(file, "rb") : stdin;
        if (!in) { perror(file); tly_timex_rules_free(r); return 1; }
        tly_buf text;
        tly_buf_init(&text, NULL);
        char buf[65536];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, in)) > 0) tly_buf_put(&text, buf, k);
        const char *id = file ? file : "-";
        run(r, id, strlen(id), text.data ? text.data : "", text.len, force);
        tly_buf_free(&text);
        if (in != stdin) fclose(in);
    } else {
        tally_reader *rd;
        if (tally_reader_open(file ? file : "-", NULL, &rd, &err)) { fprintf(stderr, "timex-driver: %s\n", err.message); tly_timex_rules_free(r); return 1; }
        tally_doc doc;
        tally_status st;
        while ((st = tally_reader_next(rd, &doc, &err)) != TALLY_DONE) {
            if (st != TALLY_OK) { fprintf(stderr, "%s: %s\n", err.doc, err.message); rc = 1; continue; }
            run(r, doc.id.len ? doc.id.ptr : "?", doc.id.len ? doc.id.len : 1, doc.text.ptr, doc.text.len,
                have_force ? force : doc.published);
        }
        tally_reader_close(rd);
    }
    tly_timex_rules_free(r);
    return rc;
}
