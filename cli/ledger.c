/* ledger.c -- the ledger commands: ingest, claims, incidents, timeline,
 * sources, search, export, relink. The database is --db PATH, else
 * $TALLY_DB, else ./tally.db (docs/schema.md). */
#include "cli.h"
#include "tally_ledger.h"
#include "../src/util/buf.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

typedef enum { FMT_TABLE, FMT_JSON, FMT_CSV } out_fmt;

typedef struct opts {
    const char *db;
    out_fmt fmt;
    tally_ledger_filter filter;
    const char *export_format;
    const char *published;
    const char *data_dir, *gazetteer;
    size_t batch;
    int busy_timeout_ms; /* --busy-timeout MS; 0: the ledger's default */
    int quiet;
    int no_formula_guard, bom; /* CSV: cells as they are; a UTF-8 BOM first */
    int nargs;
    char **args;
} opts;

/* The command being run (set by each entry point): its own help. */
static const char *command = NULL;

typedef struct cmd_help { const char *name, *synopsis, *what; int filters; } cmd_help;
static const cmd_help helps[] = {
    {"ingest", "tally ingest [--db PATH] [--batch N] [--published DATE] [--busy-timeout MS] [-q] FILE|DIR...",
     "extracts the claims of the documents (the inputs of tally extract) and stores\n"
     "them with their documents, linked into incidents and series; a document\n"
     "already stored (same content) is passed over. --batch N documents a write\n"
     "transaction (default 1000); --published: the reference date of documents\n"
     "that give none; --busy-timeout: how long to wait for another writer.", 0},
    {"claims", "tally claims [--db PATH] [--json|--csv [--bom] [--no-formula-guard]] [filters]",
     "one row a claim: document, claimant, outcome, figure, victims, place, dates,\n"
     "evidence (--json/--csv: every field, review status and corrections).", 1},
    {"incidents", "tally incidents [--db PATH] [--json|--csv [--bom] [--no-formula-guard]] [filters]",
     "one row a claim of an incident, with the incident's low / best / high for its\n"
     "outcome and victims, each bound with the claim that gives it.", 1},
    {"timeline", "tally timeline [--db PATH] [--json|--csv [--bom] [--no-formula-guard]] [filters]",
     "the running totals of each claimant over time (series), with drops (\"down\")\n"
     "and disagreements with other claimants on the same day (\"differs\").", 1},
    {"sources", "tally sources [--db PATH] [--json|--csv [--bom] [--no-formula-guard]] [filters]",
     "one row a claimant: alignment, claims, documents, first and last dates.", 1},
    {"search", "tally search [--db PATH] [--json|--csv] [filters] QUERY",
     "the documents matching QUERY (full-text, FTS5 syntax), best first.", 1},
    {"export", "tally export [--db PATH] --format acled|ucdp|geojson|jsonl|csv|reviews [--bom] [--no-formula-guard] [filters]",
     "acled, ucdp: one row an event, every column of the ACLED and UCDP GED\n"
     "codebooks (docs/schema.md says how each is filled); geojson: the incidents'\n"
     "bounds as points; jsonl, csv: every stored claim, every field; reviews: the\n"
     "reviewers' log.", 1},
    {"relink", "tally relink [--db PATH]",
     "links every stored claim again (incidents, series, copies), keeping the reviews.", 0},
    {"review", "tally review [--db PATH] CLAIM_ID (--confirm | --reject | --set FIELD=VALUE ...) [--note TEXT] [--by NAME]\n"
               "       tally review [--db PATH] --list [--csv|--json]",
     "a reviewer's hand on a claim: confirm it, reject it (out of every bound and\n"
     "series), or correct a field (outcome, victims, scope, count_low, count_high,\n"
     "qualifier, date_start, date_end, claimant); --list prints the log.", 0},
};

static int usage_ledger(FILE *f) {
    const cmd_help *h = NULL;
    for (size_t i = 0; command && i < sizeof helps / sizeof *helps; i++)
        if (!strcmp(helps[i].name, command)) h = &helps[i];
    if (h) fprintf(f, "usage: %s\n\n%s\n\n", h->synopsis, h->what);
    else
        for (size_t i = 0; i < sizeof helps / sizeof *helps; i++)
            fprintf(f, "%s%s\n", i ? "       " : "usage: ", helps[i].synopsis);
    fprintf(f, "The ledger: --db PATH, else $TALLY_DB, else ./tally.db (an SQLite file, or a\n"
               "PostgreSQL database named postgresql://... or postgres:KEY=VALUE...).\n"
               "Writers (ingest, relink, review) wait for each other: --busy-timeout MS (default 5000).\n");
    if (!h || h->filters)
        fprintf(f, "filters: --place NAME  --claimant NAME  --outcome killed|injured|...\n"
                   "         --since YYYY[-MM[-DD]]  --until YYYY[-MM[-DD]]  --limit N\n"
                   "CSV:     --bom (a UTF-8 byte order mark first, for Excel)\n"
                   "         --no-formula-guard (cells that start with = + - @ as they are; by default a\n"
                   "         text cell that starts with one of them, a tab or a CR gets a leading ')\n");
    fprintf(f, "exit status: 0 ok, 3 some documents skipped, 2 usage error, 1 fatal error\n");
    return EXIT_USAGE;
}

/* 1 when v names an outcome (the X-macro list of include/tally.h); else
 * says so on stderr, naming the outcomes there are. */
