/* extract.c -- `tally extract`: documents in, claims (or mentions, or TIMEX3) out.
 *
 * With -j 1 each document's output goes to stdout as the library renders it.
 * With -j N (N > 1) the main thread reads documents and copies each into a
 * slot of a bounded window; N worker threads extract and render the output
 * of a slot into that slot's buffer (or, for the slot whose turn has come,
 * straight to stdout); the main thread writes the slots strictly in input
 * order (documents, skipped-document reports, the fatal stop), so the
 * output is byte for byte that of -j 1. The lexicon is shared
 * (immutable, thread-safe by contract); everything else is per slot. */
#include "cli.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tally_cli_extract_usage(FILE *f) {
    fprintf(f,
            "usage: tally extract [options] [FILE|DIR|-]...\n"
            "Extracts casualty claims from news articles and statements (.txt, .html,\n"
            ".jsonl, .warc, and any of them gzipped); with no FILE, reads stdin.\n"
            "\n"
            "options:\n"
            "  --format jsonl|tsv|table  output format (default jsonl; table for people)\n"
            "  --published YYYY-MM-DD    reference date for documents that give none\n"
            "  --mentions                print every recognized span instead of claims\n"
            "  --timex                   print temporal expressions (TIMEX3) instead of claims\n"
            "  --full                    run every stage on the whole text (the reference), not\n"
            "                            only the paragraphs around outcome words\n"
            "  --lang CODE               read every document with the pack data/CODE/; without it\n"
            "                            each document's language is detected, read with its pack,\n"
            "                            and passed over (said on stderr, exit 0) when tally has none\n"
            "  --data DIR                read lexicons from DIR instead of the built-in ones\n"
            "  --gazetteer FILE          the gazetteer file (default: $TALLY_GAZETTEER, else built-in path)\n"
            "  --max-doc-bytes N         skip documents larger than N bytes (default 64 MiB)\n"
            "  --max-doc-memory N        skip a document whose extraction needs more than N bytes\n"
            "                            of memory (default: no bound but the machine's)\n"
            "  -j, --jobs N              N worker threads (default 1; 0: one per online CPU);\n"
            "                            the output is in input order, the same as with -j 1\n"
            "  --include GLOB            in directories, read only files matching GLOB (repeatable;\n"
            "                            a GLOB with '/' matches the path below the directory)\n"
            "  --exclude GLOB            in directories, pass over files and directories matching GLOB\n"
            "  -q, --quiet               do not report skipped documents on stderr\n"
            "\n"
            "In table and TSV output, control characters of the documents (ESC, BEL,\n"
            "C1, bidi controls, invalid UTF-8) are shown as U+FFFD, line breaks and\n"
            "tabs inside a cell as spaces.\n"
            "exit status: 0 all read, 3 some documents skipped, 2 usage error, 1 fatal error\n");
}

typedef enum { OUT_JSONL, OUT_TSV, OUT_TABLE } out_format;

/* ---- a growable byte buffer: the rendered output of one document ---- */
typedef struct buf {
    char *p;
    size_t len, cap;
    int oom; /* an append failed: the output is incomplete */
} buf;

static int buf_put(buf *b, const char *data, size_t len) {
    if (b->oom) return -1;
    if (b->cap - b->len < len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < len) {
            if (cap > SIZE_MAX / 2) { b->oom = 1; return -1; }
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p) { b->oom = 1; return -1; }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return 0;
}


/* Where one document's output goes: appended to its buffer (-j N, written
 * when its turn comes), or with stream set straight to stdout as the
 * library hands it over (-j 1: a claim's line at most 64 KiB after it is
 * made, so the output of a huge document is never held whole). clean: TSV,
 * made safe for a terminal here (the library's pieces end at line ends). */
typedef struct sink {
    buf *b;
    int stream, clean;
    int werr; /* errno of a failed write to stdout */
} sink;

