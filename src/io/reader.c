/* reader.c -- tally_reader: files, directories, stdin and memory ->
 * documents, one at a time. See docs/input.md. */
#include "io/reader.h"
#include "io/detect.h"
#include "io/feed.h"
#include "io/html.h"
#include "io/json.h"
#include "io/limits.h"
#include "io/stream.h"
#include "io/warc.h"
#include "text/fold.h"
#include "util/arena.h"
#include "util/buf.h"

#include <dirent.h>
#include <fnmatch.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { ROOT_FILE, ROOT_DIR, ROOT_STDIN, ROOT_MEM };

typedef struct dirframe {
    char *path;
    char **names;
    size_t n, i;
} dirframe;

struct tally_reader {
    const tally_alc *alc;
    size_t max_doc;
    char *root;
    int kind;
    const char *mem;
    size_t mem_len;
    int root_done;
    dirframe *fr;
    size_t nfr, capfr;

    /* the file being read */
    int open, file_done;
    char *path;  /* as shown in errors */
    char *stem;  /* the default document id */
    tly_stream s;
    tly_format fmt;
    uint64_t line_no;
    int whole_done;
    tly_warc_state warc;
    size_t feed_pos, feed_n;   /* the next item; the items read so far */
    char *feed_title;
    tly_feed_item item;
    pid_t child;               /* pdftotext converting the current PDF, or 0 */
    char **globs;              /* include globs, then exclude globs (tally_reader_set_globs) */
    size_t ninclude, nexclude;

    /* the current document */
    tly_arena arena;
    tly_buf text, tmp1, tmp2, conv;
};

/* ------------------------------------------------------------ small helpers */