static int known_outcome(const char *v) {
    for (int i = 0; i < TALLY_OUTCOME_COUNT; i++)
        if (!strcmp(v, tally_outcome_name((tally_outcome)i))) return 1;
    tly_buf m;
    fprintf(stderr, "%s: unknown outcome '%s' (", prog, tally_cli_clean(&m, v));
    tly_buf_free(&m);
    for (int i = 0; i < TALLY_OUTCOME_COUNT; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", tally_outcome_name((tally_outcome)i));
    fputs(")\n", stderr);
    return 0;
}

/* Parses the options every ledger command shares; the rest are arguments. */
static int parse(int argc, char **argv, opts *o, int want_args) {
    memset(o, 0, sizeof *o);
    o->db = tally_ledger_default_path();
    o->batch = 1000;
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    if (!o->args) { fprintf(stderr, "%s: out of memory\n", prog); return EXIT_FATAL; }
    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        if (only_args || a[0] != '-' || !strcmp(a, "-")) {
            if (!want_args) { fprintf(stderr, "%s: unexpected argument '%s'\n", prog, a); return usage_ledger(stderr); }
            o->args[o->nargs++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) { only_args = 1; continue; }
        static const char *const valued[] = {"--db", "--place", "--claimant", "--outcome", "--since",
                                             "--until", "--limit", "--format", "--published", "--batch",
                                             "--data", "--gazetteer", "--busy-timeout", NULL};
        const char *name = a;
        char namebuf[32];
        const char *eq = strchr(a, '=');
        if (eq && (size_t)(eq - a) < sizeof namebuf) {
            memcpy(namebuf, a, (size_t)(eq - a));
            namebuf[eq - a] = 0;
            name = namebuf;
        }
        int is_valued = 0;
        for (int k = 0; valued[k]; k++)
            if (!strcmp(name, valued[k])) is_valued = 1;
        if (is_valued) {
            if (eq) val = eq + 1;
            else if (i + 1 < argc) val = argv[++i];
            else { fprintf(stderr, "%s: %s needs a value\n", prog, name); return EXIT_USAGE; }
        }
        if (!strcmp(name, "--db")) o->db = val;
        else if (!strcmp(name, "--place")) o->filter.place = val;
        else if (!strcmp(name, "--claimant")) o->filter.claimant = val;
        else if (!strcmp(name, "--outcome")) {
            if (!known_outcome(val)) return EXIT_USAGE;
            o->filter.outcome = val;
        }
        else if (!strcmp(name, "--since") || !strcmp(name, "--until")) {
            tally_date *d = name[2] == 's' ? &o->filter.since : &o->filter.until;
            if (!tally_date_parse(val, strlen(val), d)) {
                fprintf(stderr, "%s: %s wants YYYY, YYYY-MM or YYYY-MM-DD, not '%s'\n", prog, name, val);
                return EXIT_USAGE;
            }
        } else if (!strcmp(name, "--limit") || !strcmp(name, "--batch")) {
            unsigned long long v;
            if (tally_cli_number(NULL, name, val, 1, SIZE_MAX, &v)) return EXIT_USAGE;
            if (name[2] == 'l') o->filter.limit = (size_t)v;
            else o->batch = (size_t)v;
        } else if (!strcmp(name, "--busy-timeout")) {
            unsigned long long v;
            if (tally_cli_number("ledger", "--busy-timeout", val, 1, INT_MAX, &v)) return EXIT_USAGE;
            o->busy_timeout_ms = (int)v;
        } else if (!strcmp(name, "--format")) o->export_format = val;
        else if (!strcmp(name, "--published")) o->published = val;
        else if (!strcmp(name, "--data")) o->data_dir = val;
        else if (!strcmp(name, "--gazetteer")) o->gazetteer = val;
        else if (!strcmp(a, "--json") || !strcmp(a, "--jsonl")) o->fmt = FMT_JSON;
        else if (!strcmp(a, "--csv")) o->fmt = FMT_CSV;
        else if (!strcmp(a, "--bom")) o->bom = 1;
        else if (!strcmp(a, "--no-formula-guard")) o->no_formula_guard = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o->quiet = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage_ledger(stdout); return -1; }
        else { fprintf(stderr, "%s: unknown option '%s'\n", prog, a); return usage_ledger(stderr); }
    }
    if (!o->db || !*o->db) { fprintf(stderr, "%s: --db wants a path\n", prog); return EXIT_USAGE; }
    return EXIT_OK;
}

/* the ledger path as a message shows it (no password: tally_ledger_path_shown) */
typedef struct shown_path { char s[512]; } shown_path;
static const char *shown(const char *db, shown_path *p) {
    tally_ledger_path_shown(db, p->s, sizeof p->s);
    return p->s;
}

static int open_ledger(const opts *o, int readonly, tally_ledger **l) {
    tally_error err;
    tally_ledger_options lo = {.flags = readonly ? TALLY_LEDGER_READONLY : 0u, .busy_timeout_ms = o->busy_timeout_ms};
    if (tally_ledger_open(o->db, &lo, l, &err) != TALLY_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, shown(o->db, &(shown_path){{0}}), err.message);
        return EXIT_FATAL;
    }
    return EXIT_OK;
}

/* ---------------------------------------------------------------- output */
static int term_width(void) {
    if (!isatty(1)) return 0;
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
    const char *c = getenv("COLUMNS");
    int n = c ? atoi(c) : 0;
    return n > 20 ? n : 100;
}

/* A row as one JSON object on stdout (the library's one JSON writer). */
static void json_row(const tally_ledger_row *r, const char *const *skip) {
    static tly_buf b;
    if (!b.alc) tly_buf_init(&b, NULL);
    b.len = 0;
    tly_json_row(&b, r, TLY_JSON_BYTES, skip);
    if (b.data) fwrite(b.data, 1, b.len, stdout);
}

/* An RFC 4180 cell (the one CSV cell writer, src/util/buf.c); guard: a
 * text cell a spreadsheet would read as a formula (=, +, -, @, a tab or a
 * CR first: OWASP's "CSV injection") gets a leading ' and reads as the text
 * it is. */
static void csv_field(FILE *f, const char *v, int guard) {
    static tly_buf b;
    if (!v) return;
    if (!b.alc) tly_buf_init(&b, NULL);
    b.len = 0;
    tly_csv_field(&b, v, strlen(v), guard ? TLY_CSV_TEXT : 0u);
    if (b.data) fwrite(b.data, 1, b.len, f);
}

typedef struct sink {
    out_fmt fmt;
    size_t rows;
    int width;
    int guard, bom; /* CSV: the formula guard (on unless --no-formula-guard); a BOM first */
    /* per-command table printer */
    void (*table)(struct sink *s, const tally_ledger_row *r);
    char last_group[512];
    char last_key[256];
} sink;

/* The header line of a CSV (after a BOM with --bom). */
static void csv_header(const sink *s, const tally_ledger_row *r) {
    if (s->bom) fputs("\xef\xbb\xbf", stdout);
    for (size_t i = 0; i < r->ncols; i++) { if (i) fputc(',', stdout); csv_field(stdout, r->names[i], 0); }
    fputs("\r\n", stdout);
}

static int header_only(void *ctx, const tally_ledger_row *r) {
    csv_header(ctx, r);
    return 0;
}

/* A CSV of no rows: its header all the same (every --csv prints one). */
static tally_status csv_empty(tally_ledger *l, tally_ledger_query q, const sink *s, tally_error *err) {
    if (s->fmt != FMT_CSV || s->rows) return TALLY_OK;
    return tally_ledger_query_columns(l, q, header_only, (void *)s, err);
}

