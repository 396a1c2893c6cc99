/* calendar.h -- day arithmetic on the proleptic Gregorian calendar, shared by
 * the temporal tagger and the ledger. Days count from 1970-01-01 (day 0). */
#ifndef TLY_CALENDAR_H
#define TLY_CALENDAR_H
#include <stdint.h>

int64_t tly_days_from_civil(int y, int m, int d);
void tly_civil_from_days(int64_t z, int *y, int *m, int *d);
#endif
