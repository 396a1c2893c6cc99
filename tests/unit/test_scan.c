/* test_scan.c -- the cue scan (src/lex/scan.h, issue 16): what cue-first
 * extraction keeps of a text, and that it never cuts off an outcome word,
 * an attack word or a weapon the lexicon reads: on hand-made texts, on examples/ and, when ../shared is
 * there, on every document of the corpus and the development sets, the text
 * kept reaches past the last outcome match of the whole-text tokenization. */
#include "extract/pipeline.h"
#include "lex/scan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit_check.h"

/* The end of the last match the scan looks for (an outcome word, an attack
 * noun or verb, a responsibility cue, a weapon) in the whole text, or 0 when
 * the text has no outcome match. */
static size_t last_outcome_end(const tally_lexicon *lex, const char *text, size_t len) {
    int outcome = 0;
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_tokens tk;
    size_t end = 0;
    if (tly_tokenize(&a, text, len, 1 << 16, tly_lex_is_abbrev, lex, &tk) == 0) {
        const tly_lexent *hits[32];
        for (size_t i = 0; i < tk.n; i++) {
            size_t h = tly_lex_match(lex, tk.tok, tk.n, i, hits, 32);
            for (size_t k = 0; k < h; k++) {
                const tly_lexent *e = hits[k];
                int ctx = e->type == LX_WEAPON || (e->type == LX_CUE && (e->sub == CUE_ATTACK_NOUN ||
                          e->sub == CUE_ATTACK_VERB || e->sub == CUE_RESPONSIBILITY));
                outcome |= e->type == LX_OUTCOME;
                if ((e->type == LX_OUTCOME || ctx) && tk.tok[i + e->ntok - 1].end > end) end = tk.tok[i + e->ntok - 1].end;
            }
        }
    } else CHECK(0, "tokenize");
    tly_arena_free(&a);
    return outcome ? end : 0;
}

static void check_text(const tally_lexicon *lex, const char *name, const char *text, size_t len) {
    size_t keep = tly_scan_keep(lex->scan, text, len, 1);
    size_t need = last_outcome_end(lex, text, len);
    CHECK(keep >= need && keep <= len, "%s: kept %zu bytes, the last outcome word ends at %zu", name, keep, need);
}

static void check_file(const tally_lexicon *lex, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return;
    fclose(f);
    tally_reader *rd = NULL;
    tally_error err;
    if (tally_reader_open(path, NULL, &rd, &err) != TALLY_OK) return;
    tally_doc doc;
    size_t n = 0;
    for (tally_status st; (st = tally_reader_next(rd, &doc, &err)) != TALLY_DONE;) {
        if (st != TALLY_OK) continue;
        check_text(lex, path, doc.text.ptr, doc.text.len);
        n++;
    }
    tally_reader_close(rd);
    printf("%s: %zu documents\n", path, n);
}

int main(void) {
    tally_lexicon *lex = NULL;
    tally_error err;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) { printf("lexicon: %s\n", err.message); return 1; }
    CHECK(lex->scan != NULL, "the English pack can be scanned");
    static const struct { const char *text; size_t keep; } cases[] = {
        {"", 0},
        {"The weather was fine on Monday.\n\nMarkets rose.", 0},
        {"Two people were killed on Monday.", 33},
        /* the paragraph after the last hit is kept, the rest is not */
        {"Intro.\n\nShelling KILLED 3.\n\nA reply.\n\nThe end.", 36},
        {"Intro.\n\nThree died.\n\nOne more.", 30},
        /* a line after a blank line that starts in lower case runs on: no cut */
        {"Killed.\n\nand so on.\n\nOther.\n\nLast.", 27},
        /* a plural the morphology makes, a folded accent */
        {"Calm.\n\nTwo fatalities.\n\nX.\n\nY.", 26},
        {"Calm.\n\nTwo were kílled.\n\nX.\n\nY.", 28},
        /* a word that only begins like an outcome word is no hit */
        {"The diet of the killers' skill.\n\nDiesel.", 0},
        /* the frame's words after the last outcome word are kept; alone they keep nothing */
        {"Two died.\n\nX.\n\nThe airstrike hit.\n\nY.\n\nZ.", 37},
        {"The airstrike hit.\n\nX.\n\nY.", 0},
        {"The airstrike hit.\n\nY.", 0},
        /* one long paragraph: read up to its first outcome word */
        {"Two died. The strike hit. Then nothing.", 39},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].text);
        size_t keep = tly_scan_keep(lex->scan, cases[i].text, len, 1);
        CHECK(keep == cases[i].keep, "case %zu: kept %zu, expected %zu", i, keep, cases[i].keep);
        check_text(lex, "case", cases[i].text, len);
    }
    const char *src = getenv("TALLY_SOURCE_DIR"), *shared = getenv("TALLY_SHARED");
    char path[4096];
    static const char *examples[] = {"01-ganja-night-strike.txt", "04-amnesty-barda-cluster.txt", "07-ohchr-update.txt",
                                     "08-gaza-camp-strike.txt"};
    for (size_t i = 0; src && i < sizeof examples / sizeof *examples; i++) {
        snprintf(path, sizeof path, "%s/examples/%s", src, examples[i]);
        check_file(lex, path);
    }
    static const char *sets[] = {"corpus/dailymail-2020-violence.jsonl", "corpus/wikipedia-nk2020.jsonl",
                                 "dev/world-dev.jsonl", "seeds/seeds.jsonl"};
    for (size_t i = 0; shared && i < sizeof sets / sizeof *sets; i++) {
        snprintf(path, sizeof path, "%s/%s", shared, sets[i]);
        check_file(lex, path);
    }
    tally_lexicon_close(lex);
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