static int row_generic(void *ctx, const tally_ledger_row *r) {
    sink *s = ctx;
    if (s->fmt == FMT_JSON) {
        json_row(r, NULL);
        fputc('\n', stdout);
    } else if (s->fmt == FMT_CSV) {
        if (!s->rows) csv_header(s, r);
        /* only text from the documents is guarded: a negative number stays a number */
        for (size_t i = 0; i < r->ncols; i++) {
            if (i) fputc(',', stdout);
            csv_field(stdout, r->values[i], s->guard && r->types[i] == TALLY_LEDGER_TEXT);
        }
        fputs("\r\n", stdout);
    } else {
        s->table(s, r);
    }
    s->rows++;
    return ferror(stdout) ? 1 : 0;
}

static const char *col(const tally_ledger_row *r, const char *name) {
    for (size_t i = 0; i < r->ncols; i++)
        if (!strcmp(r->names[i], name)) return r->values[i];
    return NULL;
}

/* A line being built for the table: cells padded to widths, cut to the terminal. */
typedef struct line {
    char buf[4096];
    size_t len;
    int cols; /* code points so far */
} line;

static size_t u8len(unsigned char c) { return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4; }

/* Appends s in at most width code points (0: no limit), padded when pad.
 * s is untrusted (document text, titles, names): made safe for a terminal
 * first (sanitize.h: no control byte, C1 or bidi control, invalid UTF-8
 * as U+FFFD; tabs and line breaks as spaces), as extract's table does. */
static void put(line *ln, const char *raw, int width, int pad) {
    static tly_buf clean; /* the tables are written by one thread */
    if (!clean.alc) tly_buf_init(&clean, NULL);
    clean.len = 0;
    if (!raw) raw = "-";
    tly_sanitize_display(&clean, raw, strlen(raw), TLY_DISPLAY_CELL);
    tly_buf_putc(&clean, 0);
    const char *s = clean.data && !clean.failed ? clean.data : "";
    int n = 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t total = 0;
    for (const unsigned char *q = p; *q; q += u8len(*q)) total++;
    while (*p && (width <= 0 || n < width)) {
        size_t l = u8len(*p);
        if (width > 0 && n == width - 1 && (int)total > width) {
            if (ln->len + 3 < sizeof ln->buf) { memcpy(ln->buf + ln->len, "\xe2\x80\xa6", 3); ln->len += 3; }
            n++;
            break;
        }
        if (ln->len + l >= sizeof ln->buf) break;
        for (size_t k = 0; k < l && p[k]; k++) {
            char c = (char)p[k];
            ln->buf[ln->len++] = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
        }
        p += l;
        n++;
    }
    if (pad)
        for (; n < width && ln->len + 1 < sizeof ln->buf; n++) ln->buf[ln->len++] = ' ';
    ln->cols += n;
}

static void sep(line *ln) { put(ln, " ", 1, 0); }

static void flush_line(sink *s, line *ln) {
    /* cut to the terminal width */
    if (s->width > 0) {
        size_t i = 0;
        int n = 0;
        while (i < ln->len && n < s->width) { i += u8len((unsigned char)ln->buf[i]); n++; }
        if (i < ln->len) ln->len = i;
    }
    while (ln->len && ln->buf[ln->len - 1] == ' ') ln->len--;
    fwrite(ln->buf, 1, ln->len, stdout);
    fputc('\n', stdout);
    ln->len = 0;
    ln->cols = 0;
}

static int rest(const sink *s, const line *ln) { return s->width > 0 ? (s->width - ln->cols > 10 ? s->width - ln->cols : 10) : 0; }

static void fmt_count(char *buf, size_t n, const char *lo, const char *hi, const char *qual) {
    if (lo && hi && !strcmp(lo, hi)) snprintf(buf, n, "%s%s", lo, qual ? "~" : "");
    else if (lo && !hi) snprintf(buf, n, "%s+", lo);
    else if (!lo && hi) snprintf(buf, n, "<=%s", hi);
    else if (lo && hi) snprintf(buf, n, "%s-%s", lo, hi);
    else snprintf(buf, n, "?");
}

static void fmt_dates(char *buf, size_t n, const char *a, const char *b) {
    if (!a && !b) snprintf(buf, n, "undated");
    else if (!a || !b || !strcmp(a, b)) snprintf(buf, n, "%s", a ? a : b);
    else snprintf(buf, n, "%s..%s", a, b);
}

/* ---- claims ---- */
static void table_claims(sink *s, const tally_ledger_row *r) {
    line ln = {.len = 0};
    if (!s->rows) {
        put(&ln, "id", 6, 1); put(&ln, "doc", 14, 1); put(&ln, "outcome", 9, 1); put(&ln, "count", 8, 1);
        put(&ln, "victims", 9, 1); put(&ln, "scope", 10, 1); put(&ln, "place", 16, 1); put(&ln, "date", 21, 1);
        put(&ln, "claimant", 28, 1); put(&ln, "evidence", 0, 0);
        flush_line(s, &ln);
    }
    char count[48], date[32];
    fmt_count(count, sizeof count, col(r, "count_low"), col(r, "count_high"), col(r, "qualifier"));
    fmt_dates(date, sizeof date, col(r, "date_start"), col(r, "date_end"));
    put(&ln, col(r, "claim_id"), 5, 1); sep(&ln);
    put(&ln, col(r, "doc"), 13, 1); sep(&ln);
    put(&ln, col(r, "outcome"), 8, 1); sep(&ln);
    put(&ln, count, 7, 1); sep(&ln);
    put(&ln, col(r, "victims"), 8, 1); sep(&ln);
    put(&ln, col(r, "scope"), 9, 1); sep(&ln);
    put(&ln, col(r, "place"), 15, 1); sep(&ln);
    put(&ln, date, 20, 1); sep(&ln);
    put(&ln, col(r, "claimant"), 27, 1); sep(&ln);
    put(&ln, col(r, "sentence"), rest(s, &ln), 0);
    flush_line(s, &ln);
}

/* ---- incidents: a heading a place, a line an incident's bounds, a line a claim ---- */
static void bound(line *ln, const char *what, const char *v, const char *who, const char *doc) {
    char b[64];
    snprintf(b, sizeof b, "%s %s", what, v ? v : "?");
    put(ln, b, 0, 0);
    put(ln, " (", 0, 0);
    put(ln, who ? who : "unattributed", 40, 0);
    put(ln, ", ", 0, 0);
    put(ln, doc, 14, 0);
    put(ln, ")", 0, 0);
}

