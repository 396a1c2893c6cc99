/* test_lexicon_data.c -- checks the hand-written lexicons of data/en/:
 * actors.tsv, roles.tsv, weapons.tsv and anaphors.tsv (docs/lexicons.md).
 *
 * Stand-alone (only the C standard library), so it also builds on its own:
 *   gcc -std=c17 -Wall -Wextra -Werror tests/unit/test_lexicon_data.c -o /tmp/tld
 *   TALLY_SOURCE_DIR=/path/to/tally /tmp/tld
 * The files are read from $TALLY_SOURCE_DIR/data/en/ (default "."). Every
 * problem is printed as FILE:LINE: message; the exit status is 0 when there
 * is none and 1 otherwise.
 *
 * What is checked:
 *   - the file is UTF-8, with LF line ends, and ends with a newline;
 *   - every data line has exactly the file's number of TAB-separated columns,
 *     no empty field ('-' is empty), no space at either end of a field or of a
 *     '|' list item, no empty list item, no double space, no curly quote;
 *   - kinds, weapon classes, priorities, perpetrator_ok, sides (ISO 3166-1
 *     alpha-2, "ng:XX" lists, '-') are from the allowed sets, and each kind
 *     has the sides it may have;
 *   - a person has a speaks_for, which is another actor's canonical (with the
 *     same side) or a roles.tsv expansion for a country of the person's side;
 *     nobody else has one;
 *   - templates hold exactly one of {country} and {demonym};
 *   - anaphor targets are kinds, or one name:WORD that some canonical or
 *     template contains;
 *   - phrases, compared as the matcher sees them (folded tokens), are unique:
 *     no alias names two actors, no role/weapon phrase is in two lines, none
 *     is the automatic plural of another line's phrase, no actor alias hides a
 *     role phrase or an anaphor, no alias repeats its own canonical;
 *   - aliases are at least 3 characters long (except UN, EU, AP), are not
 *     common English words listed in STOPWORDS, do not end in "'s" and hold
 *     no parentheses;
 *   - cues.tsv names only cue kinds of the one list TLY_CUE_KINDS
 *     (src/lex/lexicon.h), and every kind there has phrases in cues.tsv;
 *   - morphology.tsv holds plural rules: plural, strip ('-' or an ending),
 *     add (an ending), min_len (a length). */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ errors */
static int n_errors;
static const char *cur_file;

