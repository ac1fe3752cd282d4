"""Start and stop the servers the integration tests talk to: Annuaire and a private OpenLDAP slapd.

Both are real processes on 127.0.0.1, on ports the kernel picked, with real TLS. Nothing here is a
mock: the tests drive these processes with OpenLDAP's ldap-utils and with python ldap3.

Environment:
  ANNUAIRE_BIN   the annuaire executable (default: .build/debug/annuaire in the repository)
  SLAPD, SLAPADD paths of OpenLDAP's slapd and slapadd (default /usr/sbin/...)
  INTEGRATION_KEEP=1 keeps the temporary directories (their paths are printed)
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SUFFIX = "dc=dgfip,dc=finances,dc=gouv,dc=fr"
ROOT_DN = "cn=admin," + SUFFIX
ROOT_PASSWORD = "Racine-Integration-2024"
PEOPLE = "ou=people," + SUFFIX
STRUCTURES = "ou=structures," + SUFFIX
ADMINS = "ou=admins," + SUFFIX

# The access rules of the protocol suites (everyone reads all but passwords; users write their own entry),
# relative to the repository root, the servers' working directory. test_access_control.py runs the shipped
# default policy (config/access.rules) instead.
PERMISSIVE_RULES = os.path.join("Tests", "Integration", "permissive.rules")
# slapd does not re-hash at bind: the protocol suites and the differential run keep stored values as imported.
PERMISSIVE = ["--access-rules", PERMISSIVE_RULES, "--password-rehash-on-bind", "false"]

# How long a server may take to accept connections, and to exit after SIGTERM.
START_TIMEOUT = float(os.environ.get("INTEGRATION_START_TIMEOUT", "60"))
STOP_TIMEOUT = 15.0


def annuaire_bin():
    path = os.environ.get("ANNUAIRE_BIN", os.path.join(REPO, ".build", "debug", "annuaire"))
    return os.path.abspath(path)


def free_port():
    """A TCP port that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, lines=60):
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError as error:
        return "(cannot read %s: %s)" % (path, error)
    return "\n".join(data.splitlines()[-lines:])


class ServerStartError(RuntimeError):
    pass


def wait_for_ports(process, ports, log_path, what, timeout=START_TIMEOUT, host="127.0.0.1"):
    """Polls a TCP connect to every port of `host` until all accept; fails with the server's stderr."""
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending:
        if process.poll() is not None:
            raise ServerStartError("%s exited with status %s before listening on %s; its output:\n%s"
                                   % (what, process.returncode, pending, tail(log_path)))
        port = pending[0]
        try:
            with socket.create_connection((host, port), timeout=0.5):
                pending.pop(0)
                continue
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise ServerStartError("%s did not accept connections on %s port %s within %.0f s; its output:\n%s"
                                   % (what, host, port, timeout, tail(log_path)))
        time.sleep(0.1)


class Server:
    """What a test needs to reach a server. `kind` is 'annuaire' or 'slapd'."""

    kind = None

    def __init__(self, workdir):
        self.workdir = workdir
        self.host = "127.0.0.1"
        self.port = free_port()
        self.tls_port = free_port()
        while self.tls_port == self.port:
            self.tls_port = free_port()
        self.suffix = SUFFIX
        self.root_dn = ROOT_DN
        self.root_password = ROOT_PASSWORD
        self.process = None
        self.log_path = os.path.join(workdir, "%s.log" % self.kind)
        self.cacert = None  # PEM file that validates the server's certificate

    @property
    def url_host(self):
        return "[%s]" % self.host if ":" in self.host else self.host

    @property
    def ldap_url(self):
        return "ldap://%s:%d" % (self.url_host, self.port)

    @property
    def ldaps_url(self):
        return "ldaps://%s:%d" % (self.url_host, self.tls_port)

    def log_tail(self, lines=60):
        return tail(self.log_path, lines)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """SIGTERM; returns the exit status (None when it had to be killed after STOP_TIMEOUT)."""
        if self.process is None:
            return None
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None


