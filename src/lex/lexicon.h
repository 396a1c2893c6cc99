/* lexicon.h -- the phrase lexicons of data/en/ compiled into one table.
 *
 * Every lexicon (number words, qualifiers, outcomes, victims, cue words,
 * weapons, actors, roles, anaphors) becomes entries of one phrase table
 * keyed by the hash of the phrase's first folded token, so a document is
 * matched against all of them in a single pass over its tokens
 * (tly_lex_match at each position). Immutable after load; shared by threads. */
#ifndef TLY_LEXICON_H
#define TLY_LEXICON_H
#include "tally.h"
#include "../text/token.h"
#include "../util/arena.h"
#include "gazetteer.h"
#include "timewords.h" /* the temporal word tables: held, opaque */

typedef enum tly_lex_type {
    LX_NUMWORD = 0, LX_QUAL, LX_OUTCOME, LX_VICTIM, LX_CUE, LX_WEAPON,
    LX_ACTOR, LX_ROLE, LX_ANAPHOR, LX_NTYPES
} tly_lex_type;

/* LX_NUMWORD sub-kinds */
enum { NW_UNIT, NW_TEN, NW_SCALE, NW_VAGUE, NW_DOZEN, NW_HALF, NW_ORDSUFFIX };
/* LX_QUAL sub-kinds: the interval a qualifier makes of N */
enum { Q_GT, Q_GE, Q_LT, Q_LE, Q_ABOUT, Q_EXACT };
/* LX_OUTCOME forms */
enum { F_VED, F_VING, F_VBASE, F_INTR, F_ADJ, F_NOUN, F_TOLL, F_OBJ, F_TAKEN };
/* LX_VICTIM: sub = tally_victims; a = 1 singular, 2 plural, 3 both, 0 modifier only */
/* LX_CUE sub-kinds: the one list of cue kinds. Each is a name in the last
 * column of data/<lang>/cues.tsv; adding a kind is one line here and its
 * phrases in the pack. The grammar asks "is token i a cue of kind X"
 * (tly_doc_cue), never for an English word. */
#define TLY_CUE_KINDS(X) \
    X(CUMULATIVE, "cumulative") X(SERIES, "series") X(ATTACK_NOUN, "attack_noun") \
    X(ATTACK_VERB, "attack_verb") X(SPEECH_VERB, "speech_verb") X(SPEECH_ACT, "speech_act") \
    X(SPEECH_LOCAL, "speech_local") X(SPEECH_KEEP, "speech_keep") X(AUX, "aux") \
    X(ONE_DET, "one_det") X(BY, "by") X(PREP, "prep") X(PLACE_NOUN, "place_noun") \
    X(NEG, "neg") X(HYPO, "hypo") X(SUBSET, "subset") X(NOT_COUNT, "not_count") \
    X(ANOTHER, "another") X(FORCES, "forces") X(ORG_WORD, "org_word") \
    X(STOPNAME, "stopname") X(SPEAKER_NOUN, "speaker_noun") X(CONNECTIVE, "connective")
enum {
#define TLY_CUE_ENUM_(id, name) CUE_##id,
    TLY_CUE_KINDS(TLY_CUE_ENUM_)
#undef TLY_CUE_ENUM_
    CUE_NCUES
};

typedef struct tly_lexent {
    uint8_t type;          /* tly_lex_type */
    uint8_t ntok;          /* phrase length in tokens */
    uint8_t plural;        /* 1: the last token may also take -s/-es */
    uint8_t sub;           /* sub-kind, outcome, victims class... */
    int32_t a, b;          /* form, number, priority, class rank, perpetrator_ok */
    double val, lo, hi;    /* number word value; vague interval (hi < 0: open) */
    const char *s;         /* canonical / class / template */
    const char *s2;        /* weapon name, actor kind, role kind */
    const char *side;      /* actor side ("AZ", "-", "ng:AZ") */
    const char *speaks_for;/* person -> organisation canonical */
    const uint32_t *th;    /* token hashes */
    const char *const *tn; /* token folded forms */
} tly_lexent;

struct tally_lexicon {
    const tally_alc *alc;
    tly_arena arena;          /* owns everything below */
    tly_lexent *ent;
    size_t nent;
    /* The index: entries grouped by their first token ("heads"), longest
     * phrase first within a group; an open-addressing table maps a token's
     * hash to its head, so a position costs one probe and one string compare. */
    struct tly_lexhead {
        uint32_t hash;
        uint32_t first, count;  /* [first, first + count) in order */
        uint32_t nmulti;        /* the first nmulti of them have 2+ tokens */
        const char *tok;
    } *heads;
    size_t nheads;
    uint32_t *order;          /* entry indexes, grouped by head */
    uint32_t *slots;          /* head index + 1, or 0 */
    size_t nslots;
    /* Second level for phrases of 2+ tokens: (head, hash of the second
     * token's folded form) -> a run of positions in order[], ascending, so a
     * position tries only the phrases whose first two tokens are there
     * ("the" heads 200+ phrases). A pluralizable two-token phrase is also
     * filed under its second token's plural forms. */
    struct tly_lexbigram { uint32_t head, hash, first, count; } *bigrams;
    uint32_t *bgpos;          /* positions in order[], grouped by bigram */
    uint32_t *bgslots;        /* bigram index + 1, or 0 */
    size_t nbgslots;
    /* Plural forms of one-token pluralizable entries ("civilians" for
     * "civilian"): folded form -> a run of entry indexes in plpos, in the
     * order the matcher reports them (-s, then -es, then -ies forms). */
    struct tly_lexplural { uint32_t hash; uint32_t first, count; const char *form; } *plurals;
    uint32_t *plpos;
    uint32_t *plslots;
    size_t nplslots;
    uint32_t *abbrev;         /* hashes of abbreviations, sorted */
    size_t nabbrev;
    uint32_t *given;          /* hashes of common given names (en/given_names.tsv), sorted */
    size_t ngiven;
    const char *demonym[26 * 26]; /* ISO2 -> the first adjective ("Azerbaijani"), from places/countries.tsv */
    tly_gazetteer *gaz;       /* NULL when no gazetteer file was found */
    tly_timex_rules *timex;
};

/* All entries that match tokens starting at toks[i] (limited to [i, n)),
 * longest first. Returns how many were written (at most max). */
size_t tly_lex_match(const tally_lexicon *lex, const tly_tok *toks, size_t n, size_t i,
                     const tly_lexent **out, size_t max);
int tly_lex_is_abbrev(const void *lex, const char *folded, size_t len);
/* A common given name ("olivia", "kyle"): such a word is a person first. */
int tly_lex_is_given_name(const tally_lexicon *lex, const char *folded, size_t len);
/* The adjective of a country ("AZ" -> "Azerbaijani"), or NULL. */
const char *tly_lex_demonym(const tally_lexicon *lex, const char *iso2);
#endif