static void err(int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "data/en/%s:%d: ", cur_file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    n_errors++;
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* ------------------------------------------------------------------ sets */
static const char *const ACTOR_KINDS[] = {"state", "government", "office", "armed_forces",
                                          "armed_group", "ngo", "igo", "media", "person", NULL};
static const char *const ROLE_KINDS[] = {"government", "office", "armed_forces", "ngo",
                                         "igo", "media", "group", NULL};
static const char *const ANAPHOR_KINDS[] = {"state", "government", "office", "armed_forces",
                                            "armed_group", "ngo", "igo", "media", "group", "person", NULL};
static const char *const WEAPON_CLASSES[] = {"ballistic_missile", "mlrs", "rocket", "missile",
                                             "cluster_munition", "incendiary", "artillery",
                                             "airstrike", "drone", "small_arms", "explosive", NULL};
/* aliases shorter than 3 characters that are allowed */
static const char *const SHORT_OK[] = {"un", "eu", "ap", NULL};
/* single words that must not be an alias or a weapon phrase on their own:
 * common English words, and names that are mostly something else */
static const char *const STOPWORDS[] = {
    "who", "trend", "dawn", "memorial", "mail", "times", "independent", "guardian", "sun",
    "mirror", "observer", "national", "care", "spa", "pace", "app", "mag", "kia", "pdf", "sna",
    "hope", "report", "sky", "kan", "duma", "fars", "mehr", "lancet", "reaper", "predator",
    "tornado", "spike", "neptune", "taurus", "scalp", "heron", "switchblade", "javelin",
    "harpoon", "fire", "strike", "attack", "shot", "mine", "mines", "azov", "irrawaddy", "aa",
    "adf", "err", "plc", "prc", "iaf", "is", "isa", "it", "us", "an", "as", "at", "or", "rt",
    "pa", "ft", "dw", "the", "group", "agency", "ministry", "army", "forces", "military",
    "office", "government", "authorities", "police", "media", "politico", "civic", "grad",
    "saba", "wagner", "shell", "incendiary", "au", "amal", "ma'an", "bakhtar", NULL};

/* ISO 3166-1 alpha-2 codes (from the iso-codes package, 249 codes) */
static const char ISO2[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCL"
    "CMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGU"
    "GWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMC"
    "MDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPT"
    "PWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUA"
    "UGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/* Countries that role expansions in speaks_for may name, with the names the
 * gazetteer gives them ({country}) and their demonyms ({demonym}). Read from
 * data/places/countries.tsv when the source tree has it; this built-in list
 * (the countries people in actors.tsv speak for) is the fallback. */
typedef struct { const char *iso2, *name, *demonym; } country_t;
static const country_t BUILTIN_COUNTRIES[] = {
    {"AF", "Afghanistan", "Afghan"},     {"AM", "Armenia", "Armenian"},
    {"AZ", "Azerbaijan", "Azerbaijani"}, {"BF", "Burkina Faso", "Burkinabe"},
    {"BY", "Belarus", "Belarusian"},     {"CD", "Democratic Republic of the Congo", "Congolese"},
    {"CN", "China", "Chinese"},          {"CO", "Colombia", "Colombian"},
    {"DE", "Germany", "German"},         {"EG", "Egypt", "Egyptian"},
    {"ER", "Eritrea", "Eritrean"},       {"ET", "Ethiopia", "Ethiopian"},
    {"FR", "France", "French"},          {"GB", "United Kingdom", "British"},
    {"GE", "Georgia", "Georgian"},       {"IL", "Israel", "Israeli"},
    {"IN", "India", "Indian"},           {"IQ", "Iraq", "Iraqi"},
    {"IR", "Iran", "Iranian"},           {"KE", "Kenya", "Kenyan"},
    {"LB", "Lebanon", "Lebanese"},       {"LY", "Libya", "Libyan"},
    {"ML", "Mali", "Malian"},            {"MM", "Myanmar", "Burmese"},
    {"MX", "Mexico", "Mexican"},         {"NE", "Niger", "Nigerien"},
    {"NG", "Nigeria", "Nigerian"},       {"PK", "Pakistan", "Pakistani"},
    {"QA", "Qatar", "Qatari"},           {"RU", "Russia", "Russian"},
    {"RW", "Rwanda", "Rwandan"},         {"SA", "Saudi Arabia", "Saudi"},
    {"SD", "Sudan", "Sudanese"},         {"SO", "Somalia", "Somali"},
    {"SY", "Syria", "Syrian"},           {"TR", "Turkey", "Turkish"},
    {"UA", "Ukraine", "Ukrainian"},      {"UG", "Uganda", "Ugandan"},
    {"US", "United States", "American"}, {"YE", "Yemen", "Yemeni"},
    {NULL, NULL, NULL}};

static const country_t *COUNTRIES = BUILTIN_COUNTRIES;

static int in_set(const char *const *set, const char *s) {
    for (size_t i = 0; set[i]; i++)
        if (strcmp(set[i], s) == 0) return 1;
    return 0;
}

static int is_iso2(const char *s, size_t n) {
    if (n != 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1])) return 0;
    for (size_t i = 0; ISO2[i]; i += 2)
        if (ISO2[i] == s[0] && ISO2[i + 1] == s[1]) return 1;
    return 0;
}

/* ------------------------------------------------------------------ UTF-8 and folding */
/* Decodes one code point; returns its length, 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    if (n == 0) return 0;
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Latin letters with diacritics -> ASCII, as the library's folding does. */
static const char LATIN1[] = /* U+00C0..U+00FF */
    "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
static const char LATIN_EXT_A[] = /* U+0100..U+017F */
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSs"
    "TtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

static uint32_t fold_cp(uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 0xC0 && cp <= 0xFF && LATIN1[cp - 0xC0] != '*' && LATIN1[cp - 0xC0] != '/')
        return (uint32_t)tolower((unsigned char)LATIN1[cp - 0xC0]);
    if (cp >= 0x100 && cp <= 0x17F) return (uint32_t)tolower((unsigned char)LATIN_EXT_A[cp - 0x100]);
    if (cp == 0x18F || cp == 0x259) return 'a'; /* schwa (Azerbaijani) */
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) return '\'';
    if (cp == 0x201C || cp == 0x201D) return '"';
    if (cp >= 0x2010 && cp <= 0x2015) return '-';
    return cp;
}

static int is_letter_cp(uint32_t cp) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0x80;
}
static int is_digit_cp(uint32_t cp) { return cp >= '0' && cp <= '9'; }

