/* extract.c -- `tally extract`: documents in, claims (or mentions, or TIMEX3) out. */
#include "cli.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>



void tally_cli_usage(FILE *f) {
    fprintf(f,
            "usage: tally extract [options] [FILE|DIR|-]...\n"
            "       tally ingest [--db PATH] FILE|DIR...      store claims in the ledger (SQLite)\n"
            "       tally claims|incidents|timeline|sources [--db PATH] [--json|--csv] [filters]\n"
            "       tally search [--db PATH] QUERY\n"
            "       tally export [--db PATH] --format acled|ucdp|geojson|jsonl|csv\n"
            "       tally relink [--db PATH]\n"
            "       tally version\n"
            "(tally ingest --help lists the ledger's options and filters)\n"
            "\n"
            "Extracts casualty claims from news articles and statements (.txt, .html,\n"
            ".jsonl, .warc, and any of them gzipped); with no FILE, reads stdin.\n"
            "\n"
            "extract options:\n"
            "  --format jsonl|tsv|table  output format (default jsonl; table for people)\n"
            "  --published YYYY-MM-DD    reference date for documents that give none\n"
            "  --mentions                print every recognized span instead of claims\n"
            "  --timex                   print temporal expressions (TIMEX3) instead of claims\n"
            "  --data DIR                read lexicons from DIR instead of the built-in ones\n"
            "  --gazetteer FILE          the gazetteer file (default: $TALLY_GAZETTEER, else built-in path)\n"
            "  --max-doc-bytes N         skip documents larger than N bytes (default 64 MiB)\n"
            "  -q, --quiet               do not report skipped documents on stderr\n"
            "\n"
            "exit status: 0 all read, 3 some documents skipped, 2 usage error, 1 fatal error\n");
}

static int write_stdout(void *ctx, const char *data, size_t len) {
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

typedef enum { OUT_JSONL, OUT_TSV, OUT_TABLE } out_format;

/* ---- the table for people: fixed columns, long values cut with "…" ---- */
static void cell(const char *s, int width) {
    if (!s) s = "-";
    int printed = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && printed < width) {
        /* count code points, not bytes */
        size_t l = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
        if (printed == width - 1 && strlen((const char *)p) > l) { fputs("\xe2\x80\xa6", stdout); printed++; p += strlen((const char *)p); break; }
        fwrite(p, 1, l, stdout);
        p += l;
        printed++;
    }
    for (; printed < width; printed++) fputc(' ', stdout);
    fputc(' ', stdout);
}

static void table_header(void) {
    cell("doc", 16); cell("outcome", 9); cell("count", 10); cell("victims", 9); cell("scope", 10);
    cell("place", 16); cell("date", 21); cell("claimant", 30); cell("perpetrator", 14); cell("weapon", 17);
    fputs("evidence\n", stdout);
}

