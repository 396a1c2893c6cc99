/* doc.h -- the document model: the analysis of one document in layers,
 * each made by one stage of the pipeline (pipeline.c, in this order):
 *
 *   TOKENS    tokens, sentences, paragraphs          (src/text/token.c)
 *   REFDATE   the date relative dates resolve against (published, dateline, ...)
 *   MATCHES   lexicon matches at every token         (lex/lexicon.c, one pass)
 *   TIMEX     temporal expressions, token -> timex   (timex.c)
 *   NUMBERS   numbers with their intervals           (numbers.c)
 *   ACTORS, PERSONS, PLACES  mentions                (mentions.c)
 *   CLAIMS    outcome + count + victims              (claims.c)
 *   SPEAKERS  who speaks in each sentence            (attribution.c, run by context)
 *   CONTEXT   the claims' claimant, place, date, weapon, perpetrator, scope (context.c)
 *   MENTIONS  every recognized span, for debugging   (pipeline.c)
 *
 * A stage reads the layers before it through the accessors below
 * (tly_doc_num_at(d, i), tly_doc_tok_timex(d, t), ...): in debug builds they
 * assert that the layer is there (d->layers) and the index in range. The raw
 * fields stay readable for the stages written before the accessors.
 *
 * Everything lives in the document's arena (freed with the result). */
#ifndef TLY_DOC_H
#define TLY_DOC_H
#include "tally.h"
#include <assert.h>
#include <string.h>
#include "../lex/lexicon.h"
#include "../text/token.h"
#include "timex.h"

typedef struct tly_match {
    uint32_t t0, t1;            /* tokens [t0, t1) */
    const tly_lexent *e;
} tly_match;

enum {
    NUM_WORD = 1u << 0, NUM_AGE = 1u << 1, NUM_YEAR = 1u << 2, NUM_DATE = 1u << 3,
    NUM_PERCENT = 1u << 4, NUM_MONEY = 1u << 5, NUM_TIME = 1u << 6, NUM_UNIT = 1u << 7,
    NUM_ORD = 1u << 8, NUM_VAGUE = 1u << 9, NUM_DECIMAL = 1u << 10, NUM_COUNTER = 1u << 11,
    NUM_ARTICLE = 1u << 12 /* "a"/"an" read as one */
};

typedef struct tly_num {
    uint32_t t0, t1;     /* the whole phrase, qualifier included */
    uint32_t v0;         /* first token of the figure itself */
    double val;
    int64_t lo, hi;      /* interval; TALLY_OPEN when open */
    const char *qual;    /* qualifier name or NULL */
    uint32_t flags;
} tly_num;

typedef enum { AM_ACTOR, AM_ROLE, AM_PERSON, AM_ANAPHOR, AM_COUNTRY } tly_actor_src;

typedef struct tly_actor {
    uint32_t t0, t1;
    const char *name;      /* canonical */
    const char *kind;      /* actors.tsv kind, or "person" */
    const char *side;      /* ISO2, "ng:XX", or NULL */
    const char *perp;      /* name to use as perpetrator, or NULL when it cannot be one */
    uint8_t src;           /* tly_actor_src */
    uint8_t role_has_country;
    const char *role_tpl;  /* for roles: the template (to resolve a bare role later) */
} tly_actor;

typedef struct tly_placem {
    uint32_t t0, t1;
    const tly_place *pl;
    uint8_t demonym;       /* "Azerbaijani" (adjective of a country) */
    uint8_t perp;          /* in a perpetrator role ("by Armenia") */
} tly_placem;

/* A sentence's speaker (attribution.c): an actor, or a name the lexicons do
 * not know ("local officials", a state). */
typedef struct tly_speaker {
    const tly_actor *a;    /* NULL for an unnamed speaker or a state */
    const char *name, *kind, *side;
    uint32_t t0, t1;       /* the words naming it (t0 == t1: none) */
} tly_speaker;

/* A clause of a sentence that names its own speaker: "Armenia reported 3,825
 * deaths, while Azerbaijan stated ...": from token t0 on, to the next one. */