static void put_cp(char *out, size_t *o, size_t cap, uint32_t cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) { b[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    for (size_t i = 0; i < n; i++)
        if (*o + 1 < cap) out[(*o)++] = b[i];
}

/* The key a phrase is matched by: folded tokens joined by one space.
 * Tokens: a run of letters (then digits: "tb2"), a run of digits with inner
 * ',' or '.' before a digit ("2,000"), or one other character. Returns the
 * number of tokens. */
static size_t phrase_key(const char *s, char *out, size_t cap) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, o = 0, ntok = 0;
    uint32_t cps[512];
    size_t ncp = 0;
    while (i < n && ncp < 512) {
        uint32_t cp;
        size_t l = utf8_decode(p + i, n - i, &cp);
        if (!l) { i++; continue; }
        cps[ncp++] = fold_cp(cp);
        i += l;
    }
    size_t k = 0;
    while (k < ncp) {
        uint32_t c = cps[k];
        if (c == ' ' || c == '\t' || c == 0xA0) { k++; continue; }
        if (ntok && o + 1 < cap) out[o++] = ' ';
        ntok++;
        if (is_letter_cp(c)) {
            while (k < ncp && is_letter_cp(cps[k])) put_cp(out, &o, cap, cps[k++]);
            while (k < ncp && is_digit_cp(cps[k])) put_cp(out, &o, cap, cps[k++]);
        } else if (is_digit_cp(c)) {
            while (k < ncp && (is_digit_cp(cps[k]) ||
                               ((cps[k] == ',' || cps[k] == '.') && k + 1 < ncp && is_digit_cp(cps[k + 1]))))
                put_cp(out, &o, cap, cps[k++]);
        } else {
            put_cp(out, &o, cap, cps[k++]);
        }
    }
    out[o < cap ? o : cap - 1] = 0;
    return ntok;
}

/* number of characters (code points) other than spaces and punctuation */
static size_t alnum_len(const char *s) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        if (*p >= 0x80 || isalnum(*p)) n++;
    }
    return n;
}

/* ------------------------------------------------------------------ phrase registry */
enum { SRC_ACTOR, SRC_ROLE, SRC_WEAPON, SRC_ANAPHOR };
static const char *const SRC_FILE[] = {"actors.tsv", "roles.tsv", "weapons.tsv", "anaphors.tsv"};

typedef struct {
    char *key;
    char *text;  /* as written */
    int src;     /* SRC_* */
    int row;     /* index of the entry in its file */
    int line;
    int plural;  /* the matcher also tries the plural of its last word */
} phrase_t;

typedef struct {
    phrase_t *v;
    size_t n, cap;
    int *slot;   /* open hash: key -> index + 1 */
    size_t nslot;
} registry_t;

static registry_t reg;

static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void reg_rehash(void) {
    size_t ns = reg.nslot ? reg.nslot * 2 : 4096;
    int *slots = xmalloc(ns * sizeof *slots);
    memset(slots, 0, ns * sizeof *slots);
    for (size_t i = 0; i < reg.n; i++) {
        size_t h = hash_str(reg.v[i].key) & (ns - 1);
        while (slots[h]) h = (h + 1) & (ns - 1);
        slots[h] = (int)i + 1;
    }
    free(reg.slot);
    reg.slot = slots;
    reg.nslot = ns;
}

/* every phrase with this key, through a callback-less iteration */
static size_t reg_find(const char *key, const phrase_t **out, size_t max) {
    size_t found = 0;
    if (!reg.nslot) return 0;
    size_t h = hash_str(key) & (reg.nslot - 1);
    while (reg.slot[h]) {
        const phrase_t *p = &reg.v[reg.slot[h] - 1];
        if (strcmp(p->key, key) == 0 && found < max) out[found++] = p;
        h = (h + 1) & (reg.nslot - 1);
    }
    return found;
}

static void reg_add(const char *key, const char *text, int src, int row, int line, int plural) {
    if (reg.n + 1 > reg.nslot / 2) reg_rehash();
    if (reg.n == reg.cap) {
        reg.cap = reg.cap ? reg.cap * 2 : 4096;
        phrase_t *nv = realloc(reg.v, reg.cap * sizeof *nv);
        if (!nv) { fprintf(stderr, "out of memory\n"); exit(2); }
        reg.v = nv;
    }
    phrase_t *p = &reg.v[reg.n];
    p->key = xstrdup(key);
    p->text = xstrdup(text);
    p->src = src;
    p->row = row;
    p->line = line;
    p->plural = plural;
    size_t h = hash_str(key) & (reg.nslot - 1);
    while (reg.slot[h]) h = (h + 1) & (reg.nslot - 1);
    reg.slot[h] = (int)reg.n + 1;
    reg.n++;
}

/* ------------------------------------------------------------------ file reading */
typedef struct {
    char **f;
    int nf;
    int line;
} row_t;

typedef struct {
    row_t *rows;
    size_t n;
} table_t;

static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (n < cap) break;
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) { fprintf(stderr, "out of memory\n"); exit(2); }
        buf = nb;
    }
    fclose(fp);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Checks a field (or a list item) for stray spaces and characters. */
static void check_text(int line, const char *what, const char *s) {
    size_t n = strlen(s);
    if (n == 0) { err(line, "%s is empty", what); return; }
    if (s[0] == ' ' || s[n - 1] == ' ') err(line, "%s \"%s\" has a space at an end", what, s);
    if (strstr(s, "  ")) err(line, "%s \"%s\" has a double space", what, s);
    if (strstr(s, "\xE2\x80\x98") || strstr(s, "\xE2\x80\x99") || strstr(s, "\xE2\x80\x9C") ||
        strstr(s, "\xE2\x80\x9D"))
        err(line, "%s \"%s\": write straight quotes", what, s);
}

