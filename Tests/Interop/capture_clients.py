#!/usr/bin/env python3
"""Capture the LDAP PDUs that real clients send, as evidence for Annuaire's decoder.

A small LDAP responder listens on 127.0.0.1 (a free port chosen by the kernel), records every PDU a
client sends (framed by its BER length) and answers each request with a plausible success, so the
client goes on to its next operation. The script then drives OpenLDAP's ldap-utils (ldapsearch,
ldapadd, ldapmodify, ldapdelete, ldapmodrdn, ldapcompare, ldappasswd, ldapwhoami, ldapexop) and the
Python ldap3 library against it.

Output, in the directory given with --out:
  NN-name.hex     one file per client invocation: each PDU the client sent, as one hex line
  manifest.json   for each file: client, command line (the port written as PORT), exit status, and
                  the messages the client is expected to have sent, in order, fully described
                  (operation name, messageID, fields, controls) in the JSON form that
                  Tests/LDAPProtocolTests/InteropTests.swift turns into LDAPMessage values.

The script checks the captured PDUs against the expectations only coarsely (count, operation tag
and messageID), and exits non-zero when they differ; Annuaire's decoder does the detailed check.

Exit status 3 means a client is missing: `make test` installs ldap-utils (apt) and ldap3 (pip).

Usage: capture_clients.py --out DIR
       capture_clients.py --ldap3 SESSION --port PORT   (internal: one ldap3 session)
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

BASE = "dc=example,dc=com"
ADMIN = "cn=admin," + BASE
SECRET = "secret"
PORT_PLACEHOLDER = "PORT"

OID_STARTTLS = "1.3.6.1.4.1.1466.20037"
OID_WHOAMI = "1.3.6.1.4.1.4203.1.11.3"
OID_PASSWD = "1.3.6.1.4.1.4203.1.11.1"
OID_PAGED = "1.2.840.113556.1.4.319"
OID_PPOLICY = "1.3.6.1.4.1.42.2.27.8.5.1"
OID_ASSERT = "1.3.6.1.1.12"
OID_PREREAD = "1.3.6.1.1.13.1"
OID_POSTREAD = "1.3.6.1.1.13.2"
OID_TREE_DELETE = "1.2.840.113556.1.4.805"

GENERATED_PASSWORD = "gen-Pa55word"
# A search whose base starts with this is never answered, so that ldap3 can abandon it.
UNANSWERED_BASE = "cn=never-answered," + BASE


# ----------------------------------------------------------------------------------------------
# Minimal BER, enough to read requests and write responses (LDAP tags are all single-byte).

def ber_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, content):
    return bytes([tag]) + ber_length(len(content)) + content


def octets(value, tag=0x04):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return tlv(tag, value)


def integer(value, tag=0x02):
    length = max(1, (value.bit_length() + 8) // 8)
    return tlv(tag, value.to_bytes(length, "big", signed=True))


def sequence(*parts, tag=0x30):
    return tlv(tag, b"".join(parts))


def read_tlv(data, offset):
    """Returns (tag, content, next offset), or None when data holds no complete element yet."""
    if len(data) < offset + 2:
        return None
    tag = data[offset]
    first = data[offset + 1]
    position = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported BER length form 0x%02x" % first)
        if len(data) < position + count:
            return None
        length = int.from_bytes(data[position:position + count], "big")
        position += count
    if len(data) < position + length:
        return None
    return tag, data[position:position + length], position + length


def elements(content):
    """All TLVs of a constructed element's content, as (tag, content) pairs."""
    offset, found = 0, []
    while offset < len(content):
        parsed = read_tlv(content, offset)
        if parsed is None:
            raise ValueError("truncated element")
        tag, value, offset = parsed
        found.append((tag, value))
    return found


def ldap_result(code, matched="", diagnostic="", tag=0x61, extra=b""):
    return tlv(tag, integer(code, tag=0x0A) + octets(matched) + octets(diagnostic) + extra)


def control(oid, value=None, critical=False):
    body = octets(oid)
    if critical:
        body += tlv(0x01, b"\xff")
    if value is not None:
        body += octets(value)
    return sequence(body)


def message(message_id, op, controls=()):
    body = integer(message_id) + op
    if controls:
        body += sequence(*controls, tag=0xA0)
    return sequence(body)


# ----------------------------------------------------------------------------------------------
# The responder.

class Capture:
    """The PDUs of one client invocation, possibly over several connections."""

    def __init__(self):
        self.pdus = []
        self.lock = threading.Lock()
        self.open_connections = 0
        self.done = threading.Condition(self.lock)
        self.errors = []