typedef struct tly_speaker_clause {
    uint32_t sent, t0;
    tly_speaker sp;
} tly_speaker_clause;

typedef struct tly_claim_x {
    tally_claim c;
    uint32_t sent;
    uint32_t t_count0, t_count1;   /* the figure */
    uint32_t t_trig0, t_trig1;     /* the outcome words */
    uint32_t seg0;                 /* the clause starts here (tokens) */
    int victims_explicit;
    int country_from_victims;      /* index into places of a demonym, or -1 */
    const tly_place *victim_country;
} tly_claim_x;

/* The layers, one bit each in tly_doc.layers. */
#define TLY_LAYERS(X)   \
    X(TOKENS, "tokens")   \
    X(REFDATE, "refdate") \
    X(MATCHES, "matches") \
    X(TIMEX, "timex")     \
    X(NUMBERS, "numbers") \
    X(ACTORS, "actors")   \
    X(PERSONS, "persons") \
    X(PLACES, "places")   \
    X(CLAIMS, "claims")   \
    X(CONTEXT, "context") \
    X(MENTIONS, "mentions")
enum {
#define TLY_LAYER_INDEX_(id, name) TLY_LI_##id,
    TLY_LAYERS(TLY_LAYER_INDEX_)
#undef TLY_LAYER_INDEX_
    TLY_NLAYERS
};
enum {
#define TLY_LAYER_BIT_(id, name) TLY_L_##id = 1u << TLY_LI_##id,
    TLY_LAYERS(TLY_LAYER_BIT_)
#undef TLY_LAYER_BIT_
};
/* The name of layer bit index i ("tokens"), for messages. */
const char *tly_layer_name(int i);

typedef struct tly_doc {
    unsigned layers;           /* TLY_L_* of the layers made so far */
    const tally_lexicon *lex;
    const tally_doc *in;       /* the document as given (metadata: source, title) */
    tly_arena *a;
    const char *text;
    size_t len;
    tly_tokens tk;
    tally_date ref;
    const char *ref_basis;
    tly_timex *tx; size_t ntx;
    int32_t *tx_at;            /* token -> timex index or -1 */
    tly_match *m; size_t nm;   /* lexicon matches sorted by t0 */
    uint32_t *mfirst;          /* token -> first match index (nm when none) */
    uint16_t *mcount;          /* token -> number of matches starting there */
    uint64_t *mbits;           /* token -> tly_match_bit() of every match starting there (types, content cues) */
    uint64_t *fbits;           /* token -> tly_match_bit() of the function-word cues starting there */
    tly_num *num; size_t nnum;
    int32_t *num_at;           /* token -> number index or -1 */
    tly_actor *act; size_t nact;
    int32_t *act_at;
    tly_placem *pl; size_t npl;
    int32_t *pl_at;
    tly_speaker *sp_local;     /* sentence -> its own source ("according to X"), name NULL if none */
    tly_speaker *sp_current;   /* sentence -> the speaker whose voice it is in */
    tly_speaker sp_default;    /* the statement's author, named in its first lines */
    tly_speaker *sp_relay;     /* sentence -> who relays its source ("cited by OCHA"), name NULL if none */
    tly_speaker_clause *sp_clause; size_t nsp_clause; /* clauses with a speaker of their own ("..., while X said"), by position */
    TLY_VEC(tly_claim_x) claims;
    TLY_VEC(tally_mention) mentions;
    int want_mentions;
    const char *top_country;   /* the country the document names most (context.c), or NULL */
    /* what was asked for (tally_extract's options) */
    int want_timex;
    size_t max_sentence_bytes;
    tally_date default_published;
    /* the tagger's reading of the tokens (tly_doc_timex_input), or NULL */
    tly_timex_input *txin;
    /* 1: the whole document through every stage (TALLY_OPT_FULL); 0: cue
     * first, the text up to the paragraph after the last outcome word (pipeline.c) */
    int full;
} tly_doc;

/* ---------------------------------------------------------------- accessors
 * Each asserts (debug builds) that its layer is there and the index in range. */
