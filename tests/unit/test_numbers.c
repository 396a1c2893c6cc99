/* Unit tests of figures: each text's first number mention must read as given
 * (the value printed by --mentions: "low..high qualifier", "N", "N (age)"). */
#include "tally.h"
#include <stdio.h>
#include <string.h>

static int failures = 0;

static void check(const tally_lexicon *lex, const char *text, const char *want) {
    tally_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.id.ptr = "t"; doc.id.len = 1;
    doc.text.ptr = text; doc.text.len = strlen(text);
    tally_options opt;
    memset(&opt, 0, sizeof opt);
    opt.flags = TALLY_OPT_MENTIONS;
    tally_result *res = NULL;
    tally_error err;
    if (tally_extract(lex, &doc, &opt, &res, &err) != TALLY_OK) {
        fprintf(stderr, "FAIL %s: extract failed: %s\n", text, err.message);
        failures++;
        return;
    }
    const tally_mention *m;
    size_t n = tally_result_mentions(res, &m);
    const char *got = NULL;
    for (size_t i = 0; i < n; i++)
        if (m[i].kind == TALLY_MENTION_NUMBER) { got = m[i].value; break; }
    if (!got ? want != NULL : (!want || strcmp(got, want) != 0)) {
        fprintf(stderr, "FAIL \"%s\": want %s, got %s\n", text, want ? want : "(none)", got ? got : "(none)");
        failures++;
    }
    tally_result_free(res);
}

int main(void) {
    tally_lexicon *lex = NULL;
    tally_error err;
    if (tally_lexicon_open(NULL, &lex, &err) != TALLY_OK) {
        fprintf(stderr, "cannot open lexicon: %s\n", err.message);
        return 1;
    }
    check(lex, "26 civilians were killed.", "26");
    check(lex, "Some 6,000 people died.", "6000 about");
    check(lex, "The war claimed 1.5 million lives.", "1500000");
    check(lex, "The war claimed 1.5million lives.", "1500000");
    check(lex, "Sixteen people were hurt.", "16");
    check(lex, "twenty-one soldiers died", "21");
    check(lex, "one hundred and five people", "105");
    check(lex, "one hundred people", "100");
    check(lex, "a dozen houses", "12");
    check(lex, "two dozen houses", "24");
    check(lex, "half a million refugees", "500000");
    check(lex, "more than 500 buildings", "501.. more_than");
    check(lex, "over 83 people", "84.. more_than");
    check(lex, "at least 20 people", "20.. at_least");
    check(lex, "as many as 550 people", "..550 up_to");
    check(lex, "up to 30 people", "..30 up_to");
    check(lex, "around 40 people", "40 about");
    check(lex, "approximately 40 people", "40 about");
    check(lex, "dozens of people", "24.. dozens");
    check(lex, "hundreds of people", "200.. hundreds");
    check(lex, "thousands of people", "2000.. thousands");
    check(lex, "more than a dozen people", "13.. more_than");
    check(lex, "a 16-year-old boy", "16 (age)");
    check(lex, "he was 16 years old", "16 (age)");
    check(lex, "rose by 12% this week", "12 (percent)");
    check(lex, "a city 100 km away", "100 (unit)");
    check(lex, "Read: 750", "750 (counter)");
    /* 40 digits: read, never a crash; the value is whatever a double holds */
    tally_lexicon_close(lex);
    if (failures) fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}
