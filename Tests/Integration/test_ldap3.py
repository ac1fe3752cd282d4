"""The server through python ldap3 (pure Python, its own BER): paged search, controls, extended
operations, abandon, and several operations in flight on one connection. Where ldap3 cannot say what
the test needs (abandon under back-pressure, chosen message ids), a raw socket with ber.py does.
"""

import ssl
import threading
import time

import pytest
from ldap3 import ALL_ATTRIBUTES, ASYNC, BASE, LEVEL, NONE, SUBTREE, SYNC, Connection, Server, Tls

import ber
from clients import by_name

SUFFIX = "dc=dgfip,dc=finances,dc=gouv,dc=fr"
PEOPLE = "ou=people," + SUFFIX
OID_ASSERTION = "1.3.6.1.1.12"
OID_PREREAD = "1.3.6.1.1.13.1"
OID_POSTREAD = "1.3.6.1.1.13.2"
OID_PAGED = "1.2.840.113556.1.4.319"


def ldap3_server(server, tls=False):
    if tls:
        t = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=server.cacert)
        return Server(server.host, port=server.tls_port, use_ssl=True, tls=t, get_info=NONE, connect_timeout=10)
    t = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=server.cacert)
    return Server(server.host, port=server.port, tls=t, get_info=NONE, connect_timeout=10)


def connect(server, user="root", password=None, tls=False, strategy=SYNC, start_tls=False):
    if user == "root":
        user, password = server.root_dn, server.root_password
    conn = Connection(ldap3_server(server, tls), user=user, password=password, client_strategy=strategy,
                      raise_exceptions=False, check_names=False, receive_timeout=30, return_empty_attributes=False,
                      auto_referrals=False)
    assert conn.open() is not False
    if start_tls:
        assert conn.start_tls(), conn.result
    if user is not None:
        assert conn.bind(), conn.result
    return conn


def people_count(demo):
    return len([dn for dn in demo.dns if dn.lower().endswith("," + PEOPLE.lower())])


def test_paged_search_generator(server, demo):
    conn = connect(server, tls=True)
    entries = list(conn.extend.standard.paged_search(PEOPLE, "(objectClass=inetOrgPerson)", search_scope=LEVEL,
                                                     attributes=["uid"], paged_size=7, generator=True))
    got = sorted(e["dn"].lower() for e in entries if e["type"] == "searchResEntry")
    expected = sorted(dn.lower() for dn in demo.dns if dn.lower().endswith("," + PEOPLE.lower()))
    assert got == expected
    conn.unbind()


def test_paged_search_by_hand(server, demo):
    conn = connect(server, start_tls=True)
    cookie, pages, seen = None, 0, []
    while True:
        ok = conn.search(PEOPLE, "(objectClass=*)", search_scope=LEVEL, attributes=["1.1"], paged_size=10,
                         paged_cookie=cookie)
        assert ok and conn.result["result"] == 0, conn.result
        pages += 1
        assert len(conn.response) <= 10
        seen += [e["dn"].lower() for e in conn.response]
        control = conn.result["controls"][OID_PAGED]["value"]
        cookie = control["cookie"]
        if not cookie:
            break
        assert pages < 100
    assert sorted(seen) == sorted(set(seen)), "an entry came twice"
    assert len(seen) == people_count(demo)
    assert pages == (people_count(demo) + 9) // 10
    # abandon a paged search half-way with size 0 and the cookie (RFC 2696 section 3)
    conn.search(PEOPLE, "(objectClass=*)", search_scope=LEVEL, attributes=["1.1"], paged_size=10)
    cookie = conn.result["controls"][OID_PAGED]["value"]["cookie"]
    assert cookie
    conn.search(PEOPLE, "(objectClass=*)", search_scope=LEVEL, attributes=["1.1"], paged_size=0, paged_cookie=cookie)
    assert conn.result["result"] == 0, conn.result
    assert conn.response == []
    returned = (conn.result.get("controls") or {}).get(OID_PAGED)
    assert returned is None or not returned["value"]["cookie"], conn.result
    conn.unbind()