class Demo:
    """The demo directory of `annuaire demo-data`, written once per test session."""

    def __init__(self, workdir, people=60, seed=7):
        self.workdir = workdir
        self.ldif = os.path.join(workdir, "demo.ldif")
        self.credentials_path = os.path.join(workdir, "credentials.tsv")
        command = [annuaire_bin(), "demo-data", "--people", str(people), "--seed", str(seed),
                   "--credentials", self.credentials_path, self.ldif]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(command), done.returncode, done.stderr))
        self.accounts = []  # dicts: identifier, dn, password, role
        with open(self.credentials_path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                identifier, dn, password, role = line.split("\t")
                self.accounts.append({"identifier": identifier, "dn": dn, "password": password, "role": role})
        from clients import parse_ldif
        with open(self.ldif, encoding="utf-8") as f:
            text = f.read()
        if text.startswith("version: 1\n"):
            text = text[len("version: 1\n"):]
        self.entries = parse_ldif(text)  # (dn, {attribute: [values]}) in file order
        self.dns = [dn for dn, _ in self.entries]

    def account(self, role="person", index=0):
        matching = [a for a in self.accounts if a["role"] == role]
        return matching[index]


class Annuaire(Server):
    kind = "annuaire"

    def __init__(self, workdir, demo, name="annuaire", host="127.0.0.1", extra=(), env=None):
        """`host`: the address both listeners bind; `extra`: more `serve` flags (the last of a repeated flag
        wins); `env`: more environment variables for `serve` (e.g. FakeClock.env())."""
        self.kind = name
        super().__init__(workdir)
        self.host = host
        self.extra = list(extra)
        self.env = env
        self.binary = annuaire_bin()
        self.data_dir = os.path.join(workdir, "data")
        self.password_file = os.path.join(workdir, "root-password")
        self.cacert = os.path.join(self.data_dir, "tls", "annuaire.crt")
        self.demo = demo

    def start(self):
        if not os.path.exists(self.binary):
            raise ServerStartError("no annuaire executable at %s (set ANNUAIRE_BIN or build it)" % self.binary)
        with open(self.password_file, "w") as f:
            f.write(self.root_password + "\n")
        os.chmod(self.password_file, 0o600)
        imported = subprocess.run(
            [self.binary, "import", "--quiet", "--data-dir", self.data_dir, "--suffix", self.suffix, self.demo.ldif],
            cwd=REPO, capture_output=True, text=True, timeout=120)
        if imported.returncode != 0:
            raise ServerStartError("annuaire import failed (%d):\n%s%s"
                                   % (imported.returncode, imported.stdout, imported.stderr))
        self.command = [self.binary, "serve", "--data-dir", self.data_dir,
                        "--listen", self.ldap_url, "--listen", self.ldaps_url,
                        "--root-dn", self.root_dn, "--root-password-file", self.password_file,
                        "--log-level", "info"] + self.extra
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.command, cwd=REPO, stdin=subprocess.DEVNULL,
                                        stdout=log, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, **self.env) if self.env else None)
        log.close()
        wait_for_ports(self.process, [self.port, self.tls_port], self.log_path, "annuaire serve", host=self.host)
        # The self-signed pair is written before the listeners start.
        if not os.path.exists(self.cacert):
            raise ServerStartError("annuaire serve listens but wrote no %s; its output:\n%s"
                                   % (self.cacert, self.log_tail()))
        return self


# ------------------------------------------------------------------------------------------------
# OpenLDAP slapd, the reference.

SLAPD = os.environ.get("SLAPD", "/usr/sbin/slapd")
SLAPADD = os.environ.get("SLAPADD", "/usr/sbin/slapadd")
SLAPTEST = os.environ.get("SLAPTEST", "/usr/sbin/slaptest")
SCHEMA_FILES = ["system", "core", "cosine", "inetorgperson", "ppolicy", "aspasie"]
DEFINITION = re.compile(r"(?i)^(attributetype|objectclass|objectidentifier|ldapsyntax|matchingrule)\b")


def _definitions(lines):
    """(first, end) line ranges of the definitions of a schema file (continuations start with blanks)."""
    found, i = [], 0
    while i < len(lines):
        if DEFINITION.match(lines[i]):
            j = i + 1
            while j < len(lines) and lines[j][:1] in (" ", "\t"):
                j += 1
            found.append((i, j))
            i = j
        else:
            i += 1
    return found


# Loaded before the schema: ppolicy defines its schema in code, argon2 hashes as Annuaire does by default.
SLAPD_MODULES = "modulepath /usr/lib/ldap\nmoduleload back_mdb.la\nmoduleload ppolicy.la\nmoduleload argon2.la\n"


