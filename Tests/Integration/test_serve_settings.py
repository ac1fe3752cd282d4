"""`annuaire serve` settings seen from real clients: TLS required for passwords from another host, IPv6
listeners, server limits, invalid configuration. Each test starts its own server with the settings it checks."""

import os
import socket
import subprocess
import time

import pytest

import servers
from clients import Tools


def non_loopback_ipv4():
    """An IPv4 address of this host that is not loopback: the source address of a route to the outside.
    No packet is sent (UDP connect only picks the route)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))
        address = probe.getsockname()[0]
    except OSError as error:
        pytest.fail("this host has no non-loopback IPv4 route, which the confidentiality test needs: %s" % error)
    finally:
        probe.close()
    assert not address.startswith("127."), address
    return address


def ConfiguredAnnuaire(workdir, demo, host="127.0.0.1", extra=()):
    # The permissive rules: a person searching the whole tree is what the size limit test needs.
    return servers.Annuaire(workdir, demo, name="annuaire-settings", host=host,
                            extra=servers.PERMISSIVE + list(extra))


@pytest.fixture
def private_dir(tmp_path):
    return str(tmp_path)


def run_tool(argv, cacert=None, reqcert="never"):
    env = dict(os.environ, LDAPCONF=os.devnull, LDAPRC=os.devnull, LDAPTLS_REQCERT=reqcert)
    if cacert:
        env["LDAPTLS_CACERT"] = cacert
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    return done.returncode, done.stdout + done.stderr


def test_password_binds_need_tls_from_another_host(demo, private_dir):
    address = non_loopback_ipv4()
    person = demo.account("person")
    server = ConfiguredAnnuaire(private_dir, demo, host=address)
    server.start()
    try:
        plain, out = run_tool(["ldapwhoami", "-x", "-H", server.ldap_url, "-D", person["dn"], "-w", person["password"]])
        assert plain == 13, out  # confidentialityRequired
        assert "confidentiality" in out.lower(), out
        # The refusal says nothing about the password: a wrong one gets the same answer.
        wrong, out_wrong = run_tool(["ldapwhoami", "-x", "-H", server.ldap_url, "-D", person["dn"], "-w", "nope"])
        assert wrong == 13, out_wrong
        # Anonymous binds stay possible in the clear.
        anonymous, out = run_tool(["ldapwhoami", "-x", "-H", server.ldap_url])
        assert anonymous == 0 and "anonymous" in out, out
        # Over StartTLS and LDAPS the same bind succeeds (the certificate names 127.0.0.1, not this address:
        # the client is told not to check it here, the point being the encryption).
        zz, out = run_tool(["ldapwhoami", "-x", "-ZZ", "-H", server.ldap_url, "-D", person["dn"], "-w",
                            person["password"]])
        assert zz == 0 and ("dn:" + person["dn"]).lower() in out.lower(), out
        tls, out = run_tool(["ldapwhoami", "-x", "-H", server.ldaps_url, "-D", person["dn"], "-w",
                             person["password"]])
        assert tls == 0, out
    finally:
        assert server.stop() == 0, server.log_tail()


def test_password_binds_in_the_clear_when_allowed(demo, private_dir):
    address = non_loopback_ipv4()
    person = demo.account("person")
    server = ConfiguredAnnuaire(private_dir, demo, host=address, extra=["--require-tls-for-passwords", "false"])
    server.start()
    try:
        plain, out = run_tool(["ldapwhoami", "-x", "-H", server.ldap_url, "-D", person["dn"], "-w", person["password"]])
        assert plain == 0, out
    finally:
        assert server.stop() == 0, server.log_tail()


def test_ipv6_listeners(demo, private_dir):
    server = ConfiguredAnnuaire(private_dir, demo, host="::1")
    server.start()
    try:
        code, out = run_tool(["ldapsearch", "-x", "-LLL", "-H", server.ldap_url, "-s", "base", "-b", "",
                              "namingContexts"])
        assert code == 0 and "namingContexts: " + server.suffix in out, out
        code, out = run_tool(["ldapsearch", "-x", "-LLL", "-H", server.ldaps_url, "-s", "base", "-b", "",
                              "namingContexts"], cacert=server.cacert, reqcert="demand")
        assert code == 0 and "namingContexts: " + server.suffix in out, out
    finally:
        assert server.stop() == 0, server.log_tail()


def test_server_size_limit_and_connection_limit(demo, private_dir):
    person = demo.account("person")
    server = ConfiguredAnnuaire(private_dir, demo, extra=["--size-limit", "5", "--max-connections-per-address", "2"])
    server.start()
    tools = Tools(server)
    try:
        limited = tools.search(server.suffix, "(objectClass=*)", "1.1", bind=(person["dn"], person["password"]))
        assert limited.code == 4, limited  # sizeLimitExceeded, with the entries found
        assert len(limited.entries()) == 5, limited
        # The directory manager is bound only by its own request's limit, as slapd's rootdn.
        unlimited = tools.search(server.suffix, "(objectClass=*)", "1.1", bind="root")
        assert unlimited.code == 0 and len(unlimited.entries()) == len(demo.dns), unlimited
        # Two connections from 127.0.0.1 are served; a third is closed at once.
        first = socket.create_connection(("127.0.0.1", server.port))
        second = socket.create_connection(("127.0.0.1", server.port))
        time.sleep(0.3)
        third = socket.create_connection(("127.0.0.1", server.port))
        third.settimeout(5)
        assert third.recv(1) == b"", "the third connection from one address was not closed"
        for s in (first, second, third):
            s.close()
    finally:
        assert server.stop() == 0, server.log_tail()


@pytest.mark.parametrize("flags, key", [
    (["--size-limit=-1"], "size-limit"),
    (["--listen", "ftp://127.0.0.1:21"], "listen"),
    (["--tls-verify-clients", "required"], "tls-verify-clients"),
    (["--require-tls-for-passwords", "perhaps"], "require-tls-for-passwords"),
])
def test_invalid_configuration_exits_78_naming_the_key(private_dir, flags, key):
    done = subprocess.run([servers.annuaire_bin(), "serve", "--data-dir", os.path.join(private_dir, "d")] + flags,
                          capture_output=True, text=True, timeout=60, cwd=servers.REPO)
    assert done.returncode == 78, done
    assert key in done.stderr, done.stderr
