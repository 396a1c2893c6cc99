/* timex_int.h -- internals of the temporal tagger shared by timex*.c:
 * the word lexicon (loaded from data/time/<lang>/), the tokenizer, and the
 * calendar arithmetic. Not part of the interface (see timex.h). */
#ifndef TLY_TIMEX_INT_H
#define TLY_TIMEX_INT_H
#include "timex.h"
#include "../text/token.h"
#include <stdint.h>

/* Word classes (the second column of the data files). */
enum {
    TX_C_NONE = 0,
    TX_C_MONTH, TX_C_WEEKDAY, TX_C_NUM, TX_C_ORD, TX_C_ORDSUF, TX_C_MULT, TX_C_UNIT,
    TX_C_SEASON, TX_C_POD, TX_C_REL, TX_C_MOD, TX_C_POS, TX_C_DIR, TX_C_APPROX,
    TX_C_TRIG, TX_C_DET, TX_C_CONN, TX_C_BETWEEN, TX_C_OF, TX_C_SETQ, TX_C_SETW,
    TX_C_FEW, TX_C_FISCAL, TX_C_DECADEW, TX_C_AMPM, TX_C_OCLOCK, TX_C_TIMEW, TX_C_TZ,
    TX_C_INTHE, TX_C_AT, TX_C_AGE, TX_C_AMOUNT, TX_C_FUTCUE, TX_C_YEARCUE,
    TX_C_YEARNEXT, TX_C_SETTING, TX_C_NARRCUE, TX_C_YEARPRE, TX_C_COUNTNOUN, TX_C_HOLIDAY,
    TX_C_PASTCUE, TX_C_ENDED, TX_C_APPROXPOST, TX_C_DURPRE, TX_C_QMORE, TX_C_DURADJ, TX_C_FUTPREP, TX_C_NOTPAST, TX_C_COUNT
};

/* Symbolic values (third column) of the classes that have them. */
enum { TX_U_D = 1, TX_U_W, TX_U_2W, TX_U_WE, TX_U_M, TX_U_Q, TX_U_H, TX_U_Y, TX_U_DE, TX_U_CE,
       TX_U_ML, TX_U_HR, TX_U_MI, TX_U_S, TX_U_P };
enum { TX_M_PREV = 1, TX_M_PRECEDING, TX_M_PAST, TX_M_NEXT, TX_M_FOLLOWING, TX_M_THIS,
       TX_M_THAT, TX_M_LATEST, TX_M_RECENT };
enum { TX_P_START = 1, TX_P_MID, TX_P_END, TX_P_H1, TX_P_H2 };
enum { TX_D_AGO = 1, TX_D_EARLIER, TX_D_LATER, TX_D_HENCE };
enum { TX_T_ANCHOR = 1, TX_T_ASOF };
enum { TX_K_LIST = 1, TX_K_RANGE };
enum { TX_S_SP = 1, TX_S_SU, TX_S_FA, TX_S_WI };
enum { TX_POD_MO = 1, TX_POD_AF, TX_POD_EV, TX_POD_NI };

/* Sense flags (fourth column). */
#define TX_F_AMB 1u    /* also an ordinary word */
#define TX_F_PL 2u     /* plural */
#define TX_F_ART 4u    /* an article counting one */
#define TX_F_WEAK 8u   /* only in a supporting context */
#define TX_F_TIME 16u  /* a TIMEX3 TIME */
#define TX_F_DIR 32u   /* POS that also reads as earlier/later */
#define TX_F_ABBR 64u  /* an abbreviation: needs a capital */
#define TX_F_SKIP1 128u /* the first token is not part of the extent */
#define TX_F_DUR 256u  /* REL: a TIMEX3 DURATION */

typedef struct tx_sense {
    uint8_t cls;
    uint8_t pod;     /* REL: part of day */
    uint16_t flags;
    int32_t val;
    const char *str; /* REL literal value, SETW value */
} tx_sense;

typedef struct tx_entry {
    const char *key;
    uint32_t hash;
    uint16_t ntok, nsense;
    uint32_t klen;     /* strlen(key) */
    tx_sense *senses;
    uint64_t clsmask;  /* bit c set: some sense has class c (a one-load "no") */
} tx_entry;
_Static_assert(TX_C_COUNT <= 64, "tx_entry.clsmask: one bit per class");

struct tly_timex_rules {
    tly_arena arena;
    const tally_alc *alc;
    tx_entry *ents;
    size_t nents, capents;
    uint32_t *slots; /* entry index + 1, 0 = empty */
    size_t nslots;   /* power of two */
    int maxtok;      /* most tokens in a phrase */
    /* Every proper prefix of a multi-word phrase ("a week", "the day before"),
     * so the tokenizer tries a longer phrase only where one can start. */
    struct { uint32_t hash, klen; const char *key; } *pfx;
    size_t npfx;     /* slots, power of two; 0 when none */
    int dmy;         /* numeric dates day first */
    int lower_weekdays; /* the language writes weekdays in lower case ("в воскресенье") */
    char past_suffix[8]; /* a word ending so tells the past ("ed"); "" none */
};

/* Tokens. */
enum { TX_TK_WORD = 1, TX_TK_NUM, TX_TK_PUNCT };
#define TX_TF_CAP 1u   /* starts with a capital */
#define TX_TF_SP 2u    /* space before */
#define TX_TF_NL 4u    /* line break before */
#define TX_TF_PARA 8u  /* blank line before */
#define TX_TF_UPPER 16u /* all capitals */
#define TX_TF_ASCII 32u /* pure ASCII */

typedef struct tx_tok {
    uint32_t s, e;
    uint8_t kind, fl, nd;
    char ch;        /* PUNCT: the ASCII character (dashes '-', quotes '\'', '"'), else '?' */
    int32_t num;    /* NUM: value when nd <= 9, else -1 */
    int32_t e1;     /* entry of this token alone, -1 */
    int32_t en;     /* longest entry of 2+ tokens starting here, -1 */
    uint64_t cls;   /* the classes of e1 and en (tx_entry.clsmask): at() says no from it */
    const char *key; /* the folded form looked up (not NUL-terminated), or NULL */
    uint32_t kh;    /* tly_hash of key */
    uint8_t klen;   /* its length (0: none) */
} tx_tok;

/* The tagger's tokens of text[0..lim) read from the document's tokens tk
 * (made by tly_tokenize over the whole text), with the lexicon entries at
 * each; in the arena. -1 when out of memory. */
int tly_tx_read(const tly_timex_rules *r, tly_arena *a, const char *text, const tly_tokens *tk, size_t lim,
                tx_tok **out, size_t *n);
/* The same for a text of its own: tokenized first (tly_tokenize). */
int tly_tx_tokenize(const tly_timex_rules *r, tly_arena *a, const char *text, size_t len,
                    tx_tok **out, size_t *n);
/* The entry of the folded key, or -1. */
int32_t tly_tx_lookup(const tly_timex_rules *r, const char *key, size_t klen);

/* Calendar. */
int64_t tly_tx_days(int y, int m, int d);             /* days since 1970-01-01 */
void tly_tx_civil(int64_t n, int *y, int *m, int *d);
int tly_tx_dow(int64_t n);                              /* ISO: Monday 1 .. Sunday 7 */
int tly_tx_mdays(int y, int m);
void tly_tx_isoweek(int64_t n, int *wy, int *w);
int64_t tly_tx_week_monday(int wy, int w);
#endif