static table_t load(const char *dir, const char *name, int ncols) {
    table_t t = {NULL, 0};
    char path[4096];
    snprintf(path, sizeof path, "%s/data/en/%s", dir, name);
    cur_file = name;
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) {
        fprintf(stderr, "%s: cannot read\n", path);
        n_errors++;
        return t;
    }
    if (len == 0 || buf[len - 1] != '\n') err(0, "the file does not end with a newline");
    size_t cap = 0, i = 0;
    int line = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && buf[j] != '\n') j++;
        line++;
        char *l = buf + i;
        buf[j] = 0;
        i = j + 1;
        size_t ll = strlen(l);
        for (size_t k = 0; k < ll;) {
            uint32_t cp;
            size_t cl = utf8_decode((const unsigned char *)l + k, ll - k, &cp);
            if (!cl) { err(line, "invalid UTF-8 at byte %zu", k + 1); break; }
            if (cp == '\r') { err(line, "carriage return: use LF line ends"); break; }
            k += cl;
        }
        if (ll == 0 || l[0] == '#') continue;
        if (l[ll - 1] == ' ' || l[ll - 1] == '\t') err(line, "trailing whitespace");
        int blank = 1;
        for (size_t k = 0; k < ll; k++)
            if (l[k] != ' ' && l[k] != '\t') blank = 0;
        if (blank) { err(line, "a line of only spaces: leave it empty"); continue; }
        row_t r;
        r.line = line;
        r.nf = 1;
        for (size_t k = 0; k < ll; k++)
            if (l[k] == '\t') r.nf++;
        r.f = xmalloc((size_t)r.nf * sizeof *r.f);
        int fi = 0;
        r.f[fi++] = l;
        for (size_t k = 0; k < ll; k++)
            if (l[k] == '\t') { l[k] = 0; r.f[fi++] = l + k + 1; }
        if (r.nf != ncols) {
            err(line, "%d columns, expected %d", r.nf, ncols);
            free(r.f);
            continue;
        }
        for (int k = 0; k < r.nf; k++) check_text(line, "a field", r.f[k]);
        if (t.n == cap) {
            cap = cap ? cap * 2 : 256;
            row_t *nr = realloc(t.rows, cap * sizeof *nr);
            if (!nr) { fprintf(stderr, "out of memory\n"); exit(2); }
            t.rows = nr;
        }
        t.rows[t.n++] = r;
    }
    return t;
}

/* Splits a '|' list in place (the field is not used afterwards as a whole). */
static size_t split_list(char *s, char **items, size_t max) {
    size_t n = 0;
    char *p = s;
    for (;;) {
        char *q = strchr(p, '|');
        if (q) *q = 0;
        if (n < max) items[n++] = p;
        if (!q) break;
        p = q + 1;
    }
    return n;
}

static int is_stopword(const char *key) { return in_set(STOPWORDS, key); }

/* Registers one phrase of src/row after the per-phrase checks. */
static void add_phrase(const char *text, int src, int row, int line, int plural, int is_alias) {
    char key[1024];
    size_t ntok = phrase_key(text, key, sizeof key);
    if (ntok == 0) { err(line, "phrase \"%s\" has no token", text); return; }
    if (ntok > 24) err(line, "phrase \"%s\" has more than 24 tokens", text);
    if (is_alias) {
        char an[16];
        size_t al = 0;
        for (const char *c = text; *c && al + 1 < sizeof an; c++)
            if (isalnum((unsigned char)*c)) an[al++] = (char)tolower((unsigned char)*c);
        an[al] = 0;
        if (alnum_len(text) < 3 && !in_set(SHORT_OK, an))
            err(line, "alias \"%s\" is shorter than 3 characters (allowed: UN, EU, AP)", text);
        size_t kl = strlen(key);
        if (kl >= 4 && strcmp(key + kl - 4, " ' s") == 0)
            err(line, "alias \"%s\" ends in 's: the name before it already matches", text);
        if (strchr(text, '(') || strchr(text, ')'))
            err(line, "alias \"%s\" has parentheses: texts rarely write them so", text);
    }
    if ((src == SRC_ACTOR || src == SRC_WEAPON) && ntok == 1 && is_stopword(key))
        err(line, "\"%s\" is a common word or mostly names something else: not a phrase on its own", text);
    const phrase_t *same[16];
    size_t ns = reg_find(key, same, 16);
    for (size_t k = 0; k < ns; k++) {
        const phrase_t *o = same[k];
        if (o->src == src && o->row == row) {
            err(line, "\"%s\" repeats \"%s\" of the same entry", text, o->text);
            return;
        }
        if (o->src == src) {
            err(line, "\"%s\" is also in line %d (\"%s\")", text, o->line, o->text);
            return;
        }
    }
    reg_add(key, text, src, row, line, plural);
}