static int sink_raw(sink *k, const char *data, size_t len) {
    if (!k->stream) return buf_put(k->b, data, len);
    errno = 0;
    if (len && (fwrite(data, 1, len, stdout) != len || ferror(stdout))) {
        k->werr = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static int sink_write(void *ctx, const char *data, size_t len) {
    sink *k = ctx;
    if (!k->clean) return sink_raw(k, data, len);
    tly_buf clean;
    tly_buf_init(&clean, NULL);
    tly_sanitize_display(&clean, data, len, TLY_DISPLAY_CELL | TLY_DISPLAY_KEEP_TAB_LF);
    int rc = clean.failed ? (k->b->oom = 1, -1) : sink_raw(k, clean.data ? clean.data : "", clean.len);
    tly_buf_free(&clean);
    return rc;
}
static void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }
static void buf_putc(buf *b, char c) { buf_put(b, &c, 1); }

/* Keeps the memory of a buffer that once held a huge document bounded. */
static void buf_reset(buf *b) {
    b->len = 0;
    b->oom = 0;
    if (b->cap > ((size_t)1 << 22)) { free(b->p); b->p = NULL; b->cap = 0; }
}

static int write_stdout(void *ctx, const char *data, size_t len) {
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* ---- the table for people: fixed columns, long values cut with "…" ---- */
static void cell(buf *o, const char *raw, int width) {
    if (!raw) raw = "-";
    /* untrusted text: no control character reaches the terminal */
    tly_buf clean;
    tly_buf_init(&clean, NULL);
    tly_sanitize_display(&clean, raw, strlen(raw), TLY_DISPLAY_CELL);
    if (clean.failed) o->oom = 1;
    const char *s = clean.data ? clean.data : "";
    int printed = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && printed < width) {
        /* count code points, not bytes */
        size_t l = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
        if (printed == width - 1 && strlen((const char *)p) > l) { buf_puts(o, "\xe2\x80\xa6"); printed++; p += strlen((const char *)p); break; }
        buf_put(o, (const char *)p, l);
        p += l;
        printed++;
    }
    for (; printed < width; printed++) buf_putc(o, ' ');
    buf_putc(o, ' ');
    tly_buf_free(&clean);
}

/* Appends s[0..n) made safe for a terminal (sanitize.h), flags as there. */
static void put_clean(buf *o, const char *s, size_t n, unsigned flags) {
    tly_buf clean;
    tly_buf_init(&clean, NULL);
    tly_sanitize_display(&clean, s, n, flags);
    if (clean.failed) o->oom = 1;
    else buf_put(o, clean.data ? clean.data : "", clean.len);
    tly_buf_free(&clean);
}

static void table_header(buf *o) {
    cell(o, "doc", 16); cell(o, "outcome", 9); cell(o, "count", 10); cell(o, "victims", 9); cell(o, "scope", 10);
    cell(o, "place", 16); cell(o, "date", 21); cell(o, "claimant", 30); cell(o, "perpetrator", 14); cell(o, "weapon", 17);
    buf_puts(o, "evidence\n");
}

static void table_rows(sink *k, const tally_result *res, const tally_doc *doc) {
    buf *o = k->b;
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
        /* the evidence around the figure */
        size_t from = c[i].count_start > c[i].start + 30 ? c[i].count_start - 30 : c[i].start;
        while (from > c[i].start && ((unsigned char)doc->text.ptr[from] & 0xC0) == 0x80) from--;
        size_t len = c[i].end - from;
        if (len > 90) len = 90;
        while (len > 0 && from + len < c[i].end && ((unsigned char)doc->text.ptr[from + len] & 0xC0) == 0x80) len--;
        snprintf(ev, sizeof ev, "%s%.*s", from > c[i].start ? "…" : "", (int)len, doc->text.ptr + from);
        cell(o, id, 16); cell(o, tally_outcome_name(c[i].outcome), 9); cell(o, count, 10);
        cell(o, tally_victims_name(c[i].victims), 9); cell(o, tally_scope_name(c[i].scope), 10);
        cell(o, c[i].place, 16); cell(o, date, 21); cell(o, c[i].claimant, 30); cell(o, c[i].perpetrator, 14);
        cell(o, c[i].weapon, 17);
        put_clean(o, ev, strlen(ev), TLY_DISPLAY_CELL);
        buf_putc(o, '\n');
        if (k->stream && !o->oom) { /* -j 1: each row as it is made */
            if (sink_raw(k, o->p, o->len)) return;
            o->len = 0;
        }
    }
}

