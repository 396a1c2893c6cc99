/*
 * tally.h -- the one public header of libtally.
 *
 * tally turns news articles, press releases and official statements into an
 * impartial, source-attributed ledger of casualty claims: who claims how many
 * were killed or injured, where, when, by what weapon, blamed on whom, with
 * the exact sentence as evidence (byte offsets into the input).
 *
 * Conventions (read these once):
 *  - Every public name starts with tally_ / TALLY_. Handles are opaque.
 *  - Text input is (const char *, size_t): never assumed NUL-terminated.
 *    Every span in a result is a [start, end) byte range into the text that
 *    was passed in; the library never copies the document text.
 *  - Functions that can fail return tally_status and, when given a non-NULL
 *    tally_error *, fill it with a message and the byte offset. The library
 *    never prints, never exits, never aborts on bad input.
 *  - Ownership: whatever a tally_*_open / tally_extract call creates is
 *    released by the matching *_close / *_free call. Pointers inside a
 *    result (claims, strings) live as long as the result AND the lexicon it
 *    was made with.
 *  - Thread safety: a tally_lexicon is immutable once opened and may be
 *    shared by any number of threads. A tally_result or tally_reader belongs
 *    to one thread at a time.
 */
#ifndef TALLY_H
#define TALLY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TALLY_API __attribute__((visibility("default")))
#else
#define TALLY_API
#endif

#define TALLY_VERSION_MAJOR 0
#define TALLY_VERSION_MINOR 1
#define TALLY_VERSION_PATCH 0
#define TALLY_VERSION_STRING "0.1.0"

TALLY_API const char *tally_version(void);

/* ======================================================================
 * Allocation
 * Every allocation the library makes goes through a tally_alc. Passing
 * NULL wherever one is accepted means malloc/realloc/free. The hooks must
 * be usable from every thread that uses the objects they allocate.
 * ==================================================================== */
typedef struct tally_alc {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} tally_alc;

/* ======================================================================
 * Errors
 * ==================================================================== */
typedef enum tally_status {
    TALLY_OK = 0,
    TALLY_DONE,          /* a reader has no more documents (not an error) */
    TALLY_ERR_NOMEM,     /* an allocation failed */
    TALLY_ERR_IO,        /* a file could not be opened or read */
    TALLY_ERR_UTF8,      /* invalid UTF-8 (offset: the first bad byte) */
    TALLY_ERR_BINARY,    /* the input is not text (NUL bytes, a known binary magic) */
    TALLY_ERR_EMPTY,     /* a document with no text */
    TALLY_ERR_JSON,      /* a JSON line that does not parse or is not an object with "text" */
    TALLY_ERR_HTML,      /* an HTML document that yields no text */
    TALLY_ERR_GZIP,      /* corrupt or truncated gzip data */
    TALLY_ERR_WARC,      /* a malformed or truncated WARC record */
    TALLY_ERR_LIMIT,     /* a documented limit was exceeded (document size, nesting) */
    TALLY_ERR_DATA,      /* a lexicon or gazetteer file is missing or malformed */
    TALLY_ERR_USAGE      /* a bad argument */
} tally_status;

/* A static English description of a status. Never NULL. */
TALLY_API const char *tally_strerror(tally_status status);

typedef struct tally_error {
    tally_status code;
    int has_offset;       /* 1 when offset is meaningful */
    uint64_t offset;      /* byte offset in the document (or file) */
    char doc[256];        /* the document id or file name, NUL-terminated */
    char message[256];    /* one line, NUL-terminated, no trailing newline */
} tally_error;

/* ======================================================================
 * Calendar dates
 * A day, a month (day = 0) or a year (month = day = 0); year 0 = none.
 * ==================================================================== */
typedef struct tally_date {
    int16_t year;
    int8_t month; /* 1..12, or 0 */
    int8_t day;   /* 1..31, or 0 */
} tally_date;

/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD", the compact "YYYYMMDD", or an
 * ISO timestamp that starts with one of them ("2020-09-16T10:35:09Z",
 * "20200916T103509Z"). Returns 1 and fills *out on success, 0 otherwise. */
TALLY_API int tally_date_parse(const char *s, size_t len, tally_date *out);

/* Writes "YYYY-MM-DD" (or "YYYY-MM", "YYYY") into buf (at least 11 bytes),
 * or "" when the date is empty. Returns the length written. */
TALLY_API size_t tally_date_format(tally_date d, char *buf, size_t size);

