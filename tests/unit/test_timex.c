/* test_timex.c -- unit tests of the temporal tagger (src/extract/timex.h):
 * claim dating (absolute, relative, yearless, ranges, flags), datelines,
 * what must not be tagged, and hostile input. Prints each failing check;
 * exits non-zero when any failed. */
#include "extract/timex.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures, checks;
static tly_timex_rules *R;

static tally_date D(const char *s) {
    tally_date d = {0, 0, 0};
    int y = 0, m = 0, dd = 0;
    if (s && *s) sscanf(s, "%d-%d-%d", &y, &m, &dd);
    d.year = (int16_t)y;
    d.month = (int8_t)m;
    d.day = (int8_t)dd;
    return d;
}

static void fmt(tally_date d, char *b) { /* b: 32 bytes */
    if (!d.year) b[0] = 0;
    else if (!d.month) snprintf(b, 32, "%04d", d.year);
    else if (!d.day) snprintf(b, 32, "%04d-%02d", d.year, d.month);
    else snprintf(b, 32, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static const char *TYPES[] = {"DATE", "TIME", "DURATION", "SET"};

static void dump(const char *text, const tly_timex *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char f[32], l[32];
        fmt(x[i].pub.first, f);
        fmt(x[i].pub.last, l);
        fprintf(stderr, "      got [%.*s] %s %s %s..%s flags=%u\n", (int)(x[i].pub.end - x[i].pub.start),
                text + x[i].pub.start, TYPES[x[i].pub.type], x[i].pub.value, f, l, x[i].flags);
    }
}

/* The expression whose text is `span` must have this value, type, first/last
 * (NULL: not checked; "": none) and carry the flags in `flags`. */
static void expect(const char *text, const char *ref, const char *span, const char *type, const char *value,
                   const char *first, const char *last, unsigned flags) {
    checks++;
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_timex *x;
    size_t n;
    if (tly_timex_tag(R, &a, text, strlen(text), D(ref), &x, &n)) {
        printf("FAIL out of memory on \"%s\"\n", text);
        failures++;
        tly_arena_free(&a);
        return;
    }
    const tly_timex *hit = NULL;
    for (size_t i = 0; i < n; i++)
        if (x[i].pub.end - x[i].pub.start == strlen(span) && !memcmp(text + x[i].pub.start, span, strlen(span)))
            hit = &x[i];
    char why[256] = "";
    if (!hit) snprintf(why, sizeof why, "no expression \"%s\"", span);
    else {
        char f[32], l[32];
        fmt(hit->pub.first, f);
        fmt(hit->pub.last, l);
        if (type && strcmp(TYPES[hit->pub.type], type)) snprintf(why, sizeof why, "type %s, want %s", TYPES[hit->pub.type], type);
        else if (value && strcmp(hit->pub.value, value)) snprintf(why, sizeof why, "value %s, want %s", hit->pub.value, value);
        else if (first && strcmp(f, first)) snprintf(why, sizeof why, "first %s, want %s", f, first);
        else if (last && strcmp(l, last)) snprintf(why, sizeof why, "last %s, want %s", l, last);
        else if ((hit->flags & flags) != flags) snprintf(why, sizeof why, "flags %u, want %u", hit->flags, flags);
    }
    if (why[0]) {
        failures++;
        printf("FAIL \"%s\" (ref %s): %s\n", text, ref, why);
        dump(text, x, n);
    }
    tly_arena_free(&a);
}

/* No expression (or none of type DATE when dates_only) may cover `span`. */
static void expect_none(const char *text, const char *ref, const char *span, int dates_only) {
    checks++;
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_timex *x;
    size_t n;
    tly_timex_tag(R, &a, text, strlen(text), D(ref), &x, &n);
    const char *p = strstr(text, span);
    size_t s = p ? (size_t)(p - text) : 0, e = s + strlen(span);
    for (size_t i = 0; i < n; i++) {
        if (x[i].pub.start < e && s < x[i].pub.end) {
            if (dates_only && x[i].pub.first.year == 0 && x[i].pub.type != TALLY_TIMEX_DATE) continue;
            if (dates_only && x[i].pub.first.year == 0 && x[i].pub.value[0] == 'P') continue;
            failures++;
            printf("FAIL \"%s\": \"%s\" must not be tagged%s\n", text, span, dates_only ? " as a date" : "");
            dump(text, x, n);
            break;
        }
    }
    tly_arena_free(&a);
}

static void expect_dateline(const char *text, const char *want) {
    checks++;
    tally_date d = {0, 0, 0};
    int ok = tly_timex_dateline(R, text, strlen(text), &d);
    char got[32] = "";
    if (ok) snprintf(got, sizeof got, "%04d-%02d-%02d", d.year, d.month, d.day);
    if (strcmp(got, want)) {
        failures++;
        printf("FAIL dateline of \"%.40s...\": got \"%s\", want \"%s\"\n", text, got, want);
    }
}

#define ANY NULL
static void test_absolute(void) {
    const char *ref = "2020-11-10";
    expect("in 05 October 2020 press release", ref, "05 October 2020", "DATE", "2020-10-05", "2020-10-05", "2020-10-05", 0);
    expect("his letter dated 9 November 2020 addressed", ref, "9 November 2020", "DATE", "2020-11-09", "2020-11-09", "2020-11-09", 0);
    expect("Today, on October 4, Armenia fired", "2020-10-04", "October 4", "DATE", "2020-10-04", "2020-10-04", "2020-10-04", TLY_TX_YEARLESS);
    expect("On Sep. 27, the first day of the conflict", "2021-01-14", "Sep. 27", "DATE", "2020-09-27", "2020-09-27", "2020-09-27", TLY_TX_YEARLESS);
    expect("his children on Oct. 17, a day when", "2021-01-14", "Oct. 17", "DATE", "2020-10-17", "2020-10-17", "2020-10-17", 0);
    expect("Also, on November 7th, 16-year-old civilian", ref, "November 7th", "DATE", "2020-11-07", "2020-11-07", "2020-11-07", 0);
    expect("bombardments of this city on 5th, 8th, 11th and 17th October, 26 civilians were killed", ref,
           "5th, 8th, 11th and 17th October", "DATE", ANY, "2020-10-05", "2020-10-17", TLY_TX_RANGE);
    expect("Between 4 and 17 October, 40 people died", ref, "4 and 17 October", "DATE", ANY, "2020-10-04", "2020-10-17", TLY_TX_RANGE);
    expect("on 27 and 28 October 2020 the city", "2021-03-01", "27 and 28 October 2020", "DATE", ANY, "2020-10-27", "2020-10-28", TLY_TX_RANGE);
    expect("Between October 4 and 17 it was shelled", ref, "October 4 and 17", "DATE", ANY, "2020-10-04", "2020-10-17", TLY_TX_RANGE);
    expect("The attack of April 2016 killed", ref, "April 2016", "DATE", "2016-04", "2016-04-01", "2016-04-30", 0);
    expect("Fighting resumed in July and", "2020-10-08", "July", "DATE", "2020-07", "2020-07-01", "2020-07-31", TLY_TX_YEARLESS);
    expect("In December the shelling killed", "2020-10-08", "December", "DATE", "2019-12", "2019-12-01", "2019-12-31", 0);
    expect("The vote in December", "2020-10-08", "December", "DATE", "2020-12", NULL, NULL, 0); /* no tense: the closest */
    expect("the war from 1992 - 1994 killed", ref, "1992 - 1994", "DATE", ANY, "1992-01-01", "1994-12-31", TLY_TX_RANGE | TLY_TX_ANCHOR);
    expect("the war from 1992 to 1994 killed", ref, "1992 to 1994", "DATE", ANY, "1992-01-01", "1994-12-31", TLY_TX_RANGE | TLY_TX_ANCHOR);
    expect("The war ended in 2020.", ref, "2020", "DATE", "2020", "2020-01-01", "2020-12-31", 0);
    expect("Since September 27, 2020 the armed forces", ref, "September 27, 2020", "DATE", "2020-09-27", "2020-09-27", "2020-09-27", TLY_TX_ANCHOR);
    expect("published 2020-10-04 by the ministry", ref, "2020-10-04", "DATE", "2020-10-04", "2020-10-04", "2020-10-04", 0);
    expect("Mon 5 Oct 2020 14.05 BST", ref, "Mon 5 Oct 2020", "DATE", "2020-10-05", "2020-10-05", "2020-10-05", 0);
    expect("On Friday, Oct. 2, rockets hit", ref, "Friday, Oct. 2", "DATE", "2020-10-02", NULL, NULL, 0);
    expect("since September 27, 27 civilians were killed", "2020-10-07", "September 27", "DATE", "2020-09-27", NULL, NULL, TLY_TX_ANCHOR);
    expect("On 31 December 2020 and", ref, "31 December 2020", "DATE", "2020-12-31", NULL, NULL, 0);
}

static void test_relative(void) {
    const char *ref = "2020-10-08"; /* a Thursday */
    expect("Today the city was shelled", ref, "Today", "DATE", "2020-10-08", "2020-10-08", "2020-10-08", TLY_TX_RELATIVE);
    expect("according to today's statistics", ref, "today", "DATE", "2020-10-08", NULL, NULL, TLY_TX_RELATIVE);
    expect("Two people died yesterday.", ref, "yesterday", "DATE", "2020-10-07", "2020-10-07", "2020-10-07", TLY_TX_RELATIVE);
    expect("They will meet tomorrow.", ref, "tomorrow", "DATE", "2020-10-09", NULL, NULL, 0);
    expect("The strike on Sunday killed four", ref, "Sunday", "DATE", "2020-10-04", "2020-10-04", "2020-10-04", TLY_TX_RELATIVE);
    expect("Amnesty said Thursday that", ref, "Thursday", "DATE", "2020-10-08", "2020-10-08", "2020-10-08", 0);
    expect("Amnesty said Friday that", ref, "Friday", "DATE", "2020-10-02", NULL, NULL, 0);
    expect("the shelling last week killed", ref, "last week", "DATE", "2020-W40", "2020-09-28", "2020-10-04", TLY_TX_RELATIVE);
    expect("Rockets fell this morning on Ganja", ref, "this morning", "TIME", "2020-10-08TMO", "2020-10-08", "2020-10-08", 0);
    expect("Rockets fell last night on Ganja", ref, "last night", "TIME", "2020-10-07TNI", "2020-10-07", "2020-10-07", 0);
    expect("A missile hit Barda two days ago.", ref, "two days ago", "DATE", "2020-10-06", "2020-10-06", "2020-10-06", 0);
    expect("Earlier this month, a strike", ref, "Earlier this month", "DATE", "2020-10", "2020-10-01", "2020-10-31", 0);
    expect("The first strike was on October 4. A week later, Ganja was hit again.", ref, "A week later", "DATE",
           "2020-10-11", "2020-10-11", "2020-10-11", 0);
    expect("This year 3 people died", ref, "This year", "DATE", "2020", "2020-01-01", "2020-12-31", 0);
    expect("now", ref, "now", "DATE", "PRESENT_REF", "", "", 0);
    expect("Last month 20 died", ref, "Last month", "DATE", "2020-09", "2020-09-01", "2020-09-30", 0);
    expect("in recent years", ref, "recent years", "DATE", "PAST_REF", "", "", 0);
}

static void test_yearless(void) {
    /* past bias: a yearless date is not after the reference by more than a few days */
    expect("The attack on October 4 killed", "2021-01-14", "October 4", "DATE", "2020-10-04", NULL, NULL, TLY_TX_YEARLESS);
    expect("The attack on 4 October killed", "2020-10-06", "4 October", "DATE", "2020-10-04", NULL, NULL, TLY_TX_YEARLESS);
    expect("The attack on 4 October killed", "2020-10-02", "4 October", "DATE", "2020-10-04", NULL, NULL, TLY_TX_YEARLESS);
    expect("The attack on 4 October killed", "2020-09-01", "4 October", "DATE", "2019-10-04", NULL, NULL, TLY_TX_YEARLESS);
    /* a narrative of past events (the text told more old dates than recent
     * ones) takes the year of the last date told */
    expect("In 2020 the war began. On 4 October Ganja was shelled.", "2022-05-01", "4 October", "DATE", "2020-10-04",
           "2020-10-04", "2020-10-04", TLY_TX_YEARLESS);
    expect("The strike of 5 October 2020 was the first. On 11 October another hit.", "2022-05-01", "11 October", "DATE",
           "2020-10-11", NULL, NULL, TLY_TX_YEARLESS);
    /* but not when the text came back to the present */
    expect("In 2020 the war began. Yesterday officials said that on 4 October a village was shelled", "2022-05-01",
           "4 October", "DATE", "2021-10-04", NULL, NULL, 0);
    /* nor when the text is about the present, with an old date as background */
    expect("Officials met on Friday. The treaty of 5 May 1997 was cited. On 11 October they will vote.", "2022-05-01",
           "11 October", "DATE", "2022-10-11", NULL, NULL, 0);
    expect("Rebels shelled the town on Friday. The war began in May 1997. On 4 October the town was shelled again.",
           "2022-05-01", "4 October", "DATE", "2021-10-04", NULL, NULL, 0);
    /* without a tense, the closest such day; with the past tense, not after the reference */
    expect("The talks on 4 October in Geneva", "2020-09-01", "4 October", "DATE", "2020-10-04", NULL, NULL, 0);
    expect("The summit is on Jan. 14 in Paris", "2000-01-06", "Jan. 14", "DATE", "2000-01-14", NULL, NULL, 0);
    expect("The attack on Dec. 28 killed four", "2000-01-06", "Dec. 28", "DATE", "1999-12-28", NULL, NULL, 0);
    expect("In 2020 the war began. They will meet on 14 May", "2022-05-01", "14 May", "DATE", "2022-05-14", NULL, NULL, 0);
}

static void test_flags(void) {
    const char *ref = "2020-10-08";
    expect("since September 27 Armenia", ref, "September 27", "DATE", "2020-09-27", NULL, NULL, TLY_TX_ANCHOR);
    expect("starting from September 27, 27 civilians", ref, "September 27", "DATE", "2020-09-27", NULL, NULL, TLY_TX_ANCHOR);
    expect("from October 1, 12 died", ref, "October 1", "DATE", "2020-10-01", NULL, NULL, TLY_TX_ANCHOR);
    expect("as of October 5, 27 civilians", ref, "October 5", "DATE", "2020-10-05", NULL, NULL, TLY_TX_ASOF);
    expect("until October 5, 27 civilians", ref, "October 5", "DATE", "2020-10-05", NULL, NULL, TLY_TX_ASOF);
    expect("by 7 October, 27 civilians", ref, "7 October", "DATE", "2020-10-07", NULL, NULL, TLY_TX_ASOF);
}

/* A failed longer parse never drops a valid shorter one. */
static void test_fallback(void) {
    const char *ref = "2020-10-08";
    /* "27 to 31" is not a range of September (30 days): the date alone */
    expect("This brings the number of civilians killed since September 27 to 31.", ref, "September 27", "DATE",
           "2020-09-27", "2020-09-27", "2020-09-27", TLY_TX_ANCHOR);
    expect("since September 27 to 31, 2020 there were", ref, "September 27", "DATE", "2020-09-27", NULL, NULL, TLY_TX_ANCHOR);
    expect("fighting on September 30-31 left", ref, "September 30", "DATE", "2020-09-30", "2020-09-30", "2020-09-30", 0);
    expect("on Sept. 29 and 31 the town", ref, "Sept. 29", "DATE", "2020-09-29", NULL, NULL, 0);
    /* a reversed range is no range either */
    expect("from October 5 to 3 people were", ref, "October 5", "DATE", "2020-10-05", "2020-10-05", "2020-10-05", TLY_TX_ANCHOR);
    /* the valid range itself is kept */
    expect("from September 27 to 30 the town", ref, "September 27 to 30", "DATE", ANY, "2020-09-27", "2020-09-30",
           TLY_TX_RANGE | TLY_TX_ANCHOR);
    expect("between February 28 and 29, 2020", ref, "February 28 and 29, 2020", "DATE", ANY, "2020-02-28", "2020-02-29",
           TLY_TX_RANGE);
    expect("on February 28 and 29, 2021 the", ref, "February 28", "DATE", NULL, NULL, NULL, 0);
    expect_none("On 31 September rockets fell", ref, "31 September", 0);
}

/* Durations and dates added for TempEval-3. */
static void test_tempeval(void) {
    const char *ref = "1998-03-05";
    expect("then about 5 1/2 hours in Nairobi", ref, "about 5 1/2 hours", "DURATION", "PT5H30M", "", "", 0);
    expect("camps for 2 1/2 years.", ref, "2 1/2 years", "DURATION", "P2Y6M", "", "", 0);
    expect("it took a minute and a half to", ref, "a minute and a half", "DURATION", "PT1M30S", "", "", 0);
    expect("in the last twenty four hours", ref, "the last twenty four hours", "DURATION", "PT24H", "", "", 0);
    expect("Just over an hour later, he died", ref, "Just over an hour", "DURATION", "PT1H", "", "", 0);
    expect("was shot to death last Oct. 23 at his home", "1999-04-19", "last Oct. 23", "DATE", "1998-10-23", NULL, NULL,
           TLY_TX_RELATIVE);
    expect("Sales for the year rose", "1989-11-02", "the year", "DATE", "1989", "1989-01-01", "1989-12-31", 0);
    expect("revenue for the year ended March 31", "1989-11-02", "the year", "DURATION", "P1Y", "", "", 0);
    expect("by the year two thousand", ref, "the year two thousand", "DATE", "2000", NULL, NULL, 0);
    expect("in the weeks before the shooting", ref, "the weeks", "DURATION", "PXW", "", "", 0);
    expect("in coming years", ref, "coming years", "DURATION", "PXY", "", "", 0);
    expect("net rose in the third quarter. A year ago, it lost", "1989-11-02", "A year ago", "DATE", "1988-Q3", NULL, NULL, 0);
    expect_none("page 1/2 of the report", ref, "1/2", 0);
}

static void test_negative(void) {
    const char *ref = "2020-11-10";
    expect_none("16-year-old civilian Shahmali Rahimov died", ref, "16-year-old", 1);
    expect_none("26 civilians were killed, 143 injured", ref, "26 civilians", 0);
    expect_none("at least 5 people died", ref, "5 people", 0);
    expect_none("On 32 October rockets fell", ref, "32 October", 0);
    expect_none("On 31 September rockets fell", ref, "31 September", 0);
    expect_none("case number 2882015 was opened", ref, "2882015", 0);
    expect_none("  08 October 2020    Read: 750\n", ref, "750", 0);
    expect_none("more than 2000 people fled", ref, "2000", 0);
    expect_none("it cost $2020 in total", ref, "2020", 0);
    expect_none("a population of 1,700 people", ref, "1,700", 0);
    expect_none("He may come later", ref, "may", 0);
    expect_none("about 1990 soldiers", ref, "1990", 0);
    expect("# 16:29\n4 October 2020\n", ref, "16:29", "TIME", NULL, "", "", 0);
    expect("# 16:29\n4 October 2020\n", ref, "4 October 2020", "DATE", "2020-10-04", NULL, NULL, 0);
}

static void test_dateline(void) {
    expect_dateline("NGOs of Azerbaijan issue a statement\n\n  08 October 2020    Read: 750\n  NGOs of Azerbaijan\n\nThe NGOs said on 5 October 2020 that",
                    "2020-10-08");
    expect_dateline("Azerbaijani NGOs appeal\n\n# 16:29\n4 October 2020\n\nAzerbaijani NGOs have appealed", "2020-10-04");
    expect_dateline("KYIV, Ukraine, March 3 (AP) \xe2\x80\x94 Russian forces shelled", "0000-03-03");
    expect_dateline("Shelling continues\nMon 5 Oct 2020 14.05 BST\nLast modified on Mon 5 Oct 2020 15.00 BST\n", "2020-10-05");
    expect_dateline("A long story that mentions 5 October 2020 in a sentence and nothing else.", "");
}

static void test_latest(void) {
    checks++;
    const char *t = "since 05 October 2020 and in his letter dated 9 November 2020 and in 2021 and on October 30";
    tly_arena a;
    tly_arena_init(&a, NULL);
    tally_date d = {0, 0, 0};
    int ok = tly_timex_latest_full_date(R, &a, t, strlen(t), &d);
    if (!ok || d.year != 2020 || d.month != 11 || d.day != 9) {
        failures++;
        printf("FAIL latest full date: got %d %04d-%02d-%02d\n", ok, d.year, d.month, d.day);
    }
    tly_arena_free(&a);
}

static void test_hostile(void) {
    size_t n = (size_t)1 << 20;
    char *big = malloc(n + 1);
    if (!big) return;
    const char *inputs[] = {"word ", "2020 ", "1234567890123456789012345678901234567890 ", "32 October ",
                            "2882015 ", "May ", "5th, ", "the past ", "- ", ":", "10:", "\xe2\x80\x94", "'", "a"};
    for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
        checks++;
        size_t l = strlen(inputs[k]);
        for (size_t i = 0; i < n; i++) big[i] = inputs[k][i % l];
        big[n] = 0;
        tly_arena a;
        tly_arena_init(&a, NULL);
        tly_timex *x;
        size_t nx;
        clock_t t0 = clock();
        int rc = tly_timex_tag(R, &a, big, n, D("2020-10-08"), &x, &nx);
        double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (rc) { failures++; printf("FAIL hostile \"%s\": out of memory\n", inputs[k]); }
        if (sec > 20) { failures++; printf("FAIL hostile \"%s\": %.1f s for 1 MB\n", inputs[k], sec); }
        for (size_t i = 1; i < nx; i++)
            if (x[i].pub.start < x[i - 1].pub.end) { failures++; printf("FAIL hostile \"%s\": overlap\n", inputs[k]); break; }
        tally_date d;
        tly_timex_dateline(R, big, n, &d);
        tly_timex_latest_full_date(R, &a, big, n, &d);
        tly_arena_free(&a);
    }
    /* a 40-digit number next to a month, empty and tiny inputs */
    expect_none("On 1234567890123456789012345678901234567890 October", "2020-10-08", "1234567890", 0);
    tly_arena a;
    tly_arena_init(&a, NULL);
    tly_timex *x;
    size_t nx;
    tly_timex_tag(R, &a, "", 0, D(""), &x, &nx);
    tly_timex_tag(R, &a, "October 4", 9, D(""), &x, &nx);
    tly_arena_free(&a);
    free(big);
}

int main(void) {
    tally_error err;
    const char *dir = getenv("TALLY_SOURCE_DIR");
    char path[4096];
    const char *data_dir = NULL;
    if (dir && getenv("TIMEX_TEST_DATA_DIR")) { snprintf(path, sizeof path, "%s/data", dir); data_dir = path; }
    R = tly_timex_rules_load(data_dir, "en", NULL, &err);
    if (!R) { printf("FAIL cannot load the rules: %s\n", err.message); return 1; }
    test_absolute();
    test_relative();
    test_yearless();
    test_flags();
    test_fallback();
    test_tempeval();
    test_negative();
    test_dateline();
    test_latest();
    test_hostile();
    tly_timex_rules_free(R);
    printf("test_timex: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
