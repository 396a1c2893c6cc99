/* test_pipeline.c -- the document model and the pipeline (src/extract/doc.h,
 * pipeline.h): the stage table is in order, the layers each stage gives,
 * the outcome gate, the tokenizer's flags for the tagger, the tagger on the
 * document's tokens, the stable sort and the enumeration names. */
#include "extract/pipeline.h"
#include "util/claim_fields.h"
#include "util/sort.h"
#include <stdio.h>
#include <string.h>

#include "unit_check.h"

static void test_table(void) {
    size_t n;
    const tly_stage *s = tly_pipeline(&n);
    unsigned have = 0;
    int gate = -1;
    for (size_t i = 0; i < n; i++) {
        CHECK((s[i].needs & ~have) == 0, "stage %s needs a layer no stage before it gives", s[i].name);
        CHECK((s[i].gives & have) == 0, "stage %s gives a layer already given", s[i].name);
        for (size_t j = 0; j < i; j++) CHECK(strcmp(s[i].name, s[j].name), "two stages named %s", s[i].name);
        if (s[i].kind == TLY_GATE) gate = (int)i;
        have |= s[i].gives;
    }
    CHECK(have == (1u << TLY_NLAYERS) - 1, "every layer is given (%x)", have);
    CHECK(gate > 0, "an outcome gate");
    CHECK(!strcmp(tly_layer_name(TLY_LI_TIMEX), "timex") && !strcmp(tly_layer_name(99), "?"), "layer names");
}

static unsigned run(const tally_lexicon *lex, const char *text, int mentions, size_t *nclaims) {
    tally_doc in;
    memset(&in, 0, sizeof in);
    in.text.ptr = text;
    in.text.len = strlen(text);
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_doc d;
    memset(&d, 0, sizeof d);
    d.lex = lex;
    d.in = &in;
    d.a = &a;
    d.text = text;
    d.len = in.text.len;
    d.want_mentions = mentions;
    d.max_sentence_bytes = 1 << 16;
    int rc = tly_pipeline_run(&d);
    CHECK(rc == 0, "pipeline runs");
    *nclaims = TLY_DOC_HAS(&d, TLY_L_CLAIMS) ? tly_doc_claim_count(&d) : 0;
    if (TLY_DOC_HAS(&d, TLY_L_NUMBERS))
        for (size_t i = 0; i < tly_doc_num_count(&d); i++) {
            const tly_num *num = tly_doc_num_at(&d, i);
            CHECK(tly_doc_tok_num(&d, num->v0) == (int32_t)i, "token -> number %zu", i);
        }
    unsigned layers = d.layers;
    tly_arena_free(&a);
    return layers;
}

static void test_gate(const tally_lexicon *lex) {
    size_t nc;
    unsigned l = run(lex, "The council met on Monday to discuss the budget.", 0, &nc);
    CHECK(l == (TLY_L_TOKENS | TLY_L_REFDATE | TLY_L_MATCHES), "no outcome word: stops after the lexicon (%x)", l);
    CHECK(nc == 0, "no claims");
    l = run(lex, "The council met on Monday to discuss the budget.", 1, &nc);
    CHECK(l == (1u << TLY_NLAYERS) - 1, "mentions asked for: every layer (%x)", l);
    l = run(lex, "Shelling killed 12 civilians in Ganja on Sunday, officials said.", 0, &nc);
    CHECK((l & (TLY_L_CLAIMS | TLY_L_CONTEXT)) == (TLY_L_CLAIMS | TLY_L_CONTEXT), "outcome word: claims (%x)", l);
    CHECK(!(l & TLY_L_MENTIONS), "no mention list unless asked");
    CHECK(nc == 1, "one claim (%zu)", nc);
}

static void test_token_flags(void) {
    const char *text = "TB2 6,000\n\nÉ 12\xe2\x80\xa8x\ny";
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_tokens tk;
    CHECK(tly_tokenize(&a, text, strlen(text), 0, NULL, NULL, &tk) == 0, "tokenize");
    CHECK(tk.n == 6, "6 tokens (%zu)", tk.n);
    if (tk.n == 6) {
        CHECK((tk.tok[0].flags & (TK_DIGITS | TK_ASCII)) == (TK_DIGITS | TK_ASCII), "TB2: a word with digits");
        CHECK(tk.tok[1].flags & TK_DIGITS, "6,000: a figure with a separator");
        CHECK((tk.tok[2].flags & (TK_LF | TK_LF2 | TK_PARA)) == (TK_LF | TK_LF2 | TK_PARA), "two line feeds");
        CHECK(!(tk.tok[2].flags & TK_ASCII), "É is not ASCII");
        CHECK(!(tk.tok[3].flags & TK_DIGITS), "12: digits only");
        CHECK((tk.tok[4].flags & (TK_NL | TK_LF)) == TK_NL, "U+2028 is a line break, not a line feed");
        CHECK((tk.tok[5].flags & (TK_LF | TK_LF2)) == TK_LF, "one line feed");
    }
    tly_arena_free(&a);
}