/* ======================================================================
 * Lexicon: places, actors, weapons, number and date words
 *
 * Loaded once per process and shared read-only by every thread. The small
 * lexicons (the TSV files of data/en/) are compiled into the library; the gazetteer
 * (GeoNames cities of 500+ inhabitants, countries, regions, aliases) is a
 * binary file made at build time by tools/mkgaz and mmap()ed.
 * ==================================================================== */
typedef struct tally_lexicon tally_lexicon;

typedef struct tally_lexicon_options {
    /* A directory of data files to read instead of the built-in copies
     * (same layout as data/ in the source tree), or NULL. */
    const char *data_dir;
    /* The gazetteer file; NULL means $TALLY_GAZETTEER, else the path the
     * build installed it at. When it cannot be found the lexicon still opens
     * with the built-in places (countries, regions, aliases) and
     * tally_lexicon_place_count() says how many places it holds. */
    const char *gazetteer_path;
    const tally_alc *alc; /* NULL: malloc */
    /* The language of the documents: the name of a language pack, a
     * directory data/<lang>/ of lexicons (with its temporal rules in
     * data/time/<lang>/) that the library carries built in or finds in
     * data_dir, read by that language's grammar. NULL means "en". When there
     * is no such pack (or no grammar for it), tally_lexicon_open fails with
     * TALLY_ERR_DATA and a message naming the language
     * ("no language pack for 'xx'"). The string is copied. */
    const char *lang;
} tally_lexicon_options;

TALLY_API tally_status tally_lexicon_open(const tally_lexicon_options *opt,
                                          tally_lexicon **out, tally_error *err);
TALLY_API void tally_lexicon_close(tally_lexicon *lex);
/* Number of places the gazetteer knows. */
TALLY_API size_t tally_lexicon_place_count(const tally_lexicon *lex);

/* ======================================================================
 * Documents
 * A document is text plus metadata. All strings are (pointer, length) and
 * are borrowed: they must outlive the tally_extract call and the result's
 * use of offsets into them.
 * ==================================================================== */
typedef struct tally_str {
    const char *ptr;
    size_t len;
} tally_str;

typedef struct tally_doc {
    tally_str id;        /* JSONL "id", else the file name without extension */
    tally_str text;      /* UTF-8 text: the offsets of every span point here */
    tally_str title;     /* may be empty */
    tally_str source;    /* publisher, may be empty */
    tally_str url;       /* may be empty */
    tally_date published; /* from metadata; year 0 when unknown */
    uint64_t input_offset; /* where the document starts in its input file */
} tally_doc;

/* ======================================================================
 * Extraction
 * ==================================================================== */
/* Each enumeration below is one X-macro list, X(CONSTANT, "name"):
 * it makes the enum (values 0, 1, 2, ... in list order, then a *_COUNT
 * sentinel) and the names the tally_*_name functions return, which are
 * also the strings of the JSON, TSV and SQL outputs. Append only: the
 * numeric values are part of the ABI. */
#define TALLY_ENUM_VALUE_(constant, name) constant,

/* What happened to the victims. */
#define TALLY_OUTCOMES(X)           \
    X(TALLY_KILLED, "killed")       \
    X(TALLY_INJURED, "injured")     \
    X(TALLY_MISSING, "missing")     \
    X(TALLY_DETAINED, "detained")   \
    X(TALLY_DISPLACED, "displaced") \
    X(TALLY_DAMAGED, "damaged")     \
    X(TALLY_CASUALTIES, "casualties") /* killed and injured counted together */
typedef enum tally_outcome { TALLY_OUTCOMES(TALLY_ENUM_VALUE_) TALLY_OUTCOME_COUNT } tally_outcome;

/* Who the victims are. */
#define TALLY_VICTIMS_LIST(X)                                                            \
    X(TALLY_VICTIMS_PEOPLE, "people") /* the text says neither civilians nor military */ \
    X(TALLY_VICTIMS_CIVILIANS, "civilians")                                              \
    X(TALLY_VICTIMS_MILITARY, "military")                                                \
    X(TALLY_VICTIMS_BUILDINGS, "buildings")
typedef enum tally_victims { TALLY_VICTIMS_LIST(TALLY_ENUM_VALUE_) TALLY_VICTIMS_COUNT } tally_victims;

/* What the figure counts over. */
#define TALLY_SCOPES(X)                                                \
    X(TALLY_SCOPE_INCIDENT, "incident") /* one strike or one day */    \
    X(TALLY_SCOPE_AGGREGATE, "aggregate") /* several strikes summed */ \
    X(TALLY_SCOPE_CUMULATIVE, "cumulative") /* a running total to date */