#define TLY_DOC_HAS(d, layer) (((d)->layers & (layer)) == (layer))
#define TLY_DOC_NEED(d, layer) assert(TLY_DOC_HAS(d, layer) && "layer missing")

/* TOKENS */
static inline size_t tly_doc_tok_count(const tly_doc *d) { TLY_DOC_NEED(d, TLY_L_TOKENS); return d->tk.n; }
static inline const tly_tok *tly_doc_tok_at(const tly_doc *d, size_t i) {
    TLY_DOC_NEED(d, TLY_L_TOKENS);
    assert(i < d->tk.n);
    return &d->tk.tok[i];
}
static inline size_t tly_doc_sent_count(const tly_doc *d) { TLY_DOC_NEED(d, TLY_L_TOKENS); return d->tk.nsent; }
static inline const tly_sent *tly_doc_sent_at(const tly_doc *d, size_t i) {
    TLY_DOC_NEED(d, TLY_L_TOKENS);
    assert(i < d->tk.nsent);
    assert(d->tk.sent[i].tok_begin < d->tk.sent[i].tok_end && d->tk.sent[i].tok_end <= d->tk.n);
    return &d->tk.sent[i];
}
/* The byte span of tokens [t0, t1) (t0 < t1). */
static inline size_t tly_doc_tok_start(const tly_doc *d, size_t t0) { return tly_doc_tok_at(d, t0)->start; }
static inline size_t tly_doc_tok_end(const tly_doc *d, size_t t1) {
    assert(t1 > 0);
    return tly_doc_tok_at(d, t1 - 1)->end;
}

/* The accessors of a layer that is an array: tly_doc_NAME_count(d) and
 * tly_doc_NAME_at(d, i), which asserts i in range and the element's
 * invariant (CHECK, over the element x); and of a token -> index map:
 * tly_doc_tok_NAME(d, t), the index of the element at token t, or -1. */
#define TLY_DOC_ARRAY(NAME, TYPE, LAYER, ARRAY, COUNT, CHECK)                       \
    static inline size_t tly_doc_##NAME##_count(const tly_doc *d) {                 \
        TLY_DOC_NEED(d, LAYER);                                                     \
        return d->COUNT;                                                            \
    }                                                                               \
    static inline const TYPE *tly_doc_##NAME##_at(const tly_doc *d, size_t i) {     \
        TLY_DOC_NEED(d, LAYER);                                                     \
        assert(i < d->COUNT);                                                       \
        const TYPE *x = &d->ARRAY[i];                                               \
        assert(CHECK);                                                              \
        return x;                                                                   \
    }
#define TLY_DOC_TOKMAP(NAME, LAYER, MAP, COUNT)                                     \
    static inline int32_t tly_doc_tok_##NAME(const tly_doc *d, size_t t) {          \
        TLY_DOC_NEED(d, LAYER);                                                     \
        assert(t <= d->tk.n && d->MAP[t] < (int32_t)d->COUNT);                      \
        return d->MAP[t];                                                           \
    }
#define TLY_DOC_SPAN_OK(x) ((x)->t0 < (x)->t1 && (x)->t1 <= d->tk.n)

/* MATCHES: match k (sorted by t0) */
TLY_DOC_ARRAY(match, tly_match, TLY_L_MATCHES, m, nm, TLY_DOC_SPAN_OK(x) && (i == 0 || x[-1].t0 <= x->t0))
/* the matches that start at token i: *first, and how many */
static inline size_t tly_doc_tok_matches(const tly_doc *d, size_t i, const tly_match **first) {
    TLY_DOC_NEED(d, TLY_L_MATCHES);
    assert(i <= d->tk.n && d->mfirst[i] + d->mcount[i] <= d->nm);
    *first = d->m + d->mfirst[i];
    return d->mcount[i];
}

/* TIMEX: expression i (sorted by start, non-overlapping); the one token t is in */
TLY_DOC_ARRAY(timex, tly_timex, TLY_L_TIMEX, tx, ntx,
              x->pub.start < x->pub.end && (i == 0 || x[-1].pub.end <= x->pub.start))
TLY_DOC_TOKMAP(timex, TLY_L_TIMEX, tx_at, ntx)

