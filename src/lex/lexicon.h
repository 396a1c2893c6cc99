/* lexicon.h -- the phrase lexicons of a language pack (data/<lang>/) compiled into one table.
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

/* LX_NUMWORD sub-kinds (the kind column of numbers.tsv, in this order) */
#define TLY_NUMWORD_KINDS(X) \
    X(UNIT, "unit") X(TEN, "ten") X(SCALE, "scale") X(VAGUE, "vague") X(DOZEN, "dozen") X(HALF, "half") \
    X(ORDSUFFIX, "ordsuffix") X(ARTICLE, "article") X(AGE_YEAR, "age_year") X(AGE_MONTH, "age_month") \
    X(AGE_DAY, "age_day")
enum {
#define TLY_NW_ENUM_(id, name) NW_##id,
    TLY_NUMWORD_KINDS(TLY_NW_ENUM_)
#undef TLY_NW_ENUM_
    NW_NKINDS
};
/* LX_QUAL sub-kinds: the interval a qualifier makes of N. The words of the
 * kinds from Q_BETWEEN on qualify no interval but say what a figure is:
 * Q_BETWEEN opens a range of two ("between 30 and 40", read with the range),
 * Q_COUNTER makes the figure after it a label ("number 5"), Q_AGE an age
 * ("aged 16"); after a figure, Q_MORE says it counts an increase or the rest
 * ("12 new deaths", "seven others"), Q_PARTITIVE a part of a group ("23 of
 * its fighters") */
enum { Q_GT, Q_GE, Q_LT, Q_LE, Q_ABOUT, Q_EXACT, Q_BETWEEN, Q_COUNTER, Q_AGE, Q_MORE, Q_PARTITIVE };
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
    X(STOPNAME, "stopname") X(SPEAKER_NOUN, "speaker_noun") X(CONNECTIVE, "connective") \
    X(MILITARY_UNIT, "military_unit") X(EVENT_NOUN, "event_noun") X(UPDATE, "update") X(SUPERLATIVE, "superlative") X(RESPONSIBILITY, "responsibility") \
    X(OTHER_INCIDENT, "other_incident") \
    /* claimants (context.c, claim_claimant): the level a generic speaker is qualified at */ \
    X(LOCAL_SPEAKER, "local_speaker") X(CITY_OFFICE, "city_office") X(REGION_OFFICE, "region_office") \
    X(POLICE_OFFICE, "police_office") X(RELAY, "relay") \
    TLY_CUE_KINDS_FUNCTION(X)
/* The function words (the last blocks of cues.tsv): closed classes the
 * grammar reads, not lexicon content. They come after every content kind
 * (CUE_FIRST_FUNCTION) and have their own per-token bits (tly_doc.fbits): a
 * word known only as one of these is still an unknown word to the grammar
 * (tly_known), and it is no "cue" to tly_doc_match(d, i, LX_CUE, -1).
 * Attribution, context and mentions (context.c, attribution.c, mentions.c)
 * read the first line, numbers and claims (numbers.c, claims.c) the rest. */
#define TLY_CUE_KINDS_FUNCTION(X) \
    X(ARTICLE, "article") X(OF, "of") X(CONJ, "conj") X(CONTRAST, "contrast") \
    X(CLAUSE_WORD, "clause_word") X(COMPLEMENTIZER, "complementizer") X(TIME_RELATIVE, "time_relative") \
    X(PRONOUN, "pronoun") X(POSS_PRONOUN, "poss_pronoun") X(POSSESSIVE, "possessive") \
    X(PERFECT, "perfect") X(PRE_VERB, "pre_verb") X(PREP_WITH, "prep_with") X(PLAIN_OBJECT, "plain_object") \
    X(LOSS_VERB, "loss_verb") X(COUNT_NOUN, "count_noun") X(RESPECTIVELY, "respectively") \
    X(PERIOD_START, "period_start") X(SPEECH_TO, "speech_to") \
    X(ADMIN_WORD, "admin_word") X(SETTLEMENT, "settlement") X(CAPITAL, "capital") \
    X(AGE, "age") X(COUNT_MODIFIER, "count_modifier") X(FIGURE_END, "figure_end") X(AND, "and") \
    X(DEFINITE, "definite") X(TAKING_VERB, "taking_verb") X(BE_AUX, "be_aux") \
    X(HYPO_GAP, "hypo_gap") X(COMPLEMENT, "complement") X(QUANTIFIER, "quantifier") \
    X(FIRED_UPON, "fired_upon") X(FLIGHT, "flight") X(RANGE_LINK, "range_link") X(RELATIVE, "relative") \
    /* the claim grammar's victim phrases and breakdowns (issue 12) */ \
    X(INCLUDE_VERB, "include_verb") X(FAMILY, "family") X(FORMER, "former") \
    /* the context stage: places, periods, restatements (issue 12) */ \
    X(BETWEEN, "between") X(SETTLEMENT_AFTER, "settlement_after") X(MORE_OF, "more_of")