static void table_incidents(sink *s, const tally_ledger_row *r) {
    line ln = {.len = 0};
    char group[512];
    const char *place = col(r, "place"), *country = col(r, "country");
    snprintf(group, sizeof group, "%s (%s)", place ? place : "?", country ? country : "-");
    if (strcmp(group, s->last_group)) {
        if (s->rows) fputc('\n', stdout);
        put(&ln, group, 0, 0);
        flush_line(s, &ln);
        snprintf(s->last_group, sizeof s->last_group, "%s", group);
        s->last_key[0] = 0;
    }
    const char *inc = col(r, "incident_id");
    char key[256];
    snprintf(key, sizeof key, "%s/%s/%s", inc, col(r, "outcome"), col(r, "victims"));
    if (strcmp(key, s->last_key)) {
        snprintf(s->last_key, sizeof s->last_key, "%s", key);
        char dates[32], head[160];
        fmt_dates(dates, sizeof dates, col(r, "first_day"), col(r, "last_day"));
        snprintf(head, sizeof head, "  #%s %s %s: %s %s, %s claim%s:", inc, col(r, "kind"), dates,
                 col(r, "outcome"), col(r, "victims"), col(r, "n_claims"),
                 strcmp(col(r, "n_claims") ? col(r, "n_claims") : "", "1") ? "s" : "");
        put(&ln, head, 0, 0);
        put(&ln, " ", 0, 0);
#define SAME(a, b) ((!col(r, a) && !col(r, b)) || (col(r, a) && col(r, b) && !strcmp(col(r, a), col(r, b))))
        if (SAME("low", "high") && SAME("low", "best") && SAME("low_claimant", "high_claimant") &&
            SAME("low_claimant", "best_claimant") && SAME("low_doc", "high_doc") && SAME("low_doc", "best_doc") &&
            !strcmp(col(r, "high_open") ? col(r, "high_open") : "0", "0")) {
            bound(&ln, "figure", col(r, "low"), col(r, "low_claimant"), col(r, "low_doc"));
            flush_line(s, &ln);
            goto claim;
        }
#undef SAME
        bound(&ln, "low", col(r, "low"), col(r, "low_claimant"), col(r, "low_doc"));
        put(&ln, " ", 0, 0);
        bound(&ln, "best", col(r, "best"), col(r, "best_claimant"), col(r, "best_doc"));
        put(&ln, " ", 0, 0);
        char hv[48];
        snprintf(hv, sizeof hv, "%s%s", col(r, "high") ? col(r, "high") : "?",
                 col(r, "high_open") && strcmp(col(r, "high_open"), "0") ? "+" : "");
        bound(&ln, "high", hv, col(r, "high_claimant"), col(r, "high_doc"));
        flush_line(s, &ln);
    }
claim:;
    char count[48], date[32], who[160];
    fmt_count(count, sizeof count, col(r, "count_low"), col(r, "count_high"), col(r, "qualifier"));
    fmt_dates(date, sizeof date, col(r, "date_start"), col(r, "date_end"));
    const char *al = col(r, "claimant_alignment");
    snprintf(who, sizeof who, "%s%s%s%s", col(r, "claimant") ? col(r, "claimant") : "unattributed",
             al ? " [" : "", al ? al : "", al ? "]" : "");
    put(&ln, "      ", 6, 0);
    put(&ln, count, 7, 1); sep(&ln);
    put(&ln, date, 21, 1); sep(&ln);
    put(&ln, who, 44, 1); sep(&ln);
    put(&ln, col(r, "doc"), 14, 1); sep(&ln);
    put(&ln, col(r, "sentence"), rest(s, &ln), 0);
    flush_line(s, &ln);
}

/* ---- timeline: a heading a series, a line a point ---- */
static void table_timeline(sink *s, const tally_ledger_row *r) {
    line ln = {.len = 0};
    char group[512];
    const char *al = col(r, "claimant_alignment");
    snprintf(group, sizeof group, "%s%s%s%s, %s %s:", col(r, "claimant") ? col(r, "claimant") : "unattributed",
             al ? " [" : "", al ? al : "", al ? "]" : "", col(r, "victims"), col(r, "outcome"));
    if (strcmp(group, s->last_group)) {
        if (s->rows) fputc('\n', stdout);
        put(&ln, group, 0, 0);
        flush_line(s, &ln);
        snprintf(s->last_group, sizeof s->last_group, "%s", group);
    }
    char count[48], asof[40];
    fmt_count(count, sizeof count, col(r, "count_low"), col(r, "count_high"), NULL);
    snprintf(asof, sizeof asof, "as of %s", col(r, "as_of") ? col(r, "as_of") : "?");
    put(&ln, "  ", 2, 0);
    put(&ln, count, 8, 1); sep(&ln);
    put(&ln, asof, 16, 1); sep(&ln);
    put(&ln, col(r, "flags") && *col(r, "flags") ? col(r, "flags") : "", 12, 1); sep(&ln);
    put(&ln, col(r, "frame") ? col(r, "frame") : "", 30, 1); sep(&ln); /* the series' frame: "AZ since 2020-09-27" */
    put(&ln, col(r, "doc"), 14, 1); sep(&ln);
    put(&ln, col(r, "sentence"), rest(s, &ln), 0);
    flush_line(s, &ln);
}

static void table_sources(sink *s, const tally_ledger_row *r) {
    line ln = {.len = 0};
    if (!s->rows) {
        put(&ln, "claimant", 36, 1); put(&ln, "alignment", 13, 1); put(&ln, "claims", 7, 1);
        put(&ln, "docs", 6, 1); put(&ln, "first", 11, 1); put(&ln, "last", 11, 1); put(&ln, "aliases", 0, 0);
        flush_line(s, &ln);
    }
    put(&ln, col(r, "claimant"), 35, 1); sep(&ln);
    put(&ln, col(r, "alignment"), 12, 1); sep(&ln);
    put(&ln, col(r, "claims"), 6, 1); sep(&ln);
    put(&ln, col(r, "documents"), 5, 1); sep(&ln);
    put(&ln, col(r, "first_day"), 10, 1); sep(&ln);
    put(&ln, col(r, "last_day"), 10, 1); sep(&ln);
    put(&ln, col(r, "aliases"), rest(s, &ln), 0);
    flush_line(s, &ln);
}