void tally_cli_report(const char *path, const tally_error *e) {
    /* the document's name and the message can quote the input: escaped */
    const char *doc = e->doc[0] ? e->doc : path;
    const char *msg = e->message[0] ? e->message : tally_strerror(e->code);
    tly_buf d, m;
    const char *ds = tally_cli_clean(&d, doc), *ms = tally_cli_clean(&m, msg);
    if (e->has_offset && !strstr(e->message, "at byte"))
        fprintf(stderr, "%s: %s: %s (byte %llu)\n", prog, ds, ms, (unsigned long long)e->offset);
    else
        fprintf(stderr, "%s: %s: %s\n", prog, ds, ms);
    tly_buf_free(&d);
    tly_buf_free(&m);
}

/* ---- a per-document memory bound (--max-doc-memory) ----
 * Every allocation of one document's extraction and output goes through a
 * capped allocator of its own: past the bound an allocation fails, the
 * library returns TALLY_ERR_NOMEM for that document, and the run goes on.
 * A 16-byte header keeps each block's size, so what is freed is given back. */
typedef struct capped {
    tally_alc alc;
    size_t limit, used;
    int hit; /* an allocation was refused */
} capped;

#define CAP_HDR 16
static void *cap_malloc(void *ctx, size_t size) {
    capped *c = ctx;
    if (size > c->limit - c->used || size > SIZE_MAX - CAP_HDR) { c->hit = 1; return NULL; }
    char *p = malloc(size + CAP_HDR);
    if (!p) return NULL;
    memcpy(p, &size, sizeof size);
    c->used += size;
    return p + CAP_HDR;
}
static void cap_free(void *ctx, void *ptr) {
    capped *c = ctx;
    if (!ptr) return;
    char *p = (char *)ptr - CAP_HDR;
    size_t size;
    memcpy(&size, p, sizeof size);
    c->used -= size;
    free(p);
}
static void *cap_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
    capped *c = ctx;
    (void)old_size;
    if (!ptr) return cap_malloc(ctx, size);
    char *p = (char *)ptr - CAP_HDR;
    size_t had;
    memcpy(&had, p, sizeof had);
    if (size > had && (size - had > c->limit - c->used || size > SIZE_MAX - CAP_HDR)) { c->hit = 1; return NULL; }
    char *np = realloc(p, size + CAP_HDR);
    if (!np) return NULL;
    memcpy(np, &size, sizeof size);
    c->used = c->used - had + size;
    return np + CAP_HDR;
}

/* ---- one document's work: extract, then render into a buffer ---- */
typedef struct job {
    const tally_lexicon *lex;
    const tally_options *opt;
    out_format fmt;
    int mentions, timex;
    langset *langs;   /* NULL: --lang given, every document read with lex */
    const char **include, **exclude; /* --include, --exclude globs */
    size_t ninclude, nexclude;
    size_t max_doc_memory; /* --max-doc-memory; 0: none */
} job;

typedef struct done {
    tally_status st;  /* of tally_extract (TALLY_OK, or the error in err) */
    tally_status ws;  /* of rendering: TALLY_ERR_NOMEM when the buffer could not grow,
                         TALLY_ERR_IO when a streamed write failed (werr) */
    int werr;
    size_t nclaims;
    const char *no_pack; /* the document's language, when there is no pack for it */
    tally_error err;
} done;

/* at_head(ctx): whether this document's output may go straight to stdout
 * now (every document before it is written); NULL: always (-j 1). */
typedef int (*at_head_fn)(void *ctx);