def test_paged_cookie_is_bound_to_its_connection(server):
    first = connect(server)
    first.search(PEOPLE, "(objectClass=*)", search_scope=LEVEL, attributes=["1.1"], paged_size=5)
    cookie = first.result["controls"][OID_PAGED]["value"]["cookie"]
    assert cookie
    second = connect(server)
    second.search(PEOPLE, "(objectClass=*)", search_scope=LEVEL, attributes=["1.1"], paged_size=5,
                  paged_cookie=cookie)
    # slapd: unwillingToPerform (53) "paged results cookie is invalid"; an error in any case
    assert second.result["result"] != 0, second.result
    assert second.response == [] or second.response is None
    first.unbind()
    second.unbind()


def test_whoami_and_modify_password(server, demo):
    conn = connect(server, tls=True)
    assert conn.extend.standard.who_am_i().lower() == "dn:" + server.root_dn.lower()
    person = demo.account("person", 5)
    user = connect(server, person["dn"], person["password"], tls=True)
    assert user.extend.standard.who_am_i().lower() == "dn:" + person["dn"].lower()
    anonymous = Connection(ldap3_server(server, True), raise_exceptions=False)
    anonymous.open()
    assert anonymous.extend.standard.who_am_i() in (None, "")
    assert anonymous.result["result"] == 0
    anonymous.unbind()
    user.unbind()


def add_user(conn, dn, password):
    uid = dn.split(",")[0].split("=")[1]
    ok = conn.add(dn, ["inetOrgPerson"], {"cn": uid, "sn": uid, "uid": uid, "userPassword": password})
    assert ok, conn.result


@pytest.fixture
def ldap3_sandbox(sandbox):
    return sandbox


def test_modify_password_generated_and_given(server, ldap3_sandbox):
    root = connect(server, tls=True)
    dn = "uid=pw3," + ldap3_sandbox
    add_user(root, dn, "First-Pass-1")
    user = connect(server, dn, "First-Pass-1", tls=True)
    generated = user.extend.standard.modify_password(old_password="First-Pass-1")
    assert user.result["result"] == 0, user.result
    assert isinstance(generated, str) and len(generated) >= 8, generated
    assert connect(server, dn, generated).bound
    ok = root.extend.standard.modify_password(user=dn, new_password="Given-Pass-2")
    assert ok is True and root.result["result"] == 0, root.result
    assert connect(server, dn, "Given-Pass-2").bound
    bad = Connection(ldap3_server(server), user=dn, password=generated, raise_exceptions=False)
    bad.open()
    assert not bad.bind() and bad.result["result"] == 49


def test_assertion_control(server, ldap3_sandbox):
    conn = connect(server)
    dn = "uid=as3," + ldap3_sandbox
    add_user(conn, dn, "Pass-as3-1")
    failing = [(OID_ASSERTION, True, ber.equality("sn", "someone-else"))]
    conn.modify(dn, {"title": [("MODIFY_REPLACE", ["X"])]}, controls=failing)
    assert conn.result["result"] == 122, conn.result
    conn.search(dn, "(objectClass=*)", BASE, attributes=["title"])
    assert conn.response[0]["attributes"].get("title") in ([], None)
    holding = [(OID_ASSERTION, True, ber.equality("sn", "as3"))]
    conn.modify(dn, {"title": [("MODIFY_REPLACE", ["X"])]}, controls=holding)
    assert conn.result["result"] == 0, conn.result
    conn.compare(dn, "title", "X", controls=failing)
    assert conn.result["result"] == 122, conn.result
    conn.compare(dn, "title", "X", controls=holding)
    assert conn.result["result"] == 6, conn.result
    conn.search(dn, "(objectClass=*)", BASE, attributes=["title"], controls=failing)
    assert conn.result["result"] == 122 and conn.response == [], conn.result


def decode_entry(value):
    """A pre/post-read control value as ldap3 decodes it -> {attr lower: sorted values} (ldap3 drops the DN)."""
    assert isinstance(value, dict) and "result" in value, "undecodable pre/post-read value %r" % (value,)
    return {k.lower(): sorted(str(v) for v in vs) for k, vs in value["result"].items()}