static void table_rows(const tally_result *res, const tally_doc *doc) {
    const tally_claim *c;
    size_t n = tally_result_claims(res, &c);
    for (size_t i = 0; i < n; i++) {
        char id[64], count[48], date[40], a[16], b[16], ev[96];
        snprintf(id, sizeof id, "%.*s", (int)(doc->id.len < 63 ? doc->id.len : 63), doc->id.ptr);
        if (c[i].count_low == c[i].count_high) snprintf(count, sizeof count, "%lld", (long long)c[i].count_low);
        else if (c[i].count_high == TALLY_OPEN) snprintf(count, sizeof count, "%lld+", (long long)c[i].count_low);
        else if (c[i].count_low == TALLY_OPEN) snprintf(count, sizeof count, "<=%lld", (long long)c[i].count_high);
        else snprintf(count, sizeof count, "%lld-%lld", (long long)c[i].count_low, (long long)c[i].count_high);
        if (c[i].qualifier && c[i].count_low == c[i].count_high) {
            size_t l = strlen(count);
            snprintf(count + l, sizeof count - l, "~");
        }
        tally_date_format(c[i].date_start, a, sizeof a);
        tally_date_format(c[i].date_end, b, sizeof b);
        if (!a[0] && !b[0]) snprintf(date, sizeof date, "-");
        else if (!strcmp(a, b) || !a[0]) snprintf(date, sizeof date, "%s%s", a[0] ? "" : "..", b);
        else snprintf(date, sizeof date, "%s..%s", a, b);
        size_t el = c[i].count_end > c[i].start ? c[i].end - c[i].start : 0;
        /* the evidence around the figure */
        size_t from = c[i].count_start > c[i].start + 30 ? c[i].count_start - 30 : c[i].start;
        while (from > c[i].start && ((unsigned char)doc->text.ptr[from] & 0xC0) == 0x80) from--;
        size_t len = c[i].end - from;
        (void)el;
        if (len > 90) len = 90;
        while (len > 0 && from + len < c[i].end && ((unsigned char)doc->text.ptr[from + len] & 0xC0) == 0x80) len--;
        snprintf(ev, sizeof ev, "%s%.*s", from > c[i].start ? "…" : "", (int)len, doc->text.ptr + from);
        for (char *p = ev; *p; p++) if (*p == '\n' || *p == '\t' || *p == '\r') *p = ' ';
        cell(id, 16); cell(tally_outcome_name(c[i].outcome), 9); cell(count, 10);
        cell(tally_victims_name(c[i].victims), 9); cell(tally_scope_name(c[i].scope), 10);
        cell(c[i].place, 16); cell(date, 21); cell(c[i].claimant, 30); cell(c[i].perpetrator, 14);
        cell(c[i].weapon, 17);
        fputs(ev, stdout);
        fputc('\n', stdout);
    }
}

void tally_cli_report(const char *path, const tally_error *e) {
    const char *doc = e->doc[0] ? e->doc : path;
    if (e->has_offset && !strstr(e->message, "at byte"))
        fprintf(stderr, "%s: %s: %s (byte %llu)\n", prog, doc, e->message[0] ? e->message : tally_strerror(e->code),
                (unsigned long long)e->offset);
    else
        fprintf(stderr, "%s: %s: %s\n", prog, doc, e->message[0] ? e->message : tally_strerror(e->code));
}

int tally_cli_extract(int argc, char **argv) {
    out_format fmt = OUT_JSONL;
    tally_options opt;
    memset(&opt, 0, sizeof opt);
    tally_lexicon_options lo;
    memset(&lo, 0, sizeof lo);
    int mentions = 0, timex = 0, quiet = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files) { fprintf(stderr, "%s: out of memory\n", prog); return EXIT_FATAL; }
    int only_files = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define OPTARG(name)                                                                             \
    (!strcmp(a, name) ? (i + 1 < argc ? (val = argv[++i], 1) : (fprintf(stderr, "%s: %s needs a value\n", prog, name), free(files), exit(EXIT_USAGE), 0)) \
                      : (!strncmp(a, name "=", strlen(name) + 1) ? (val = a + strlen(name) + 1, 1) : 0))
        if (only_files || a[0] != '-' || !strcmp(a, "-")) { files[nfiles++] = a; continue; }
        if (!strcmp(a, "--")) { only_files = 1; continue; }
        if (OPTARG("--format")) {
            if (!strcmp(val, "jsonl") || !strcmp(val, "json")) fmt = OUT_JSONL;
            else if (!strcmp(val, "tsv")) fmt = OUT_TSV;
            else if (!strcmp(val, "table")) fmt = OUT_TABLE;
            else { fprintf(stderr, "%s: unknown format '%s' (jsonl, tsv, table)\n", prog, val); free(files); return EXIT_USAGE; }
        } else if (OPTARG("--published")) {
            if (!tally_date_parse(val, strlen(val), &opt.default_published)) {
                fprintf(stderr, "%s: --published wants YYYY-MM-DD, not '%s'\n", prog, val);
                free(files);
                return EXIT_USAGE;
            }
        } else if (OPTARG("--data")) lo.data_dir = val;
        else if (OPTARG("--gazetteer")) lo.gazetteer_path = val;
        else if (OPTARG("--max-doc-bytes")) {
            char *end;
            unsigned long long v = strtoull(val, &end, 10);
            if (*end || !v) { fprintf(stderr, "%s: --max-doc-bytes wants a positive number\n", prog); free(files); return EXIT_USAGE; }
            opt.max_doc_bytes = (size_t)v;
        } else if (!strcmp(a, "--mentions")) mentions = 1;
        else if (!strcmp(a, "--timex")) timex = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { tally_cli_usage(stdout); free(files); return EXIT_OK; }
        else { fprintf(stderr, "%s: unknown option '%s'\n", prog, a); tally_cli_usage(stderr); free(files); return EXIT_USAGE; }
