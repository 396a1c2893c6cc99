/* test_langid.c -- tally_language_detect: one sentence per language, written
 * for this test, and the cases where it must say "und". */
#include "tally.h"
#include <stdio.h>
#include <string.h>

static int failures;

static void expect(const char *want, const char *text) {
    double conf = -1;
    const char *got = tally_language_detect(text, strlen(text), &conf);
    if (strcmp(got, want) != 0) {
        failures++;
        fprintf(stderr, "FAIL: want %s, got %s (%.2f): %s\n", want, got, conf, text);
    }
    if (conf < 0 || conf > 1) { failures++; fprintf(stderr, "FAIL: confidence %.2f out of 0..1\n", conf); }
}

int main(void) {
    expect("en", "Shelling killed two civilians in the town on Monday, the ministry said in a statement.");
    expect("ru", "В результате обстрела погибли 14 мирных жителей, сообщил омбудсмен.");
    expect("uk", "Внаслідок обстрілу загинули 14 мирних жителів, повідомив голова області.");
    expect("fr", "Les frappes ont tué quatorze civils dans la ville, selon le ministère de la santé.");
    expect("es", "Los ataques mataron a catorce civiles en la ciudad, según el ministerio.");
    expect("de", "Bei dem Angriff auf die Stadt wurden nach Angaben der Behörden 14 Zivilisten getötet.");
    expect("ar", "قتل أربعة عشر مدنيا في القصف على المدينة بعد الظهر");
    expect("az", "Ermənistan silahlı qüvvələri tərəfindən atəşə tutulub və 3 nəfər həlak olub.");
    expect("hy", "Հայաստանի պաշտպանության նախարարությունը հայտնել է");
    expect("ka", "საქართველოს თავდაცვის სამინისტრო");
    expect("und", "");
    expect("und", "12345 -- 678");
    expect("und", "Rockets.");
    return failures ? 1 : 0;
}