def test_pre_and_post_read_controls(server, ldap3_sandbox):
    conn = connect(server)
    dn = "uid=rd3," + ldap3_sandbox
    add_user(conn, dn, "Pass-rd3-1")
    selection = ber.seq(ber.octets("title"), ber.octets("sn"))
    conn.modify(dn, {"title": [("MODIFY_REPLACE", ["Nouveau"])]},
                controls=[(OID_PREREAD, True, selection), (OID_POSTREAD, True, selection)])
    assert conn.result["result"] == 0, conn.result
    controls = conn.result["controls"]
    pre = decode_entry(controls[OID_PREREAD]["value"])
    post = decode_entry(controls[OID_POSTREAD]["value"])
    assert pre == {"sn": ["rd3"]}
    assert post == {"sn": ["rd3"], "title": ["Nouveau"]}
    # modrdn: pre-read shows the old RDN value, post-read the new one and the new DN
    conn.modify_dn(dn, "uid=rd3b", delete_old_dn=True,
                   controls=[(OID_PREREAD, False, ber.seq(ber.octets("uid"))),
                             (OID_POSTREAD, False, ber.seq(ber.octets("uid"), ber.octets("entryDN")))])
    assert conn.result["result"] == 0, conn.result
    pre = decode_entry(conn.result["controls"][OID_PREREAD]["value"])
    post = decode_entry(conn.result["controls"][OID_POSTREAD]["value"])
    assert pre == {"uid": ["rd3"]}
    assert post["uid"] == ["rd3b"] and [v.lower() for v in post["entrydn"]] == [("uid=rd3b," + ldap3_sandbox).lower()]


def test_async_operations_in_flight(server, demo):
    """Many requests sent before any response is read; each answer matches its request."""
    conn = connect(server, strategy=ASYNC)
    people = [a for a in demo.accounts if a["role"] == "person"][:12]
    ids = {}
    for account in people:
        ids[conn.search(PEOPLE, "(uid=%s)" % account["identifier"], LEVEL, attributes=["uid"])] = ("s", account)
    for account in people[:4]:
        ids[conn.compare(account["dn"], "uid", account["identifier"])] = ("c", account)
    assert len(ids) == len(people) + 4
    for msgid, (kind, account) in ids.items():
        response, result = conn.get_response(msgid)
        assert result["message_id"] == msgid if "message_id" in result else True
        if kind == "s":
            assert result["result"] == 0, result
            assert [r["dn"].lower() for r in response] == [account["dn"].lower()]
        elif kind == "c":
            assert result["result"] == 6, result
    assert conn.extend.standard.who_am_i().lower() == "dn:" + server.root_dn.lower()
    conn.unbind()


def test_pipelined_message_ids_raw(server, demo):
    """Requests with unusual message ids in one write; every response carries its request's id."""
    c = ber.RawConnection(server.host, server.port)
    c.send(ber.message(7, ber.simple_bind(server.root_dn, server.root_password)))
    r = c.receive()
    assert (r.msgid, r.tag, r.code) == (7, 0x61, 0), r
    people = [a for a in demo.accounts if a["role"] == "person"][:10]
    requests, expected = [], {}
    for i, account in enumerate(people):
        msgid = 1000 + 97 * i if i % 2 else 2 ** 31 - 1 - i  # large ids too
        requests.append(ber.message(msgid, ber.search(PEOPLE, 1, ber.equality("uid", account["identifier"]),
                                                      ["uid"])))
        expected[msgid] = account["dn"].lower()
    c.send(*requests)
    done, entries = set(), {}
    while len(done) < len(expected):
        r = c.receive()
        assert r.msgid in expected, "response with an unknown message id %d" % r.msgid
        if r.tag == 0x64:
            entries.setdefault(r.msgid, []).append(r.dn.lower())
        elif r.tag == 0x65:
            assert r.code == 0 and r.msgid not in done
            done.add(r.msgid)
        else:
            pytest.fail("unexpected response %r" % r)
    assert entries == {m: [dn] for m, dn in expected.items()}
    c.send(ber.message(9, ber.unbind()))
    c.close()


