# cluster.sh -- a throw-away PostgreSQL server for the tests (sourced).
#
#   . tests/pg/cluster.sh
#   pg_cluster_start || exit 77     # skip when PostgreSQL is not installed
#   ... "$TALLY_TEST_PG" is a connection string: postgresql:///tally?host=DIR
#   (pg_cluster_stop runs at exit)
#
# The cluster lives in a temporary directory, listens only on a Unix socket
# there (no TCP port, no network), and is removed at exit. As root, the
# server runs as the `postgres` system user (initdb refuses root).
# Debian's `postgresql` package (installed by scripts/setup.sh) provides it.
pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && echo "$d"; done | sort -V | tail -1
}

pg_cluster_start() {
    PG_BIN=$(pg_bindir)
    if [ -z "$PG_BIN" ]; then echo "PostgreSQL is not installed (scripts/setup.sh installs it): skipped"; return 1; fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tally-pg.XXXXXX")
    PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "no postgres user to run the server as: skipped"; return 1; }
        chown postgres "$PG_DIR"
        chmod 755 "$PG_DIR"
        PG_AS=(runuser -u postgres --)
    fi
    trap pg_cluster_stop EXIT
    "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U tally --no-sync -E UTF8 --locale=C.UTF-8 \
        > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $PG_DIR -c fsync=off -c max_connections=60" start \
        > /dev/null || { cat "$PG_DIR/server.log"; return 1; }
    "${PG_AS[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -U tally tally || return 1
    export TALLY_TEST_PG="postgresql:///tally?host=$PG_DIR&user=tally"
    export PGHOST=$PG_DIR PGUSER=tally PGDATABASE=tally
    return 0
}

pg_cluster_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1
    fi
    [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
    PG_DIR=
}