static char *rstrdup(const tally_alc *alc, const char *s, size_t n) {
    char *d = alc->malloc(alc->ctx, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static void rfree(const tally_alc *alc, void *p) {
    if (p) alc->free(alc->ctx, p);
}

static void copy_doc(tally_error *err, const char *doc, size_t n) {
    if (n > sizeof err->doc - 1) n = sizeof err->doc - 1;
    if (n) memcpy(err->doc, doc, n);
    err->doc[n] = 0;
}

static tally_status seterr(tally_error *err, tally_status code, const char *doc, size_t doc_len,
                           int has_off, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static tally_status seterr(tally_error *err, tally_status code, const char *doc, size_t doc_len,
                           int has_off, uint64_t off, const char *fmt, ...) {
    if (!err) return code;
    err->code = code;
    err->has_offset = has_off;
    err->offset = has_off ? off : 0;
    copy_doc(err, doc ? doc : "", doc ? doc_len : 0);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* one line */
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    return code;
}

static int all_space(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return 0;
    }
    return 1;
}

static tally_str str_of(const char *p, size_t n) {
    tally_str s = {p ? p : "", p ? n : 0};
    return s;
}

/* ------------------------------------------------------------ open / close */

static tally_reader *new_reader(const tally_alc *alc) {
    if (!alc) alc = tly_default_alc();
    tally_reader *r = alc->malloc(alc->ctx, sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    r->alc = alc;
    r->max_doc = TLY_MAX_DOC_BYTES;
    tly_arena_init(&r->arena, alc);
    tly_feed_item_init(&r->item, alc);
    tly_buf_init(&r->text, alc);
    tly_buf_init(&r->tmp1, alc);
    tly_buf_init(&r->tmp2, alc);
    tly_buf_init(&r->conv, alc);
    r->s.fd = -1;
    return r;
}

tally_status tally_reader_open(const char *path, const tally_alc *alc, tally_reader **out,
                               tally_error *err) {
    if (err) memset(err, 0, sizeof *err);
    if (out) *out = NULL;
    if (!path || !*path || !out)
        return seterr(err, TALLY_ERR_USAGE, path, path ? strlen(path) : 0, 0, 0,
                      "tally_reader_open: no path");
    int kind = ROOT_FILE;
    if (strcmp(path, "-") == 0) {
        kind = ROOT_STDIN;
    } else {
        struct stat stt;
        if (stat(path, &stt) != 0)
            return seterr(err, TALLY_ERR_IO, path, strlen(path), 0, 0, "cannot open: %s", strerror(errno));
        if (S_ISDIR(stt.st_mode)) kind = ROOT_DIR;
    }
    tally_reader *r = new_reader(alc);
    if (!r) return seterr(err, TALLY_ERR_NOMEM, path, strlen(path), 0, 0, "out of memory");
    r->kind = kind;
    r->root = rstrdup(r->alc, path, strlen(path));
    if (!r->root) {
        tally_reader_close(r);
        return seterr(err, TALLY_ERR_NOMEM, path, strlen(path), 0, 0, "out of memory");
    }
    *out = r;
    return TALLY_OK;
}

tally_status tally_reader_open_memory(const char *name, const char *data, size_t len,
                                      const tally_alc *alc, tally_reader **out, tally_error *err) {
    if (err) memset(err, 0, sizeof *err);
    if (out) *out = NULL;
    if (!out || (!data && len))
        return seterr(err, TALLY_ERR_USAGE, name, name ? strlen(name) : 0, 0, 0,
                      "tally_reader_open_memory: bad arguments");
    if (!name || !*name) name = "memory";
    tally_reader *r = new_reader(alc);
    if (!r) return seterr(err, TALLY_ERR_NOMEM, name, strlen(name), 0, 0, "out of memory");
    r->kind = ROOT_MEM;
    r->mem = data ? data : "";
    r->mem_len = len;
    r->root = rstrdup(r->alc, name, strlen(name));
    if (!r->root) {
        tally_reader_close(r);
        return seterr(err, TALLY_ERR_NOMEM, name, strlen(name), 0, 0, "out of memory");
    }
    *out = r;
    return TALLY_OK;
}

void tly_reader_set_max_doc_bytes(tally_reader *r, size_t max) {
    if (r) r->max_doc = max ? max : TLY_MAX_DOC_BYTES;
}

/* Waits for the PDF converter; its exit status, or -1 when killed. */
static int reap_child(tally_reader *r) {
    if (r->child <= 0) return 0;
    int status = 0;
    while (waitpid(r->child, &status, 0) < 0 && errno == EINTR) {}
    r->child = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void close_file(tally_reader *r) {
    if (r->open) tly_stream_close(&r->s);
    if (r->child > 0) { kill(r->child, SIGTERM); reap_child(r); }
    rfree(r->alc, r->path);
    rfree(r->alc, r->stem);
    rfree(r->alc, r->feed_title);
    r->path = r->stem = r->feed_title = NULL;
    r->open = r->file_done = 0;
}

static void pop_dir(tally_reader *r) {
    dirframe *f = &r->fr[--r->nfr];
    for (size_t i = 0; i < f->n; i++) rfree(r->alc, f->names[i]);
    rfree(r->alc, f->names);
    rfree(r->alc, f->path);
}

void tally_reader_close(tally_reader *r) {
    if (!r) return;
    const tally_alc *alc = r->alc;
    close_file(r);
    while (r->nfr) pop_dir(r);
    rfree(alc, r->fr);
    rfree(alc, r->root);
    tly_arena_free(&r->arena);
    tly_buf_free(&r->text);
    tly_buf_free(&r->tmp1);
    tly_buf_free(&r->tmp2);
    tly_buf_free(&r->conv);
    tly_feed_item_free(&r->item);
    for (size_t i = 0; i < r->ninclude + r->nexclude; i++) rfree(alc, r->globs[i]);
    rfree(alc, r->globs);
    alc->free(alc->ctx, r);
}

/* ------------------------------------------------------------ directory walk */

tally_status tally_reader_set_globs(tally_reader *r, const char *const *include, size_t ninclude,
                                    const char *const *exclude, size_t nexclude) {
    if (!r || (ninclude && !include) || (nexclude && !exclude)) return TALLY_ERR_USAGE;
    size_t n = ninclude + nexclude;
    char **g = n ? r->alc->malloc(r->alc->ctx, n * sizeof *g) : NULL;
    if (n && !g) return TALLY_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *s = i < ninclude ? include[i] : exclude[i - ninclude];
        g[i] = rstrdup(r->alc, s ? s : "", s ? strlen(s) : 0);
        if (!g[i]) {
            while (i--) rfree(r->alc, g[i]);
            rfree(r->alc, g);
            return TALLY_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < r->ninclude + r->nexclude; i++) rfree(r->alc, r->globs[i]);
    rfree(r->alc, r->globs);
    r->globs = g;
    r->ninclude = ninclude;
    r->nexclude = nexclude;
    return TALLY_OK;
}

/* glob g against an entry: its name, or (g has a '/') its path below the root */
static int glob_hits(const char *g, const char *name, const char *rel) {
    return fnmatch(g, strchr(g, '/') ? rel : name, 0) == 0;
}

/* 1 when the walk should pass over this entry (name; rel: its path below the root) */
static int filtered_out(const tally_reader *r, const char *name, const char *rel, int is_dir) {
    for (size_t i = 0; i < r->nexclude; i++)
        if (glob_hits(r->globs[r->ninclude + i], name, rel)) return 1;
    if (is_dir || r->ninclude == 0) return 0;
    for (size_t i = 0; i < r->ninclude; i++)
        if (glob_hits(r->globs[i], name, rel)) return 0;
    return 1;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static tally_status push_dir(tally_reader *r, const char *path, tally_error *err) {
    DIR *d = opendir(path);
    if (!d) return seterr(err, TALLY_ERR_IO, path, strlen(path), 0, 0, "cannot read directory: %s", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    tally_status st = TALLY_OK;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue; /* hidden, . and .. */
        if (!tly_heap_reserve(r->alc, &names, &cap, n + 1, 16)) { st = TALLY_ERR_NOMEM; break; }
        names[n] = rstrdup(r->alc, de->d_name, strlen(de->d_name));
        if (!names[n]) { st = TALLY_ERR_NOMEM; break; }
        n++;
    }
    closedir(d);
    if (st == TALLY_OK && !tly_heap_reserve(r->alc, &r->fr, &r->capfr, r->nfr + 1, 8)) st = TALLY_ERR_NOMEM;
    char *p = st == TALLY_OK ? rstrdup(r->alc, path, strlen(path)) : NULL;
    if (!p) {
        for (size_t i = 0; i < n; i++) rfree(r->alc, names[i]);
        rfree(r->alc, names);
        return seterr(err, TALLY_ERR_NOMEM, path, strlen(path), 0, 0, "out of memory");
    }
    if (n > 1) qsort(names, n, sizeof *names, cmp_names);
    r->fr[r->nfr++] = (dirframe){p, names, n, 0};
    return TALLY_OK;
}

/* The next file to read: *path is a new heap string. */
static tally_status next_path(tally_reader *r, char **path, tally_error *err) {
    if (!r->root_done) {
        r->root_done = 1;
        if (r->kind != ROOT_DIR) {
            const char *shown = r->kind == ROOT_STDIN ? "stdin" : r->root;
            *path = rstrdup(r->alc, shown, strlen(shown));
            if (!*path) return seterr(err, TALLY_ERR_NOMEM, r->root, strlen(r->root), 0, 0, "out of memory");
            return TALLY_OK;
        }
        tally_status st = push_dir(r, r->root, err);
        if (st) return st;
    }
    while (r->nfr) {
        dirframe *f = &r->fr[r->nfr - 1];
        if (f->i >= f->n) { pop_dir(r); continue; }
        const char *name = f->names[f->i++];
        size_t pl = strlen(f->path), nl = strlen(name);
        int slash = pl && f->path[pl - 1] == '/';
        char *full = r->alc->malloc(r->alc->ctx, pl + nl + 2);
        if (!full) return seterr(err, TALLY_ERR_NOMEM, name, nl, 0, 0, "out of memory");
        memcpy(full, f->path, pl);
        if (!slash) full[pl++] = '/';
        memcpy(full + pl, name, nl + 1);
        struct stat stt;
        if (lstat(full, &stt) != 0) {
            tally_status st = seterr(err, TALLY_ERR_IO, full, strlen(full), 0, 0, "cannot open: %s", strerror(errno));
            rfree(r->alc, full);
            return st;
        }
        if (S_ISLNK(stt.st_mode)) {
            /* links to files are followed, links to directories are not (no loops) */
            if (stat(full, &stt) != 0) {
                tally_status st = seterr(err, TALLY_ERR_IO, full, strlen(full), 0, 0,
                                         "cannot open: %s", strerror(errno));
                rfree(r->alc, full);
                return st;
            }
            if (!S_ISREG(stt.st_mode)) { rfree(r->alc, full); continue; }
        }
        if (tly_walk_skips(name, S_ISDIR(stt.st_mode))) { rfree(r->alc, full); continue; }
        if (r->ninclude + r->nexclude) {
            size_t rl = strlen(r->root);
            const char *rel = full + rl;
            while (*rel == '/') rel++;
            if (filtered_out(r, name, rel, S_ISDIR(stt.st_mode))) { rfree(r->alc, full); continue; }
        }
        if (S_ISDIR(stt.st_mode)) {
            tally_status st = push_dir(r, full, err);
            rfree(r->alc, full);
            if (st) return st;
            continue;
        }
        if (!S_ISREG(stt.st_mode)) { rfree(r->alc, full); continue; } /* fifos, sockets, devices */
        *path = full;
        return TALLY_OK;
    }
    return TALLY_DONE;
}

static tally_status stream_error(tally_reader *r, tally_error *err) {
    return seterr(err, r->s.status, r->path, strlen(r->path), 1, r->s.err_off, "%s", r->s.msg);
}

/* A PDF is read as the text Debian's pdftotext (poppler-utils) makes of it:
 * the file's stream is replaced by the converter's output ($TALLY_PDFTOTEXT
 * names another program). */
static tally_status open_pdf(tally_reader *r, const char *path, tally_error *err) {
    extern char **environ;
    const char *prog = getenv("TALLY_PDFTOTEXT");
    if (!prog || !*prog) prog = "pdftotext";
    int fds[2];
    if (pipe(fds) != 0)
        return seterr(err, TALLY_ERR_IO, path, strlen(path), 0, 0, "cannot convert the PDF: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *)prog, "-q", "-enc", "UTF-8", (char *)path, "-", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return seterr(err, TALLY_ERR_BINARY, path, strlen(path), 1, 0,
                      "a PDF at byte 0, and %s cannot be run (%s): install poppler-utils to read PDFs",
                      prog, strerror(rc));
    }
    (void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    tly_stream_close(&r->s);
    tly_stream_init_fd(&r->s, r->alc, fds[0], 1);
    r->child = pid;
    return TALLY_OK;
}

/* Opens the file at path (owned from now on) and finds its format. */
static tally_status open_file(tally_reader *r, char *path, tally_error *err) {
    r->path = path;
    const char *base = r->kind == ROOT_STDIN ? "stdin" : tly_base_name(path);
    size_t sl = r->kind == ROOT_STDIN ? 5 : tly_stem_len(base);
    if (sl == 0) sl = strlen(base);
    r->stem = rstrdup(r->alc, base, sl);
    if (!r->stem) { close_file(r); return seterr(err, TALLY_ERR_NOMEM, path, strlen(path), 0, 0, "out of memory"); }
    int gz = 0;
    tly_format fmt = r->kind == ROOT_STDIN ? TLY_FMT_UNKNOWN : tly_format_from_name(base, &gz);
    if (r->kind == ROOT_MEM) {
        tly_stream_init_mem(&r->s, r->alc, r->mem, r->mem_len);
    } else if (r->kind == ROOT_STDIN) {
        tly_stream_init_fd(&r->s, r->alc, 0, 0);
    } else {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            tally_status st = seterr(err, TALLY_ERR_IO, path, strlen(path), 0, 0, "cannot open: %s", strerror(errno));
            close_file(r);
            return st;
        }
        tly_stream_init_fd(&r->s, r->alc, fd, 1);
    }
    r->open = 1;
    r->file_done = 0;
    r->line_no = 0;
    r->whole_done = 0;
    r->feed_pos = r->feed_n = 0;
    memset(&r->warc, 0, sizeof r->warc);

    tally_status st = TALLY_OK;
    size_t avail = tly_stream_fill(&r->s, 2);
    if (r->s.status != TALLY_OK) {
        st = stream_error(r, err);
    } else if (gz || (tly_is_gzip_magic(tly_stream_ptr(&r->s), avail) && fmt == TLY_FMT_UNKNOWN)) {
        if (!tly_stream_enable_gzip(&r->s)) st = seterr(err, TALLY_ERR_NOMEM, path, strlen(path), 0, 0, "out of memory");
    } else if (tly_is_gzip_magic(tly_stream_ptr(&r->s), avail)) {
        st = seterr(err, TALLY_ERR_BINARY, path, strlen(path), 1, 0,
                    "binary file (gzip data without a .gz name) at byte 0");
    }
    if (st == TALLY_OK) {
        avail = tly_stream_fill(&r->s, 4096);
        const char *p = tly_stream_ptr(&r->s);
        const char *magic;
        if (avail == 0 && r->s.status != TALLY_OK) {
            st = stream_error(r, err);
        } else if (avail == 0) {
            st = seterr(err, TALLY_ERR_EMPTY, path, strlen(path), 1, 0, "empty file");
        } else if ((magic = tly_binary_magic(p, avail)) != NULL && !strcmp(magic, "PDF") && !gz &&
                   (r->kind == ROOT_FILE || r->kind == ROOT_DIR)) {
            st = open_pdf(r, path, err);
            fmt = TLY_FMT_TEXT;
            r->fmt = fmt;
        } else if (magic != NULL) {
            st = seterr(err, TALLY_ERR_BINARY, path, strlen(path), 1, 0, "binary file (%s) at byte 0", magic);
        } else {
            if (fmt == TLY_FMT_UNKNOWN) fmt = tly_sniff(p, avail);
            r->fmt = fmt;
        }
    }
    if (st != TALLY_OK) close_file(r);
    return st;
}

/* ------------------------------------------------------------ documents */

/* Where a payload's bytes came from, for error offsets. */
typedef struct origin {
    const char *doc; /* for err->doc */
    size_t doc_len;
    uint64_t base;   /* input offset of the payload's first byte */
    int exact;       /* 0: the payload was decoded; offsets are relative to it */
} origin;

static tally_status payload_err(tally_error *err, tally_status code, const origin *o, size_t at,
                                const char *what) {
    if (o->exact)
        return seterr(err, code, o->doc, o->doc_len, 1, o->base + at, "%s at byte %llu", what,
                      (unsigned long long)(o->base + at));
    return seterr(err, code, o->doc, o->doc_len, 1, o->base,
                  "%s at byte %zu of the decoded content of the record at byte %llu", what, at,
                  (unsigned long long)o->base);
}

static tally_status text_doc(tally_reader *r, const char *p, size_t n, const origin *o, tally_doc *doc,
                             tally_error *err) {
    (void)r;
    size_t bom = tly_bom_len(p, n);
    const char *nul = n > bom ? memchr(p + bom, 0, n - bom) : NULL;
    if (nul) return payload_err(err, TALLY_ERR_BINARY, o, (size_t)(nul - p), "NUL byte");
    size_t v = tly_utf8_validate(p + bom, n - bom);
    if (v < n - bom) return payload_err(err, TALLY_ERR_UTF8, o, bom + v, "invalid UTF-8");
    if (all_space(p + bom, n - bom))
        return seterr(err, TALLY_ERR_EMPTY, o->doc, o->doc_len, 1, o->base, "no text");
    doc->text = str_of(p + bom, n - bom);
    doc->input_offset = o->base + (o->exact ? bom : 0);
    return TALLY_OK;
}

static tally_status html_doc(tally_reader *r, const char *p, size_t n, tly_charset cs, const origin *o,
                             tally_doc *doc, tly_html_meta *meta, tally_error *err) {
    size_t bom = tly_bom_len(p, n);
    const char *nul = n > bom ? memchr(p + bom, 0, n - bom) : NULL;
    if (nul) return payload_err(err, TALLY_ERR_BINARY, o, (size_t)(nul - p), "NUL byte");
    const char *src = p + bom;
    size_t sn = n - bom;
    if (cs == TLY_CS_DEFAULT) cs = tly_charset_find(src, sn < 4096 ? sn : 4096);
    size_t v = tly_utf8_validate(src, sn);
    if (v < sn) {
        if (cs == TLY_CS_LATIN1 || cs == TLY_CS_CP1252) {
            r->conv.len = 0;
            if (!tly_transcode_8bit(src, sn, cs, &r->conv))
                return seterr(err, TALLY_ERR_NOMEM, o->doc, o->doc_len, 0, 0, "out of memory");
            src = r->conv.data;
            sn = r->conv.len;
        } else {
            char name[48];
            size_t bad = (size_t)-1;
            int ok = 0;
            if (cs == TLY_CS_OTHER && tly_charset_name(src, sn < 4096 ? sn : 4096, name, sizeof name)) {
                r->conv.len = 0;
                ok = tly_transcode_iconv(src, sn, name, &r->conv, &bad);
                if (ok < 0) return seterr(err, TALLY_ERR_NOMEM, o->doc, o->doc_len, 0, 0, "out of memory");
            }
            if (!ok)
                return payload_err(err, TALLY_ERR_UTF8, o, bom + (bad != (size_t)-1 ? bad : v),
                                   cs == TLY_CS_OTHER ? "invalid UTF-8 (unsupported charset)" : "invalid UTF-8");
            src = r->conv.data;
            sn = r->conv.len;
        }
    }
    if (all_space(src, sn)) return seterr(err, TALLY_ERR_EMPTY, o->doc, o->doc_len, 1, o->base, "no text");
    r->text.len = 0;
    size_t at = 0;
    tally_status st = tly_html_extract(src, sn, r->alc, &r->text, &r->arena, meta, &at);
    if (st == TALLY_ERR_LIMIT) {
        char what[80];
        snprintf(what, sizeof what, "HTML nested deeper than %d elements", TLY_HTML_MAX_DEPTH);
        return payload_err(err, TALLY_ERR_LIMIT, o, src == p + bom ? bom + at : 0, what);
    }
    if (st != TALLY_OK) return seterr(err, st, o->doc, o->doc_len, 0, 0, "out of memory");
    if (r->text.len == 0 || all_space(r->text.data, r->text.len))
        return seterr(err, TALLY_ERR_HTML, o->doc, o->doc_len, 1, o->base, "no text in the HTML");
    size_t tv = tly_utf8_validate(r->text.data, r->text.len);
    if (tv < r->text.len) /* cannot happen: gumbo writes UTF-8 */
        return seterr(err, TALLY_ERR_UTF8, o->doc, o->doc_len, 1, o->base, "invalid UTF-8 in the HTML text");
    doc->text = str_of(r->text.data, r->text.len);
    doc->title = meta->title;
    doc->source = meta->source;
    doc->url = meta->url;
    doc->published = meta->published;
    doc->input_offset = o->base;
    return TALLY_OK;
}

/* A whole file is one document (text or HTML). */
static tally_status whole_next(tally_reader *r, tally_doc *doc, tally_error *err) {
    if (r->whole_done) return TALLY_DONE;
    r->whole_done = 1;
    r->file_done = 1;
    size_t want = r->max_doc < (size_t)-1 ? r->max_doc + 1 : r->max_doc;
    size_t avail = tly_stream_fill(&r->s, want);
    if (r->s.status != TALLY_OK) return stream_error(r, err);
    if (avail > r->max_doc)
        return seterr(err, TALLY_ERR_LIMIT, r->path, strlen(r->path), 1, r->max_doc,
                      "document larger than %zu bytes", r->max_doc);
    origin o = {r->path, strlen(r->path), 0, 1};
    const char *p = tly_stream_ptr(&r->s);
    if (r->child > 0) { /* the text of a PDF: did the converter succeed? */
        int ex = reap_child(r);
        if (ex != 0)
            return seterr(err, TALLY_ERR_BINARY, r->path, strlen(r->path), 1, 0,
                          "a PDF at byte 0 that pdftotext could not read (exit %d)", ex);
        if (all_space(p, avail))
            return seterr(err, TALLY_ERR_EMPTY, r->path, strlen(r->path), 1, 0,
                          "a PDF with no text at byte 0 (a scan? run OCR on it first)");
        o.exact = 0;
    }
    const char *u16 = tly_utf16_bom(p, avail);
    if (u16) { /* UTF-16 with a byte order mark: converted, offsets then relative to the UTF-8 text */
        size_t bad;
        r->conv.len = 0;
        int ok = tly_transcode_iconv(p + 2, avail - 2, u16, &r->conv, &bad);
        if (ok < 0) return seterr(err, TALLY_ERR_NOMEM, r->path, strlen(r->path), 0, 0, "out of memory");
        if (!ok) return payload_err(err, TALLY_ERR_UTF8, &o, 2 + (bad == (size_t)-1 ? 0 : bad), "invalid UTF-16");
        p = r->conv.data ? r->conv.data : "";
        avail = r->conv.len;
        o.exact = 0;
    }
    tally_status st;
    if (r->fmt == TLY_FMT_HTML) {
        tly_html_meta meta;
        st = html_doc(r, p, avail, TLY_CS_DEFAULT, &o, doc, &meta, err);
    } else {
        st = text_doc(r, p, avail, &o, doc, err);
    }
    if (st == TALLY_OK) doc->id = str_of(r->stem, strlen(r->stem));
    return st;
}

/* A feed: the whole file is read once (at most the document limit), then
 * each <item>/<entry> is one document: its description or content as HTML,
 * its title, link (the url, and the id when it has no guid), date (the
 * reference date) and the feed's title as the source. */
static tally_status feed_next(tally_reader *r, tally_doc *doc, tally_error *err) {
    size_t want = r->max_doc < (size_t)-1 ? r->max_doc + 1 : r->max_doc;
    size_t avail = tly_stream_fill(&r->s, want);
    if (r->s.status != TALLY_OK) { r->file_done = 1; return stream_error(r, err); }
    if (avail > r->max_doc) {
        r->file_done = 1;
        return seterr(err, TALLY_ERR_LIMIT, r->path, strlen(r->path), 1, r->max_doc,
                      "feed larger than %zu bytes", r->max_doc);
    }
    const char *p = tly_stream_ptr(&r->s);
    if (r->feed_pos == 0) {
        size_t bad = tly_utf8_validate(p, avail);
        if (bad < avail) {
            r->file_done = 1;
            return seterr(err, TALLY_ERR_UTF8, r->path, strlen(r->path), 1, bad, "invalid UTF-8 in the feed at byte %zu", bad);
        }
        tly_buf t;
        tly_buf_init(&t, r->alc);
        if (!tly_feed_title(p, avail, &t) || !(r->feed_title = rstrdup(r->alc, t.data ? t.data : "", t.len))) {
            tly_buf_free(&t);
            return seterr(err, TALLY_ERR_NOMEM, r->path, strlen(r->path), 0, 0, "out of memory");
        }
        tly_buf_free(&t);
    }
    for (;;) {
        int rc = tly_feed_next(p, avail, &r->feed_pos, &r->item);
        if (rc < 0) return seterr(err, TALLY_ERR_NOMEM, r->path, strlen(r->path), 0, 0, "out of memory");
        if (rc == 0) { r->file_done = 1; return TALLY_DONE; }
        tly_feed_item *it = &r->item;
        r->feed_n++;
        const char *ids = it->id.len ? it->id.data : it->link.len ? it->link.data : NULL;
        size_t idl = it->id.len ? it->id.len : it->link.len;
        char *id = ids ? tly_arena_strndup(&r->arena, ids, idl)
                       : tly_arena_printf(&r->arena, "%s#%zu", r->stem, r->feed_n);
        char *title = tly_arena_strndup(&r->arena, it->title.data ? it->title.data : "", it->title.len);
        char *url = tly_arena_strndup(&r->arena, it->link.data ? it->link.data : "", it->link.len);
        if (!id || !title || !url) return seterr(err, TALLY_ERR_NOMEM, r->path, strlen(r->path), 0, 0, "out of memory");
        origin o = {id, strlen(id), it->start, 0};
        const char *body = it->body.len ? it->body.data : it->title.data;
        size_t bn = it->body.len ? it->body.len : it->title.len;
        if (!body || all_space(body, bn)) continue; /* an item with nothing to read */
        tally_status st;
        if (it->body_is_html) {
            tly_html_meta meta;
            memset(&meta, 0, sizeof meta);
            st = html_doc(r, body, bn, TLY_CS_UTF8, &o, doc, &meta, err);
            if (st == TALLY_ERR_HTML) { /* a description of plain words with stray markup */
                st = text_doc(r, body, bn, &o, doc, err);
            }
        } else {
            st = text_doc(r, body, bn, &o, doc, err);
        }
        if (st != TALLY_OK) return st;
        doc->id = str_of(id, strlen(id));
        doc->title = str_of(title, strlen(title));
        doc->url = str_of(url, strlen(url));
        doc->source = str_of(r->feed_title, strlen(r->feed_title));
        doc->published = it->published;
        doc->input_offset = it->start;
        return TALLY_OK;
    }
}

static tally_status jsonl_next(tally_reader *r, tally_doc *doc, tally_error *err) {
    tly_stream_shrink(&r->s);
    for (;;) {
        const char *l;
        size_t len;
        uint64_t off;
        int rc = tly_stream_line(&r->s, r->max_doc, &l, &len, &off);
        if (rc == TLY_LINE_EOF) return TALLY_DONE;
        r->line_no++;
        unsigned long long ln = (unsigned long long)r->line_no;
        char where[300];
        snprintf(where, sizeof where, "%s:%llu", r->path, ln);
        if (rc == TLY_LINE_ERR) {
            r->file_done = 1;
            return seterr(err, r->s.status, where, strlen(where), 1, r->s.err_off, "%s", r->s.msg);
        }
        if (rc == TLY_LINE_LONG && r->s.gave_up)
            return seterr(err, TALLY_ERR_LIMIT, where, strlen(where), 1, off,
                          "line %llu longer than %zu bytes (at byte %llu) with no end in sight: the rest of the input is not read",
                          ln, r->max_doc, (unsigned long long)off);
        if (rc == TLY_LINE_LONG)
            return seterr(err, TALLY_ERR_LIMIT, where, strlen(where), 1, off,
                          "line %llu longer than %zu bytes (at byte %llu)", ln, r->max_doc,
                          (unsigned long long)off);
        if (off == 0 && tly_bom_len(l, len)) { l += 3; len -= 3; off += 3; }
        if (all_space(l, len)) continue;
        const char *nul = memchr(l, 0, len);
        if (nul)
            return seterr(err, TALLY_ERR_BINARY, where, strlen(where), 1, off + (uint64_t)(nul - l),
                          "NUL byte at byte %llu (line %llu)", (unsigned long long)(off + (uint64_t)(nul - l)), ln);
        size_t v = tly_utf8_validate(l, len);
        if (v < len)
            return seterr(err, TALLY_ERR_UTF8, where, strlen(where), 1, off + v,
                          "invalid UTF-8 at byte %llu (line %llu)", (unsigned long long)(off + v), ln);
        r->text.len = 0;
        tly_json_doc jd;
        size_t at = 0;
        char msg[160];
        tally_status st = tly_json_parse_line(l, len, &r->text, &jd, &at, msg, sizeof msg);
        if (st == TALLY_ERR_NOMEM) return seterr(err, st, where, strlen(where), 0, 0, "out of memory");
        const char *ed = where;
        size_t edl = strlen(where);
        if (jd.f[TLY_JF_ID].present && jd.f[TLY_JF_ID].len) {
            ed = r->text.data + jd.f[TLY_JF_ID].off;
            edl = jd.f[TLY_JF_ID].len;
        }
        if (st != TALLY_OK)
            return seterr(err, TALLY_ERR_JSON, ed, edl, 1, off + at, "invalid JSON at byte %llu (line %llu): %s",
                          (unsigned long long)(off + at), ln, msg);
        tly_json_field *tf = &jd.f[TLY_JF_TEXT];
        if (!tf->present)
            return seterr(err, TALLY_ERR_JSON, ed, edl, 1, off, "%s at byte %llu (line %llu)",
                          tf->not_string ? "\"text\" is not a string" : "no \"text\" in the object",
                          (unsigned long long)off, ln);
        if (jd.nul_at != (size_t)-1)
            return seterr(err, TALLY_ERR_BINARY, ed, edl, 1, off + jd.nul_at,
                          "NUL character (\\u0000) in \"text\" at byte %llu (line %llu)",
                          (unsigned long long)(off + jd.nul_at), ln);
        const char *base = r->text.data ? r->text.data : "";
        if (all_space(base + tf->off, tf->len))
            return seterr(err, TALLY_ERR_EMPTY, ed, edl, 1, off, "no text at byte %llu (line %llu)",
                          (unsigned long long)off, ln);
        doc->text = str_of(base + tf->off, tf->len);
        if (jd.f[TLY_JF_ID].present && jd.f[TLY_JF_ID].len) {
            doc->id = str_of(base + jd.f[TLY_JF_ID].off, jd.f[TLY_JF_ID].len);
        } else {
            char *id = tly_arena_printf(&r->arena, "%s:%llu", r->stem, ln);
            if (!id) return seterr(err, TALLY_ERR_NOMEM, where, strlen(where), 0, 0, "out of memory");
            doc->id = str_of(id, strlen(id));
        }
        tally_str *dst[] = {NULL, NULL, NULL, &doc->title, &doc->source, &doc->url};
        for (int f = TLY_JF_TITLE; f <= TLY_JF_URL; f++)
            if (jd.f[f].present) *dst[f] = str_of(base + jd.f[f].off, jd.f[f].len);
        if (jd.f[TLY_JF_PUBLISHED].present) {
            const tly_json_field *pf = &jd.f[TLY_JF_PUBLISHED];
            if (!tally_date_parse(base + pf->off, pf->len, &doc->published))
                memset(&doc->published, 0, sizeof doc->published);
        }
        doc->input_offset = off;
        return TALLY_OK;
    }
}

static tally_status warc_next(tally_reader *r, tally_doc *doc, tally_error *err) {
    tly_warc_payload p;
    tly_warc_error we;
    tly_stream_shrink(&r->s);
    tally_status st = tly_warc_next(&r->s, &r->warc, r->max_doc, &r->arena, &r->tmp1, &r->tmp2, &p, &we);
    if (r->warc.done) r->file_done = 1;
    if (st == TALLY_DONE) return st;
    if (st != TALLY_OK) {
        if (we.id[0]) return seterr(err, we.code, we.id, strlen(we.id), 1, we.offset, "%s", we.message);
        return seterr(err, we.code, r->path, strlen(r->path), 1, we.offset, "%s", we.message);
    }
    origin o = {p.id.len ? p.id.ptr : r->path, p.id.len ? p.id.len : strlen(r->path),
                p.data_exact ? p.data_off : p.record_off, p.data_exact};
    tly_html_meta meta;
    memset(&meta, 0, sizeof meta);
    if (p.kind == TLY_FMT_HTML) st = html_doc(r, p.data, p.len, p.charset, &o, doc, &meta, err);
    else st = text_doc(r, p.data, p.len, &o, doc, err);
    if (st != TALLY_OK) return st;
    if (p.id.len) {
        doc->id = p.id;
    } else {
        char *id = tly_arena_printf(&r->arena, "%s@%llu", r->stem, (unsigned long long)p.record_off);
        if (!id) return seterr(err, TALLY_ERR_NOMEM, r->path, strlen(r->path), 0, 0, "out of memory");
        doc->id = str_of(id, strlen(id));
    }
    if (p.url.len) doc->url = p.url;
    /* the record's WARC-Date when the page gives none, or gives less than a day */
    tally_date wd;
    if (p.date.len && tally_date_parse(p.date.ptr, p.date.len, &wd) && wd.day &&
        (doc->published.year == 0 || !doc->published.day))
        doc->published = wd;
    doc->input_offset = p.record_off;
    return TALLY_OK;
}

/* Gives big scratch buffers back between documents so that one large
 * document does not pin its memory for the rest of the input. */
static void trim_buf(tly_buf *b) {
    if (b->cap > ((size_t)4 << 20)) tly_buf_free(b);
    b->len = 0;
    b->failed = 0;
}

tally_status tally_reader_next(tally_reader *r, tally_doc *doc, tally_error *err) {
    if (err) memset(err, 0, sizeof *err);
    if (!r || !doc) return seterr(err, TALLY_ERR_USAGE, "", 0, 0, 0, "tally_reader_next: no reader or document");
    memset(doc, 0, sizeof *doc);
    doc->id = doc->text = doc->title = doc->source = doc->url = str_of("", 0);
    tly_arena_free(&r->arena);
    tly_arena_init(&r->arena, r->alc);
    trim_buf(&r->text);
    trim_buf(&r->tmp1);
    trim_buf(&r->tmp2);
    trim_buf(&r->conv);
    for (;;) {
        if (r->open && r->file_done) close_file(r);
        if (!r->open) {
            char *path = NULL;
            tally_status st = next_path(r, &path, err);
            if (st != TALLY_OK) return st;
            st = open_file(r, path, err);
            if (st != TALLY_OK) return st;
        }
        tally_status st;
        switch (r->fmt) {
        case TLY_FMT_JSONL: st = jsonl_next(r, doc, err); break;
        case TLY_FMT_WARC: st = warc_next(r, doc, err); break;
        case TLY_FMT_FEED: st = feed_next(r, doc, err); break;
        default: st = whole_next(r, doc, err); break;
        }
        if (st == TALLY_DONE) {
            r->file_done = 1;
            continue;
        }
        if (st != TALLY_OK) {
            /* the handlers set file_done when the file cannot go on (a stream
             * failure); other errors are one document's */
            memset(doc, 0, sizeof *doc);
            doc->id = doc->text = doc->title = doc->source = doc->url = str_of("", 0);
        }
        return st;
    }
}

void tally_reader_set_max_doc_bytes(tally_reader *r, size_t max) { tly_reader_set_max_doc_bytes(r, max); }