/* ------------------------------------------------------------------ countries */
/* Reads data/places/countries.tsv (iso2, name, alt_names, demonyms, ...) when
 * it exists; keeps the built-in list otherwise. */
static void load_countries(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/data/places/countries.tsv", dir);
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) return;
    size_t n = 1;
    for (size_t i = 0; i < len; i++) n += buf[i] == '\n';
    country_t *v = xmalloc((n + 1) * sizeof *v);
    size_t k = 0;
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char *f[4] = {line, NULL, NULL, NULL};
        int nf = 1;
        for (char *p = line; *p && nf < 4; p++)
            if (*p == '\t') { *p = 0; f[nf++] = p + 1; }
        if (line[0] != '#' && nf == 4 && is_iso2(f[0], strlen(f[0]))) {
            char *tab = strchr(f[3], '\t');
            if (tab) *tab = 0;
            v[k].iso2 = f[0];
            v[k].name = f[1];
            v[k].demonym = f[3];
            k++;
        }
        line = nl ? nl + 1 : NULL;
    }
    v[k].iso2 = v[k].name = v[k].demonym = NULL;
    if (k) COUNTRIES = v;
}

/* ------------------------------------------------------------------ roles */
typedef struct {
    char *tpl;  /* canonical template */
    char *kind;
} role_t;
static role_t *roles;
static size_t nroles;

/* Does `name` expand some template? Writes the country's ISO2 code to iso2. */
static int role_expansion(const char *name, const char **iso2) {
    for (size_t r = 0; r < nroles; r++) {
        const char *t = roles[r].tpl;
        const char *ph = strstr(t, "{country}");
        int dem = 0;
        if (!ph) { ph = strstr(t, "{demonym}"); dem = 1; }
        if (!ph) continue;
        size_t pre = (size_t)(ph - t), phl = strlen(dem ? "{demonym}" : "{country}");
        const char *suf = ph + phl;
        size_t sl = strlen(suf), nl = strlen(name);
        if (nl <= pre + sl || strncmp(name, t, pre) != 0 || strcmp(name + nl - sl, suf) != 0) continue;
        char mid[256];
        size_t ml = nl - pre - sl;
        if (ml >= sizeof mid) continue;
        memcpy(mid, name + pre, ml);
        mid[ml] = 0;
        for (const country_t *c = COUNTRIES; c->iso2; c++) {
            if (!dem) {
                if (strcmp(c->name, mid) == 0) { *iso2 = c->iso2; return 1; }
                continue;
            }
            for (const char *p = c->demonym; *p;) { /* a '|' list */
                const char *q = strchr(p, '|');
                size_t l = q ? (size_t)(q - p) : strlen(p);
                if (l == ml && strncmp(p, mid, l) == 0) { *iso2 = c->iso2; return 1; }
                p += l;
                if (*p == '|') p++;
            }
        }
    }
    return 0;
}

static void check_roles(const char *dir) {
    table_t t = load(dir, "roles.tsv", 4);
    roles = xmalloc(t.n * sizeof *roles);
    for (size_t i = 0; i < t.n; i++) {
        row_t *r = &t.rows[i];
        const char *tpl = r->f[1], *kind = r->f[2], *perp = r->f[3];
        int c = strstr(tpl, "{country}") != NULL, d = strstr(tpl, "{demonym}") != NULL;
        size_t braces = 0;
        for (const char *p = tpl; *p; p++) braces += (*p == '{' || *p == '}');
        if (c + d != 1 || braces != 2)
            err(r->line, "template \"%s\" must hold exactly one {country} or {demonym}", tpl);
        if (!in_set(ROLE_KINDS, kind)) err(r->line, "unknown role kind \"%s\"", kind);
        if (strcmp(perp, "0") != 0 && strcmp(perp, "1") != 0)
            err(r->line, "perpetrator_ok must be 0 or 1, not \"%s\"", perp);
        for (size_t k = 0; k < nroles; k++)
            if (strcmp(roles[k].tpl, tpl) == 0) err(r->line, "template \"%s\" is in two lines", tpl);
        roles[nroles].tpl = xstrdup(tpl);
        roles[nroles].kind = xstrdup(kind);
        nroles++;
        char *items[256];
        size_t n = split_list(r->f[0], items, 256);
        for (size_t k = 0; k < n; k++) {
            check_text(r->line, "a role phrase", items[k]);
            if (!items[k][0] || strcmp(items[k], "-") == 0) continue;
            add_phrase(items[k], SRC_ROLE, (int)i, r->line, 1, 0);
        }
    }
}