static void table_search(sink *s, const tally_ledger_row *r) {
    line ln = {.len = 0};
    if (!s->rows) {
        put(&ln, "doc", 21, 1); put(&ln, "published", 11, 1); put(&ln, "claims", 7, 1);
        put(&ln, "title", 41, 1); put(&ln, "snippet", 0, 0);
        flush_line(s, &ln);
    }
    put(&ln, col(r, "doc"), 20, 1); sep(&ln);
    put(&ln, col(r, "published"), 10, 1); sep(&ln);
    put(&ln, col(r, "n_claims"), 6, 1); sep(&ln);
    put(&ln, col(r, "title"), 40, 1); sep(&ln);
    put(&ln, col(r, "snippet"), rest(s, &ln), 0);
    flush_line(s, &ln);
}

static int finish_output(int status) {
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write output: %s\n", prog, strerror(errno));
        return EXIT_FATAL;
    }
    return status;
}

static int run_query(int argc, char **argv, tally_ledger_query q, void (*table)(sink *, const tally_ledger_row *),
                     int search) {
    opts o;
    int rc = parse(argc, argv, &o, search);
    if (rc) { free(o.args); return rc < 0 ? EXIT_OK : rc; }
    if (search) {
        if (o.nargs != 1) { free(o.args); fprintf(stderr, "%s: search wants one QUERY\n", prog); return EXIT_USAGE; }
        o.filter.query = o.args[0];
    }
    tally_ledger *l;
    if ((rc = open_ledger(&o, 1, &l))) { free(o.args); return rc; }
    sink s = {.fmt = o.fmt, .width = term_width(), .table = table, .guard = !o.no_formula_guard, .bom = o.bom};
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    tally_error err;
    tally_status st = tally_ledger_query_rows(l, q, &o.filter, row_generic, &s, &err);
    if (!st) st = csv_empty(l, q, &s, &err);
    int status = EXIT_OK;
    if (st) {
        fflush(stdout);
        int user = search && (strstr(err.message, "syntax") || strstr(err.message, "no such column") ||
                              strstr(err.message, "unterminated") || strstr(err.message, "unknown special query"));
        fprintf(stderr, "%s: %s\n", prog, err.message);
        status = user ? EXIT_USAGE : EXIT_FATAL;
    } else if (!s.rows && o.fmt == FMT_TABLE && isatty(2) && !o.quiet) {
        fprintf(stderr, "%s: nothing matches\n", prog);
    }
    tally_ledger_close(l);
    free(o.args);
    return finish_output(status);
}

int tally_cli_claims(int argc, char **argv) { command = "claims"; return run_query(argc, argv, TALLY_LEDGER_CLAIMS, table_claims, 0); }
int tally_cli_incidents(int argc, char **argv) { command = "incidents"; return run_query(argc, argv, TALLY_LEDGER_INCIDENTS, table_incidents, 0); }
int tally_cli_timeline(int argc, char **argv) { command = "timeline"; return run_query(argc, argv, TALLY_LEDGER_TIMELINE, table_timeline, 0); }
int tally_cli_sources(int argc, char **argv) { command = "sources"; return run_query(argc, argv, TALLY_LEDGER_SOURCES, table_sources, 0); }
int tally_cli_search(int argc, char **argv) { command = "search"; return run_query(argc, argv, TALLY_LEDGER_SEARCH, table_search, 1); }

/* ---------------------------------------------------------------- export */
typedef struct geo { size_t n; } geo;

static int row_geojson(void *ctx, const tally_ledger_row *r) {
    geo *g = ctx;
    const char *lat = col(r, "lat"), *lon = col(r, "lon");
    if (!lat || !lon) return 0;
    double la = strtod(lat, NULL), lo = strtod(lon, NULL);
    if (!(la >= -90 && la <= 90 && lo >= -180 && lo <= 180)) return 0;
    fputs(g->n ? ",\n" : "\n", stdout);
    printf("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},\"properties\":", lo, la);
    static const char *const coords[] = {"lat", "lon", NULL};
    json_row(r, coords);
    fputs("}", stdout);
    g->n++;
    return ferror(stdout) ? 1 : 0;
}

int tally_cli_export(int argc, char **argv) {
    command = "export";
    opts o;
    int rc = parse(argc, argv, &o, 0);
    if (rc) { free(o.args); return rc < 0 ? EXIT_OK : rc; }
    const char *f = o.export_format ? o.export_format : "jsonl";
    tally_ledger_query q;
    out_fmt fmt = o.fmt == FMT_TABLE ? FMT_CSV : o.fmt;
    int geojson = 0;
    if (!strcmp(f, "acled")) q = TALLY_LEDGER_EXPORT_ACLED;
    else if (!strcmp(f, "ucdp")) q = TALLY_LEDGER_EXPORT_UCDP;
    else if (!strcmp(f, "geojson")) { q = TALLY_LEDGER_BOUNDS; geojson = 1; }
    else if (!strcmp(f, "jsonl") || !strcmp(f, "json")) { q = TALLY_LEDGER_EXPORT_CLAIMS; fmt = FMT_JSON; }
    else if (!strcmp(f, "csv")) { q = TALLY_LEDGER_EXPORT_CLAIMS; fmt = FMT_CSV; }
    else if (!strcmp(f, "reviews")) q = TALLY_LEDGER_REVIEWS;
    else {
        fprintf(stderr, "%s: unknown export format '%s' (acled, ucdp, geojson, jsonl, csv, reviews)\n", prog, f);
        free(o.args);
        return EXIT_USAGE;
    }
    tally_ledger *l;
    if ((rc = open_ledger(&o, 1, &l))) { free(o.args); return rc; }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    tally_error err;
    tally_status st;
    if (geojson) {
        geo g = {0};
        fputs("{\"type\":\"FeatureCollection\",\"features\":[", stdout);
        st = tally_ledger_query_rows(l, q, &o.filter, row_geojson, &g, &err);
        fputs("\n]}\n", stdout);
    } else {
        sink s = {.fmt = fmt, .width = 0, .table = NULL, .guard = !o.no_formula_guard, .bom = o.bom};
        st = tally_ledger_query_rows(l, q, &o.filter, row_generic, &s, &err);
        if (!st) st = csv_empty(l, q, &s, &err);
    }
    int status = EXIT_OK;
    if (st) { fflush(stdout); fprintf(stderr, "%s: %s\n", prog, err.message); status = EXIT_FATAL; }
    tally_ledger_close(l);
    free(o.args);
    return finish_output(status);
}

/* ---------------------------------------------------------------- review */
#define MAX_SET 16