static void test_timex_tokens(const tally_lexicon *lex) {
    const char *text = "On October 4, 2020, and again 3 days later, at 10.30am, 1,700 people fled.";
    tally_date ref = {2020, 10, 8};
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_timex *x1, *x2;
    size_t n1, n2;
    CHECK(tly_timex_tag(lex->timex, &a, text, strlen(text), ref, &x1, &n1) == 0, "tag the text");
    tly_tokens tk;
    tly_timex_input in;
    CHECK(tly_tokenize(&a, text, strlen(text), 0, NULL, NULL, &tk) == 0, "tokenize");
    CHECK(tly_timex_read(lex->timex, &a, text, &tk, &in) == 0, "read the tokens");
    CHECK(tly_timex_tag_input(lex->timex, &a, &in, ref, &x2, &n2) == 0, "tag the tokens");
    CHECK(n1 == n2 && n1 >= 2, "the same expressions (%zu, %zu)", n1, n2);
    for (size_t i = 0; i < n1 && i < n2; i++)
        CHECK(x1[i].pub.start == x2[i].pub.start && x1[i].pub.end == x2[i].pub.end &&
                  !strcmp(x1[i].pub.value, x2[i].pub.value), "expression %zu", i);
    tly_arena_free(&a);
}

typedef struct { int key, seq; } kv;
static int kv_cmp(const void *a, const void *b, void *ctx) {
    (void)ctx;
    return ((const kv *)a)->key - ((const kv *)b)->key;
}

static void test_sort(void) {
    kv v[200], tmp[200];
    for (int i = 0; i < 200; i++) { v[i].key = (i * 37) % 7; v[i].seq = i; }
    tly_sort(v, tmp, 200, sizeof *v, kv_cmp, NULL);
    int ok = 1;
    for (int i = 1; i < 200; i++)
        if (v[i - 1].key > v[i].key || (v[i - 1].key == v[i].key && v[i - 1].seq > v[i].seq)) ok = 0;
    CHECK(ok, "sorted and stable");
}

static void test_dates(void) {
    tally_date d;
    CHECK(tally_date_parse("2020-10-28", 10, &d) && d.year == 2020 && d.month == 10 && d.day == 28, "ISO day");
    CHECK(tally_date_parse("20201028", 8, &d) && d.year == 2020 && d.month == 10 && d.day == 28, "compact day");
    CHECK(tally_date_parse("20201028T101500Z", 16, &d) && d.day == 28, "compact timestamp");
    CHECK(!tally_date_parse("20201328", 8, &d), "compact day with month 13");
    CHECK(tally_date_parse("2020", 4, &d) && d.year == 2020 && !d.month, "a year");
    CHECK(tally_date_parse("202010281", 9, &d) && d.year == 2020 && !d.month, "9 digits are no compact day");
}

static void test_names(void) {
    CHECK(!strcmp(tally_outcome_name(TALLY_DAMAGED), "damaged") && !strcmp(tally_outcome_name(TALLY_OUTCOME_COUNT), "?"),
          "outcome names");
    CHECK(!strcmp(tally_place_kind_name(TALLY_PLACE_AREA), "area"), "place kind names");
    CHECK(!strcmp(tally_mention_kind_name(TALLY_MENTION_SENTENCE), "sentence"), "mention kind names");
    CHECK(TALLY_KILLED == 0 && TALLY_DAMAGED == 5 && TALLY_VICTIMS_BUILDINGS == 3 && TALLY_SCOPE_CUMULATIVE == 2 &&
              TALLY_TIMEX_SET == 3 && TALLY_MENTION_SENTENCE == 7 && TALLY_PLACE_AREA == 4,
          "the values of the ABI");
    int n = 0, sql = 0;
#define COUNT_FIELD(name, kind, a, b, type, out) n++, sql += ((out) & TLY_CF_SQL) != 0;
    TLY_CLAIM_FIELDS(COUNT_FIELD)
#undef COUNT_FIELD
    CHECK(n == sql && n > 30, "every claim field is a column (%d of %d)", sql, n);
}

int main(void) {
    tally_lexicon *lex;
    tally_error err;
    if (tally_lexicon_open(NULL, &lex, &err)) { printf("lexicon: %s\n", err.message); return 1; }
    test_table();
    test_gate(lex);
    test_token_flags();
    test_timex_tokens(lex);
    test_sort();
    test_dates();
    test_names();
    tally_lexicon_close(lex);
    printf("test_pipeline: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