/* ------------------------------------------------------------------ actors */
typedef struct {
    char *canonical, *kind, *side, *speaks_for;
    int line;
} actor_t;
static actor_t *actors;
static size_t nactors;

static const actor_t *find_actor(const char *canonical) {
    for (size_t i = 0; i < nactors; i++)
        if (strcmp(actors[i].canonical, canonical) == 0) return &actors[i];
    return NULL;
}

/* "-", "XX" or "ng:XX|ng:YY..." */
static int side_ok(int line, const char *side, int *is_ng) {
    *is_ng = 0;
    if (strcmp(side, "-") == 0) return 1;
    if (strncmp(side, "ng:", 3) != 0) {
        if (!is_iso2(side, strlen(side))) { err(line, "side \"%s\" is not an ISO 3166-1 alpha-2 code", side); return 0; }
        return 1;
    }
    *is_ng = 1;
    const char *p = side;
    int count = 0;
    while (*p) {
        const char *q = strchr(p, '|');
        size_t l = q ? (size_t)(q - p) : strlen(p);
        if (l != 5 || strncmp(p, "ng:", 3) != 0 || !is_iso2(p + 3, 2)) {
            err(line, "side \"%s\": each item must be ng:XX with XX an ISO 3166-1 alpha-2 code", side);
            return 0;
        }
        for (const char *o = side; o < p; o += 6)
            if (strncmp(o, p, 5) == 0) err(line, "side \"%s\" names %.5s twice", side, p);
        count++;
        p += l;
        if (*p == '|') p++;
    }
    return count > 0;
}

static void check_actors(const char *dir) {
    table_t t = load(dir, "actors.tsv", 5);
    actors = xmalloc(t.n * sizeof *actors);
    for (size_t i = 0; i < t.n; i++) {
        row_t *r = &t.rows[i];
        actor_t a = {r->f[0], r->f[1], r->f[2], r->f[3], r->line};
        if (find_actor(a.canonical)) err(r->line, "canonical \"%s\" is listed twice", a.canonical);
        actors[nactors++] = a;
        if (!in_set(ACTOR_KINDS, a.kind)) err(r->line, "unknown actor kind \"%s\"", a.kind);
        int ng = 0;
        if (side_ok(r->line, a.side, &ng)) {
            int state_organ = !strcmp(a.kind, "state") || !strcmp(a.kind, "government") ||
                              !strcmp(a.kind, "office") || !strcmp(a.kind, "armed_forces");
            if (state_organ && !strcmp(a.side, "-"))
                err(r->line, "a %s needs a side (ISO2, or ng:XX for a de facto authority)", a.kind);
            if (!strcmp(a.kind, "state") && ng) err(r->line, "a state's side is its ISO2 code");
            if (!strcmp(a.kind, "armed_group") && !ng)
                err(r->line, "an armed_group's side is ng:XX (the country or countries it operates in)");
            if (!strcmp(a.kind, "igo") && strcmp(a.side, "-") != 0)
                err(r->line, "an igo's side is '-'");
        }
        if (!strcmp(a.kind, "person")) {
            if (!strcmp(a.speaks_for, "-")) err(r->line, "person \"%s\" has no speaks_for", a.canonical);
        } else if (strcmp(a.speaks_for, "-") != 0) {
            err(r->line, "only a person has a speaks_for");
        }
        add_phrase(a.canonical, SRC_ACTOR, (int)i, r->line, 0, 0);
        if (strcmp(r->f[4], "-") != 0) {
            char *items[256];
            size_t n = split_list(r->f[4], items, 256);
            for (size_t k = 0; k < n; k++) {
                check_text(r->line, "an alias", items[k]);
                if (!items[k][0]) continue;
                if (strcmp(items[k], "-") == 0) { err(r->line, "'-' inside an alias list"); continue; }
                add_phrase(items[k], SRC_ACTOR, (int)i, r->line, 0, 1);
            }
        }
    }
    /* speaks_for, once every canonical is known */
    for (size_t i = 0; i < nactors; i++) {
        const actor_t *a = &actors[i];
        if (strcmp(a->kind, "person") != 0 || !strcmp(a->speaks_for, "-")) continue;
        cur_file = "actors.tsv";
        const actor_t *o = find_actor(a->speaks_for);
        const char *iso2 = NULL;
        if (o) {
            if (!strcmp(o->kind, "person"))
                err(a->line, "\"%s\" speaks for a person (\"%s\")", a->canonical, o->canonical);
            else if (strcmp(o->side, a->side) != 0)
                err(a->line, "\"%s\" has side %s but speaks for \"%s\" of side %s", a->canonical,
                    a->side, o->canonical, o->side);
        } else if (role_expansion(a->speaks_for, &iso2)) {
            if (strcmp(iso2, a->side) != 0)
                err(a->line, "\"%s\" has side %s but speaks for \"%s\" (%s)", a->canonical, a->side,
                    a->speaks_for, iso2);
        } else {
            err(a->line, "speaks_for \"%s\" is neither an actor nor a roles.tsv expansion", a->speaks_for);
        }
    }
}