static void run_doc(const job *j, const tally_doc *doc, buf *out, at_head_fn at_head, void *head_ctx, done *d) {
    tally_result *res = NULL;
    d->ws = TALLY_OK;
    d->werr = 0;
    d->nclaims = 0;
    d->no_pack = NULL;
    const tally_lexicon *lex = j->lex;
    if (j->langs) {
        const char *code = tally_language_detect(doc->text.ptr, doc->text.len, NULL);
        lex = tally_cli_lang_pack(j->langs, code);
        if (!lex) { d->st = TALLY_OK; d->no_pack = code; return; }
    }
    tally_options o = *j->opt;
    capped cap = {{cap_malloc, cap_realloc, cap_free, &cap}, j->max_doc_memory, 0, 0};
    if (j->max_doc_memory) o.alc = &cap.alc;
    d->st = tally_extract(lex, doc, &o, &res, &d->err);
    if (d->st == TALLY_ERR_NOMEM && cap.hit) {
        size_t l = strlen(d->err.message);
        snprintf(d->err.message + l, sizeof d->err.message - l, ": it needs more than --max-doc-memory %zu",
                 j->max_doc_memory);
    }
    if (d->st != TALLY_OK) return;
    int stream = !at_head || at_head(head_ctx);
    /* the library's TSV has no tab or newline inside a field; the rest of
     * the document's bytes are made safe here, row structure kept */
    sink k = {.b = out, .stream = stream, .clean = j->fmt == OUT_TSV && !j->mentions && !j->timex};
    if (j->mentions) d->ws = tally_result_write_mentions(res, doc, sink_write, &k);
    else if (j->timex) d->ws = tally_result_write_timex(res, doc, sink_write, &k);
    else if (j->fmt == OUT_TABLE) table_rows(&k, res, doc);
    else d->ws = tally_result_write(res, doc, j->fmt == OUT_TSV ? TALLY_FORMAT_TSV : TALLY_FORMAT_JSONL, sink_write, &k);
    if (out->oom || d->ws == TALLY_ERR_NOMEM) {
        /* the output of this document could not be made: said, the run goes on */
        d->ws = TALLY_ERR_NOMEM;
        tally_error *e = &d->err;
        memset(e, 0, sizeof *e);
        e->code = TALLY_ERR_NOMEM;
        size_t n = doc->id.len < sizeof e->doc - 1 ? doc->id.len : sizeof e->doc - 1;
        if (n) memcpy(e->doc, doc->id.ptr, n);
        snprintf(e->message, sizeof e->message,
                 "out of memory writing its claims (a document of %zu bytes at byte %llu of its input): %s",
                 doc->text.len, (unsigned long long)doc->input_offset,
                 stream ? "some of them are out" : "none of them is out");
        if (!stream) out->len = 0;
    } else if (k.werr) { d->ws = TALLY_ERR_IO; d->werr = k.werr; }
    const tally_claim *cl;
    d->nclaims = tally_result_claims(res, &cl);
    tally_result_free(res);
}

/* ---- the state shared by the main thread and the writer ---- */
typedef struct run {
    job j;
    int quiet;
    int status;
    size_t ndocs, nclaims, nskipped;
    int missing;      /* an input path that does not exist: exit 1 at the end */
    /* documents passed over: no pack for their language, by language */
    size_t nno_pack;
    struct { const char *code; size_t n; } no_pack[MAX_LANGS];
    size_t nno_pack_langs;
} run;

/* Writes one finished document (or reports it). Returns 0 to go on, -1 on
 * a fatal error (status set). */
static int emit(run *r, const char *path, buf *out, const done *d) {
    if (d->no_pack) {
        r->nno_pack++;
        size_t i = 0;
        while (i < r->nno_pack_langs && strcmp(r->no_pack[i].code, d->no_pack)) i++;
        if (i == r->nno_pack_langs && i < MAX_LANGS) r->no_pack[r->nno_pack_langs++].code = d->no_pack;
        if (i < MAX_LANGS) r->no_pack[i].n++;
        return 0;
    }
    /* a document that failed, out of memory too, is named and skipped; the
     * run goes on with the next one */
    if (d->st != TALLY_OK || d->ws == TALLY_ERR_NOMEM) {
        if (!r->quiet) tally_cli_report(path, &d->err);
        r->nskipped++;
        r->status = EXIT_SKIPPED;
        return 0;
    }
    r->ndocs++;
    r->nclaims += d->nclaims;
    errno = d->werr;
    if (d->ws != TALLY_OK || (out->len && (fwrite(out->p, 1, out->len, stdout) != out->len || ferror(stdout)))) {
        tally_cli_write_failed(errno);
        r->status = EXIT_FATAL;
        return -1;
    }
    return 0;
}

/* A reader's error: reported now (-j 1) or when its turn comes (-j N). */
static int emit_read_error(run *r, const char *path, tally_status st, const tally_error *err) {
    if (!r->quiet) tally_cli_report(path, err);
    r->nskipped++;
    r->status = EXIT_SKIPPED;
    if (st == TALLY_ERR_NOMEM) { r->status = EXIT_FATAL; return -1; }
    return 0;
}