int tally_cli_review(int argc, char **argv) {
    command = "review";
    const char *db = tally_ledger_default_path(), *note = NULL, *by = NULL, *id_arg = NULL;
    int confirm = 0, reject = 0, list = 0;
    out_fmt fmt = FMT_CSV;
    tally_ledger_field set[MAX_SET];
    char *setbuf[MAX_SET];
    size_t nset = 0;
    int rc = EXIT_OK;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        int takes = !strcmp(a, "--db") || !strcmp(a, "--note") || !strcmp(a, "--by") || !strcmp(a, "--set");
        if (takes && i + 1 >= argc) { fprintf(stderr, "%s: %s needs a value\n", prog, a); rc = EXIT_USAGE; break; }
        if (!strcmp(a, "--db")) db = argv[++i];
        else if (!strcmp(a, "--note")) note = argv[++i];
        else if (!strcmp(a, "--by")) by = argv[++i];
        else if (!strcmp(a, "--set")) {
            const char *v = argv[++i], *eq = strchr(v, '=');
            if (!eq || eq == v || nset == MAX_SET) { fprintf(stderr, "%s: --set wants FIELD=VALUE\n", prog); rc = EXIT_USAGE; break; }
            if (!(setbuf[nset] = strdup(v))) { rc = EXIT_FATAL; break; }
            setbuf[nset][eq - v] = 0;
            set[nset].field = setbuf[nset];
            set[nset].value = setbuf[nset] + (eq - v) + 1;
            nset++;
        } else if (!strcmp(a, "--confirm")) confirm = 1;
        else if (!strcmp(a, "--reject")) reject = 1;
        else if (!strcmp(a, "--list")) list = 1;
        else if (!strcmp(a, "--csv")) fmt = FMT_CSV;
        else if (!strcmp(a, "--json") || !strcmp(a, "--jsonl")) fmt = FMT_JSON;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage_ledger(stdout); rc = -1; }
        else if (a[0] != '-' && !id_arg) id_arg = a;
        else { fprintf(stderr, "%s: review: unexpected '%s'\n", prog, a); rc = usage_ledger(stderr); }
    }
    unsigned long long claim = 0;
    if (!rc && !list && id_arg && tally_cli_number("review", "CLAIM_ID", id_arg, 1, INT64_MAX, &claim)) rc = EXIT_USAGE;
    if (!rc && !list && (!id_arg || confirm + reject + (nset > 0) != 1)) {
        fprintf(stderr, "%s: review wants a claim id and one of --confirm, --reject, --set FIELD=VALUE\n", prog);
        rc = usage_ledger(stderr);
    }
    if (!rc && !db[0]) { fprintf(stderr, "%s: --db wants a path\n", prog); rc = EXIT_USAGE; }
    tally_ledger *l = NULL;
    if (!rc) {
        tally_error err;
        tally_ledger_options lo = {.flags = list ? TALLY_LEDGER_READONLY : 0u};
        if (tally_ledger_open(db, &lo, &l, &err) != TALLY_OK) {
            fprintf(stderr, "%s: %s: %s\n", prog, shown(db, &(shown_path){{0}}), err.message);
            rc = EXIT_FATAL;
        } else if (list) {
            sink s = {.fmt = fmt, .width = 0, .table = NULL, .guard = 1};
            if (tally_ledger_query_rows(l, TALLY_LEDGER_REVIEWS, NULL, row_generic, &s, &err) != TALLY_OK ||
                csv_empty(l, TALLY_LEDGER_REVIEWS, &s, &err) != TALLY_OK) {
                fflush(stdout);
                fprintf(stderr, "%s: %s\n", prog, err.message);
                rc = EXIT_FATAL;
            }
            rc = finish_output(rc);
        } else {
            tally_ledger_review_action act = confirm ? TALLY_LEDGER_CONFIRM : reject ? TALLY_LEDGER_REJECT : TALLY_LEDGER_CORRECT;
            tally_status st = tally_ledger_review(l, (int64_t)claim, act, set, nset, note, by, &err);
            if (st) {
                fprintf(stderr, "%s: review: %s\n", prog, err.message);
                rc = st == TALLY_ERR_USAGE ? EXIT_USAGE : EXIT_FATAL;
            }
        }
    }
    tally_ledger_close(l);
    for (size_t i = 0; i < nset; i++) free(setbuf[i]);
    return rc < 0 ? EXIT_OK : rc;
}

/* ---------------------------------------------------------------- relink */
int tally_cli_relink(int argc, char **argv) {
    command = "relink";
    opts o;
    int rc = parse(argc, argv, &o, 0);
    if (rc) { free(o.args); return rc < 0 ? EXIT_OK : rc; }
    tally_ledger *l;
    if ((rc = open_ledger(&o, 0, &l))) { free(o.args); return rc; }
    tally_error err;
    int status = EXIT_OK;
    if (tally_ledger_relink(l, &err) != TALLY_OK) {
        fprintf(stderr, "%s: relink: %s\n", prog, err.message);
        status = EXIT_FATAL;
    } else if (!o.quiet && isatty(2)) {
        tally_ledger_stats st;
        if (tally_ledger_stats_get(l, &st, &err) == TALLY_OK)
            fprintf(stderr, "%llu claims: %llu incidents, %llu series\n", (unsigned long long)st.claims,
                    (unsigned long long)st.incidents, (unsigned long long)st.series);
    }
    tally_ledger_close(l);
    free(o.args);
    return status;
}

/* ---------------------------------------------------------------- ingest */
static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct progress {
    int on;
    double t0, last;
    size_t docs, dups, claims, failed;
    uint64_t bytes;
} progress;

static void show(progress *p, int final) {
    if (!p->on) return;
    double t = now_s();
    if (!final && t - p->last < 0.2) return;
    p->last = t;
    double secs = t - p->t0 > 1e-6 ? t - p->t0 : 1e-6;
    fprintf(stderr, "\r%zu documents, %zu claims, %zu already stored, %zu skipped, %.1f MB/s%s", p->docs, p->claims,
            p->dups, p->failed, (double)p->bytes / 1e6 / secs, final ? "\n" : "");
}

/* Ingest is a pipeline of two threads: a reader thread reads each document,
 * skips those already stored (its own read-only connection: WAL readers
 * never wait for the writer), extracts the rest and queues them in input
 * order; the main thread stores them (one writer, one transaction a batch).
 * On two cores extraction and storing overlap (docs/performance.md). A text
 * stored earlier in the same run, not yet committed, is not seen by the
 * reader's check: it is extracted again and tally_ledger_ingest_doc skips it
 * (the database is the same; only the work is wasted). */
enum { JOB_DOC, JOB_DUP, JOB_FAILED, JOB_FATAL };
#define QUEUE 32