/* ------------------------------------------------------------------ weapons */
static void check_weapons(const char *dir) {
    table_t t = load(dir, "weapons.tsv", 4);
    for (size_t i = 0; i < t.n; i++) {
        row_t *r = &t.rows[i];
        const char *cls = r->f[1], *name = r->f[2], *prio = r->f[3];
        if (!in_set(WEAPON_CLASSES, cls)) err(r->line, "unknown weapon class \"%s\"", cls);
        int p = (strlen(prio) == 1 && prio[0] >= '1' && prio[0] <= '3') ? prio[0] - '0' : 0;
        if (!p) err(r->line, "priority must be 1, 2 or 3, not \"%s\"", prio);
        else if (p == 3 && !strcmp(name, "-")) err(r->line, "priority 3 is for a named system: give its name");
        else if (p < 3 && strcmp(name, "-") != 0) err(r->line, "a named system (\"%s\") has priority 3", name);
        char *items[256];
        size_t n = split_list(r->f[0], items, 256);
        for (size_t k = 0; k < n; k++) {
            check_text(r->line, "a weapon phrase", items[k]);
            if (!items[k][0] || strcmp(items[k], "-") == 0) continue;
            add_phrase(items[k], SRC_WEAPON, (int)i, r->line, 1, 0);
        }
    }
}

/* ------------------------------------------------------------------ anaphors */
static int word_in_names(const char *w) {
    for (size_t i = 0; i < nactors; i++)
        if (strstr(actors[i].canonical, w)) return 1;
    for (size_t i = 0; i < nroles; i++)
        if (strstr(roles[i].tpl, w)) return 1;
    return 0;
}

static void check_anaphors(const char *dir) {
    table_t t = load(dir, "anaphors.tsv", 2);
    for (size_t i = 0; i < t.n; i++) {
        row_t *r = &t.rows[i];
        const char *to = r->f[1];
        if (!strncmp(to, "name:", 5)) {
            if (strchr(to, '|')) err(r->line, "name:WORD stands alone (no '|' list)");
            else if (!to[5]) err(r->line, "name: without a word");
            else if (!word_in_names(to + 5))
                err(r->line, "no canonical name or template contains \"%s\"", to + 5);
        } else {
            char buf[512];
            snprintf(buf, sizeof buf, "%s", to);
            char *items[32];
            size_t n = split_list(buf, items, 32);
            for (size_t k = 0; k < n; k++)
                if (!in_set(ANAPHOR_KINDS, items[k]))
                    err(r->line, "refers_to \"%s\" is not a kind (or use a single name:WORD)", items[k]);
        }
        char *items[256];
        size_t n = split_list(r->f[0], items, 256);
        for (size_t k = 0; k < n; k++) {
            check_text(r->line, "an anaphor phrase", items[k]);
            if (!items[k][0] || strcmp(items[k], "-") == 0) continue;
            add_phrase(items[k], SRC_ANAPHOR, (int)i, r->line, 0, 0);
        }
    }
}

/* ------------------------------------------------------------------ cross checks */
static void cross_checks(void) {
    char buf[1100];
    for (size_t i = 0; i < reg.n; i++) {
        const phrase_t *p = &reg.v[i];
        const phrase_t *same[16];
        size_t ns = reg_find(p->key, same, 16);
        for (size_t k = 0; k < ns; k++) {
            const phrase_t *o = same[k];
            if (o == p || o->src == p->src || o > p) continue;
            cur_file = SRC_FILE[p->src];
            if ((o->src == SRC_ACTOR && p->src == SRC_ROLE) || (o->src == SRC_ACTOR && p->src == SRC_ANAPHOR))
                err(p->line, "\"%s\" is also an actor alias (actors.tsv:%d), which is matched first and hides it",
                    p->text, o->line);
            else if (o->src == SRC_ACTOR && p->src == SRC_WEAPON)
                err(p->line, "\"%s\" is also an actor alias (actors.tsv:%d)", p->text, o->line);
            else if (o->src == SRC_ROLE && p->src == SRC_WEAPON)
                err(p->line, "\"%s\" is also a role phrase (roles.tsv:%d)", p->text, o->line);
        }
        /* the automatic plural of a role or weapon phrase must not be another line's phrase */
        if (!p->plural) continue;
        size_t kl = strlen(p->key);
        const char *last = strrchr(p->key, ' ');
        last = last ? last + 1 : p->key;
        if (!isalpha((unsigned char)*last)) continue;
        const char *sfx[3] = {"s", "es", NULL};
        char ies[1100];
        ies[0] = 0;
        if (kl > 1 && p->key[kl - 1] == 'y') {
            snprintf(ies, sizeof ies, "%.*sies", (int)(kl - 1), p->key);
        }
        for (int s = 0; s < 3; s++) {
            if (s < 2) snprintf(buf, sizeof buf, "%s%s", p->key, sfx[s]);
            else if (ies[0]) snprintf(buf, sizeof buf, "%s", ies);
            else continue;
            ns = reg_find(buf, same, 16);
            for (size_t k = 0; k < ns; k++) {
                const phrase_t *o = same[k];
                if (o->src != p->src || o->row == p->row) continue;
                cur_file = SRC_FILE[o->src];
                err(o->line, "\"%s\" is the automatic plural of \"%s\" (line %d), which has another meaning",
                    o->text, p->text, p->line);
            }
        }
    }
}

