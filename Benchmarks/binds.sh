#!/usr/bin/env bash
# Simple-bind throughput of Annuaire against OpenLDAP 2.5 slapd (back-mdb, the argon2 module), for passwords
# stored as {SSHA} and as Annuaire's default {ARGON2} (argon2id m=19456,t=2,p=1), on the same data, with the
# same generator (`annuaire bench --workload bind`) and the same settings (issue 6 point 9).
#
# For each scheme: N generated people are loaded into Annuaire (annuaire import) and into a private slapd
# (slapadd; same LDIF, same indexes), each server is started on 127.0.0.1 by this script, warmed up, then
# loaded REPEATS times for DURATION seconds; the medians are printed as a Markdown table with the server's
# CPU seconds per 1,000 binds (/proc/PID/stat, utime + stime, around each run) and its peak RSS (VmHWM).
#
# Usage: Benchmarks/binds.sh [PEOPLE]   (default 10000; needs slapd and a release annuaire: make bench-binds)
# Environment: DURATION (20), WARMUP (5), REPEATS (3), CONNECTIONS (8), DEPTH (1), SCHEMES ("SSHA ARGON2"),
#              ANNUAIRE (.build/release/annuaire), KEEP=1 keeps the work directory.
set -euo pipefail

PEOPLE=${1:-10000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
REPEATS=${REPEATS:-3}
CONNECTIONS=${CONNECTIONS:-8}
DEPTH=${DEPTH:-1}
SCHEMES=${SCHEMES:-SSHA ARGON2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANNUAIRE=${ANNUAIRE:-$ROOT/.build/release/annuaire}
SUFFIX="dc=dgfip,dc=finances,dc=gouv,dc=fr"
ROOT_DN="cn=admin,$SUFFIX"
WORK=$(mktemp -d /tmp/annuaire-binds-bench.XXXXXX)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then stop_process "$SERVER_PID"; fi
    if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

for tool in "$ANNUAIRE" /usr/sbin/slapd /usr/sbin/slapadd /usr/lib/ldap/argon2.la; do
    [ -e "$tool" ] || { echo "missing $tool (make bench-binds builds annuaire and installs slapd)" >&2; exit 3; }
done
. "$ROOT/Benchmarks/slapd-lib.sh"
TICKS=$(getconf CLK_TCK)

# The data: one LDIF with {SSHA} values (each account its own password and salt, from demo-data).
"$ANNUAIRE" demo-data --people "$PEOPLE" --seed 1 --credentials "$WORK/SSHA.tsv" "$WORK/SSHA.ldif" 2>/dev/null
# The {ARGON2} variant: every account gets one argon2id value of Annuaire's default parameters, hashed once and
# written in the LDIF, so both servers verify exactly the same encoded string ($argon2id$v=19$m=...,t=...,p=...);
# slapd's module would otherwise hash with its own defaults (argon2i m=4096,t=3,p=1). Hashing 10,000 distinct
# passwords at ~20 ms each would cost minutes for no difference: the work per bind is the same for any password.
ARGON2_PASSWORD="Bench-Argon2-Mot-de-passe-1"
ARGON2_VALUE=$(printf '%s\n' "$ARGON2_PASSWORD" | "$ANNUAIRE" hash-password)
case "$ARGON2_VALUE" in
    "{ARGON2}\$argon2id\$v=19\$"*) ;;
    *) echo "annuaire hash-password gave an unexpected value: $ARGON2_VALUE" >&2; exit 1 ;;
esac
awk -v value="$ARGON2_VALUE" '/^userPassword:/ { print "userPassword: " value; next } { print }' \
    "$WORK/SSHA.ldif" > "$WORK/ARGON2.ldif"
awk -F '\t' -v OFS='\t' -v pw="$ARGON2_PASSWORD" '{ $3 = pw; print }' "$WORK/SSHA.tsv" > "$WORK/ARGON2.tsv"
ARGON2_PARAMETERS=$(echo "$ARGON2_VALUE" | cut -d'$' -f2-4)