/* -j 1: everything on this thread. */
static void run_serial(run *r, const char **files, size_t nfiles) {
    buf out = {0};
    tally_error err;
    for (size_t f = 0; f < nfiles && r->status != EXIT_FATAL; f++) {
        tally_reader *rd = NULL;
        if (tally_reader_open(files[f], NULL, &rd, &err) != TALLY_OK) {
            if (!r->quiet) tally_cli_report(files[f], &err);
            r->nskipped++;
            r->status = EXIT_SKIPPED;
            if (strcmp(files[f], "-") && access(files[f], F_OK) != 0) r->missing = 1;
            continue;
        }
        if (tally_reader_set_globs(rd, r->j.include, r->j.ninclude, r->j.exclude, r->j.nexclude)) {
            r->status = EXIT_FATAL;
            tally_reader_close(rd);
            break;
        }
        if (r->j.opt->max_doc_bytes) tally_reader_set_max_doc_bytes(rd, r->j.opt->max_doc_bytes);
        for (;;) {
            tally_doc doc;
            tally_status st = tally_reader_next(rd, &doc, &err);
            if (st == TALLY_DONE) break;
            if (st != TALLY_OK) {
                if (emit_read_error(r, files[f], st, &err)) break;
                continue;
            }
            done d;
            buf_reset(&out);
            run_doc(&r->j, &doc, &out, NULL, NULL, &d);
            if (emit(r, files[f], &out, &d)) break;
        }
        tally_reader_close(rd);
    }
    free(out.p);
}

/* ---- -j N: a window of slots, filled in input order ---- */
enum { SLOT_DOC, SLOT_READ_ERROR, SLOT_OPEN_ERROR };

typedef struct slot {
    int kind;
    const char *path;
    tally_status read_st;  /* SLOT_READ_ERROR / SLOT_OPEN_ERROR */
    tally_error read_err;
    tally_doc doc;         /* its strings point into text */
    buf text;              /* owned copy of the document's strings */
    buf out;               /* rendered output */
    done d;
    int ready;             /* worker finished (under the mutex) */
    size_t seq;            /* its sequence number */
} slot;

typedef struct pool {
    run *r;
    slot *slots;
    size_t window;
    pthread_mutex_t mu;
    pthread_cond_t work;     /* a slot to process, or the end */
    pthread_cond_t finished; /* a slot is ready */
    size_t head;             /* next sequence number the reader fills */
    size_t next;             /* next sequence number a worker takes */
    size_t tail;             /* next sequence number to write (written by the main thread, under the mutex) */
    int stopped;             /* a fatal error stopped the output */
    int end;                 /* no more slots will come */
    int idle;                /* workers waiting on work */
    int waiting;             /* main thread waiting on finished */
} pool;

/* The document at the tail (all before it written) writes its output
 * itself, as it is rendered: one huge document is not held whole with -j N
 * either. Only it writes to stdout until it is ready: the main thread waits
 * for it before writing anything else. */
typedef struct head_ctx {
    pool *p;
    const slot *s;
} head_ctx;

static int slot_at_head(void *ctx) {
    head_ctx *h = ctx;
    pthread_mutex_lock(&h->p->mu);
    int at = h->p->tail == h->s->seq && !h->p->stopped;
    pthread_mutex_unlock(&h->p->mu);
    return at;
}

static void *worker(void *arg) {
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next == p->head && !p->end) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->mu);
            p->idle--;
        }
        if (p->next == p->head) break; /* the end, and nothing left */
        slot *s = &p->slots[p->next % p->window];
        s->seq = p->next++;
        pthread_mutex_unlock(&p->mu);
        head_ctx h = {p, s};
        if (s->kind == SLOT_DOC) run_doc(&p->r->j, &s->doc, &s->out, slot_at_head, &h, &s->d);
        pthread_mutex_lock(&p->mu);
        s->ready = 1;
        if (p->waiting) pthread_cond_signal(&p->finished);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Copies the reader's document (valid only until its next call) into s. */