typedef enum tally_scope { TALLY_SCOPES(TALLY_ENUM_VALUE_) TALLY_SCOPE_COUNT } tally_scope;

/* What kind of place a claim's place is: how precise it is. */
#define TALLY_PLACE_KINDS(X)                                                            \
    X(TALLY_PLACE_TOWN, "town") /* a populated place */                                 \
    X(TALLY_PLACE_DISTRICT, "district") /* a second-level division (rayon, district) */ \
    X(TALLY_PLACE_REGION, "region") /* a first-level division (province, oblast) */     \
    X(TALLY_PLACE_COUNTRY, "country")                                                   \
    X(TALLY_PLACE_AREA, "area") /* a named area that is none of these (Gaza Strip, Donbas) */
typedef enum tally_place_kind { TALLY_PLACE_KINDS(TALLY_ENUM_VALUE_) TALLY_PLACE_KIND_COUNT } tally_place_kind;

/* What a claim's date rests on. */
#define TALLY_DATE_BASES(X)                                                            \
    X(TALLY_DATE_BASIS_NONE, "none") /* no date */                                     \
    X(TALLY_DATE_BASIS_TEXT, "text") /* a date in the claim's own sentence */          \
    X(TALLY_DATE_BASIS_CONTEXT, "context") /* a date the text gives elsewhere */       \
    X(TALLY_DATE_BASIS_PUBLISHED, "published") /* the text gives none: the publication date */
typedef enum tally_date_basis { TALLY_DATE_BASES(TALLY_ENUM_VALUE_) TALLY_DATE_BASIS_COUNT } tally_date_basis;

/* count_low / count_high: an open bound is TALLY_OPEN. */
#define TALLY_OPEN (-1)
#define TALLY_NO_SPAN ((size_t)-1)

typedef struct tally_claim {
    tally_outcome outcome;
    int64_t count_low, count_high; /* "more than 500": 501, TALLY_OPEN */
    const char *qualifier;         /* "more_than", "at_least", "up_to", "about",
                                      "dozens", ... or NULL for an exact figure */
    tally_victims victims;
    tally_scope scope;

    size_t start, end;             /* the evidence sentence */
    size_t count_start, count_end; /* the figure (or the victim noun for "a civilian") */

    const char *place;             /* canonical name, or NULL */
    const char *country;           /* ISO 3166-1 alpha-2 of the place, or NULL */
    double lat, lon;               /* valid when has_coords */
    int has_coords;
    size_t place_start, place_end; /* the words naming it, or TALLY_NO_SPAN */

    tally_date date_start, date_end; /* year 0: none */
    size_t date_span_start, date_span_end; /* TALLY_NO_SPAN when none */

    const char *claimant;          /* canonical name, or NULL */
    const char *claimant_alignment; /* "party:AZ", "third", ... or NULL */
    size_t claimant_start, claimant_end; /* the words of the text, or TALLY_NO_SPAN */

    const char *perpetrator;       /* canonical name (a state or armed group), or NULL */
    const char *weapon;            /* weapon class ("ballistic_missile", ...), or NULL */
    const char *weapon_name;       /* the system named ("Smerch"), or NULL */

    /* The place as the gazetteer knows it (valid when place != NULL). */
    uint32_t place_gazetteer_id;   /* GeoNames id; tally's own places count down
                                      from 0xFFFFFFFF; 0: named by the text only */
    tally_place_kind place_kind;   /* town, district, region, country, area */
    const char *place_admin1;      /* its first-level subdivision ("Ganja-Gazakh"), or NULL */

    /* Whose dead: the victims' side, an ISO 3166-1 alpha-2 code ("AM" for
     * "Armenian servicemen") or a group's canonical name, or NULL. */
    const char *victims_side;
    tally_date_basis date_basis;   /* what date_start/date_end rest on */
    /* Reported speech: who relays the claimant's figure ("the Prosecutor
     * General's letter cites Amnesty's 26": claimant Amnesty International,
     * reported_by Prosecutor General of Azerbaijan), or NULL. */
    const char *reported_by;
    /* A breakdown ("including 31 children") is part of a total: 1 + the index
     * of that total among the result's claims; 0 when it is no breakdown. */
    uint32_t part_of;
    /* The evidence shown for the claim (the "sentence" of JSON Lines, TSV and
     * the ledger): [evidence_start, evidence_end), inside [start, end). The
     * whole sentence when it is at most TALLY_EVIDENCE_MAX_BYTES long; else a
     * window around the figure and its outcome words, cut at clause
     * boundaries (after ", ", "; ", ": ", at a dash between spaces), else at
     * a space, and shown with "…" at each cut (tally_claim_evidence). */
    size_t evidence_start, evidence_end;
} tally_claim;