/* NUMBERS: number i; the number whose phrase holds token t */
TLY_DOC_ARRAY(num, tly_num, TLY_L_NUMBERS, num, nnum, TLY_DOC_SPAN_OK(x) && x->t0 <= x->v0 && x->v0 < x->t1)
TLY_DOC_TOKMAP(num, TLY_L_NUMBERS, num_at, nnum)

/* ACTORS (persons are actors of source AM_PERSON) */
TLY_DOC_ARRAY(actor, tly_actor, TLY_L_ACTORS, act, nact, TLY_DOC_SPAN_OK(x) && x->name)
TLY_DOC_TOKMAP(actor, TLY_L_ACTORS, act_at, nact)

/* PLACES */
TLY_DOC_ARRAY(place, tly_placem, TLY_L_PLACES, pl, npl, TLY_DOC_SPAN_OK(x) && x->pl)
TLY_DOC_TOKMAP(place, TLY_L_PLACES, pl_at, npl)

/* CLAIMS (with their context once CONTEXT is there) */
TLY_DOC_ARRAY(claim, tly_claim_x, TLY_L_CLAIMS, claims.v, claims.n, x->sent < d->tk.nsent)

/* The tagger's reading of the tokens, made on first use (REFDATE and TIMEX
 * share it); NULL when out of memory. */
const tly_timex_input *tly_doc_timex_input(tly_doc *d);

/* A bit per lexicon type, and for cue words (the most asked) one per cue
 * sub-kind: tly_doc_match answers "none" from one load for most tokens.
 * Types and content cues have their bits in mbits; the function-word kinds
 * (CUE_FIRST_FUNCTION and after) theirs in fbits, and they set no type bit:
 * to "any cue" and to tly_known they are not there. */
static inline int tly_function_cue(int type, int sub) { return type == LX_CUE && sub >= CUE_FIRST_FUNCTION; }
static inline uint64_t tly_match_bit(int type, int sub) {
    if (tly_function_cue(type, sub)) return (uint64_t)1 << (sub - CUE_FIRST_FUNCTION);
    if (type == LX_CUE && sub >= 0) return (uint64_t)1 << (LX_NTYPES + sub);
    return (uint64_t)1 << type;
}
_Static_assert(LX_NTYPES + CUE_FIRST_FUNCTION <= 64, "tly_match_bit: one bit per type and content cue");
_Static_assert(CUE_NCUES - CUE_FIRST_FUNCTION <= 64, "tly_match_bit: one bit per function-word cue");

const tly_match *tly_doc_match_slow(const tly_doc *d, size_t i, int type, int sub);
/* the match of a given type (and cue sub-kind, or -1 for any) at token i */
static inline const tly_match *tly_doc_match(const tly_doc *d, size_t i, int type, int sub) {
    if (i >= d->tk.n) return NULL;
    const uint64_t *bits = tly_function_cue(type, sub) ? d->fbits : d->mbits;
    if (!(bits[i] & tly_match_bit(type, sub))) return NULL;
    return tly_doc_match_slow(d, i, type, sub);
}
/* token i's folded text equals s (inline: called at most tokens, mostly
 * with a constant s, so the first byte rules nearly all out without a call) */
static inline int tly_tok_is(const tly_doc *d, size_t i, const char *s) {
    if (i >= d->tk.n) return 0;
    const char *n = d->tk.tok[i].norm;
    return n[0] == s[0] && !strcmp(n, s);
}

/* A copy of the text [start, end) as a name: every run of white space (line
 * breaks, no-break and narrow no-break spaces included) becomes one space. */
char *tly_doc_name(const tly_doc *d, uint32_t start, uint32_t end);

/* ---------------------------------------------------------------- stages
 * Each returns 0, or -1 when out of memory (pipeline.c runs them). */
int tly_find_numbers(tly_doc *d);
int tly_find_mentions(tly_doc *d);
int tly_find_claims(tly_doc *d);
/* attribution.c: the speakers layer (called by tly_resolve_context) */
int tly_find_speakers(tly_doc *d);
int tly_resolve_context(tly_doc *d);
#endif