static int slot_fill(slot *s, const tally_doc *doc) {
    buf_reset(&s->text);
    const tally_str *src[5] = {&doc->id, &doc->text, &doc->title, &doc->source, &doc->url};
    size_t total = 0;
    for (int i = 0; i < 5; i++) total += src[i]->len;
    if (s->text.cap < total) {
        char *np = realloc(s->text.p, total);
        if (!np) return -1;
        s->text.p = np;
        s->text.cap = total;
    }
    s->doc = *doc;
    tally_str *dst[5] = {&s->doc.id, &s->doc.text, &s->doc.title, &s->doc.source, &s->doc.url};
    size_t off = 0;
    for (int i = 0; i < 5; i++) {
        if (src[i]->len) {
            memcpy(s->text.p + off, src[i]->ptr, src[i]->len);
            dst[i]->ptr = s->text.p + off;
            off += src[i]->len;
        }
    }
    s->text.len = off;
    return 0;
}

/* Writes the finished slots at the tail, in order. how: 0 writes those
 * already finished; 1 first waits for the one at the tail; 2 waits for
 * every slot (the end). Returns -1 once a fatal error stopped the output. */
static int drain(pool *p, int how) {
    int wait = how != 0;
    while (p->tail != p->head) {
        slot *s = &p->slots[p->tail % p->window];
        pthread_mutex_lock(&p->mu);
        while (!s->ready && wait) {
            p->waiting = 1;
            pthread_cond_wait(&p->finished, &p->mu);
            p->waiting = 0;
        }
        int ready = s->ready;
        pthread_mutex_unlock(&p->mu);
        if (!ready) break;
        int rc = 0;
        if (s->kind == SLOT_DOC) rc = emit(p->r, s->path, &s->out, &s->d);
        else if (s->kind == SLOT_READ_ERROR) rc = emit_read_error(p->r, s->path, s->read_st, &s->read_err);
        else {
            if (!p->r->quiet) tally_cli_report(s->path, &s->read_err);
            p->r->nskipped++;
            p->r->status = EXIT_SKIPPED;
        }
        buf_reset(&s->out);
        buf_reset(&s->text);
        pthread_mutex_lock(&p->mu);
        p->tail++;
        if (rc) p->stopped = 1;
        pthread_mutex_unlock(&p->mu);
        if (rc) return -1;
        wait = how == 2;
    }
    return 0;
}

/* Takes the next free slot (writing finished ones to make room). NULL after
 * a fatal error. */
static slot *slot_take(pool *p) {
    while (p->head - p->tail >= p->window)
        if (drain(p, 1)) return NULL;
    slot *s = &p->slots[p->head % p->window];
    s->ready = 0;
    s->out.len = 0;
    return s;
}