class Responder:
    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.capture = None
        self.thread = threading.Thread(target=self.accept_loop, daemon=True)
        self.thread.start()

    def accept_loop(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            capture = self.capture
            with capture.lock:
                capture.open_connections += 1
            threading.Thread(target=self.serve, args=(connection, capture), daemon=True).start()

    def serve(self, connection, capture):
        buffer = b""
        try:
            connection.settimeout(30)
            while True:
                parsed = read_tlv(buffer, 0)
                if parsed is None:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                    continue
                _, _, end = parsed
                pdu, buffer = buffer[:end], buffer[end:]
                with capture.lock:
                    capture.pdus.append(pdu)
                replies, close = respond(pdu)
                for reply in replies:
                    connection.sendall(reply)
                if close:
                    return
        except Exception as error:  # recorded, reported by the caller
            with capture.lock:
                capture.errors.append("%s: %s" % (type(error).__name__, error))
        finally:
            connection.close()
            with capture.lock:
                capture.open_connections -= 1
                capture.done.notify_all()

    def run(self, capture, action):
        """Runs action() with connections attributed to capture, then waits for them to close."""
        self.capture = capture
        result = action()
        with capture.lock:
            capture.done.wait_for(lambda: capture.open_connections == 0, timeout=10)
        return result

    def close(self):
        self.listener.close()


def respond(pdu):
    """The replies to one request PDU, and whether to close the connection afterwards."""
    tag, content, _ = read_tlv(pdu, 0)
    if tag != 0x30:
        raise ValueError("not an LDAPMessage")
    parts = elements(content)
    message_id = int.from_bytes(parts[0][1], "big", signed=True)
    op_tag, op = parts[1]
    control_oids = {}
    if len(parts) > 2 and parts[2][0] == 0xA0:
        for _, control_content in elements(parts[2][1]):
            fields = elements(control_content)
            value = next((v for t, v in fields[1:] if t == 0x04), None)
            control_oids[fields[0][1].decode()] = value

    if op_tag == 0x60:  # bindRequest
        controls = []
        if OID_PPOLICY in control_oids:
            # warning: timeBeforeExpiration 3600 s
            controls.append(control(OID_PPOLICY, sequence(tlv(0xA0, integer(3600, tag=0x80)))))
        return [message(message_id, ldap_result(0, tag=0x61), controls)], False
    if op_tag == 0x42:  # unbindRequest
        return [], True
    if op_tag == 0x50:  # abandonRequest: no response
        return [], False
    if op_tag == 0x63:  # searchRequest
        base = elements(op)[0][1].decode("utf-8", "replace")
        if base.lower().startswith(UNANSWERED_BASE.split(",")[0]):
            return [], False
        entry = tlv(0x64, octets("cn=Jean Dupont,ou=people," + BASE) + sequence(
            sequence(octets("objectClass"), sequence(octets("top"), octets("person"), tag=0x31)),
            sequence(octets("cn"), sequence(octets("Jean Dupont"), tag=0x31)),
            sequence(octets("sn"), sequence(octets("Dupont"), tag=0x31)),
        ))
        controls = []
        if OID_PAGED in control_oids:
            paged = elements(elements(control_oids[OID_PAGED])[0][1])
            cookie = b"" if paged[1][1] else b"page-2"
            controls.append(control(OID_PAGED, sequence(integer(2), octets(cookie))))
        return [message(message_id, entry), message(message_id, ldap_result(0, tag=0x65), controls)], False
    if op_tag in (0x66, 0x68, 0x6C):  # modify, add, modifyDN: answer with the read-entry controls asked for
        dn = elements(op)[0][1]
        controls = []
        for oid in (OID_PREREAD, OID_POSTREAD):
            if oid in control_oids:
                entry = tlv(0x64, octets(dn) + sequence(
                    sequence(octets("cn"), sequence(octets("Jean Dupont"), tag=0x31))))
                controls.append(control(oid, entry))
        return [message(message_id, ldap_result(0, tag=op_tag + 1), controls)], False
    if op_tag == 0x4A:  # delRequest
        return [message(message_id, ldap_result(0, tag=0x6B))], False
    if op_tag == 0x6E:  # compareRequest
        return [message(message_id, ldap_result(6, tag=0x6F))], False
    if op_tag == 0x77:  # extendedRequest
        fields = dict(elements(op))
        name = fields.get(0x80, b"").decode()
        value = fields.get(0x81)
        if name == OID_WHOAMI:
            return [message(message_id, ldap_result(0, tag=0x78, extra=octets("dn:cn=admin", tag=0x8B)))], False
        if name == OID_PASSWD:
            given = dict(elements(elements(value)[0][1])) if value else {}
            extra = b""
            if 0x82 not in given:
                extra = octets(sequence(octets(GENERATED_PASSWORD, tag=0x80)), tag=0x8B)
            return [message(message_id, ldap_result(0, tag=0x78, extra=extra))], False
        if name == OID_STARTTLS:
            reply = ldap_result(52, diagnostic="TLS is not available in the capture responder", tag=0x78,
                                extra=octets(OID_STARTTLS, tag=0x8A))
            return [message(message_id, reply)], False
        return [message(message_id, ldap_result(2, diagnostic="unknown extended operation", tag=0x78))], False
    return [message(0, ldap_result(2, diagnostic="unexpected PDU", tag=0x78,
                                   extra=octets("1.3.6.1.4.1.1466.20036", tag=0x8A)))], True


# ----------------------------------------------------------------------------------------------
# Expected messages, in the JSON form InteropTests.swift reads. Byte strings are JSON strings
# (UTF-8) or {"hex": "..."}; filters are trees ({"and": [...]}, {"eq": [attr, value]}, ...).

def msg(op, message_id, controls=(), **fields):
    entry = {"op": op, "messageID": message_id}
    entry.update(fields)
    if controls:
        entry["controls"] = list(controls)
    return entry


def ctl(oid, critical=False, value=None):
    entry = {"oid": oid, "critical": critical}
    if value is not None:
        entry["value"] = value
    return entry


def bind(message_id, name=ADMIN, password=SECRET, controls=()):
    return msg("BindRequest", message_id, controls, version=3, name=name, simple=password)


def unbind(message_id):
    return msg("UnbindRequest", message_id)


def search(message_id, base, scope, filter, attributes=(), deref=0, size=0, time=0, types_only=False,
           controls=()):
    return msg("SearchRequest", message_id, controls, baseObject=base, scope=scope, derefAliases=deref,
               sizeLimit=size, timeLimit=time, typesOnly=types_only, filter=filter, attributes=list(attributes))


def extended(message_id, name, value=None, controls=()):
    fields = {"name": name}
    if value is not None:
        fields["value"] = value
    return msg("ExtendedRequest", message_id, controls, **fields)


def passwd_value(user=None, old=None, new=None):
    value = {}
    if user is not None:
        value["userIdentity"] = user
    if old is not None:
        value["oldPassword"] = old
    if new is not None:
        value["newPassword"] = new
    return {"passwordModify": value}


def AND(*filters): return {"and": list(filters)}
def OR(*filters): return {"or": list(filters)}
def NOT(filter): return {"not": filter}
def EQ(attribute, value): return {"eq": [attribute, value]}
def GE(attribute, value): return {"ge": [attribute, value]}
def LE(attribute, value): return {"le": [attribute, value]}
def APPROX(attribute, value): return {"approx": [attribute, value]}
def PRESENT(attribute): return {"present": attribute}


def SUB(attribute, initial=None, any=(), final=None):
    body = {"type": attribute, "any": list(any)}
    if initial is not None:
        body["initial"] = initial
    if final is not None:
        body["final"] = final
    return {"substrings": body}


def EXT(value, rule=None, type=None, dn=False):
    body = {"value": value, "dnAttributes": dn}
    if rule is not None:
        body["rule"] = rule
    if type is not None:
        body["type"] = type
    return {"ext": body}


OBJECT_CLASS_ANY = PRESENT("objectClass")

LDIF_ADD = """\
dn: ou=people,dc=example,dc=com
objectClass: top
objectClass: organizationalUnit
ou: people

dn: uid=jdupont,ou=people,dc=example,dc=com
objectClass: top
objectClass: inetOrgPerson
uid: jdupont
cn: Jean Dupont
sn: Dupont
description:: w6l0w6kgw6AgTMOpem9u
userPassword:: AP8QgA==
"""

LDIF_CHANGES = """\
dn: uid=mmartin,ou=people,dc=example,dc=com
changetype: add
objectClass: inetOrgPerson
uid: mmartin
cn: Marie Martin
sn: Martin

dn: uid=jdupont,ou=people,dc=example,dc=com
changetype: modify
add: mail
mail: jean.dupont@example.com
mail: jdupont@example.com
-
delete: telephoneNumber
-
delete: description
description: ancien
-
replace: sn
sn: Dupont-Durand
-
replace: seeAlso
-
increment: uidNumber
uidNumber: 5
-

dn: uid=old,ou=people,dc=example,dc=com
control: 1.2.840.113556.1.4.805 true
changetype: delete

dn: uid=jdupont,ou=people,dc=example,dc=com
changetype: modrdn
newrdn: uid=jean
deleteoldrdn: 1
newsuperior: ou=staff,dc=example,dc=com

dn: uid=jean,ou=staff,dc=example,dc=com
changetype: moddn
newrdn: cn=Jean Dupont
deleteoldrdn: 0
"""

LDIF_MODIFY_WITH_CONTROLS = """\
dn: uid=jdupont,ou=people,dc=example,dc=com
changetype: modify
replace: cn
cn: Jean Dupont
-
"""


def ldap_utils_invocations(ldif_dir):
    """(name, argv with PORT placeholder, expected exit status, expected messages)."""
    uri = ["-x", "-H", "ldap://127.0.0.1:" + PORT_PLACEHOLDER]
    auth = uri + ["-D", ADMIN, "-w", SECRET]
    people = "ou=people," + BASE
    jdupont = "uid=jdupont," + people
    add_file = os.path.join(ldif_dir, "add.ldif")
    changes_file = os.path.join(ldif_dir, "changes.ldif")
    controls_file = os.path.join(ldif_dir, "modify-with-controls.ldif")
    complex_filter = ("(&(objectClass=person)(|(cn=J*n)(sn=*dup*nt)(description=*a*b*))(!(uid=x))"
                      "(uidNumber>=1000)(uidNumber<=2000)(cn~=jon)(cn:dn:caseExactMatch:=x)(:2.5.13.5:=y)(mail=*))")
    complex_tree = AND(
        EQ("objectClass", "person"),
        OR(SUB("cn", initial="J", final="n"), SUB("sn", any=["dup"], final="nt"), SUB("description", any=["a", "b"])),
        NOT(EQ("uid", "x")),
        GE("uidNumber", "1000"),
        LE("uidNumber", "2000"),
        APPROX("cn", "jon"),
        EXT("x", rule="caseExactMatch", type="cn", dn=True),
        EXT("y", rule="2.5.13.5"),
        PRESENT("mail"),
    )
    return [
        ("ldapsearch-anonymous-base", ["ldapsearch"] + uri + ["-b", "", "-s", "base", "(objectClass=*)", "+"], 0,
         [bind(1, name="", password=""), search(2, "", 0, OBJECT_CLASS_ANY, ["+"]), unbind(3)]),
        ("ldapsearch-one", ["ldapsearch"] + auth + ["-b", people, "-s", "one", "(uid=jdupont)", "cn", "mail"], 0,
         [bind(1), search(2, people, 1, EQ("uid", "jdupont"), ["cn", "mail"]), unbind(3)]),
        ("ldapsearch-sub-complex-filter",
         ["ldapsearch"] + auth + ["-b", BASE, "-s", "sub", "-z", "5", "-l", "7", complex_filter, "cn", "sn", "1.1"],
         0, [bind(1), search(2, BASE, 2, complex_tree, ["cn", "sn", "1.1"], size=5, time=7), unbind(3)]),
        ("ldapsearch-children-typesonly-deref",
         ["ldapsearch"] + auth + ["-b", BASE, "-s", "children", "-a", "always", "-A", "(cn=*)", "*", "+"], 0,
         [bind(1), search(2, BASE, 3, PRESENT("cn"), ["*", "+"], deref=3, types_only=True), unbind(3)]),
        ("ldapsearch-escaped-values",
         ["ldapsearch"] + auth + ["-b", BASE, "(|(cn=a\\2ab\\28\\29\\5c)(sn=M\u00fcller)(objectGUID=\\00\\ff\\10))"],
         0, [bind(1), search(2, BASE, 2, OR(EQ("cn", "a*b()\\"), EQ("sn", "M\u00fcller"),
                                            EQ("objectGUID", {"hex": "00ff10"}))), unbind(3)]),
        ("ldapsearch-paged", ["ldapsearch"] + auth + ["-b", BASE, "-E", "pr=10/noprompt", "(objectClass=*)", "cn"], 0,
         [bind(1),
          search(2, BASE, 2, OBJECT_CLASS_ANY, ["cn"],
                 controls=[ctl(OID_PAGED, value={"paged": {"size": 10, "cookie": ""}})]),
          search(3, BASE, 2, OBJECT_CLASS_ANY, ["cn"],
                 controls=[ctl(OID_PAGED, value={"paged": {"size": 10, "cookie": "page-2"}})]),
          unbind(4)]),
        ("ldapsearch-controls",
         ["ldapsearch"] + auth + ["-b", jdupont, "-s", "base", "-e", "ppolicy", "-e", "assert=(cn=x)",
                                  "-e", "preread=cn", "-e", "postread", "(objectClass=*)"], 0,
         [bind(1, controls=[ctl(OID_PPOLICY)]),
          # -e options are general controls: ldapsearch sends ppolicy with the search too, in this order.
          search(2, jdupont, 0, OBJECT_CLASS_ANY, controls=[
              ctl(OID_ASSERT, value={"assertion": EQ("cn", "x")}),
              ctl(OID_PPOLICY),
              ctl(OID_PREREAD, value={"attributes": ["cn"]}),
              ctl(OID_POSTREAD, value={"attributes": []}),
          ]),
          unbind(3)]),
        ("ldapadd", ["ldapadd"] + auth + ["-f", add_file], 0,
         [bind(1),
          msg("AddRequest", 2, entry=people, attributes=[
              ["objectClass", ["top", "organizationalUnit"]], ["ou", ["people"]]]),
          msg("AddRequest", 3, entry=jdupont, attributes=[
              ["objectClass", ["top", "inetOrgPerson"]], ["uid", ["jdupont"]], ["cn", ["Jean Dupont"]],
              ["sn", ["Dupont"]], ["description", ["\u00e9t\u00e9 \u00e0 L\u00e9zon"]],
              ["userPassword", [{"hex": "00ff1080"}]]]),
          unbind(4)]),
        ("ldapmodify-changetypes", ["ldapmodify"] + auth + ["-f", changes_file], 0,
         [bind(1),
          msg("AddRequest", 2, entry="uid=mmartin," + people, attributes=[
              ["objectClass", ["inetOrgPerson"]], ["uid", ["mmartin"]], ["cn", ["Marie Martin"]], ["sn", ["Martin"]]]),
          msg("ModifyRequest", 3, object=jdupont, changes=[
              [0, "mail", ["jean.dupont@example.com", "jdupont@example.com"]],
              [1, "telephoneNumber", []],
              [1, "description", ["ancien"]],
              [2, "sn", ["Dupont-Durand"]],
              [2, "seeAlso", []],
              [3, "uidNumber", ["5"]],
          ]),
          msg("DelRequest", 4, controls=[ctl(OID_TREE_DELETE, critical=True)], dn="uid=old," + people),
          msg("ModifyDNRequest", 5, entry=jdupont, newRDN="uid=jean", deleteOldRDN=True,
              newSuperior="ou=staff," + BASE),
          msg("ModifyDNRequest", 6, entry="uid=jean,ou=staff," + BASE, newRDN="cn=Jean Dupont", deleteOldRDN=False),
          unbind(7)]),
        ("ldapmodify-controls",
         ["ldapmodify"] + auth + ["-e", "!assert=(sn=Dupont)", "-e", "preread=cn,sn", "-e", "postread=*",
                                  "-f", controls_file], 0,
         [bind(1),
          msg("ModifyRequest", 2, controls=[
              ctl(OID_ASSERT, critical=True, value={"assertion": EQ("sn", "Dupont")}),
              ctl(OID_PREREAD, value={"attributes": ["cn", "sn"]}),
              ctl(OID_POSTREAD, value={"attributes": ["*"]}),
          ], object=jdupont, changes=[[2, "cn", ["Jean Dupont"]]]),
          unbind(3)]),
        ("ldapdelete", ["ldapdelete"] + auth + ["uid=a," + people, "uid=b," + people], 0,
         [bind(1), msg("DelRequest", 2, dn="uid=a," + people), msg("DelRequest", 3, dn="uid=b," + people),
          unbind(4)]),
        ("ldapmodrdn", ["ldapmodrdn"] + auth + ["-r", "-s", "ou=archive," + BASE, jdupont, "uid=jean"], 0,
         [bind(1),
          msg("ModifyDNRequest", 2, entry=jdupont, newRDN="uid=jean", deleteOldRDN=True,
              newSuperior="ou=archive," + BASE),
          unbind(3)]),
        ("ldapcompare", ["ldapcompare"] + auth + [jdupont, "cn:Jean Dupont"], 6,
         [bind(1), msg("CompareRequest", 2, entry=jdupont, attribute="cn", value="Jean Dupont"), unbind(3)]),
        ("ldapcompare-base64", ["ldapcompare"] + auth + [jdupont, "description::w6l0w6k="], 6,
         [bind(1), msg("CompareRequest", 2, entry=jdupont, attribute="description", value="\u00e9t\u00e9"),
          unbind(3)]),
        ("ldappasswd-old-and-new", ["ldappasswd"] + auth + ["-a", "ancien", "-s", "nouveau", jdupont], 0,
         [bind(1), extended(2, OID_PASSWD, passwd_value(jdupont, "ancien", "nouveau")), unbind(3)]),
        ("ldappasswd-generated-for-user", ["ldappasswd"] + auth + [jdupont], 0,
         [bind(1), extended(2, OID_PASSWD, passwd_value(jdupont)), unbind(3)]),
        ("ldappasswd-generated-own", ["ldappasswd"] + uri + ["-D", jdupont, "-w", "ancien"], 0,
         [bind(1, name=jdupont, password="ancien"), extended(2, OID_PASSWD), unbind(3)]),
        ("ldapwhoami", ["ldapwhoami"] + auth, 0, [bind(1), extended(2, OID_WHOAMI), unbind(3)]),
        ("ldapexop-whoami", ["ldapexop"] + auth + ["whoami"], 0, [bind(1), extended(2, OID_WHOAMI), unbind(3)]),
        ("ldapexop-oid-anonymous", ["ldapexop"] + uri + [OID_WHOAMI], 0,
         [bind(1, name="", password=""), extended(2, OID_WHOAMI), unbind(3)]),
        # -ZZ: StartTLS must succeed; the responder answers unavailable, so the tool unbinds and stops.
        ("ldapexop-starttls-required", ["ldapexop"] + auth + ["-ZZ", "whoami"], 1,
         [extended(1, OID_STARTTLS), unbind(2)]),
        # -Z: StartTLS is attempted; after the refusal the tool goes on in the clear.
        ("ldapwhoami-starttls-optional", ["ldapwhoami"] + auth + ["-Z"], 0,
         [extended(1, OID_STARTTLS), bind(2), extended(3, OID_WHOAMI), unbind(4)]),
    ]


def ldap3_invocations():
    people = "ou=people," + BASE
    jdupont = "uid=jdupont," + people
    script = os.path.abspath(__file__)
    command = lambda name: [sys.executable, script, "--ldap3", name, "--port", PORT_PLACEHOLDER]
    return [
        ("ldap3-search", command("search"), 0,
         [bind(1),
          search(2, BASE, 2, AND(EQ("objectClass", "person"),
                                 OR(SUB("cn", initial="Jo"), SUB("mail", final="@example.com")),
                                 NOT(EQ("uid", "x")), GE("uidNumber", "1000")),
                 ["cn", "mail"], deref=3, size=10, time=5),
          search(3, people, 1, OBJECT_CLASS_ANY, ["cn"], deref=3,
                 controls=[ctl(OID_PAGED, value={"paged": {"size": 5, "cookie": ""}})]),
          search(4, people, 1, OBJECT_CLASS_ANY, ["cn"], deref=3,
                 controls=[ctl(OID_PAGED, value={"paged": {"size": 5, "cookie": "page-2"}})]),
          unbind(5)]),
        ("ldap3-update", command("update"), 0,
         [bind(1),
          msg("AddRequest", 2, entry="uid=mmartin," + people, attributes=[
              ["cn", ["Marie Martin"]], ["sn", ["Martin"]], ["objectClass", ["top", "inetOrgPerson"]]]),
          msg("ModifyRequest", 3, object=jdupont, changes=[
              [0, "mail", ["jean.dupont@example.com"]],
              [1, "telephoneNumber", []],
              [2, "sn", ["Dupont-Durand"]],
              [3, "uidNumber", ["1"]],
          ]),
          msg("CompareRequest", 4, entry=jdupont, attribute="cn", value="Jean Dupont"),
          msg("ModifyDNRequest", 5, entry=jdupont, newRDN="uid=jean", deleteOldRDN=True,
              newSuperior="ou=staff," + BASE),
          msg("DelRequest", 6, dn="uid=mmartin," + people),
          unbind(7)]),
        ("ldap3-extended", command("extended"), 0,
         [bind(1),
          extended(2, OID_WHOAMI),
          extended(3, OID_PASSWD, passwd_value(jdupont, "ancien", "nouveau")),
          extended(4, OID_PASSWD, passwd_value(jdupont)),
          unbind(5)]),
        ("ldap3-abandon", command("abandon"), 0,
         [bind(1), search(2, UNANSWERED_BASE, 0, OBJECT_CLASS_ANY, ["1.1"], deref=3), msg("AbandonRequest", 3, id=2),
          unbind(4)]),
    ]


def run_ldap3_session(name, port):
    """One ldap3 client session (run in a child process, one invocation like the ldap-utils tools)."""
    from ldap3 import ASYNC, BASE as SCOPE_BASE, LEVEL, MODIFY_ADD, MODIFY_DELETE, MODIFY_INCREMENT, \
        MODIFY_REPLACE, NONE, SUBTREE, Connection, Server
    server = Server("127.0.0.1", port=port, get_info=NONE)
    people = "ou=people," + BASE
    jdupont = "uid=jdupont," + people
    if name == "search":
        connection = Connection(server, user=ADMIN, password=SECRET, auto_bind=True, raise_exceptions=True)
        connection.search(BASE, "(&(objectClass=person)(|(cn=Jo*)(mail=*@example.com))(!(uid=x))(uidNumber>=1000))",
                          SUBTREE, attributes=["cn", "mail"], size_limit=10, time_limit=5)
        assert len(connection.entries) == 1, connection.entries
        entries = list(connection.extend.standard.paged_search(people, "(objectClass=*)", LEVEL,
                                                               attributes=["cn"], paged_size=5, generator=False))
        assert len(entries) == 2, entries
        connection.unbind()
    elif name == "update":
        connection = Connection(server, user=ADMIN, password=SECRET, auto_bind=True, raise_exceptions=True)
        connection.add("uid=mmartin," + people, ["top", "inetOrgPerson"], {"cn": "Marie Martin", "sn": "Martin"})
        connection.modify(jdupont, {
            "mail": [(MODIFY_ADD, ["jean.dupont@example.com"])],
            "telephoneNumber": [(MODIFY_DELETE, [])],
            "sn": [(MODIFY_REPLACE, ["Dupont-Durand"])],
            "uidNumber": [(MODIFY_INCREMENT, [1])],
        })
        assert connection.compare(jdupont, "cn", "Jean Dupont") is True
        connection.modify_dn(jdupont, "uid=jean", delete_old_dn=True, new_superior="ou=staff," + BASE)
        connection.delete("uid=mmartin," + people)
        connection.unbind()
    elif name == "extended":
        connection = Connection(server, user=ADMIN, password=SECRET, auto_bind=True, raise_exceptions=True)
        assert connection.extend.standard.who_am_i() == "dn:cn=admin"
        assert connection.extend.standard.modify_password(jdupont, "ancien", "nouveau") is True
        generated = connection.extend.standard.modify_password(jdupont)
        assert generated == GENERATED_PASSWORD, generated
        connection.unbind()
    elif name == "abandon":
        connection = Connection(server, user=ADMIN, password=SECRET, client_strategy=ASYNC, auto_bind=True)
        message_id = connection.search(UNANSWERED_BASE, "(objectClass=*)", SCOPE_BASE)
        assert connection.abandon(message_id), "ldap3 did not send the abandon request"
        connection.unbind()
    else:
        raise SystemExit("unknown ldap3 session " + name)


# ----------------------------------------------------------------------------------------------
# Driving the clients.

TAGS = {
    "BindRequest": 0x60, "UnbindRequest": 0x42, "SearchRequest": 0x63, "ModifyRequest": 0x66,
    "AddRequest": 0x68, "DelRequest": 0x4A, "ModifyDNRequest": 0x6C, "CompareRequest": 0x6E,
    "AbandonRequest": 0x50, "ExtendedRequest": 0x77,
}


def coarse_check(pdus, expected):
    """Problems found by comparing PDU count, operation tag and messageID with the expectations."""
    problems = []
    if len(pdus) != len(expected):
        problems.append("captured %d PDUs, expected %d" % (len(pdus), len(expected)))
    for index, (pdu, want) in enumerate(zip(pdus, expected)):
        parts = elements(read_tlv(pdu, 0)[1])
        message_id = int.from_bytes(parts[0][1], "big", signed=True)
        if parts[1][0] != TAGS[want["op"]] or message_id != want["messageID"]:
            problems.append("PDU %d: tag 0x%02x id %d, expected %s id %d"
                            % (index, parts[1][0], message_id, want["op"], want["messageID"]))
    return problems


def missing_clients():
    missing = []
    for tool in ("ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapmodrdn", "ldapcompare",
                 "ldappasswd", "ldapwhoami", "ldapexop"):
        if shutil.which(tool) is None:
            missing.append(tool + " (Debian package ldap-utils)")
    try:
        import ldap3  # noqa: F401
        import pyasn1  # noqa: F401
    except ImportError as error:
        missing.append("python module %s for %s (pip install ldap3 pyasn1)" % (error.name, sys.executable))
    return missing


def tool_versions():
    versions = {"python": sys.version.split()[0]}
    try:
        import ldap3
        versions["ldap3"] = ldap3.__version__
    except ImportError:
        pass
    try:
        output = subprocess.run(["ldapsearch", "-VV"], capture_output=True, text=True, timeout=10)
        line = (output.stderr or output.stdout).splitlines()[0]
        versions["ldap-utils"] = line.split("ldapsearch ")[1].split(" (")[0] if "ldapsearch " in line else line
    except (OSError, IndexError, subprocess.SubprocessError):
        pass
    return versions


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="directory for the .hex files and manifest.json")
    parser.add_argument("--ldap3", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.ldap3:
        run_ldap3_session(arguments.ldap3, arguments.port)
        return 0
    if not arguments.out:
        parser.error("--out DIR is required")

    missing = missing_clients()
    if missing:
        print("capture_clients.py: missing LDAP clients: %s. `make test` installs them "
              "(apt-get install ldap-utils; %s -m pip install ldap3 pyasn1)." % (", ".join(missing), sys.executable),
              file=sys.stderr)
        return 3

    os.makedirs(arguments.out, exist_ok=True)
    responder = Responder()
    scratch = tempfile.mkdtemp(prefix="annuaire-capture-")
    environment = dict(os.environ, LDAPNOINIT="1", HOME=scratch, LDAPCONF="/dev/null", LDAPRC="/dev/null")
    ldif_dir = os.path.join(scratch, "ldif")
    os.makedirs(ldif_dir)
    for name, text in (("add.ldif", LDIF_ADD), ("changes.ldif", LDIF_CHANGES),
                       ("modify-with-controls.ldif", LDIF_MODIFY_WITH_CONTROLS)):
        with open(os.path.join(ldif_dir, name), "w", encoding="utf-8") as handle:
            handle.write(text)

    manifest = {
        "description": "PDUs sent by real LDAP clients to a recording responder (Tests/Interop/capture_clients.py)",
        "versions": tool_versions(),
        "captures": [],
    }
    failures = []
    invocations = [("ldap-utils",) + item for item in ldap_utils_invocations(ldif_dir)]
    invocations += [("ldap3",) + item for item in ldap3_invocations()]
    for number, (client, name, argv, expected_exit, expected) in enumerate(invocations, start=1):
        command = [argument.replace(PORT_PLACEHOLDER, str(responder.port)) for argument in argv]
        capture = Capture()

        def action():
            return subprocess.run(command, env=environment, stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=60)

        try:
            completed = responder.run(capture, action)
        except subprocess.TimeoutExpired:
            failures.append("%s: timed out" % name)
            continue
        file_name = "%02d-%s.hex" % (number, name)
        with open(os.path.join(arguments.out, file_name), "w") as handle:
            for pdu in capture.pdus:
                handle.write(pdu.hex() + "\n")
        problems = list(capture.errors) + coarse_check(capture.pdus, expected)
        if completed.returncode != expected_exit:
            problems.append("exit status %d, expected %d" % (completed.returncode, expected_exit))
        if problems:
            failures.append("%s: %s\n    stdout: %s\n    stderr: %s" % (
                name, "; ".join(problems), completed.stdout.decode(errors="replace").strip()[-600:],
                completed.stderr.decode(errors="replace").strip()[-600:]))
        shown = [argument.replace(scratch, "$SCRATCH") for argument in argv]
        if client == "ldap3":
            shown = ["python3", "Tests/Interop/capture_clients.py"] + shown[2:]
        manifest["captures"].append({
            "file": file_name, "client": client, "tool": shown[0] if client == "ldap-utils" else "ldap3",
            "command": shown, "exitStatus": completed.returncode, "messages": expected,
        })
    responder.close()
    shutil.rmtree(scratch, ignore_errors=True)
    with open(os.path.join(arguments.out, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    pdu_count = sum(len(capture["messages"]) for capture in manifest["captures"])
    if failures:
        print("capture_clients.py: %d of %d invocations differ from expectations:\n%s"
              % (len(failures), len(invocations), "\n".join(failures)), file=sys.stderr)
        return 1
    print("captured %d PDUs from %d client invocations into %s" % (pdu_count, len(invocations), arguments.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