/* The most bytes of a claim's evidence text, the "…" marks included
 * (docs/limits.md, "Evidence"). */
#define TALLY_EVIDENCE_MAX_BYTES 600

/* The evidence text of claim c of document doc: the text of
 * [evidence_start, evidence_end) with "…" before it when it starts after the
 * sentence's start and after it when it ends before the sentence's end; at
 * most TALLY_EVIDENCE_MAX_BYTES bytes. Writes at most size - 1 bytes and a
 * NUL to buf (size 0: nothing) and returns the evidence's length (as
 * snprintf does: a buffer of TALLY_EVIDENCE_MAX_BYTES + 1 always suffices).
 * A claim whose window is not set (made by hand: evidence_end 0) gets the
 * window of its figure. */
TALLY_API size_t tally_claim_evidence(const tally_claim *c, const tally_doc *doc, char *buf, size_t size);

/* Every recognized span, for debugging (tally extract --mentions). */
#define TALLY_MENTION_KINDS(X)          \
    X(TALLY_MENTION_NUMBER, "number")   \
    X(TALLY_MENTION_DATE, "date")       \
    X(TALLY_MENTION_PLACE, "place")     \
    X(TALLY_MENTION_ACTOR, "actor")     \
    X(TALLY_MENTION_WEAPON, "weapon")   \
    X(TALLY_MENTION_OUTCOME, "outcome") \
    X(TALLY_MENTION_VICTIM, "victim")   \
    X(TALLY_MENTION_SENTENCE, "sentence")
typedef enum tally_mention_kind { TALLY_MENTION_KINDS(TALLY_ENUM_VALUE_) TALLY_MENTION_KIND_COUNT } tally_mention_kind;

typedef struct tally_mention {
    tally_mention_kind kind;
    size_t start, end;
    const char *value; /* normalized value: "501..", "2020-10-04", "Ganja (AZ)", ... */
} tally_mention;

/* TIMEX3 temporal expressions (tally extract --timex). */
#define TALLY_TIMEX_TYPES(X)            \
    X(TALLY_TIMEX_DATE, "DATE")         \
    X(TALLY_TIMEX_TIME, "TIME")         \
    X(TALLY_TIMEX_DURATION, "DURATION") \
    X(TALLY_TIMEX_SET, "SET")
typedef enum tally_timex_type { TALLY_TIMEX_TYPES(TALLY_ENUM_VALUE_) TALLY_TIMEX_TYPE_COUNT } tally_timex_type;

typedef struct tally_timex {
    size_t start, end;
    tally_timex_type type;
    const char *value;      /* TIMEX3 value: "2020-10-04", "P1M", "PAST_REF", ... */
    tally_date first, last; /* the calendar days it covers, when it names days */
} tally_timex;

typedef struct tally_options {
    /* Used when the document has no published date and no dateline. */
    tally_date default_published;
    /* Limits (0: the default). See docs/limits.md. */
    size_t max_doc_bytes;      /* default 64 MiB */
    size_t max_sentence_bytes; /* default 64 KiB: longer runs are cut into pieces */
    unsigned flags;            /* TALLY_OPT_* */
    const tally_alc *alc;      /* NULL: malloc */
} tally_options;

#define TALLY_OPT_MENTIONS 1u  /* keep every mention (tally_result_mentions) */
#define TALLY_OPT_TIMEX 2u     /* keep every temporal expression */
#define TALLY_OPT_FULL 4u      /* every stage on the whole document (the reference), not cue first:
                                * see docs/performance.md */

typedef struct tally_result tally_result;

/* Extracts the claims of one document. On success *out is a result that
 * owns its claims (free with tally_result_free). On failure *out is NULL and
 * err says why and where (bad UTF-8 at byte N, ...). opt may be NULL. */
TALLY_API tally_status tally_extract(const tally_lexicon *lex, const tally_doc *doc,
                                     const tally_options *opt, tally_result **out,
                                     tally_error *err);
TALLY_API void tally_result_free(tally_result *res);

TALLY_API size_t tally_result_claims(const tally_result *res, const tally_claim **out);
TALLY_API size_t tally_result_mentions(const tally_result *res, const tally_mention **out);
TALLY_API size_t tally_result_timexes(const tally_result *res, const tally_timex **out);
/* The date relative expressions were resolved against, and how it was found:
 * "published", "dateline", "default", "latest", or "none". */