/* This checker keeps every table it loads until it exits (the checks cross-refer
 * between files); under LeakSanitizer that is not a leak worth reporting. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "detect_leaks=0"; }

/* ------------------------------------------------------------------ cues, morphology */
/* The names of the cue kinds: every X(ID, "name") of TLY_CUE_KINDS and the
 * lists it includes (the #defines named TLY_CUE_KINDS...) in lexicon.h. */
static size_t cue_kinds(const char *dir, char names[][32], size_t max) {
    char path[4096];
    snprintf(path, sizeof path, "%s/src/lex/lexicon.h", dir);
    size_t len, n = 0;
    char *h = read_file(path, &len);
    if (!h) { fprintf(stderr, "%s: cannot read\n", path); n_errors++; return 0; }
    for (char *d = strstr(h, "#define TLY_CUE_KINDS"); d; d = strstr(d + 1, "#define TLY_CUE_KINDS")) {
        char *end = d;
        while ((end = strchr(end, '\n')) && end[-1] == '\\') end++; /* the macro's continued lines */
        for (char *x = strstr(d, "X("); x && (!end || x < end); x = strstr(x + 2, "X(")) {
            char *q = strchr(x, '"'), *q2 = q ? strchr(q + 1, '"') : NULL;
            if (!q2 || (end && q2 > end) || q2 - q - 1 >= 32 || n == max) continue;
            memcpy(names[n], q + 1, (size_t)(q2 - q - 1));
            names[n++][q2 - q - 1] = 0;
        }
    }
    free(h);
    return n;
}

static void check_cues(const char *dir) {
    static char names[128][32]; /* both lists: content and function kinds */
    size_t n = cue_kinds(dir, names, 128);
    int used[128] = {0};
    table_t t = load(dir, "cues.tsv", 2);
    for (size_t r = 0; r < t.n; r++) {
        size_t k = 0;
        while (k < n && strcmp(names[k], t.rows[r].f[1])) k++;
        if (k == n) err(t.rows[r].line, "cue kind \"%s\" is not in TLY_CUE_KINDS (src/lex/lexicon.h)", t.rows[r].f[1]);
        else used[k] = 1;
    }
    for (size_t k = 0; k < n; k++)
        if (!used[k]) err(0, "cue kind \"%s\" of TLY_CUE_KINDS has no phrases", names[k]);
}

static void check_morphology(const char *dir) {
    table_t t = load(dir, "morphology.tsv", 4);
    if (!t.n) err(0, "no plural rule");
    for (size_t r = 0; r < t.n; r++) {
        char **f = t.rows[r].f;
        int ml = atoi(f[3]);
        if (strcmp(f[0], "plural")) err(t.rows[r].line, "unknown rule \"%s\" (plural)", f[0]);
        if (strlen(f[1]) > 7 || strlen(f[2]) > 7 || !strcmp(f[2], "-")) err(t.rows[r].line, "strip and add are endings of 1-7 bytes");
        if (ml < 1 || ml > 64) err(t.rows[r].line, "min_len %s: a length from 1 to 64", f[3]);
    }
}

int main(void) {
    const char *dir = getenv("TALLY_SOURCE_DIR");
    if (!dir || !*dir) dir = ".";
    check_cues(dir);
    check_morphology(dir);
    load_countries(dir);
    check_roles(dir);     /* first: speaks_for may name a role expansion */
    check_actors(dir);
    check_weapons(dir);
    check_anaphors(dir);
    cross_checks();
    size_t counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < reg.n; i++) counts[reg.v[i].src]++;
    if (n_errors) {
        fprintf(stderr, "test_lexicon_data: %d problem%s\n", n_errors, n_errors == 1 ? "" : "s");
        return 1;
    }
    printf("test_lexicon_data: ok: %zu actors (%zu phrases), %zu roles (%zu phrases), "
           "%zu weapon phrases, %zu anaphor phrases\n",
           nactors, counts[SRC_ACTOR], nroles, counts[SRC_ROLE], counts[SRC_WEAPON], counts[SRC_ANAPHOR]);
    return 0;
}