static void slot_submit(pool *p) {
    pthread_mutex_lock(&p->mu);
    p->head++;
    if (p->idle) pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

static void run_parallel(run *r, const char **files, size_t nfiles, unsigned nthreads) {
    pool p;
    memset(&p, 0, sizeof p);
    p.r = r;
    p.window = (size_t)nthreads * 8;
    p.slots = calloc(p.window, sizeof *p.slots);
    pthread_t *th = calloc(nthreads, sizeof *th);
    if (!p.slots || !th) {
        fprintf(stderr, "%s: out of memory\n", prog);
        r->status = EXIT_FATAL;
        free(p.slots);
        free(th);
        return;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.finished, NULL);
    unsigned started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&th[started], NULL, worker, &p) != 0) break;
    if (!started) {
        fprintf(stderr, "%s: cannot start worker threads\n", prog);
        r->status = EXIT_FATAL;
    }

    int stop = !started;
    tally_error err;
    for (size_t f = 0; f < nfiles && !stop; f++) {
        tally_reader *rd = NULL;
        tally_status ost = tally_reader_open(files[f], NULL, &rd, &err);
        if (ost == TALLY_OK && tally_reader_set_globs(rd, r->j.include, r->j.ninclude, r->j.exclude, r->j.nexclude)) {
            tally_reader_close(rd);
            r->status = EXIT_FATAL;
            break;
        }
        if (ost != TALLY_OK && strcmp(files[f], "-") && access(files[f], F_OK) != 0) r->missing = 1;
        if (ost != TALLY_OK) {
            slot *s = slot_take(&p);
            if (!s) { stop = 1; break; }
            s->kind = SLOT_OPEN_ERROR;
            s->path = files[f];
            s->read_st = ost;
            s->read_err = err;
            slot_submit(&p);
            continue;
        }
        if (r->j.opt->max_doc_bytes) tally_reader_set_max_doc_bytes(rd, r->j.opt->max_doc_bytes);
        for (;;) {
            slot *s = slot_take(&p);
            if (!s) { stop = 1; break; }
            tally_doc doc;
            tally_status st = tally_reader_next(rd, &doc, &err);
            if (st == TALLY_DONE) break; /* the slot stays free */
            s->path = files[f];
            if (st != TALLY_OK) {
                s->kind = SLOT_READ_ERROR;
                s->read_st = st;
                s->read_err = err;
                slot_submit(&p);
                if (st == TALLY_ERR_NOMEM) { stop = 1; break; }
                continue;
            }
            if (slot_fill(s, &doc)) {
                s->kind = SLOT_READ_ERROR;
                s->read_st = TALLY_ERR_NOMEM;
                memset(&s->read_err, 0, sizeof s->read_err);
                s->read_err.code = TALLY_ERR_NOMEM;
                snprintf(s->read_err.message, sizeof s->read_err.message, "out of memory");
                slot_submit(&p);
                stop = 1;
                break;
            }
            s->kind = SLOT_DOC;
            slot_submit(&p);
            if (drain(&p, 0)) { stop = 1; break; }
        }
        tally_reader_close(rd);
    }
    /* the end: workers finish what is queued, the main thread writes it */
    pthread_mutex_lock(&p.mu);
    p.end = 1;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    if (r->status != EXIT_FATAL) drain(&p, 2);
    for (unsigned i = 0; i < started; i++) pthread_join(th[i], NULL);
    for (size_t i = 0; i < p.window; i++) { free(p.slots[i].text.p); free(p.slots[i].out.p); }
    pthread_cond_destroy(&p.finished);
    pthread_cond_destroy(&p.work);
    pthread_mutex_destroy(&p.mu);
    free(p.slots);
    free(th);
}

int tally_cli_extract(int argc, char **argv) {
    out_format fmt = OUT_JSONL;
    tally_options opt;
    memset(&opt, 0, sizeof opt);
    tally_lexicon_options lo;
    memset(&lo, 0, sizeof lo);
    int mentions = 0, timex = 0, full = 0, quiet = 0;
    size_t max_doc_memory = 0;
    long jobs = 1;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    const char **globs_in = calloc((size_t)argc + 1, sizeof *globs_in);
    const char **globs_ex = calloc((size_t)argc + 1, sizeof *globs_ex);
    size_t nglobs_in = 0, nglobs_ex = 0;
#define FREE_ARGS() (free(files), free(globs_in), free(globs_ex))
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
            else {
                tly_buf m;
                fprintf(stderr, "%s: extract: unknown format '%s' (jsonl, tsv, table)\n", prog, tally_cli_clean(&m, val));
                tly_buf_free(&m);
                FREE_ARGS();
                return EXIT_USAGE;
            }
        } else if (OPTARG("--include")) {
            globs_in[nglobs_in++] = val;
        } else if (OPTARG("--exclude")) {
            globs_ex[nglobs_ex++] = val;
        } else if (OPTARG("--published")) {
            if (!tally_date_parse(val, strlen(val), &opt.default_published)) {
                tly_buf m;
                fprintf(stderr, "%s: --published wants YYYY-MM-DD, not '%s'\n", prog, tally_cli_clean(&m, val));
                tly_buf_free(&m);
                FREE_ARGS();
                return EXIT_USAGE;
            }
        } else if (OPTARG("--data")) lo.data_dir = val;
        else if (OPTARG("--lang")) lo.lang = val;
        else if (OPTARG("--gazetteer")) lo.gazetteer_path = val;
        else if (OPTARG("--max-doc-memory")) {
            unsigned long long v;
            if (tally_cli_number("extract", "--max-doc-memory", val, 1, SIZE_MAX, &v)) { FREE_ARGS(); return EXIT_USAGE; }
            max_doc_memory = (size_t)v;
        } else if (OPTARG("--max-doc-bytes")) {
            unsigned long long v;
            if (tally_cli_number("extract", "--max-doc-bytes", val, 1, SIZE_MAX, &v)) { FREE_ARGS(); return EXIT_USAGE; }
            opt.max_doc_bytes = (size_t)v;
        } else if (OPTARG("--jobs") || OPTARG("-j") ||
                   (!strncmp(a, "-j", 2) && a[2] >= '0' && a[2] <= '9' && (val = a + 2))) {
            unsigned long long v;
            if (tally_cli_number("extract", "--jobs", val, 0, 1024, &v)) { FREE_ARGS(); return EXIT_USAGE; }
            jobs = (long)v;
        } else if (!strcmp(a, "--mentions")) mentions = 1;
        else if (!strcmp(a, "--timex")) timex = 1;
        else if (!strcmp(a, "--full")) full = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { tally_cli_extract_usage(stdout); FREE_ARGS(); return EXIT_OK; }
        else {
            tly_buf m;
            fprintf(stderr, "%s: extract: unknown option '%s'\n", prog, tally_cli_clean(&m, a));
            tly_buf_free(&m);
            tally_cli_extract_usage(stderr);
            FREE_ARGS();
            return EXIT_USAGE;
        }