#undef OPTARG
    }
    if (!nfiles) files[nfiles++] = "-";
    if (mentions) opt.flags |= TALLY_OPT_MENTIONS;
    if (timex) opt.flags |= TALLY_OPT_TIMEX;

    tally_error err;
    tally_lexicon *lex = NULL;
    if (tally_lexicon_open(&lo, &lex, &err) != TALLY_OK) {
        fprintf(stderr, "%s: cannot load the lexicons: %s\n", prog, err.message[0] ? err.message : tally_strerror(err.code));
        free(files);
        return EXIT_FATAL;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    if (fmt == OUT_TSV && !mentions && !timex) tally_write_tsv_header(write_stdout, NULL);
    if (fmt == OUT_TABLE && !mentions && !timex) table_header();

    int status = EXIT_OK;
    size_t ndocs = 0, nclaims = 0, nskipped = 0;
    for (size_t f = 0; f < nfiles && status != EXIT_FATAL; f++) {
        tally_reader *r = NULL;
        if (tally_reader_open(files[f], NULL, &r, &err) != TALLY_OK) {
            if (!quiet) tally_cli_report(files[f], &err);
            nskipped++;
            status = EXIT_SKIPPED;
            continue;
        }
        if (opt.max_doc_bytes) tally_reader_set_max_doc_bytes(r, opt.max_doc_bytes);
        for (;;) {
            tally_doc doc;
            tally_status st = tally_reader_next(r, &doc, &err);
            if (st == TALLY_DONE) break;
            if (st != TALLY_OK) {
                if (!quiet) tally_cli_report(files[f], &err);
                nskipped++;
                status = EXIT_SKIPPED;
                if (st == TALLY_ERR_NOMEM) { status = EXIT_FATAL; break; }
                continue;
            }
            tally_result *res = NULL;
            st = tally_extract(lex, &doc, &opt, &res, &err);
            if (st != TALLY_OK) {
                if (!quiet) tally_cli_report(files[f], &err);
                nskipped++;
                if (st == TALLY_ERR_NOMEM) { status = EXIT_FATAL; break; }
                status = EXIT_SKIPPED;
                continue;
            }
            ndocs++;
            tally_status ws;
            if (mentions) ws = tally_result_write_mentions(res, &doc, write_stdout, NULL);
            else if (timex) ws = tally_result_write_timex(res, &doc, write_stdout, NULL);
            else if (fmt == OUT_TABLE) { table_rows(res, &doc); ws = TALLY_OK; }
            else ws = tally_result_write(res, &doc, fmt == OUT_TSV ? TALLY_FORMAT_TSV : TALLY_FORMAT_JSONL, write_stdout, NULL);
            const tally_claim *cl;
            nclaims += tally_result_claims(res, &cl);
            tally_result_free(res);
            if (ws != TALLY_OK) {
                fprintf(stderr, "%s: cannot write output: %s\n", prog, strerror(errno));
                status = EXIT_FATAL;
                break;
            }
        }
        tally_reader_close(r);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write output: %s\n", prog, strerror(errno));
        status = EXIT_FATAL;
    }
    if ((fmt == OUT_TABLE && !mentions && !timex) || (isatty(2) && !quiet)) {
        fprintf(stderr, "%zu documents, %zu claims", ndocs, nclaims);
        if (nskipped) fprintf(stderr, ", %zu skipped", nskipped);
        fputc('\n', stderr);
    }
    tally_lexicon_close(lex);
    free(files);
    return status;
}

