#!/usr/bin/env bash
# Offline import of N generated people: `annuaire import` against OpenLDAP 2.5's `slapadd -q` (back-mdb,
# the same indexes), on the same LDIF, in the same run. Prints a Markdown table: seconds, entries/s, peak
# RSS and database size on disk for each, and the ratio Annuaire/slapadd.
#
# Then, when the lookup benchmark is built (`LOOKUP`, by default .build-bench-directory/release/StoreLookupBenchmark,
# which `make bench-import` builds), the indexed equality lookup latency on the imported Annuaire database.
#
# Usage: Benchmarks/import-vs-slapadd.sh [PEOPLE]   (default 100000; needs slapd, built by `make bench`)
set -euo pipefail

PEOPLE=${1:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANNUAIRE=${ANNUAIRE:-$ROOT/.build/release/annuaire}
LOOKUP=${LOOKUP:-$ROOT/.build-bench-directory/release/StoreLookupBenchmark}
SUFFIX="dc=dgfip,dc=finances,dc=gouv,dc=fr"
WORK=$(mktemp -d /tmp/annuaire-import-bench.XXXXXX)
# KEEP=1 keeps the LDIF and both databases (for mdb_stat, or to rerun the lookup benchmark).
if [ -n "${KEEP:-}" ]; then echo "keeping $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi

for tool in "$ANNUAIRE" /usr/sbin/slapadd /usr/bin/time; do
    [ -x "$tool" ] || { echo "missing $tool (make bench builds annuaire and installs slapd)" >&2; exit 3; }
done

. "$ROOT/Benchmarks/slapd-lib.sh"

"$ANNUAIRE" demo-data --people "$PEOPLE" --seed 1 "$WORK/demo.ldif" >/dev/null
slapadd_ldif "$WORK/demo.ldif" "$WORK/demo-slapadd.ldif"
ENTRIES=$(grep -c '^dn:' "$WORK/demo.ldif")

# The same indexes as Annuaire's defaults (Benchmarks/slapd-lib.sh).
mkdir -p "$WORK/slapd-db" "$WORK/annuaire-data"
slapd_schema "$ROOT" "$WORK/aspasie-slapd.schema"
slapd_conf "$WORK" "$SUFFIX" "$WORK/aspasie-slapd.schema" > "$WORK/slapd.conf"

# run NAME COMMAND...: wall seconds, peak RSS (KiB) and CPU seconds (user, system) into $WORK/NAME.time
run() {
    local name=$1
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 || {
        echo "$name failed:" >&2
        tail -20 "$WORK/$name.log" >&2
        exit 1
    }
}

run slapadd /usr/sbin/slapadd -q -f "$WORK/slapd.conf" -l "$WORK/demo-slapadd.ldif"
run annuaire "$ANNUAIRE" import --data-dir "$WORK/annuaire-data" --schema-directory "$ROOT/schema" "$WORK/demo.ldif"

read -r slap_s slap_kb slap_user slap_sys < "$WORK/slapadd.time"
read -r ann_s ann_kb ann_user ann_sys < "$WORK/annuaire.time"
slap_db=$(du -sk "$WORK/slapd-db" | cut -f1)
ann_db=$(du -sk "$WORK/annuaire-data" | cut -f1)

# CPU seconds (user + system) are shown beside the wall time: on a shared machine they vary less.
awk -v n="$ENTRIES" -v people="$PEOPLE" -v ss="$slap_s" -v sk="$slap_kb" -v sd="$slap_db" \
    -v sc="$(echo "$slap_user $slap_sys" | awk '{print $1 + $2}')" \
    -v as="$ann_s" -v ak="$ann_kb" -v ad="$ann_db" -v ac="$(echo "$ann_user $ann_sys" | awk '{print $1 + $2}')" \
    -v cpu="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "Import of %d people (%d entries), %d cores, load average at the end %s\n\n", people, n, cpu, load
    printf "| tool | seconds | CPU seconds | entries/s | peak RSS MiB | database MiB |\n|---|--:|--:|--:|--:|--:|\n"
    printf "| annuaire import | %.2f | %.2f | %.0f | %.0f | %.0f |\n", as, ac, n / as, ak / 1024, ad / 1024
    printf "| slapadd -q (back-mdb) | %.2f | %.2f | %.0f | %.0f | %.0f |\n", ss, sc, n / ss, sk / 1024, sd / 1024
    printf "| ratio Annuaire/slapadd | %.2f | %.2f | %.2f | %.2f | %.2f |\n", as / ss, ac / sc, (n / as) / (n / ss), \
        ak / sk, ad / sd
}'

if [ -x "$LOOKUP" ]; then
    echo
    "$LOOKUP" --data-dir "$WORK/annuaire-data" --schema-directory "$ROOT/schema" --ldif "$WORK/demo.ldif"
else
    echo "(no lookup benchmark at $LOOKUP: make bench-import builds it)" >&2
fi
