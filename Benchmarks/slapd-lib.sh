# Shell functions shared by the benchmark scripts that compare Annuaire with a private OpenLDAP 2.5 slapd
# (back-mdb, the same indexes as Annuaire's defaults). Source it; it defines functions and nothing else.
# Every server these functions start listens on 127.0.0.1 only and is started from the caller's work
# directory, never the system service.

# slapd_schema ROOT OUT: slapd's copy of schema/aspasie.schema. slapd refuses operational attribute types from
# schema files: aspasieMailChangedTime (maintained by Annuaire's server for the D8 quiet period, never in an
# imported LDIF) is commented out.
slapd_schema() {
    awk '/^attributetype .*aspasieMailChangedTime/ {skip = 1}
         skip { print "# " $0; if ($0 ~ /\)[[:space:]]*$/) skip = 0; next }
         { print }' "$1/schema/aspasie.schema" > "$2"
}

# slapd_conf WORK SUFFIX SCHEMA [MODULE...]: a slapd.conf on stdout for a back-mdb database in WORK/slapd-db,
# with the same indexes as Annuaire's defaults (docs/configuration.md; OpenLDAP does not index subtypes through
# their supertype, so they are listed) and the extra modules named (e.g. argon2).
slapd_conf() {
    local work=$1 suffix=$2 schema=$3
    shift 3
    cat <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $schema
modulepath /usr/lib/ldap
moduleload back_mdb.la
CONF
    local module
    for module in "$@"; do echo "moduleload $module.la"; done
    cat <<CONF
pidfile $work/slapd.pid
argsfile $work/slapd.args
database mdb
suffix "$suffix"
rootdn "cn=admin,$suffix"
directory $work/slapd-db
maxsize 17179869184
index objectClass eq
index uid,aspasieIdentifier,mail,cn,sn eq,sub
index givenName,entryUUID,aspasieTerritoryCodique,aspasiePopulation eq
index aspasieCodique,aspasieSiret eq,sub
index member,uniqueMember,manager eq
index aspasieStructureMember,aspasiePrincipalManager,aspasieSecondaryManager,aspasieAttachedUser eq
index aspasiePendingAttachment eq
CONF
}

# slapadd_ldif IN OUT: the LDIF as slapadd 2.5 takes it (it refuses RFC 2849's `version: 1` line, which slapcat
# never writes).
slapadd_ldif() {
    grep -v '^version: 1$' "$1" > "$2"
}

# free_port: a TCP port of 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_port PID PORT WHAT: waits up to 60 s for 127.0.0.1:PORT to accept, failing early if PID exits.
wait_for_port() {
    local pid=$1 port=$2 what=$3 tries=0
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "$what exited before listening on $port" >&2; return 1; }
        tries=$((tries + 1))
        [ "$tries" -lt 600 ] || { echo "$what did not listen on $port within 60 s" >&2; return 1; }
        sleep 0.1
    done
}

# process_cpu_ticks PID: user + system CPU of PID so far, in clock ticks (/proc/PID/stat fields 14 and 15).
process_cpu_ticks() {
    # The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# process_peak_rss_kib PID: the peak resident set size of PID so far (VmHWM), in KiB.
process_peak_rss_kib() {
    awk '/^VmHWM:/ {print $2}' "/proc/$1/status"
}

# stop_process PID: SIGTERM, then SIGKILL after 15 s; only for a process the script started.
stop_process() {
    local pid=$1 tries=0
    kill "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -gt 150 ]; then kill -9 "$pid" 2>/dev/null; break; fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
}
