# exports.R DIR -- the codebook exports as an R user reads them (base R,
# read.csv): run by tests/ledger/exports.sh when Rscript is installed
# (Debian's r-base-core). Exits 1 on the first check that fails.
args <- commandArgs(trailingOnly = TRUE)
d <- args[1]
check <- function(ok, what) if (!isTRUE(ok)) { cat("FAIL: R:", what, "\n"); quit(status = 1) }
a <- read.csv(file.path(d, "acled.csv"), stringsAsFactors = FALSE)
check(nrow(subset(a, country == "Azerbaijan")) == 5, "subset(a, country == 'Azerbaijan')")
check(!any(duplicated(a$event_id_cnty)), "event_id_cnty unique")
check(is.integer(a$fatalities) && sum(a$fatalities) == 3 + 2 + 30 + 2 + 14, "fatalities: integers, the lowest figures")
check(is.numeric(a$latitude), "latitude numeric")
check(all(c("event_date", "year", "time_precision", "iso", "region", "admin1", "geo_precision",
            "source", "notes", "civilian_targeting", "timestamp") %in% names(a)), "ACLED columns")
check(all(a$iso[a$country == "Azerbaijan"] == 31), "iso: the numeric code")
g <- aggregate(fatalities ~ country, data = a, FUN = sum)
check(g$fatalities[g$country == "Azerbaijan"] == sum(subset(a, country == "Azerbaijan")$fatalities), "aggregate(fatalities ~ country)")
u <- read.csv(file.path(d, "ucdp.csv"), stringsAsFactors = FALSE)
check(all(u$best >= u$low) && all(u$high >= u$best), "UCDP low <= best <= high")
check(all(u$where_prec %in% 1:7), "UCDP where_prec 1..7")
check(all(!is.na(u$country_id)), "UCDP country_id (Gleditsch-Ward)")
b <- read.csv(file.path(d, "bom.csv"), fileEncoding = "UTF-8-BOM", stringsAsFactors = FALSE)
check(names(b)[1] == "event_id_cnty", "the BOM read away by fileEncoding = 'UTF-8-BOM'")
cat("ok: R reads the exports\n")