def slapd_schema(outdir, schema_dir=None):
    """Our schema/*.schema files, as slapd accepts them.

    slapd has some definitions built in (objectClass, top, cn, name, the RFC 4512 operational
    attributes...) and refuses user-defined operational attribute types (ppolicy's pwdChangedTime...:
    in 2.5 the ppolicy module defines them in code). Each file is kept line for line; a definition
    slapd refuses is commented out, found by asking slaptest, so everything else -- in particular every
    aspasie definition -- is ours. Returns (the files in load order, what was dropped with slapd's reason).
    """
    schema_dir = schema_dir or os.path.join(REPO, "schema")
    os.makedirs(outdir, exist_ok=True)
    source = {}
    for name in SCHEMA_FILES:
        with open(os.path.join(schema_dir, name + ".schema"), encoding="utf-8") as f:
            source[name] = f.read().splitlines()
    dropped = {name: {} for name in SCHEMA_FILES}  # first line -> reason
    paths = [os.path.join(outdir, name + ".schema") for name in SCHEMA_FILES]
    dbdir = os.path.join(outdir, "slaptest-db")
    os.makedirs(dbdir, exist_ok=True)
    conf = os.path.join(outdir, "slaptest.conf")
    for _ in range(1000):
        for name, path in zip(SCHEMA_FILES, paths):
            lines = list(source[name])
            for first, end in _definitions(source[name]):
                if first in dropped[name]:
                    for k in range(first, end):
                        lines[k] = "# slapd refuses: " + lines[k]
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
        with open(conf, "w") as f:
            f.write(SLAPD_MODULES)
            f.write("".join("include %s\n" % p for p in paths))
            f.write("database mdb\nsuffix \"%s\"\ndirectory %s\n" % (SUFFIX, dbdir))
        # errors="replace": with ppolicy loaded, slaptest prints some refused OIDs as raw bytes.
        checked = subprocess.run([SLAPTEST, "-u", "-f", conf], capture_output=True, text=True, errors="replace",
                                 timeout=60)
        if checked.returncode == 0:
            reasons = [(name, source[name][first].strip(), reason)
                       for name in SCHEMA_FILES for first, reason in sorted(dropped[name].items())]
            return paths, reasons
        match = re.search(r"/(\w+)\.schema: line (\d+) \w+: (.*)", checked.stderr)
        if not match or match.group(1) not in dropped:
            raise RuntimeError("slaptest refuses the schema:\n" + checked.stderr)
        name, line, reason = match.group(1), int(match.group(2)) - 1, match.group(3)
        for first, end in _definitions(source[name]):
            if first <= line < end:
                if first in dropped[name]:
                    raise RuntimeError("slaptest loops on %s.schema line %d: %s" % (name, line + 1, reason))
                dropped[name][first] = reason
                break
        else:
            raise RuntimeError("slaptest: %s.schema line %d is in no definition: %s" % (name, line + 1, reason))
    raise RuntimeError("slaptest: too many refused definitions")


def self_signed(workdir, name):
    """A self-signed certificate for 127.0.0.1/localhost (for slapd), with openssl."""
    cert = os.path.join(workdir, name + ".crt")
    key = os.path.join(workdir, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class Slapd(Server):
    kind = "slapd"

    def __init__(self, workdir, demo, overlay_config="", env=None, binary=SLAPD):
        """`overlay_config`: more slapd.conf lines after `overlay ppolicy` (ppolicy_default...); `env`: more
        environment variables for slapd (e.g. FakeClock.env()); `binary`: the slapd executable (see
        FakeClock.slapd)."""
        super().__init__(workdir)
        self.demo = demo
        self.binary = binary
        self.overlay_config = overlay_config
        self.env = env
        self.conf = os.path.join(workdir, "slapd.conf")
        self.db = os.path.join(workdir, "slapd-db")

    def start(self):
        for tool in (SLAPD, SLAPADD, SLAPTEST):
            if not os.path.exists(tool):
                raise ServerStartError("missing %s (`make test` installs Debian's slapd)" % tool)
        schema, self.dropped_definitions = slapd_schema(os.path.join(self.workdir, "schema"))
        self.cacert, key = self_signed(self.workdir, "slapd")
        os.makedirs(self.db, exist_ok=True)
        with open(self.conf, "w") as f:
            f.write(SLAPD_MODULES)
            f.write("".join("include %s\n" % p for p in schema))
            f.write("""pidfile {w}/slapd.pid
# Passwords received in clear are stored hashed, as Annuaire does ({{ARGON2}} by default).
password-hash {{ARGON2}}
argsfile {w}/slapd.args
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
database mdb
suffix "{suffix}"
rootdn "{root}"
rootpw {pw}
directory {db}
maxsize 1073741824
index objectClass eq
index uid,mail,cn,sn eq,sub
# What an operator would write for the portal; access control itself is issue 5 (the differential
# test reads userPassword only as the manager, who bypasses access control on both servers).
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
overlay ppolicy
ppolicy_hash_cleartext
{overlay}
""".format(overlay=self.overlay_config, w=self.workdir, cert=self.cacert, key=key, suffix=self.suffix, root=self.root_dn,
                    pw=self.root_password, db=self.db))
        # slapadd 2.5 refuses RFC 2849's `version: 1` line (Benchmarks/import-vs-slapadd.sh).
        ldif = os.path.join(self.workdir, "demo-slapadd.ldif")
        with open(self.demo.ldif, encoding="utf-8") as src, open(ldif, "w", encoding="utf-8") as dst:
            for line in src:
                if line.rstrip("\n") != "version: 1":
                    dst.write(line)
        added = subprocess.run([SLAPADD, "-q", "-f", self.conf, "-l", ldif], capture_output=True, text=True,
                               timeout=120)
        if added.returncode != 0:
            raise ServerStartError("slapadd failed (%d):\n%s" % (added.returncode, added.stderr))
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [self.binary, "-d", "0", "-f", self.conf, "-h", "%s/ %s/" % (self.ldap_url, self.ldaps_url)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=dict(os.environ, **self.env) if self.env else None)
        log.close()
        wait_for_ports(self.process, [self.port, self.tls_port], self.log_path, "slapd")
        return self


# ------------------------------------------------------------------------------------------------
# A clock the tests move: Debian's libfaketime preloaded into a server.

def _faketime_library():
    """Debian's libfaketimeMT (package libfaketime, pulled by faketime), in the multiarch directory of this machine."""
    import glob
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))
    return found[0] if found else "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"


