/* days.c -- calendar-day arithmetic for the ledger (proleptic Gregorian). */
#include "store/ops.h"
#include "util/calendar.h"
#include <stdio.h>
#include <string.h>

static int month_days(int y, int m) {
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return n[m - 1];
}

static void fmt(char out[11], int y, int m, int d) {
    if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;
    if (m < 1 || m > 12) m = 1;
    if (d < 1 || d > 31) d = 1;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

int tly_date_bounds(tally_date d, char first[11], char last[11]) {
    first[0] = last[0] = 0;
    if (d.year <= 0) return 0;
    if (d.month < 1 || d.month > 12) { fmt(first, d.year, 1, 1); fmt(last, d.year, 12, 31); return 1; }
    int md = month_days(d.year, d.month);
    if (d.day < 1 || d.day > md) { fmt(first, d.year, d.month, 1); fmt(last, d.year, d.month, md); return 1; }
    fmt(first, d.year, d.month, d.day);
    fmt(last, d.year, d.month, d.day);
    return 1;
}

int tly_day_add(const char *s, int n, char out[11]) {
    int y, m, d;
    out[0] = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
    if (m < 1 || m > 12 || d < 1 || d > 31) return 0;
    tly_civil_from_days(tly_days_from_civil(y, m, d) + n, &y, &m, &d);
    fmt(out, y, m, d);
    return 1;
}

static int day_number(const char *s, long *out) {
    int y, m, d;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3) return 0;
    if (m < 1 || m > 12 || d < 1 || d > 31) return 0;
    *out = (long)tly_days_from_civil(y, m, d);
    return 1;
}

long tly_day_diff(const char *a, const char *b) {
    long x, y;
    return day_number(a, &x) && day_number(b, &y) ? y - x : 0;
}