typedef struct job {
    int kind, file; /* file: the index of its input (for messages) */
    tally_doc doc; /* JOB_DOC: its strings in mem */
    char *mem;
    tally_result *res;
    uint64_t bytes;
    char msg[300]; /* JOB_FATAL: the message */
} job;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    job q[QUEUE];
    size_t head, count;
    int done, stop;
    /* the reader's side */
    const opts *o;
    tally_lexicon *lex;
    langset langs;    /* each document read with its language's pack */
    size_t no_pack;   /* documents passed over: no pack for their language */
    tally_ledger *ro; /* read-only, for the already-stored check */
    tally_options xo;
} pipeline;

/* Queues j (copied); 0 when the main thread asked to stop. */
static int push(pipeline *pl, const job *j) {
    pthread_mutex_lock(&pl->mu);
    while (pl->count == QUEUE && !pl->stop) pthread_cond_wait(&pl->room, &pl->mu);
    int ok = !pl->stop;
    if (ok) {
        pl->q[(pl->head + pl->count) % QUEUE] = *j;
        pl->count++;
        pthread_cond_signal(&pl->more);
    }
    pthread_mutex_unlock(&pl->mu);
    return ok;
}

/* Takes the next job: 1, or 0 at the end, or -1 when wait_ms (>= 0) passed
 * with no job. */
static int pop(pipeline *pl, job *j, int wait_ms) {
    struct timespec until;
    if (wait_ms >= 0) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait_ms / 1000;
        until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    }
    pthread_mutex_lock(&pl->mu);
    int timed_out = 0;
    while (!pl->count && !pl->done && !timed_out) {
        if (wait_ms < 0) pthread_cond_wait(&pl->more, &pl->mu);
        else timed_out = pthread_cond_timedwait(&pl->more, &pl->mu, &until) != 0;
    }
    int ok = pl->count > 0 ? 1 : pl->done ? 0 : -1;
    if (ok == 1) {
        *j = pl->q[pl->head];
        pl->head = (pl->head + 1) % QUEUE;
        pl->count--;
        pthread_cond_signal(&pl->room);
    }
    pthread_mutex_unlock(&pl->mu);
    return ok;
}

static void stop_reader(pipeline *pl) {
    pthread_mutex_lock(&pl->mu);
    pl->stop = 1;
    pthread_cond_signal(&pl->room);
    pthread_mutex_unlock(&pl->mu);
}

/* A batch is stored when it has --batch documents, BATCH_BYTES of text, or
 * when no document came for BATCH_WAIT_MS (a slow input still commits). */
#define BATCH_MAX_DOCS 4096
#define BATCH_BYTES ((size_t)32 << 20)
#define BATCH_WAIT_MS 1000

/* Stores the extracted documents of a batch in one write transaction: the
 * write lock is held for the storing only, never while documents are read
 * or extracted, so other writers wait at most one batch's storing. Returns
 * the status so far (EXIT_FATAL when the database failed). */
static int store_batch(tally_ledger *l, const opts *o, job *b, size_t n, progress *p, int status) {
    tally_error err;
    if (tally_ledger_begin(l, &err) != TALLY_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, shown(o->db, &(shown_path){{0}}), err.message);
        return EXIT_FATAL;
    }
    for (size_t i = 0; i < n && status != EXIT_FATAL; i++) {
        int stored = 0;
        size_t nc = 0;
        tally_status st = tally_ledger_ingest_doc(l, &b[i].doc, b[i].res, &stored, &nc, &err);
        if (st == TALLY_ERR_IO || st == TALLY_ERR_NOMEM) {
            /* the database itself failed (disk full, locked): stop, keep what was stored */
            fprintf(stderr, "%s: %s: %s\n", prog, shown(o->db, &(shown_path){{0}}), err.message);
            status = EXIT_FATAL;
        } else if (st != TALLY_OK) {
            if (!o->quiet) tally_cli_report(o->args[b[i].file], &err);
            p->failed++;
            status = EXIT_SKIPPED;
        } else {
            if (stored) { p->docs++; p->claims += nc; } else p->dups++;
            show(p, 0);
        }
    }
    /* what was stored before a failure is kept too */
    if (tally_ledger_commit(l, &err) != TALLY_OK) {
        if (status != EXIT_FATAL) fprintf(stderr, "%s: %s: %s\n", prog, shown(o->db, &(shown_path){{0}}), err.message);
        tally_ledger_rollback(l);
        return EXIT_FATAL;
    }
    return status;
}

static void job_free(job *j) {
    tally_result_free(j->res);
    free(j->mem);
    j->res = NULL;
    j->mem = NULL;
}

/* A copy of the document's strings in one block (the reader reuses its). */
static int copy_doc(const tally_doc *d, job *j) {
    const tally_str *f[] = {&d->id, &d->text, &d->title, &d->source, &d->url};
    size_t n = 0;
    for (int i = 0; i < 5; i++) n += f[i]->len + 1;
    j->mem = malloc(n);
    if (!j->mem) return 0;
    j->doc = *d;
    tally_str *t[] = {&j->doc.id, &j->doc.text, &j->doc.title, &j->doc.source, &j->doc.url};
    char *p = j->mem;
    for (int i = 0; i < 5; i++) {
        if (f[i]->len) memcpy(p, f[i]->ptr, f[i]->len);
        p[f[i]->len] = 0;
        *t[i] = (tally_str){f[i]->len ? p : NULL, f[i]->len};
        p += f[i]->len + 1;
    }
    return 1;
}