printf '%s\n' "Racine-Bench-2024" > "$WORK/root-password"
chmod 600 "$WORK/root-password"
slapd_schema "$ROOT" "$WORK/aspasie-slapd.schema"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# measure SERVER SCHEME PID PORT: the warm-up run, then REPEATS runs; one line per run in $WORK/runs.txt:
# server scheme binds/s p50 p99 server-CPU-s-per-1k generator-CPU-s-per-1k errors
measure() {
    local server=$1 scheme=$2 pid=$3 port=$4 run out before after
    local common=(bench --url "ldap://127.0.0.1:$port" --workload bind --credentials "$WORK/$scheme.tsv"
                  --connections "$CONNECTIONS" --depth "$DEPTH")
    "$ANNUAIRE" "${common[@]}" --duration "$WARMUP" --warmup 0 > "$WORK/warmup.out" 2>&1 || {
        cat "$WORK/warmup.out" >&2; return 1; }
    for run in $(seq "$REPEATS"); do
        # The warm-up was the run above: each measured run counts from its first request, so the server's CPU
        # around the run and the binds it counts cover the same time.
        before=$(process_cpu_ticks "$pid")
        out=$("$ANNUAIRE" "${common[@]}" --duration "$DURATION" --warmup 0 2>"$WORK/bench.err") || {
            cat "$WORK/bench.err" >&2; return 1; }
        after=$(process_cpu_ticks "$pid")
        echo "$out" | awk -v server="$server" -v scheme="$scheme" -v ticks=$((after - before)) -v hz="$TICKS" '
            /^GENERATOR/ { split($2, g, "="); generator = g[2] }
            /^RESULT/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
                cpu = r["ops"] > 0 ? ticks / hz * 1000 / r["ops"] : 0
                printf "%s %s %s %s %s %.4f %s %s\n", server, scheme, r["ops_per_s"], r["p50_ms"], r["p99_ms"], cpu,
                       generator, r["errors"]
            }' >> "$WORK/runs.txt"
        tail -1 "$WORK/runs.txt" | awk '{ printf "  %s %s run: %s binds/s, p50 %s ms, p99 %s ms, server CPU %s s/1k, errors %s\n", $1, $2, $3, $4, $5, $6, $8 }' >&2
        if [ -s "$WORK/bench.err" ] && grep -q "error ×" "$WORK/bench.err"; then grep "error ×" "$WORK/bench.err" >&2; fi
    done
    echo "$server $scheme $(process_peak_rss_kib "$pid")" >> "$WORK/rss.txt"
}