FAKETIME_LIBRARY = os.environ.get("FAKETIME_LIBRARY") or _faketime_library()


class FakeClock:
    """The wall clock of the servers started with `env()`: real time plus an offset the test raises with
    `advance(seconds)`, without restarting anything. libfaketime re-reads the offset file at every clock
    reading (FAKETIME_NO_CACHE) and leaves the monotonic clock alone (timers, timeouts and NIO's scheduling
    keep real time)."""

    def __init__(self, workdir, name="clock"):
        if not os.path.exists(FAKETIME_LIBRARY):
            raise ServerStartError("missing %s (`make test` installs Debian's faketime)" % FAKETIME_LIBRARY)
        self.path = os.path.join(workdir, name + ".faketime")
        self.offset = 0
        self._write()

    def _write(self):
        # Written to a new file then renamed: a server never reads a half-written offset.
        temporary = self.path + ".new"
        with open(temporary, "w") as f:
            f.write("+%d\n" % self.offset)
        os.replace(temporary, self.path)

    def advance(self, seconds):
        self.offset += int(seconds)
        self._write()

    def now(self):
        """The servers' time, in seconds since 1970."""
        return time.time() + self.offset

    def slapd(self):
        """A copy of Debian's slapd that runs under libfaketime.

        slapd exports its function `read_config_file` (for its modules), and libfaketime has a global
        function of the same name that it calls when it reads the offset file: the dynamic linker binds
        libfaketime's call to slapd's function and slapd crashes at start (SIGSEGV in read_config_file, seen
        with slapd 2.5.13 and libfaketime 0.9.10). The copy renames that one exported name (same length, so
        nothing moves); slapd's own calls to the function are direct and unchanged, and no module uses the
        name. Nothing else differs from /usr/sbin/slapd."""
        path = os.path.join(os.path.dirname(self.path), "slapd-faketime")
        with open(SLAPD, "rb") as f:
            data = f.read()
        exported = b"\x00read_config_file\x00"
        if data.count(exported) != 1:
            raise ServerStartError("%s: cannot find its one exported read_config_file to rename" % SLAPD)
        with open(path, "wb") as f:
            f.write(data.replace(exported, b"\x00slpd_config_file\x00"))
        os.chmod(path, 0o755)
        return path

    def env(self):
        # FAKETIME_SHARED names shared memory that does not exist (libfaketime goes on without it): left unset,
        # libfaketime creates some and setenv()s its name at start, which moves `environ` off the process
        # stack -- and Swift's runtime finds the command-line arguments from there: `annuaire serve`
        # started with CommandLine.arguments empty.
        return {"LD_PRELOAD": FAKETIME_LIBRARY, "FAKETIME_TIMESTAMP_FILE": self.path, "FAKETIME_NO_CACHE": "1",
                "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_SHARED": "/annuaire-no-sem /annuaire-no-shm"}
