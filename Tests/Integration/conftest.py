"""Fixtures of the integration tests: the demo directory, Annuaire serving it, ldap-utils, ldap3.

`--target slapd` runs the ldap-utils and ldap3 suites against a private OpenLDAP slapd loaded with
the same data instead of Annuaire: a check of the tests themselves against the reference server.
`make test` runs the default, `--target annuaire`. The differential test always starts both.
"""

import itertools
import os
import re
import shutil
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import servers  # noqa: E402
from clients import Tools  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--target", choices=["annuaire", "slapd"], default=os.environ.get("INTEGRATION_TARGET", "annuaire"),
                     help="the server the ldap-utils and ldap3 suites run against (default annuaire)")


@pytest.fixture(scope="session")
def workdir():
    path = tempfile.mkdtemp(prefix="annuaire-integration-")
    yield path
    if os.environ.get("INTEGRATION_KEEP"):
        print("\nintegration work directory kept: %s" % path)
    else:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def demo(workdir):
    path = os.path.join(workdir, "demo")
    os.makedirs(path)
    return servers.Demo(path, people=60, seed=7)


def started(server):
    """Starts, yields, then stops with SIGTERM and checks the exit (status 0 within 15 s)."""
    server.start()
    try:
        yield server
    finally:
        status = server.stop()
    if status is None:
        pytest.fail("%s did not exit within %.0f s of SIGTERM (killed); its output:\n%s"
                    % (server.kind, servers.STOP_TIMEOUT, server.log_tail()))
    if status != 0:
        pytest.fail("%s exited with status %s after SIGTERM (expected 0); its output:\n%s"
                    % (server.kind, status, server.log_tail()))


@pytest.fixture(scope="session")
def target(request):
    return request.config.getoption("--target")


@pytest.fixture(scope="session")
def server(request, workdir, demo, target):
    """The server under test for the ldap-utils and ldap3 suites (one per session)."""
    path = os.path.join(workdir, "server-" + target)
    os.makedirs(path)
    if target == "slapd":
        instance = servers.Slapd(path, demo)
    else:
        # Protocol semantics, not the default policy: the permissive rules (servers.PERMISSIVE_RULES).
        instance = servers.Annuaire(path, demo, extra=servers.PERMISSIVE)
    yield from started(instance)


@pytest.fixture(scope="session")
def tools(server):
    return Tools(server)


_counter = itertools.count(1)


@pytest.fixture
def sandbox(request, server, tools):
    """A fresh organizationalUnit below the suffix, made by the manager, for a test that writes."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40]
    dn = "ou=t%d-%s,%s" % (next(_counter), name, server.suffix)
    done = tools.add("dn: %s\nobjectClass: organizationalUnit\nou: %s\n" % (dn, dn[3:].split(",")[0]), bind="root")
    assert done.code == 0, "could not create the sandbox %s: %r" % (dn, done)
    return dn