TALLY_API tally_date tally_result_reference_date(const tally_result *res, const char **basis);
/* The language pack the document was read with ("en", "ru"): the
 * lexicon's language. The string is owned by res. */
TALLY_API const char *tally_result_language(const tally_result *res);

TALLY_API const char *tally_outcome_name(tally_outcome o);
TALLY_API const char *tally_victims_name(tally_victims v);
TALLY_API const char *tally_scope_name(tally_scope s);
TALLY_API const char *tally_timex_type_name(tally_timex_type t);
TALLY_API const char *tally_mention_kind_name(tally_mention_kind k);
TALLY_API const char *tally_place_kind_name(tally_place_kind k);
TALLY_API const char *tally_date_basis_name(tally_date_basis b);
/* Each returns the name its X-macro list gives, or "?" for a value out of range. */

/* ======================================================================
 * Output
 * A write callback receives bytes to append; it returns 0 on success and
 * non-zero to stop (the writer then returns TALLY_ERR_IO).
 * ==================================================================== */
typedef int (*tally_write_fn)(void *ctx, const char *data, size_t len);

typedef enum tally_format {
    TALLY_FORMAT_JSONL = 0, /* one JSON object a claim: the contract in docs/extract.md */
    TALLY_FORMAT_TSV        /* the same fields, tab-separated, with tally_write_tsv_header */
} tally_format;

TALLY_API tally_status tally_result_write(const tally_result *res, const tally_doc *doc,
                                          tally_format fmt, tally_write_fn write, void *ctx);
TALLY_API tally_status tally_write_tsv_header(tally_write_fn write, void *ctx);
TALLY_API tally_status tally_result_write_mentions(const tally_result *res, const tally_doc *doc,
                                                   tally_write_fn write, void *ctx);
TALLY_API tally_status tally_result_write_timex(const tally_result *res, const tally_doc *doc,
                                                tally_write_fn write, void *ctx);

/* ======================================================================
 * Readers: files, directories, stdin -> documents
 *
 * A reader walks its input (a file, a directory recursively in name order,
 * or stdin for "-") and yields one document at a time. Formats by name:
 * .txt (and anything else that is text), .html/.htm, .jsonl/.json, .warc,
 * and any of them with .gz. Without an extension, the content decides.
 * ==================================================================== */
typedef struct tally_reader tally_reader;

TALLY_API tally_status tally_reader_open(const char *path, const tally_alc *alc,
                                         tally_reader **out, tally_error *err);
/* A reader over bytes in memory; name gives the format by its extension
 * and the default document id. The bytes must outlive the reader. */
TALLY_API tally_status tally_reader_open_memory(const char *name, const char *data, size_t len,
                                                const tally_alc *alc, tally_reader **out,
                                                tally_error *err);
/* Returns TALLY_OK with *doc filled (valid until the next call or close),
 * TALLY_DONE at the end, or an error for ONE document or file: err says
 * which and where, and the next call goes on with the next document. */
TALLY_API tally_status tally_reader_next(tally_reader *r, tally_doc *doc, tally_error *err);
TALLY_API void tally_reader_close(tally_reader *r);
/* The largest document the reader passes on (default 64 MiB); a larger one
 * is skipped with TALLY_ERR_LIMIT without being held in memory. */
TALLY_API void tally_reader_set_max_doc_bytes(tally_reader *r, size_t max);
/* Which files a directory walk reads, by shell globs (fnmatch): a glob with
 * no '/' is matched against a file's or directory's name ("*.html"), one
 * with a '/' against its path below the walked directory ("drafts/x*"). A file is read
 * when it matches an include glob (or none are given) and no exclude glob;
 * a directory that matches an exclude glob is not entered. The path named
 * when the reader was opened is always read. The arrays and strings are
 * copied; call before the first tally_reader_next. TALLY_ERR_NOMEM or OK. */
TALLY_API tally_status tally_reader_set_globs(tally_reader *r, const char *const *include, size_t ninclude,
                                              const char *const *exclude, size_t nexclude);

/* ======================================================================
 * Languages
 * ==================================================================== */
/* The language text[0..len) is written in, as an ISO 639-1 code ("en",
 * "ru", "uk", "fr", "ar", "hy", ...), or "und" when the evidence is thin
 * (a few words, a mix). Reads at most the first 64 KiB. Static strings,
 * never NULL; thread-safe. *confidence (may be NULL) gets 0..1: how far the
 * winner is ahead. The word lists: data/langid.tsv. */
TALLY_API const char *tally_language_detect(const char *text, size_t len, double *confidence);

#ifdef __cplusplus
}
#endif
#endif /* TALLY_H */