#undef OPTARG
    }
    if (!nfiles) files[nfiles++] = "-";
    if (mentions) opt.flags |= TALLY_OPT_MENTIONS;
    if (timex) opt.flags |= TALLY_OPT_TIMEX;
    if (full) opt.flags |= TALLY_OPT_FULL;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (n > 1024 ? 1024 : n) : 1;
    }

    tally_error err;
    tally_lexicon *lex = NULL;
    if (tally_lexicon_open(&lo, &lex, &err) != TALLY_OK) {
        fprintf(stderr, "%s: cannot load the lexicons: %s\n", prog, err.message[0] ? err.message : tally_strerror(err.code));
        FREE_ARGS();
        return EXIT_FATAL;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    if (fmt == OUT_TSV && !mentions && !timex) tally_write_tsv_header(write_stdout, NULL);
    if (fmt == OUT_TABLE && !mentions && !timex) {
        buf h = {0};
        table_header(&h);
        if (h.len) fwrite(h.p, 1, h.len, stdout);
        free(h.p);
    }

    run r;
    memset(&r, 0, sizeof r);
    r.j.lex = lex;
    r.j.opt = &opt;
    r.j.fmt = fmt;
    r.j.mentions = mentions;
    r.j.timex = timex;
    r.j.max_doc_memory = max_doc_memory;
    r.quiet = quiet;
    r.status = EXIT_OK;
    r.j.include = globs_in;
    r.j.ninclude = nglobs_in;
    r.j.exclude = globs_ex;
    r.j.nexclude = nglobs_ex;
    langset ls;
    memset(&ls, 0, sizeof ls);
    if (!lo.lang) { /* no --lang: each document in its own language's pack */
        pthread_mutex_init(&ls.mu, NULL);
        ls.lo = lo;
        ls.deflex = lex;
        ls.deflang = "en";
        r.j.langs = &ls;
    }
    if (jobs <= 1) run_serial(&r, files, nfiles);
    else run_parallel(&r, files, nfiles, (unsigned)jobs);

    int status = r.status;
    if (r.missing && status != EXIT_FATAL) status = EXIT_FATAL; /* a mistyped path is no skipped document */
    if (r.nno_pack && !quiet) {
        fprintf(stderr, "%s: %zu document%s not read: tally has no language pack for", prog, r.nno_pack,
                r.nno_pack == 1 ? "" : "s");
        for (size_t i = 0; i < r.nno_pack_langs; i++)
            fprintf(stderr, "%s %s (%zu)", i ? "," : "", r.no_pack[i].code, r.no_pack[i].n);
        fprintf(stderr, "; --lang CODE reads them with the pack of CODE\n");
    }
    if (r.j.langs) {
        for (size_t i = 0; i < ls.n; i++) tally_lexicon_close(ls.e[i].lex);
        pthread_mutex_destroy(&ls.mu);
    }
    if (tally_cli_flush()) status = EXIT_FATAL;
    if ((fmt == OUT_TABLE && !mentions && !timex) || (isatty(2) && !quiet)) {
        fprintf(stderr, "%zu documents, %zu claims", r.ndocs, r.nclaims);
        if (r.nskipped) fprintf(stderr, ", %zu skipped", r.nskipped);
        fputc('\n', stderr);
    }
    tally_lexicon_close(lex);
    FREE_ARGS();
    return status;
}