enum {
#define TLY_CUE_ENUM_(id, name) CUE_##id,
    TLY_CUE_KINDS(TLY_CUE_ENUM_)
#undef TLY_CUE_ENUM_
    CUE_NCUES
};
/* The first function-word kind (see TLY_CUE_KINDS_FUNCTION). */
#define CUE_FIRST_FUNCTION CUE_ARTICLE

#define TLY_MAX_PLURAL_RULES 8
#define TLY_MAX_CASE_RULES 48
#define TLY_MAX_TRANSLIT 80

/* Word forms read by their ending (data/<lang>/grammar.tsv, suffix_*). */
enum { GR_VING, GR_VED, GR_NSUFFIX };

typedef struct tly_lexent {
    uint8_t type;          /* tly_lex_type */
    uint8_t ntok;          /* phrase length in tokens */
    uint8_t plural;        /* 1: the last token may also take a plural ending (morphology.tsv) */
    uint8_t sub;           /* sub-kind, outcome, victims class... */
    int32_t a, b;          /* form, number, priority, class rank, perpetrator_ok;
                            * an outcome's b: 1 = its object needs a flight cue after it */
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
    /* data/<lang>/grammar.tsv: the endings of word forms (GR_*), and the
     * shortest stem before one */
    const char *suffix[GR_NSUFFIX];
    size_t suffix_len[GR_NSUFFIX];
    size_t min_stem;
    int lower_demonyms;       /* grammar.tsv "demonym_case lower": the language writes them in lower case */
    /* data/<lang>/morphology.tsv: how a plural is made from a singular, in
     * the order the matcher reports the forms ("civilian" -> "civilians") */
    struct tly_plural_rule {
        char strip[8], add[8];    /* the singular ends in strip ("" any); drop it, add add */
        uint8_t strip_len, add_len;
        uint8_t min_len;          /* a one-word entry's form has this many bytes at least */
    } plural_rule[TLY_MAX_PLURAL_RULES];
    int nplural_rules;
    int plural_growth;        /* the most bytes a rule adds */
    size_t plural_min;        /* the shortest one-word plural form */
    uint8_t plural_last[256]; /* 1 for a byte some plural form ends with */
    /* data/<lang>/morphology.tsv "case" and "translit" rules and
     * data/<lang>/places.tsv: how a place name the text inflects or writes in
     * another script than the gazetteer's is looked up ("в Донецке" ->
     * "донецк" -> "donetsk"; "Нагорного Карабаха" -> "Nagorno-Karabakh").
     * None in English: its lookups stay exact. */
    struct tly_case_rule {
        char strip[24], add[24];  /* folded: the inflected ending, the ending of the form looked up */
        uint8_t strip_len, add_len;
        uint8_t min_stem;         /* letters that must stay before the ending */
    } case_rule[TLY_MAX_CASE_RULES];
    int ncase_rules;
    struct tly_translit { int32_t cp; char to[8]; } translit[TLY_MAX_TRANSLIT];
    int ntranslit;
    struct tly_place_name { const char *name, *en; } *place_names; /* folded, sorted by name */
    size_t nplace_names, place_names_cap;
    const char *lang;         /* the language pack: data/<lang>/ ("en") */
    const struct tly_grammar *grammar; /* its grammar module (src/extract/lang.h) */
    tly_gazetteer *gaz;       /* NULL when no gazetteer file was found */
    tly_timex_rules *timex;
    /* the cue scan of the outcome phrases (scan.h), or NULL: no cue-first extraction */
    struct tly_cue_scan *scan;
};

/* All entries that match tokens starting at toks[i] (limited to [i, n)),
 * longest first. Returns how many were written (at most max). */
size_t tly_lex_match(const tally_lexicon *lex, const tly_tok *toks, size_t n, size_t i,
                     const tly_lexent **out, size_t max);
int tly_lex_is_abbrev(const void *lex, const char *folded, size_t len);
/* The entries whose first token is the folded word w: *ent gets their
 * indexes into lex->ent (longest phrase first); returns how many. */
size_t tly_lex_headed(const tally_lexicon *lex, const char *w, const uint32_t **ent);
/* A common given name ("olivia", "kyle"): such a word is a person first. */
int tly_lex_is_given_name(const tally_lexicon *lex, const char *folded, size_t len);
/* Token t ends the way a plural does (morphology.tsv) and has min_len bytes
 * at least: "Australians", "migrants" (the grammar's guess for a word the
 * lexicons do not know). */
int tly_lex_looks_plural(const tally_lexicon *lex, const tly_tok *t, size_t min_len);
/* The adjective of a country ("AZ" -> "Azerbaijani"), or NULL. */
const char *tly_lex_demonym(const tally_lexicon *lex, const char *iso2);
/* Token t is a lower-case word of form GR_* (its ending, after a stem). */
int tly_lex_has_suffix(const tally_lexicon *lex, const tly_tok *t, int form);
#endif