: > "$WORK/runs.txt"
: > "$WORK/rss.txt"
for scheme in $SCHEMES; do
    # Annuaire: re-hash on bind off, so an {SSHA} bind stays an {SSHA} verification (on, the first bind of each
    # account would store an {ARGON2} value and later binds would measure argon2). The {ARGON2} values already have
    # the current parameters, so the setting changes nothing there; it is off for both for the same settings.
    echo "$scheme: Annuaire" >&2
    "$ANNUAIRE" import --quiet --data-dir "$WORK/$scheme-annuaire" --schema-directory "$ROOT/schema" \
        "$WORK/$scheme.ldif" > "$WORK/$scheme-import.log" 2>&1 || { cat "$WORK/$scheme-import.log" >&2; exit 1; }
    port=$(free_port)
    "$ANNUAIRE" serve --data-dir "$WORK/$scheme-annuaire" --schema-directory "$ROOT/schema" \
        --listen "ldap://127.0.0.1:$port" --root-dn "$ROOT_DN" --root-password-file "$WORK/root-password" \
        --access-rules "$ROOT/config/access.rules" --password-rehash-on-bind false --log-level warning > "$WORK/$scheme-annuaire.log" 2>&1 &
    SERVER_PID=$!
    wait_for_port "$SERVER_PID" "$port" "annuaire serve" || { tail -20 "$WORK/$scheme-annuaire.log" >&2; exit 1; }
    measure annuaire "$scheme" "$SERVER_PID" "$port"
    stop_process "$SERVER_PID"
    SERVER_PID=""

    echo "$scheme: slapd" >&2
    mkdir -p "$WORK/$scheme-slapd/slapd-db"
    slapd_conf "$WORK/$scheme-slapd" "$SUFFIX" "$WORK/aspasie-slapd.schema" argon2 > "$WORK/$scheme-slapd/slapd.conf"
    slapadd_ldif "$WORK/$scheme.ldif" "$WORK/$scheme-slapadd.ldif"
    /usr/sbin/slapadd -q -f "$WORK/$scheme-slapd/slapd.conf" -l "$WORK/$scheme-slapadd.ldif" \
        > "$WORK/$scheme-slapadd.log" 2>&1 || { cat "$WORK/$scheme-slapadd.log" >&2; exit 1; }
    port=$(free_port)
    /usr/sbin/slapd -d 0 -f "$WORK/$scheme-slapd/slapd.conf" -h "ldap://127.0.0.1:$port/" \
        > "$WORK/$scheme-slapd.log" 2>&1 &
    SERVER_PID=$!
    wait_for_port "$SERVER_PID" "$port" "slapd" || { tail -20 "$WORK/$scheme-slapd.log" >&2; exit 1; }
    measure slapd "$scheme" "$SERVER_PID" "$port"
    stop_process "$SERVER_PID"
    SERVER_PID=""
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Binds of $PEOPLE people: annuaire bench --workload bind --connections $CONNECTIONS --depth $DEPTH, $REPEATS runs of ${DURATION} s after a ${WARMUP} s warm-up, medians; {ARGON2} = $ARGON2_PARAMETERS on both servers; Annuaire with password-rehash-on-bind false; $(nproc) cores, load average $LOAD_START at the start, $LOAD_END at the end"
echo
awk -v schemes="$SCHEMES" '
    function ratio(a, b) { return b > 0 ? a / b : 0 }
    function median(list, n,    i, j, t, a) {
        n = split(list, a, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    FILENAME ~ /rss/ { rss[$1 " " $2] = $3; next }
    { k = $1 " " $2; rate[k] = rate[k] " " $3; p50[k] = p50[k] " " $4; p99[k] = p99[k] " " $5; cpu[k] = cpu[k] " " $6
      gen[k] = gen[k] " " $7; errors[k] += $8 }
    END {
        print "| scheme | server | binds/s | p50 ms | p99 ms | server CPU s/1k binds | peak RSS MiB | generator CPU s/1k | errors |"
        print "|---|---|--:|--:|--:|--:|--:|--:|--:|"
        n = split(schemes, s, " ")
        for (i = 1; i <= n; i++) {
            for (j = 1; j <= 2; j++) {
                server = j == 1 ? "annuaire" : "slapd"; k = server " " s[i]
                m[k, "rate"] = median(rate[k]); m[k, "p50"] = median(p50[k]); m[k, "p99"] = median(p99[k])
                m[k, "cpu"] = median(cpu[k]); m[k, "rss"] = rss[k] / 1024
                printf "| {%s} | %s | %.0f | %.3f | %.3f | %.3f | %.0f | %.3f | %d |\n", s[i], server == "annuaire" ? "Annuaire" : "slapd 2.5", \
                    m[k, "rate"], m[k, "p50"], m[k, "p99"], m[k, "cpu"], m[k, "rss"], median(gen[k]), errors[k]
            }
            a = "annuaire " s[i]; b = "slapd " s[i]
            printf "| {%s} | ratio Annuaire/slapd | %.2f | %.2f | %.2f | %.2f | %.2f | | |\n", s[i], \
                ratio(m[a, "rate"], m[b, "rate"]), ratio(m[a, "p50"], m[b, "p50"]), ratio(m[a, "p99"], m[b, "p99"]), \
                ratio(m[a, "cpu"], m[b, "cpu"]), ratio(m[a, "rss"], m[b, "rss"])
        }
    }' "$WORK/rss.txt" "$WORK/runs.txt"
echo
echo "Per run (server scheme binds/s p50 p99 server-CPU-s/1k generator-CPU-s/1k errors):"
sed 's/^/    /' "$WORK/runs.txt"