def test_abandon_running_search(server, ldap3_sandbox):
    """A search blocked on a client that does not read is abandoned: no more entries, no SearchResultDone.

    300 entries of 64 KiB (19 MiB) cannot sit in the kernel's socket buffers, so the server is still
    sending when the Abandon arrives. After it, the server may still flush what it had queued, but it
    must stop well before the end and must not send a SearchResultDone for the abandoned search
    (RFC 4511 4.11); the connection stays usable.
    """
    conn = connect(server)
    big = "x" * 65536
    base = "ou=big," + ldap3_sandbox
    assert conn.add(base, ["organizationalUnit"], {"ou": "big"}), conn.result
    for i in range(300):
        assert conn.add("cn=b%03d,%s" % (i, base), ["person"], {"cn": "b%03d" % i, "sn": "s", "description": big}), \
            conn.result
    conn.unbind()
    c = ber.RawConnection(server.host, server.port, rcvbuf=4096)
    c.send(ber.message(1, ber.simple_bind(server.root_dn, server.root_password)))
    assert c.receive().code == 0
    c.send(ber.message(2, ber.search(base, 1, None, ["description"])))
    time.sleep(1.0)  # the server fills the socket buffers and blocks
    first = c.receive()
    assert first.msgid == 2 and first.tag == 0x64, first
    c.send(ber.message(3, ber.abandon(2)), ber.message(4, ber.extended("1.3.6.1.4.1.4203.1.11.3")))
    count, final = 1, None
    while True:
        r = c.receive()
        if r.msgid == 4:
            final = r
            break
        assert r.msgid == 2, r
        assert r.tag == 0x64, "a response %r to the abandoned search" % r
        count += 1
    assert final.tag == 0x78 and final.code == 0, final
    assert count < 300, "all 300 entries were sent: the abandon did not stop the search"
    c.send(ber.message(5, ber.unbind()))
    c.close()


def test_abandon_unknown_and_finished_ids(server):
    """Abandon of an id that is not running gets no response and leaves the connection working."""
    c = ber.RawConnection(server.host, server.port)
    c.send(ber.message(1, ber.abandon(12345)), ber.message(2, ber.abandon(1)),
           ber.message(3, ber.extended("1.3.6.1.4.1.4203.1.11.3")))
    r = c.receive()
    assert (r.msgid, r.tag, r.code) == (3, 0x78, 0), r
    c.close()


def test_search_of_many_entries_over_tls_with_concurrency(server, demo):
    """Four threads, each its own TLS connection, reading the whole people subtree five times."""
    errors = []

    def work():
        try:
            conn = connect(server, tls=True)
            for _ in range(5):
                conn.search(PEOPLE, "(objectClass=*)", SUBTREE, attributes=[ALL_ATTRIBUTES])
                if len(conn.response) != people_count(demo) + 1:
                    errors.append("got %d entries" % len(conn.response))
            conn.unbind()
        except Exception as error:  # reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []


def test_rebind_on_same_connection(server, demo):
    a, b = demo.account("person", 2), demo.account("portal")
    conn = Connection(ldap3_server(server), raise_exceptions=False)
    conn.open()
    assert conn.rebind(a["dn"], a["password"]), conn.result
    assert conn.extend.standard.who_am_i().lower() == "dn:" + a["dn"].lower()
    assert conn.rebind(b["dn"], b["password"]), conn.result
    assert conn.extend.standard.who_am_i().lower() == "dn:" + b["dn"].lower()
    assert not conn.rebind(b["dn"], "wrong")
    assert conn.result["result"] == 49
    # after a failed bind the connection is anonymous
    assert conn.extend.standard.who_am_i() in (None, "")
    conn.unbind()


def test_typesonly_and_attribute_options(server, demo):
    conn = connect(server)
    person = demo.account("person", 3)
    conn.search(person["dn"], "(objectClass=*)", BASE, attributes=["cn", "sn"], types_only=True)
    attrs = conn.response[0]["attributes"]
    assert {k.lower() for k in attrs} == {"cn", "sn"}
    assert all(not v for v in attrs.values()), attrs
    # an attribute option the entry lacks selects nothing (RFC 4512 2.5.2)
    conn.search(person["dn"], "(objectClass=*)", BASE, attributes=["cn;lang-fr"])
    assert conn.result["result"] == 0
    assert {k.lower() for k in conn.response[0]["raw_attributes"]} <= {"cn;lang-fr"}
    assert not any(conn.response[0]["raw_attributes"].values())
