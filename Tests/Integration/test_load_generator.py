"""`annuaire bench`, the load generator, run briefly against real servers.

Against `annuaire serve` (demo data, permissive access rules, re-hash on bind off) every workload runs for
2 s, in clear and over TLS, and must end with a RESULT line with operations and no errors. Against the
private slapd (servers.Slapd: back-mdb, the same demo LDIF through slapadd) search-uid and bind run too,
so the generator is known to speak plain LDAPv3 rather than Annuaire's dialect. Bad arguments and an
unreadable credentials file must give a message and a non-zero exit, never a crash.
"""

import os
import re
import subprocess

import pytest

import servers
from conftest import started

RESULT = re.compile(r"^RESULT workload=(?P<workload>[a-z-]+) ops=(?P<ops>\d+) seconds=(?P<seconds>[0-9.]+) "
                    r"ops_per_s=(?P<rate>[0-9.]+) p50_ms=(?P<p50>[0-9.]+) p99_ms=(?P<p99>[0-9.]+) "
                    r"errors=(?P<errors>\d+)$")
GENERATOR = re.compile(r"^GENERATOR cpu_s_per_1k_ops=[0-9.]+ user_s=[0-9.]+ system_s=[0-9.]+$")


def bench(server, demo, workload, *extra, url=None, root=False, duration="2"):
    command = [servers.annuaire_bin(), "bench", "--url", url or server.ldap_url, "--workload", workload,
               "--credentials", demo.credentials_path, "--connections", "2", "--depth", "2",
               "--duration", duration, "--warmup", "0.5"]
    if root:
        command += ["--bind-dn", server.root_dn, "--password", server.root_password]
    command += list(extra)
    return subprocess.run(command, cwd=servers.REPO, capture_output=True, text=True, timeout=120)


def result_of(done):
    assert done.returncode == 0, "annuaire bench exited %d:\n%s%s" % (done.returncode, done.stdout, done.stderr)
    lines = done.stdout.strip().splitlines()
    assert lines, "no output; stderr:\n" + done.stderr
    match = RESULT.match(lines[-1])
    assert match, "the last line is not a RESULT line: %r\nstderr:\n%s" % (lines[-1], done.stderr)
    assert len(lines) >= 2 and GENERATOR.match(lines[-2]), "no GENERATOR line before RESULT: %r" % lines
    return match


def assert_clean(done, workload):
    match = result_of(done)
    assert match["workload"] == workload
    assert int(match["ops"]) > 0, "no operation done:\n" + done.stdout + done.stderr
    assert int(match["errors"]) == 0, "errors:\n" + done.stderr
    assert abs(float(match["seconds"]) - 2.0) < 0.01
    assert float(match["p50"]) <= float(match["p99"])
    return match


@pytest.fixture(scope="module")
def annuaire(workdir, demo):
    path = os.path.join(workdir, "bench-annuaire")
    os.makedirs(path)
    yield from started(servers.Annuaire(path, demo, name="bench-annuaire", extra=servers.PERMISSIVE))


@pytest.fixture(scope="module")
def slapd(workdir, demo):
    path = os.path.join(workdir, "bench-slapd")
    os.makedirs(path)
    yield from started(servers.Slapd(path, demo))


@pytest.mark.parametrize("workload", ["search-uid", "bind", "login", "modify", "mixed"])
def test_every_workload_against_annuaire(annuaire, demo, workload):
    done = bench(annuaire, demo, workload, root=workload in ("search-uid", "modify", "mixed"))
    assert_clean(done, workload)


@pytest.mark.parametrize("workload", ["search-uid", "login"])
def test_ldaps_against_annuaire(annuaire, demo, workload):
    done = bench(annuaire, demo, workload, "--ca-file", annuaire.cacert, url=annuaire.ldaps_url)
    assert_clean(done, workload)


def test_self_signed_certificate_needs_the_explicit_flag(annuaire, demo):
    refused = bench(annuaire, demo, "bind", url=annuaire.ldaps_url, duration="1")
    assert refused.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in refused.stderr
    assert "RESULT" not in refused.stdout
    done = bench(annuaire, demo, "bind", "--no-verify-certificate", url=annuaire.ldaps_url)
    assert_clean(done, "bind")


@pytest.mark.parametrize("workload", ["search-uid", "bind"])
def test_against_slapd(slapd, demo, workload):
    done = bench(slapd, demo, workload)
    assert_clean(done, workload)


def test_wrong_passwords_are_errors(annuaire, demo, workdir):
    wrong = os.path.join(workdir, "bench-wrong-passwords.tsv")
    with open(demo.credentials_path, encoding="utf-8") as src, open(wrong, "w", encoding="utf-8") as dst:
        for line in src:
            identifier, dn, _, role = line.rstrip("\n").split("\t")
            dst.write("%s\t%s\t%s\t%s\n" % (identifier, dn, "not-the-password", role))
    done = bench(annuaire, demo, "bind", "--credentials", wrong, duration="1")
    match = result_of(done)
    assert int(match["ops"]) == 0
    assert int(match["errors"]) > 0
    assert "invalidCredentials (49)" in done.stderr


@pytest.mark.parametrize("arguments, message", [
    (["--workload", "nope"], "is not one of search-uid, bind, login, modify, mixed"),
    (["--connections", "0"], "--connections must be 1 to"),
    (["--depth", "0"], "--depth must be 1 to"),
    (["--duration", "0"], "--duration must be more than 0"),
    (["--url", "http://127.0.0.1:1"], "must start with ldap:// or ldaps://"),
    (["--workload", "modify"], "give --bind-dn and --password"),
    (["--bind-dn", "cn=x"], "--bind-dn and --password go together"),
])
def test_bad_arguments(annuaire, demo, arguments, message):
    command = [servers.annuaire_bin(), "bench", "--url", annuaire.ldap_url, "--workload", "bind",
               "--credentials", demo.credentials_path, "--duration", "1"] + arguments
    done = subprocess.run(command, cwd=servers.REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 64, done.stdout + done.stderr
    assert message in done.stderr


def test_unreadable_credentials_and_unreachable_server(annuaire, demo, workdir):
    missing = bench(annuaire, demo, "bind", "--credentials", os.path.join(workdir, "no-such-file.tsv"))
    assert missing.returncode == 1
    assert "cannot read the credentials file" in missing.stderr
    garbled = os.path.join(workdir, "bench-garbled.tsv")
    with open(garbled, "w") as f:
        f.write("only\ttwo\n")
    bad = bench(annuaire, demo, "bind", "--credentials", garbled)
    assert bad.returncode == 1
    assert "line 1: expected identifier<TAB>dn<TAB>password<TAB>role" in bad.stderr
    closed = bench(annuaire, demo, "bind", url="ldap://127.0.0.1:%d" % servers.free_port(), duration="1")
    assert closed.returncode == 1
    assert "cannot connect to" in closed.stderr