static void *reader_main(void *arg) {
    pipeline *pl = arg;
    const opts *o = pl->o;
    int go = 1;
    for (int f = 0; f < o->nargs && go; f++) {
        tally_error err;
        tally_reader *r = NULL;
        if (tally_reader_open(o->args[f], NULL, &r, &err) != TALLY_OK) {
            if (!o->quiet) tally_cli_report(o->args[f], &err);
            go = push(pl, &(job){.kind = JOB_FAILED});
            continue;
        }
        while (go) {
            tally_doc doc;
            tally_status st = tally_reader_next(r, &doc, &err);
            if (st == TALLY_DONE) break;
            job j = {.kind = JOB_FAILED, .file = f};
            if (st != TALLY_OK) {
                if (!o->quiet) tally_cli_report(o->args[f], &err);
                if (st == TALLY_ERR_NOMEM) { j.kind = JOB_FATAL; go = 0; }
                go = push(pl, &j) && go;
                continue;
            }
            j.bytes = doc.text.len;
            int found = 0;
            if (pl->ro && tally_ledger_contains(pl->ro, &doc, &found, &err) != TALLY_OK) {
                j.kind = JOB_FATAL;
                const char *db = shown(o->db, &(shown_path){{0}});
                snprintf(j.msg, sizeof j.msg, "%.*s: %s", (int)strnlen(db, 120), db, err.message);
                push(pl, &j);
                go = 0;
                break;
            }
            if (found) { j.kind = JOB_DUP; go = push(pl, &j); continue; }
            if (!copy_doc(&doc, &j)) {
                j.kind = JOB_FATAL;
                snprintf(j.msg, sizeof j.msg, "out of memory");
                push(pl, &j);
                go = 0;
                break;
            }
            const tally_lexicon *dl = tally_cli_lang_pack(&pl->langs, tally_language_detect(j.doc.text.ptr, j.doc.text.len, NULL));
            if (!dl) { /* a language tally has no pack for: said at the end */
                pl->no_pack++;
                job_free(&j);
                continue;
            }
            st = tally_extract(dl, &j.doc, &pl->xo, &j.res, &err);
            if (st != TALLY_OK) { /* out of memory too: this document is skipped, the run goes on */
                if (!o->quiet) tally_cli_report(o->args[f], &err);
                job_free(&j);
                j.kind = JOB_FAILED;
                go = push(pl, &j);
                continue;
            }
            j.kind = JOB_DOC;
            if (!push(pl, &j)) { job_free(&j); go = 0; }
        }
        tally_reader_close(r);
    }
    pthread_mutex_lock(&pl->mu);
    pl->done = 1;
    pthread_cond_signal(&pl->more);
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

int tally_cli_ingest(int argc, char **argv) {
    command = "ingest";
    opts o;
    int rc = parse(argc, argv, &o, 1);
    if (rc) { free(o.args); return rc < 0 ? EXIT_OK : rc; }
    if (!o.nargs) { free(o.args); fprintf(stderr, "%s: ingest wants FILE|DIR... (or - for stdin)\n", prog); return EXIT_USAGE; }
    static pipeline pl; /* the queue is large: not on the stack */
    memset(&pl, 0, sizeof pl);
    pl.o = &o;
    if (o.published && !tally_date_parse(o.published, strlen(o.published), &pl.xo.default_published)) {
        fprintf(stderr, "%s: --published wants YYYY-MM-DD, not '%s'\n", prog, o.published);
        free(o.args);
        return EXIT_USAGE;
    }
    tally_error err;
    tally_lexicon_options lo;
    memset(&lo, 0, sizeof lo);
    lo.data_dir = o.data_dir;
    lo.gazetteer_path = o.gazetteer;
    if (tally_lexicon_open(&lo, &pl.lex, &err) != TALLY_OK) {
        fprintf(stderr, "%s: cannot load the lexicons: %s\n", prog, err.message[0] ? err.message : tally_strerror(err.code));
        free(o.args);
        return EXIT_FATAL;
    }
    tally_ledger *l;
    if ((rc = open_ledger(&o, 0, &l))) { tally_lexicon_close(pl.lex); free(o.args); return rc; }
    pthread_mutex_init(&pl.langs.mu, NULL);
    pl.langs.lo = lo;
    pl.langs.deflex = pl.lex;
    pl.langs.deflang = "en";
    /* the reader's connection; without one (":memory:", another private
     * database) every document is extracted and the writer skips those
     * already stored */
    tally_ledger_options ro = {.flags = TALLY_LEDGER_READONLY};
    if (tally_ledger_open(o.db, &ro, &pl.ro, &err) != TALLY_OK) pl.ro = NULL;

    progress p = {.on = isatty(2) && !o.quiet, .t0 = now_s()};
    int status = EXIT_OK;
    size_t cap = o.batch < BATCH_MAX_DOCS ? o.batch : BATCH_MAX_DOCS;
    job *batch = calloc(cap, sizeof *batch);
    if (!batch) { fprintf(stderr, "%s: out of memory\n", prog); status = EXIT_FATAL; }
    pthread_t reader;
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.more, NULL);
    pthread_cond_init(&pl.room, NULL);
    int started = status != EXIT_FATAL && pthread_create(&reader, NULL, reader_main, &pl) == 0;
    if (!started && status != EXIT_FATAL) { fprintf(stderr, "%s: cannot start a thread\n", prog); status = EXIT_FATAL; }
    /* Documents are read and extracted by the reader thread, outside any
     * transaction; this thread gathers them into a batch and stores each
     * batch in one short write transaction (store_batch). */
    size_t nb = 0, nbytes = 0;
    for (int more = started; more;) {
        job j;
        int got = pop(&pl, &j, nb ? BATCH_WAIT_MS : -1);
        if (got == 1) {
            if (status == EXIT_FATAL) { job_free(&j); continue; } /* draining after a fatal error */
            p.bytes += j.bytes;
            if (j.kind == JOB_FAILED) { p.failed++; status = EXIT_SKIPPED; continue; }
            if (j.kind == JOB_DUP) { p.dups++; show(&p, 0); continue; }
            if (j.kind == JOB_FATAL) { /* the documents before it are stored, then the run stops */
                if (nb) status = store_batch(l, &o, batch, nb, &p, status);
                if (j.msg[0]) fprintf(stderr, "%s: %s\n", prog, j.msg);
                else p.failed++;
                status = EXIT_FATAL;
            } else {
                batch[nb++] = j;
                nbytes += j.doc.text.len;
                if (nb < cap && nbytes < BATCH_BYTES) continue;
            }
        } else if (got < 0 && !nb) continue;
        if (got == 0) more = 0;
        if (nb && status != EXIT_FATAL) status = store_batch(l, &o, batch, nb, &p, status);
        for (size_t i = 0; i < nb; i++) job_free(&batch[i]);
        nb = nbytes = 0;
        if (status == EXIT_FATAL) stop_reader(&pl);
    }
    free(batch);
    if (started) pthread_join(reader, NULL);
    pthread_cond_destroy(&pl.room);
    pthread_cond_destroy(&pl.more);
    pthread_mutex_destroy(&pl.mu);
    show(&p, 1);
    tally_ledger_close(pl.ro);
    tally_ledger_close(l);
    if (pl.no_pack && !o.quiet)
        fprintf(stderr, "%s: %zu document%s not stored: tally has no language pack for their language\n", prog,
                pl.no_pack, pl.no_pack == 1 ? "" : "s");
    for (size_t i = 0; i < pl.langs.n; i++) tally_lexicon_close(pl.langs.e[i].lex);
    pthread_mutex_destroy(&pl.langs.mu);
    tally_lexicon_close(pl.lex);
    free(o.args);
    return status;
}
