#!/usr/bin/env python3
"""Writes data/places/country_codes.tsv: for every ISO 3166-1 country, its
alpha-3 and numeric codes (from Debian's iso-codes package,
/usr/share/iso-codes/json/iso_3166-1.json), its Gleditsch-Ward state number
(the country_id of UCDP GED) and its ACLED region, for the codebook exports.

    python3 scripts/country-codes.py > data/places/country_codes.tsv

The Gleditsch-Ward numbers and ACLED regions are general facts listed below
(a country missing from the GW list has none: UCDP codes no events there, or
codes them to the state it belongs to); the ACLED regions follow ACLED's
codebook region names by UN M49 sub-region."""
import json
import sys

GW = {  # ISO2 -> Gleditsch & Ward (1999) state number
    "US": 2, "CA": 20, "BS": 31, "CU": 40, "HT": 41, "DO": 42, "JM": 51, "TT": 52, "BB": 53,
    "MX": 70, "BZ": 80, "GT": 90, "HN": 91, "SV": 92, "NI": 93, "CR": 94, "PA": 95,
    "CO": 100, "VE": 101, "GY": 110, "SR": 115, "EC": 130, "PE": 135, "BR": 140, "BO": 145,
    "PY": 150, "CL": 155, "AR": 160, "UY": 165, "GB": 200, "IE": 205, "NL": 210, "BE": 211,
    "LU": 212, "FR": 220, "CH": 225, "ES": 230, "PT": 235, "DE": 260, "PL": 290, "AT": 305,
    "HU": 310, "CZ": 316, "SK": 317, "IT": 325, "MT": 338, "AL": 339, "ME": 341, "MK": 343,
    "HR": 344, "RS": 340, "BA": 346, "XK": 347, "SI": 349, "GR": 350, "CY": 352, "BG": 355,
    "MD": 359, "RO": 360, "RU": 365, "EE": 366, "LV": 367, "LT": 368, "UA": 369, "BY": 370,
    "AM": 371, "GE": 372, "AZ": 373, "FI": 375, "SE": 380, "NO": 385, "DK": 390, "IS": 395,
    "CV": 402, "GW": 404, "GQ": 411, "GM": 420, "ML": 432, "SN": 433, "BJ": 434, "MR": 435,
    "NE": 436, "CI": 437, "GN": 438, "BF": 439, "LR": 450, "SL": 451, "GH": 452, "TG": 461,
    "CM": 471, "NG": 475, "GA": 481, "CF": 482, "TD": 483, "CG": 484, "CD": 490, "UG": 500,
    "KE": 501, "TZ": 510, "BI": 516, "RW": 517, "SO": 520, "DJ": 522, "ET": 530, "ER": 531,
    "AO": 540, "MZ": 541, "ZM": 551, "ZW": 552, "MW": 553, "ZA": 560, "NA": 565, "LS": 570,
    "BW": 571, "SZ": 572, "MG": 580, "KM": 581, "MU": 590, "MA": 600, "DZ": 615, "TN": 616,
    "LY": 620, "SD": 625, "SS": 626, "IR": 630, "TR": 640, "IQ": 645, "EG": 651, "SY": 652,
    "LB": 660, "JO": 663, "IL": 666, "PS": 666, "SA": 670, "YE": 679, "KW": 690, "BH": 692,
    "QA": 694, "AE": 696, "OM": 698, "AF": 700, "TM": 701, "TJ": 702, "KG": 703, "UZ": 704,
    "KZ": 705, "CN": 710, "MN": 712, "TW": 713, "KP": 731, "KR": 732, "JP": 740, "IN": 750,
    "BT": 760, "PK": 770, "BD": 771, "MM": 775, "LK": 780, "MV": 781, "NP": 790, "TH": 800,
    "KH": 811, "LA": 812, "VN": 816, "MY": 820, "SG": 830, "BN": 835, "PH": 840, "ID": 850,
    "TL": 860, "AU": 900, "PG": 910, "NZ": 920, "SB": 940, "FJ": 950,
}

# UN M49 sub-region -> ACLED region; then ISO2 exceptions
REGION = {
    "Western Africa": ["BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SN", "SL", "TG"],
    "Middle Africa": ["AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"],
    "Eastern Africa": ["BI", "KM", "DJ", "ER", "ET", "KE", "MG", "MW", "MU", "MZ", "RW", "SC", "SO", "SS", "TZ", "UG", "ZM", "ZW", "YT", "RE"],
    "Southern Africa": ["BW", "LS", "NA", "ZA", "SZ"],
    "Northern Africa": ["DZ", "EG", "LY", "MA", "SD", "TN", "EH"],
    "Middle East": ["BH", "CY", "IR", "IQ", "IL", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "AE", "YE"],
    "Caucasus and Central Asia": ["AM", "AZ", "GE", "KZ", "KG", "TJ", "TM", "UZ"],
    "South Asia": ["AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK"],
    "Southeast Asia": ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"],
    "East Asia": ["CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"],
    "Europe": ["AL", "AD", "AT", "BY", "BE", "BA", "BG", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IE", "IT", "XK", "LV", "LI", "LT", "LU", "MT", "MD", "MC", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "RU", "SM", "RS", "SK", "SI", "ES", "SE", "CH", "UA", "GB", "VA", "GI", "FO", "IM", "JE", "GG", "AX", "GL"],
    "North America": ["US", "CA", "BM", "PM"],
    "Central America": ["BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA"],
    "South America": ["AR", "BO", "BR", "CL", "CO", "EC", "GY", "PY", "PE", "SR", "UY", "VE", "GF", "FK"],
    "Caribbean": ["AG", "BS", "BB", "CU", "DM", "DO", "GD", "HT", "JM", "KN", "LC", "VC", "TT", "PR", "AW", "CW", "KY", "TC", "VG", "VI", "AI", "MS", "BQ", "SX", "MF", "BL", "GP", "MQ"],
    "Oceania": ["AU", "NZ", "FJ", "PG", "SB", "VU", "NC", "PF", "WS", "TO", "KI", "FM", "MH", "PW", "NR", "TV", "CK", "NU", "GU", "MP", "AS", "TK", "WF", "PN", "NF"],
}
region_of = {cc: r for r, ccs in REGION.items() for cc in ccs}

src = "/usr/share/iso-codes/json/iso_3166-1.json"
try:
    rows = json.load(open(src, encoding="utf-8"))["3166-1"]
except OSError:
    sys.exit(f"{src} not found: apt-get install iso-codes")
rows.append({"alpha_2": "XK", "alpha_3": "XKX", "numeric": "", "name": "Kosovo"})
print("# country_codes.tsv -- codes the codebook exports need, per country.")
print("# Written by scripts/country-codes.py (do not edit by hand): ISO 3166-1")
print("# alpha-3 and numeric codes from Debian's iso-codes; Gleditsch-Ward state")
print("# numbers (UCDP GED country_id) and ACLED regions as listed in the script.")
print("# Columns: iso2, iso3, iso_numeric, gw_code (or -), acled_region (or -)")
for r in sorted(rows, key=lambda r: r["alpha_2"]):
    cc = r["alpha_2"]
    print("\t".join([cc, r["alpha_3"], r.get("numeric") or "-", str(GW.get(cc, "-")), region_of.get(cc, "-")]))
