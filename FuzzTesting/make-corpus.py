#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into FuzzTesting/Corpus/<Target>/.

The seeds are valid inputs (so libFuzzer starts from deep inside the grammar) plus a few hostile shapes
that must stay in every run: filters nested far past the limits, in BER and in the string form.
Run it again after changing it; the files it writes are kept in git.
"""

import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "Corpus")
LDIF_FIXTURES = os.path.join(HERE, "..", "Tests", "LDAPProtocolTests", "Fixtures", "ldif")


# --- BER -------------------------------------------------------------------------------------------------

def length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, *content):
    body = b"".join(content)
    return bytes([tag]) + length(len(body)) + body


def integer(value, tag=0x02):
    size = 1
    while not -(1 << (8 * size - 1)) <= value < (1 << (8 * size - 1)):
        size += 1
    return tlv(tag, value.to_bytes(size, "big", signed=True))


def enum(value):
    return integer(value, 0x0A)


def octets(text, tag=0x04):
    return tlv(tag, text.encode() if isinstance(text, str) else text)


def boolean(value):
    return tlv(0x01, b"\xff" if value else b"\x00")


def seq(*items):
    return tlv(0x30, *items)


def set_of(*items):
    return tlv(0x31, *items)


def message(message_id, op, controls=None):
    parts = [integer(message_id), op]
    if controls:
        parts.append(tlv(0xA0, *controls))
    return seq(*parts)


def control(oid, critical=False, value=None):
    parts = [octets(oid)]
    if critical:
        parts.append(boolean(True))
    if value is not None:
        parts.append(octets(value))
    return seq(*parts)


def result(code=0, matched="", diagnostic="", referral=None):
    parts = [enum(code), octets(matched), octets(diagnostic)]
    if referral:
        parts.append(tlv(0xA3, *[octets(uri) for uri in referral]))
    return b"".join(parts)


# Filters (RFC 4511 §4.5.1)
def f_and(*fs): return tlv(0xA0, *fs)
def f_or(*fs): return tlv(0xA1, *fs)
def f_not(f): return tlv(0xA2, f)
def f_eq(a, v): return tlv(0xA3, octets(a), octets(v))
def f_ge(a, v): return tlv(0xA5, octets(a), octets(v))
def f_le(a, v): return tlv(0xA6, octets(a), octets(v))
def f_present(a): return octets(a, 0x87)
def f_approx(a, v): return tlv(0xA8, octets(a), octets(v))


def f_substrings(a, initial=None, any_=(), final=None):
    parts = []
    if initial is not None:
        parts.append(octets(initial, 0x80))
    parts += [octets(x, 0x81) for x in any_]
    if final is not None:
        parts.append(octets(final, 0x82))
    return tlv(0xA4, octets(a), seq(*parts))


def f_extensible(rule=None, type_=None, value="", dn=False):
    parts = []
    if rule is not None:
        parts.append(octets(rule, 0x81))
    if type_ is not None:
        parts.append(octets(type_, 0x82))
    parts.append(octets(value, 0x83))
    if dn:
        parts.append(tlv(0x84, b"\xff"))
    return tlv(0xA9, *parts)


def deep_not(depth):
    """`(!(!(!…(objectClass=*)…)))` in BER, built inside out."""
    inner = f_present("objectClass")
    for _ in range(depth):
        inner = f_not(inner)
    return inner


def deep_and(depth):
    """`(&(&(&…(a=*)…)))` in BER."""
    inner = f_present("a")
    for _ in range(depth):
        inner = f_and(inner)
    return inner


def search(base, filt, attrs=(), scope=2, deref=0, size=0, time=0, types_only=False):
    return tlv(0x63, octets(base), enum(scope), enum(deref), integer(size), integer(time),
               boolean(types_only), filt, seq(*[octets(a) for a in attrs]))


def attribute(name, *values):
    return seq(octets(name), set_of(*[octets(v) for v in values]))


def bind_simple(dn, password, version=3):
    return tlv(0x60, integer(version), octets(dn), octets(password, 0x80))


def bind_sasl(dn, mechanism, credentials=None):
    parts = [octets(mechanism)]
    if credentials is not None:
        parts.append(octets(credentials))
    return tlv(0x60, integer(3), octets(dn), tlv(0xA3, *parts))


def extended_request(oid, value=None):
    parts = [octets(oid, 0x80)]
    if value is not None:
        parts.append(octets(value, 0x81))
    return tlv(0x77, *parts)


def extended_response(res, name=None, value=None):
    parts = [res]
    if name is not None:
        parts.append(octets(name, 0x8A))
    if value is not None:
        parts.append(octets(value, 0x8B))
    return tlv(0x78, *parts)


PERSON_FILTER = f_and(f_eq("objectClass", "Person"),
                      f_or(f_eq("sn", "Jensen"), f_substrings("cn", initial="Babs J")))
ENTRY = tlv(0x64, octets("cn=Babs Jensen,dc=example,dc=com"),
            seq(attribute("objectClass", "top", "person"), attribute("cn", "Babs Jensen"),
                attribute("sn", "Jensen"), attribute("jpegPhoto", b"\xff\xd8\xff\x00\x01")))


def ldap_message_seeds():
    paged = seq(integer(100), octets(b"\x00\x01cookie"))
    ppolicy = seq(tlv(0xA0, integer(3600, 0x80)), integer(2, 0x81))
    ppolicy_grace = seq(tlv(0xA0, integer(2, 0x81)))
    passwd_modify = seq(octets("uid=jdoe,ou=people,dc=example,dc=com", 0x80), octets("old", 0x81),
                        octets("new", 0x82))
    seeds = {
        "bind-anonymous": message(1, bind_simple("", "")),
        "bind-simple": message(1, bind_simple("cn=Directory Manager,dc=example,dc=com", "secret"),
                               [control("1.3.6.1.4.1.42.2.27.8.5.1")]),
        "bind-sasl": message(2, bind_sasl("", "SCRAM-SHA-256", b"n,,n=user,r=abcdef")),
        "bind-sasl-external": message(2, bind_sasl("", "EXTERNAL")),
        "bind-response": message(1, tlv(0x61, result(49, "", "invalid credentials"), octets(b"srv", 0x87)),
                                 [control("1.3.6.1.4.1.42.2.27.8.5.1", value=ppolicy)]),
        "unbind": message(3, tlv(0x42, b"")),
        "search-person": message(4, search("dc=example,dc=com", PERSON_FILTER, ["cn", "mail", "+"]),
                                 [control("1.2.840.113556.1.4.319", False, seq(integer(50), octets("")))]),
        "search-all-filters": message(5, search("", f_or(
            f_and(), f_or(), f_not(f_present("mail")), f_ge("age", "18"), f_le("age", "65"),
            f_approx("cn", "Babs"), f_substrings("o", "univ", ["of"], "mich"), f_substrings("cn", any_=["*"]),
            f_extensible("caseExactMatch", "cn", "Fred Flintstone"), f_extensible(None, "o", "Ace", True),
            f_extensible("2.4.6.8.10", None, "Dino", True), f_eq("bin", b"\x00\x00\x00\x04"),
        ), ["1.1"], scope=0, deref=3, size=10, time=30, types_only=True)),
        "search-rootdse": message(6, search("", f_present("objectClass"), ["*", "+"], scope=0)),
        "search-result-entry": message(7, ENTRY),
        "search-result-reference": message(7, tlv(0x73, octets("ldap://a.example.com/dc=a"),
                                                  octets("ldap://b.example.com/dc=b"))),
        "search-result-done-paged": message(7, tlv(0x65, result()),
                                            [control("1.2.840.113556.1.4.319", value=paged)]),
        "search-result-done-referral": message(7, tlv(0x65, result(10, "dc=example,dc=com", "",
                                                                   ["ldap://other.example.com/"]))),
        "modify": message(8, tlv(0x66, octets("cn=Babs Jensen,dc=example,dc=com"), seq(
            seq(enum(0), attribute("mail", "babs@example.com")),
            seq(enum(1), attribute("description")),
            seq(enum(2), attribute("sn", "Jensen")),
            seq(enum(3), attribute("uidNumber", "1")),
        )), [control("1.3.6.1.1.12", True, f_eq("sn", "Jensen")),
             control("1.3.6.1.1.13.1", False, seq(octets("cn"), octets("sn"))),
             control("1.3.6.1.1.13.2", False, seq(octets("*")))]),
        "modify-response-postread": message(8, tlv(0x67, result()),
                                            [control("1.3.6.1.1.13.2", value=ENTRY)]),
        "add": message(9, tlv(0x68, octets("cn=New,dc=example,dc=com"), seq(
            attribute("objectClass", "person"), attribute("cn", "New"), attribute("sn", "N")))),
        "add-response": message(9, tlv(0x69, result(68, "", "entry already exists"))),
        "delete": message(10, octets("cn=Old,dc=example,dc=com", 0x4A)),
        "delete-response": message(10, tlv(0x6B, result(32, "dc=example,dc=com"))),
        "moddn": message(11, tlv(0x6C, octets("cn=A,ou=x,dc=example,dc=com"), octets("cn=B"), boolean(True),
                                 octets("ou=y,dc=example,dc=com", 0x80))),
        "moddn-response": message(11, tlv(0x6D, result())),
        "compare": message(12, tlv(0x6E, octets("cn=A,dc=example,dc=com"), seq(octets("sn"), octets("A")))),
        "compare-response": message(12, tlv(0x6F, result(6))),
        "abandon": message(13, integer(12, 0x50)),
        "starttls": message(14, extended_request("1.3.6.1.4.1.1466.20037")),
        "starttls-response": message(14, extended_response(result(), "1.3.6.1.4.1.1466.20037")),
        "whoami": message(15, extended_request("1.3.6.1.4.1.4203.1.11.3")),
        "whoami-response": message(15, extended_response(result(), None, "dn:cn=A,dc=example,dc=com")),
        "passwd-modify": message(16, extended_request("1.3.6.1.4.1.4203.1.11.1", passwd_modify)),
        "passwd-modify-empty": message(16, extended_request("1.3.6.1.4.1.4203.1.11.1", seq())),
        "passwd-modify-response": message(16, extended_response(result(), None, seq(octets("gen", 0x80)))),
        "notice-of-disconnection": message(0, extended_response(result(2, "", "bad PDU"),
                                                                "1.3.6.1.4.1.1466.20036")),
        "intermediate": message(17, tlv(0x79, octets("1.3.6.1.4.1.4203.1.9.1.4", 0x80), octets(b"\x30\x00", 0x81))),
        "ppolicy-grace": message(18, tlv(0x61, result()),
                                 [control("1.3.6.1.4.1.42.2.27.8.5.1", value=ppolicy_grace)]),
        "max-message-id": message(2147483647, tlv(0x42, b"")),
        # Hostile shapes that must stay in the corpus.
        "deep-not-filter-search-60": message(20, search("", deep_not(60))),
        "deep-not-filter-search-10000": message(21, search("", deep_not(10000))),
        "deep-not-filter-raw-10000": deep_not(10000),
        "deep-and-filter-raw-65": deep_and(65),
        "deep-not-assertion-control": message(22, tlv(0x67, result()),
                                              [control("1.3.6.1.1.12", True, deep_not(5000))]),
        "huge-declared-length": bytes([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x01]),
        "indefinite-length": bytes([0x30, 0x80, 0x02, 0x01, 0x01, 0x42, 0x00, 0x00, 0x00]),
    }
    # Several PDUs in one read, as a client pipelining them sends.
    seeds["pipeline"] = (seeds["bind-simple"] + seeds["search-person"] + seeds["abandon"]
                         + seeds["modify"] + seeds["unbind"])
    return seeds


# --- Strings ---------------------------------------------------------------------------------------------

DN_SEEDS = [
    "",
    "dc=example,dc=com",
    "CN=Steve Kille,O=Isode Limited,C=GB",
    "OU=Sales+CN=J.  Smith,DC=example,DC=net",
    'CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net',
    "CN=Before\\0dAfter,DC=example,DC=net",
    "1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com",
    "CN=Lu\\C4\\8Di\\C4\\87",
    "cn=Lučić,ou=People,dc=example,dc=com",
    "cn = Babs Jensen , ou = People ; dc = example , dc = com",
    "cn=\\ leading and trailing\\ ,dc=x",
    "cn=\\#hash\\+plus\\;semi\\<lt\\>gt\\\\bs,dc=x",
    "uid=jdoe+cn=John Doe+sn=Doe,ou=people,dc=example,dc=com",
    "2.5.4.3=x,2.5.4.11=y",
    "cn=" + "a" * 300 + "," + ",".join(["dc=d"] * 200),
]

FILTER_SEEDS = [
    "(cn=Babs Jensen)",
    "(!(cn=Tim Howes))",
    "(&(objectClass=Person)(|(sn=Jensen)(cn=Babs J*)))",
    "(o=univ*of*mich*)",
    "(seeAlso=)",
    "(cn:caseExactMatch:=Fred Flintstone)",
    "(cn:=Betty Rubble)",
    "(sn:dn:2.4.6.8.10:=Barney Rubble)",
    "(o:dn:=Ace Industry)",
    "(:1.2.3:=Wilma Flintstone)",
    "(:DN:2.4.6.8.10:=Dino)",
    "(o=Parens R Us \\28for all your parenthetical needs\\29)",
    "(cn=*\\2A*)",
    "(filename=C:\\5cMyFile)",
    "(bin=\\00\\00\\00\\04)",
    "(sn=Lu\\c4\\8di\\c4\\87)",
    "(1.3.6.1.4.1.1466.0=\\04\\02\\48\\69)",
    "(&)",
    "(|)",
    "(objectClass=*)",
    "(&(age>=18)(age<=65)(cn~=babs)(mail=*@example.com))",
    "(cn;lang-fr=*a*b*c*)",
    "cn=no parentheses",
    "(& (cn=a) (|(sn=b) (sn=c)) )",
    "(!" * 99 + "(cn=a)" + ")" * 99,
    # Hostile: nesting past every limit, balanced and not.
    "(!" * 20000 + "(cn=a)" + ")" * 20000,
    "(&" * 5000 + "(cn=a)" + ")" * 5000,
    "(" * 30000,
]


def ldif_seeds():
    seeds = {}
    if os.path.isdir(LDIF_FIXTURES):
        for name in sorted(os.listdir(LDIF_FIXTURES)):
            with open(os.path.join(LDIF_FIXTURES, name), "rb") as f:
                seeds[name.rsplit(".", 1)[0]] = f.read()
    seeds["entry-base64-folded"] = (
        b"version: 1\n"
        b"dn:: Y249QmFicyBKZW5zZW4sZGM9ZXhhbXBsZSxkYz1jb20=\n"
        b"objectClass: top\nobjectClass: person\n"
        b"description: a long value that is fol\n ded over two lines\n"
        b"userPassword:: e1NTSEF9c2VjcmV0\n"
        b"# a comment\n  with a folded continuation\n"
        b"cn;lang-fr: Babs\n\n"
    )
    seeds["changes-crlf"] = (
        b"dn: cn=A,dc=example,dc=com\r\ncontrol: 1.3.6.1.1.12 true:: oxQEAnNuBA5KZW5zZW4=\r\n"
        b"changetype: modify\r\nadd: mail\r\nmail: a@example.com\r\n-\r\ndelete: description\r\n-\r\n"
        b"replace: sn\r\nsn: A\r\n-\r\nincrement: uidNumber\r\nuidNumber: 1\r\n-\r\n\r\n"
        b"dn: cn=A,dc=example,dc=com\r\nchangetype: moddn\r\nnewrdn: cn=B\r\ndeleteoldrdn: 0\r\n"
        b"newsuperior: ou=x,dc=example,dc=com\r\n\r\n"
        b"dn: cn=C,dc=example,dc=com\r\ncontrol: 1.2.840.113556.1.4.805\r\nchangetype: delete\r\n"
    )
    seeds["mixed-records"] = (
        b"dn: cn=A,dc=x\ncn: A\n\ndn: cn=B,dc=x\nchangetype: add\ncn: B\n\n"
        b"dn: cn=C,dc=x\nchangetype: modify\nreplace: cn\ncn: C"
    )
    return seeds


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    for target in ["FuzzLDAPMessage", "FuzzDN", "FuzzFilterString", "FuzzLDIF"]:
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)
    for name, data in ldap_message_seeds().items():
        write("FuzzLDAPMessage", name + ".ber", data)
    for index, text in enumerate(DN_SEEDS):
        write("FuzzDN", "dn-%02d.txt" % index, text)
    for index, text in enumerate(FILTER_SEEDS):
        write("FuzzFilterString", "filter-%02d.txt" % index, text)
    for name, data in ldif_seeds().items():
        write("FuzzLDIF", name + ".ldif", data)


if __name__ == "__main__":
    main()
