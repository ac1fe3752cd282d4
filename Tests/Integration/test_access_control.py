"""The shipped access policy, bind by identifier and the audit log (issue 5), through real clients.

A server of its own (module fixture `acl`) runs with the default rules -- no --access-rules flag, so
`config/access.rules` relative to its working directory, the repository root -- and `--audit-log FILE`.
The other suites run with Tests/Integration/permissive.rules and test protocol semantics; this one tests
who may do what. Each default-policy statement is checked with ldap-utils or ldap3 and the exact result
code and returned entries and attributes.

The demo data has one territory (codique 0720001: every person, structure and both correspondents). The
fixture adds, as the directory manager, what the statements need besides: a person, a structure and a
correspondent of another territory (0750001), two entries sharing a uid and two agents sharing a mail
local part (ambiguous identifiers), an agent whose mail local part differs from its uid, and people the
writing tests may change.

Disclosure (issue 5 point 3): an entry the client may not see answers exactly like a missing one. Where a
statement allows either insufficientAccessRights (50) or noSuchObject (32), the test first asks whether
the client can see the entry, and then expects 50 if it can and 32 (like a missing entry) if it cannot.
"""

import datetime
import json
import os
import re
import subprocess
import time

import pytest
from ldap3 import BASE, LEVEL, MODIFY_REPLACE, NONE, SUBTREE, Connection, Server

import servers
from clients import Tools, by_name, parse_ldif
from conftest import started

SUFFIX = servers.SUFFIX
PEOPLE = servers.PEOPLE
STRUCTURES = servers.STRUCTURES
ADMINS = servers.ADMINS
HOME = "0720001"   # the demo data's territory
OTHER = "0750001"  # a territory only the fixture's entries have
AGENT_DOMAIN = "dgfip.finances.gouv.fr"

# The audit log's JSON fields and operation names (docs/audit.md). Every audit assertion goes through these
# two tables.
AUDIT_FIELD = {
    "time": "time", "connection": "conn", "message": "msgid", "peer": "peer", "bind_dn": "bindDN",
    "operation": "op", "target": "dn", "new_dn": "newDN", "attributes": "attributes", "result": "result",
}
AUDIT_OPERATION = {
    "add": "add", "delete": "delete", "modify": "modify", "modrdn": "modifyDN",
    "password change": "passwordChange", "password reset": "passwordReset",
}

# --------------------------------------------------------------------------------------------
# Entries the fixture adds as the directory manager.

PASSWORDS = {}


def person_ldif(dn, uid, codique, mail, password, rdn_extra=None, cn=None, plain=False):
    """A person of the partner directory; `plain`: an inetOrgPerson outside its classes, which the domain rules
    (docs/domain-rules.md) leave alone — the only way, besides an import, to share a uid or a mail with a person
    (D1 and D3 keep identifiers and the people's addresses unique)."""
    PASSWORDS[dn.lower()] = password
    sn = uid.split("-")[0].split(".")[-1].capitalize() or "X"
    lines = ["dn: %s" % dn, "objectClass: top", "objectClass: person", "objectClass: organizationalPerson",
             "objectClass: inetOrgPerson", "uid: %s" % uid]
    if not plain:
        lines += ["objectClass: aspasiePerson", "aspasieIdentifier: %s" % uid, "aspasieCivility: Mme",
                  "aspasiePopulation: SSLEPN", "aspasieCodique: %s" % codique]
    lines += ["cn: %s" % (cn or "Camille " + sn), "sn: %s" % sn, "givenName: Camille", "mail: %s" % mail,
              "userPassword: %s" % password]
    return "\n".join(lines) + "\n\n"


def siret(prefix13):
    """A SIRET: 13 digits and the Luhn check digit (D9)."""
    digits = [int(c) for c in prefix13]
    for check in range(10):
        total = 0
        for i, d in enumerate(reversed(digits + [check])):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return prefix13 + str(check)
    raise AssertionError("no Luhn digit")


def structure_ldif(number, codique, manager_dn, name="Mairie de test"):
    return ("dn: aspasieSiret=%s,%s\nobjectClass: top\nobjectClass: aspasieStructure\naspasieSiret: %s\n"
            "aspasieStructureName: %s\naspasieCodique: %s\naspasiePrincipalManager: %s\n\n"
            % (number, STRUCTURES, number, name, codique, manager_dn))


ELSEWHERE = "uid=ailleurs-xt," + PEOPLE             # a person of the other territory
ELSEWHERE_SIRET = siret("2175005600001")            # a structure of the other territory
ELSEWHERE_STRUCTURE = "aspasieSiret=%s,%s" % (ELSEWHERE_SIRET, STRUCTURES)
OTHER_CORRESPONDENT = "uid=paul.autre," + ADMINS    # correspondent of the other territory
TWIN_1 = "uid=jumeau-xt," + PEOPLE                  # two entries with uid jumeau-xt
TWIN_2 = "cn=Jumeau Deux," + PEOPLE
DOUBLE_1 = "uid=claude.double-un," + PEOPLE         # two agents with mail claude.double@dgfip...
DOUBLE_2 = "uid=claude.double-deux," + PEOPLE
AGENT = "uid=camille.durand," + PEOPLE              # an agent whose mail local part is not the uid
AGENT_LOCAL_PART = "camille.durand-leroy"
SELF_PASSWORD = "uid=motdepasse-xt," + PEOPLE       # changes its own password


def fixture_ldif():
    text = person_ldif(ELSEWHERE, "ailleurs-xt", OTHER, "marc.ailleurs@ville-paris.fr", "Ailleurs-Pass-1")
    text += structure_ldif(ELSEWHERE_SIRET, OTHER, ELSEWHERE, "Mairie de Paris test")
    PASSWORDS[OTHER_CORRESPONDENT.lower()] = "Autre-Corr-Pass-1"
    text += ("dn: %s\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\n"
             "objectClass: inetOrgPerson\nobjectClass: aspasieCorrespondent\nuid: paul.autre\n"
             "aspasieIdentifier: paul.autre\ncn: Paul Autre\nsn: Autre\nmail: paul.autre@%s\n"
             "aspasieTerritoryCodique: %s\nuserPassword: Autre-Corr-Pass-1\n\n" % (OTHER_CORRESPONDENT, AGENT_DOMAIN,
                                                                                   OTHER))
    text += person_ldif(TWIN_1, "jumeau-xt", HOME, "jean.jumeau@onf.fr", "Jumeau-Pass-1")
    text += person_ldif(TWIN_2, "jumeau-xt", HOME, "jeanne.jumeau@onf.fr", "Jumeau-Pass-2", cn="Jumeau Deux",
                        plain=True)
    text += person_ldif(DOUBLE_1, "claude.double-un", HOME, "claude.double@" + AGENT_DOMAIN, "Double-Pass-1")
    text += person_ldif(DOUBLE_2, "claude.double-deux", HOME, "claude.double@" + AGENT_DOMAIN, "Double-Pass-2",
                        plain=True)
    text += person_ldif(AGENT, "camille.durand", HOME, AGENT_LOCAL_PART + "@" + AGENT_DOMAIN, "Agent-Pass-1")
    text += person_ldif(SELF_PASSWORD, "motdepasse-xt", HOME, "marie.motdepasse@onf.fr", "Self-Pass-1")
    return text


class Acl:
    def __init__(self, server, demo, audit_path):
        self.server, self.demo, self.audit_path = server, demo, audit_path
        self.tools = Tools(server)


@pytest.fixture(scope="module")
def acl(workdir, demo):
    path = os.path.join(workdir, "access-control")
    os.makedirs(path)
    audit_path = os.path.join(path, "audit.jsonl")
    # No --access-rules: the default, config/access.rules from the working directory (the repository root).
    instance = servers.Annuaire(path, demo, name="annuaire-access", extra=["--audit-log", audit_path])
    for server in started(instance):
        context = Acl(server, demo, audit_path)
        added = context.tools.add(fixture_ldif(), bind="root")
        assert added.code == 0, "the fixture's entries: %r" % added
        yield context


# --------------------------------------------------------------------------------------------
# Helpers


def xt_person(demo, i):
    """The i-th demo account of role person whose identifier ends in -xt (external users)."""
    return [a for a in demo.accounts if a["role"] == "person" and a["identifier"].endswith("-xt")][i]


def agent(demo, i=0):
    """The i-th DGFiP agent of the demo: a person whose mail is @dgfip.finances.gouv.fr."""
    entries = dict((dn.lower(), attrs) for dn, attrs in demo.entries)
    found = [a for a in demo.accounts if a["role"] == "person" and
             any(m.lower().endswith("@" + AGENT_DOMAIN) for m in entries[a["dn"].lower()].get("mail", []))]
    return found[i]


def demo_entry(demo, dn):
    return dict((d.lower(), a) for d, a in demo.entries)[dn.lower()]


def as_(account):
    return (account["dn"], account["password"])


def who(dn):
    return (dn, PASSWORDS[dn.lower()])


def connect(acl, user=None, password=None):
    """An ldap3 connection to the server (plain LDAP on loopback), bound when `user` is given."""
    conn = Connection(Server(acl.server.host, port=acl.server.port, get_info=NONE, connect_timeout=10),
                      user=user, password=password, raise_exceptions=False, check_names=False, receive_timeout=30,
                      auto_referrals=False, return_empty_attributes=False)
    assert conn.open() is not False
    if user is not None:
        assert conn.bind(), (user, conn.result)
    return conn


def entries_of(conn):
    """The entries of the last ldap3 search: [(dn, {lower-cased name: [str values]})]."""
    found = []
    for item in conn.response or []:
        if item.get("type") != "searchResEntry":
            continue
        attrs = {}
        for name, values in item["raw_attributes"].items():
            attrs[name.lower()] = [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in values]
        found.append((item["dn"], attrs))
    return found


def search(conn, base, scope=BASE, flt="(objectClass=*)", attributes=("*",)):
    conn.search(base, flt, search_scope=scope, attributes=list(attributes))
    return conn.result["result"], conn.result.get("dn", ""), entries_of(conn)


def lower_dns(entries):
    return sorted(dn.lower() for dn, _ in entries)


def root_read(acl, dn, *attributes):
    """The entry as the directory manager sees it ({} when missing)."""
    run = acl.tools.search(dn, "-s", "base", *(attributes or ("*",)), bind="root")
    if run.code == 32:
        return None
    assert run.code == 0, run
    [(_, attrs)] = run.entries()
    return attrs


def identity_read(acl, dn):
    """The entry as root sees it, without userPassword: a person's first bind re-hashes an imported {SSHA}
    value to {ARGON2} (password-rehash-on-bind), a change the person did not make."""
    attrs = root_read(acl, dn, "*")
    return {k: v for k, v in attrs.items() if k.lower() != "userpassword"}


def modify(acl, bind, dn, changes):
    """ldapmodify of one entry; changes: [(op, attribute, [values])]."""
    ldif = "dn: %s\nchangetype: modify\n" % dn
    for op, attribute, values in changes:
        ldif += "%s: %s\n" % (op, attribute) + "".join("%s: %s\n" % (attribute, v) for v in values) + "-\n"
    return acl.tools.modify(ldif, bind=bind)


def visible(acl, bind, dn):
    """Whether `bind` can see the entry: a base search returns it (0) or answers like a missing entry (32)."""
    run = acl.tools.search(dn, "-s", "base", "1.1", bind=bind)
    assert run.code in (0, 32), run
    if run.code == 0:
        assert lower_dns(run.entries()) == [dn.lower()], run
    return run.code == 0


def refused_code(acl, bind, dn):
    """The code a refused write on `dn` must get from `bind`: 50 if it may see the entry, 32 if not."""
    return 50 if visible(acl, bind, dn) else 32


def passwd(acl, bind, *args):
    """ldappasswd; returns (the LDAP result code, the run). ldappasswd exits 1 on any failure and prints
    `Result: <text> (<code>)`: the code is read from there."""
    run = acl.tools.run("ldappasswd", list(args), bind=bind)
    if run.code == 0:
        return 0, run
    match = re.search(r"Result: .*\((\d+)\)", run.out + run.err)
    assert match, run
    return int(match.group(1)), run


def whoami(acl, name, password):
    return acl.tools.run("ldapwhoami", [], bind=(name, password))


# --------------------------------------------------------------------------------------------
# Anonymous: binds, reads the root DSE and cn=Subschema, and nothing else.


def test_anonymous_reads_the_root_dse(acl):
    run = acl.tools.search("", "-s", "base", "(objectClass=*)", "namingContexts", "subschemaSubentry")
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    assert dn == ""
    assert by_name(attrs, "namingContexts") == [SUFFIX], run
    assert [v.lower() for v in by_name(attrs, "subschemaSubentry")] == ["cn=subschema"], run


def test_anonymous_reads_the_subschema(acl):
    run = acl.tools.search("cn=Subschema", "-s", "base", "(objectClass=subschema)", "objectClasses",
                           "attributeTypes")
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    assert dn.lower() == "cn=subschema"
    assert any("'aspasiePerson'" in v for v in by_name(attrs, "objectClasses")), run
    assert any("'aspasieCodique'" in v for v in by_name(attrs, "attributeTypes")), run


def test_anonymous_binds(acl):
    run = acl.tools.run("ldapwhoami", [])
    assert run.code == 0 and run.out.strip() == "anonymous", run


def test_anonymous_subtree_search_under_the_suffix_returns_nothing(acl, demo):
    """Anonymous may see nothing under the suffix, the suffix entry included: a search from it answers like a
    search from a missing base (noSuchObject, no matched DN), with no entry."""
    person = xt_person(demo, 0)
    conn = connect(acl)
    missing = search(conn, "ou=nowhere," + SUFFIX, SUBTREE, attributes=["1.1"])
    assert missing[0] == 32 and missing[1] == "", missing
    for base, flt in ((SUFFIX, "(objectClass=*)"), (SUFFIX, "(uid=%s)" % person["identifier"]),
                      (PEOPLE, "(objectClass=*)")):
        answer = search(conn, base, SUBTREE, flt, ["*"])
        assert answer == (32, "", []), (base, flt, answer)
    conn.unbind()
    run = acl.tools.search(SUFFIX, "-s", "sub", "(objectClass=*)", "1.1")
    assert run.code == 32 and run.entries() == [], run


def test_anonymous_cannot_see_a_person_and_cannot_tell_it_exists(acl, demo):
    person = xt_person(demo, 0)
    conn = connect(acl)
    existing = search(conn, person["dn"])
    missing = search(conn, "uid=absent-xt," + PEOPLE)
    assert existing[0] == 32 and existing[2] == [], existing
    assert existing[:2] == missing[:2], "a hidden entry answers unlike a missing one: %r vs %r" % (existing, missing)
    assert existing[1] == "", "matchedDN reveals %r to anonymous" % existing[1]
    compared = acl.tools.run("ldapcompare", [person["dn"], "uid:%s" % person["identifier"]])
    assert compared.code == 32, compared
    conn.unbind()


# --------------------------------------------------------------------------------------------
# A person: reads their own entry but not the password, changes their own password and mobile only.


def test_person_reads_own_entry_but_not_the_password(acl, demo):
    person = xt_person(demo, 0)
    expected = demo_entry(demo, person["dn"])
    run = acl.tools.search(person["dn"], "-s", "base", "(objectClass=*)", "*", bind=as_(person))
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    assert dn.lower() == person["dn"].lower()
    for name in ("uid", "mail", "sn", "cn", "aspasieCodique", "aspasiePopulation"):
        assert sorted(by_name(attrs, name)) == sorted(by_name(expected, name)), (name, run)
    assert by_name(attrs, "userPassword") == [], run
    asked = acl.tools.search(person["dn"], "-s", "base", "(objectClass=*)", "userPassword", bind=as_(person))
    assert asked.code == 0, asked
    [(dn, attrs)] = asked.entries()
    assert attrs == {}, asked
    # Nor can the password be guessed through a filter on it.
    filtered = acl.tools.search(person["dn"], "-s", "base", "(userPassword=*)", "1.1", bind=as_(person))
    assert filtered.code == 0 and filtered.entries() == [], filtered


def test_person_changes_own_mobile(acl, demo):
    person = xt_person(demo, 2)
    run = modify(acl, as_(person), person["dn"], [("replace", "mobile", ["+33611223344"])])
    assert run.code == 0, run
    assert by_name(root_read(acl, person["dn"], "mobile"), "mobile") == ["+33611223344"]
    run = modify(acl, as_(person), person["dn"], [("delete", "mobile", [])])
    assert run.code == 0, run
    assert by_name(root_read(acl, person["dn"], "mobile"), "mobile") == []
    run = modify(acl, as_(person), person["dn"], [("add", "mobile", ["+33655667788"])])
    assert run.code == 0, run
    assert by_name(root_read(acl, person["dn"], "mobile"), "mobile") == ["+33655667788"]


@pytest.mark.parametrize("attribute, value", [
    ("mail", "quelqu.un@ville-paris.fr"), ("sn", "Autre"), ("cn", "Autre Nom"), ("givenName", "Autre"),
    ("aspasieCodique", OTHER), ("aspasiePopulation", "SSLSPL"), ("telephoneNumber", "+33 1 23 45 67 89"),
    ("description", "x"),
])
def test_person_cannot_change_the_rest_of_own_identity(acl, demo, attribute, value):
    person = xt_person(demo, 3)
    before = identity_read(acl, person["dn"])
    run = modify(acl, as_(person), person["dn"], [("replace", attribute, [value])])
    assert run.code == 50, run
    assert identity_read(acl, person["dn"]) == before


def test_person_mobile_and_mail_together_is_refused_whole(acl, demo):
    person = xt_person(demo, 3)
    before = identity_read(acl, person["dn"])
    run = modify(acl, as_(person), person["dn"], [("replace", "mobile", ["+33699999999"]),
                                                   ("replace", "mail", ["autre.adresse@onf.fr"])])
    assert run.code == 50, run
    assert identity_read(acl, person["dn"]) == before


def test_person_changes_own_password(acl):
    dn = SELF_PASSWORD
    code, run = passwd(acl, who(dn), "-a", "Self-Pass-1", "-s", "Self-Pass-Changed-2")
    assert code == 0, run
    assert whoami(acl, dn, "Self-Pass-Changed-2").code == 0
    assert whoami(acl, dn, "Self-Pass-1").code == 49
    # By a Modify of userPassword too (docs/access-control.md, rule 3).
    run = modify(acl, (dn, "Self-Pass-Changed-2"), dn, [("replace", "userPassword", ["Self-Pass-Modified-3"])])
    assert run.code == 0, run
    assert whoami(acl, dn, "Self-Pass-Modified-3").code == 0
    assert whoami(acl, dn, "Self-Pass-Changed-2").code == 49
    PASSWORDS[dn.lower()] = "Self-Pass-Modified-3"


def read_control(run, name):
    """The entry of a pre-read or post-read control printed by ldapmodify -e {pre,post}read=…"""
    assert "# ==> %s" % name in run.out, run
    [(dn, attrs)] = parse_ldif(run.out.split("# ==> %s" % name)[1].split("# <== %s" % name)[0])
    return dn, attrs


def test_person_pre_and_post_read_return_only_what_may_be_read(acl, demo):
    person = xt_person(demo, 2)
    change = "dn: %s\nchangetype: modify\nreplace: mobile\nmobile: +33677889900\n-\n" % person["dn"]
    run = acl.tools.modify(change, "-e", "preread=*", "-e", "postread=mobile,mail,userPassword", bind=as_(person))
    assert run.code == 0, run
    dn, pre = read_control(run, "preread")
    assert dn.lower() == person["dn"].lower() and by_name(pre, "uid") == [person["identifier"]], run
    assert by_name(pre, "userPassword") == [], run
    dn, post = read_control(run, "postread")
    assert by_name(post, "mobile") == ["+33677889900"], run
    assert by_name(post, "mail") == by_name(demo_entry(demo, person["dn"]), "mail"), run
    assert by_name(post, "userPassword") == [], run


def test_person_cannot_read_another_person(acl, demo):
    """A person sees their own entry only: not ou=people nor the suffix (a search from them answers
    noSuchObject, as from a missing base), not another person (base search, compare, modify: noSuchObject, as
    for a missing entry)."""
    reader, other = xt_person(demo, 0), xt_person(demo, 1)
    other_mail = by_name(demo_entry(demo, other["dn"]), "mail")[0]
    conn = connect(acl, *as_(reader))
    for base in (PEOPLE, SUFFIX):
        for flt in ("(mail=%s)" % other_mail, "(uid=%s)" % other["identifier"], "(mail=*)"):
            answer = search(conn, base, SUBTREE, flt, ["mail"])
            assert answer[0] == 32 and answer[2] == [], (base, flt, answer)
    # From their own entry, a subtree search finds it and nothing else.
    run = acl.tools.search(reader["dn"], "-s", "sub", "(objectClass=*)", "1.1", bind=as_(reader))
    assert run.code == 0 and lower_dns(run.entries()) == [reader["dn"].lower()], run
    hidden = search(conn, other["dn"], attributes=["mail"])
    missing = search(conn, "uid=absent-xt," + PEOPLE, attributes=["mail"])
    assert hidden[0] == 32 and hidden[2] == [], hidden
    assert hidden[:2] == missing[:2], "hidden %r, missing %r" % (hidden, missing)
    compared = acl.tools.run("ldapcompare", [other["dn"], "mail:%s" % other_mail], bind=as_(reader))
    assert compared.code == 32, compared
    changed = modify(acl, as_(reader), other["dn"], [("replace", "mobile", ["+33600000000"])])
    assert changed.code == 32, changed
    conn.unbind()


# --------------------------------------------------------------------------------------------
# Correspondents: people and structures of their territory, nothing of another.


def new_person(uid, codique, password="Cree-Pass-1", parent=PEOPLE):
    dn = "uid=%s,%s" % (uid, parent)
    return dn, person_ldif(dn, uid, codique, "%s@onf.fr" % uid.replace("-xt", ".agent"), password)


def test_correspondent_manages_people_of_the_territory(acl, demo):
    corr = demo.account("correspondent", 0)
    dn, ldif = new_person("creation-xt", HOME, "Cree-Pass-1")
    run = acl.tools.add(ldif, bind=as_(corr))
    assert run.code == 0, run
    assert by_name(root_read(acl, dn, "aspasieCodique"), "aspasieCodique") == [HOME]
    run = modify(acl, as_(corr), dn, [("replace", "sn", ["Creation"]), ("replace", "telephoneNumber", ["+33 2 43 00 00 00"])])
    assert run.code == 0, run
    assert by_name(root_read(acl, dn, "sn"), "sn") == ["Creation"]
    # Assisted reset (D7): given, then generated.
    code, run = passwd(acl, as_(corr), "-s", "Reset-By-Corr-2", dn)
    assert code == 0, run
    assert whoami(acl, dn, "Reset-By-Corr-2").code == 0
    assert whoami(acl, dn, "Cree-Pass-1").code == 49
    code, run = passwd(acl, as_(corr), dn)
    assert code == 0 and run.out.startswith("New password: "), run
    assert whoami(acl, dn, run.out.split(": ", 1)[1].strip()).code == 0
    run = acl.tools.run("ldapdelete", [dn], bind=as_(corr))
    assert run.code == 0, run
    assert root_read(acl, dn) is None


def test_correspondent_manages_structures_of_the_territory(acl, demo):
    corr = demo.account("correspondent", 0)
    number = siret("2172001230001")
    dn = "aspasieSiret=%s,%s" % (number, STRUCTURES)
    run = acl.tools.add(structure_ldif(number, HOME, demo.account("principal-manager")["dn"]), bind=as_(corr))
    assert run.code == 0, run
    run = modify(acl, as_(corr), dn, [("replace", "aspasieStructureName", ["Mairie de Sable-sur-Sarthe"])])
    assert run.code == 0, run
    assert by_name(root_read(acl, dn, "aspasieStructureName"), "aspasieStructureName") == ["Mairie de Sable-sur-Sarthe"]
    run = acl.tools.run("ldapdelete", [dn], bind=as_(corr))
    assert run.code == 0, run
    assert root_read(acl, dn) is None


def test_correspondent_cannot_make_a_correspondent(acl, demo):
    """Rule 6a (a value rule): the class aspasieCorrespondent is the root DN's to give, on Modify and on Add;
    other classes of a person of the territory stay the correspondent's to change."""
    corr, person = demo.account("correspondent", 0), xt_person(demo, 5)
    run = modify(acl, as_(corr), person["dn"], [("add", "objectClass", ["aspasieCorrespondent"]),
                                                ("add", "aspasieTerritoryCodique", [OTHER])])
    assert run.code == 50, run
    assert "aspasieCorrespondent" not in by_name(root_read(acl, person["dn"], "objectClass"), "objectClass")
    run = modify(acl, as_(corr), person["dn"], [("add", "objectClass", ["extensibleObject"])])
    assert run.code == 0, run
    run = modify(acl, as_(corr), person["dn"], [("delete", "objectClass", ["extensibleObject"])])
    assert run.code == 0, run
    dn, ldif = new_person("promu-xt", HOME, "Promu-Pass-1")
    ldif = ldif.rstrip("\n") + "\nobjectClass: aspasieCorrespondent\naspasieTerritoryCodique: %s\n\n" % OTHER
    run = acl.tools.add(ldif, bind=as_(corr))
    assert run.code == 50, run
    assert root_read(acl, dn) is None


def test_correspondent_searches_see_the_territory_only(acl, demo):
    """Search results silently omit what may not be read: another territory's person and structure."""
    corr = demo.account("correspondent", 0)
    run = acl.tools.search(PEOPLE, "-s", "one", "(objectClass=*)", "aspasieCodique", bind=as_(corr))
    assert run.code == 0, run
    got = lower_dns(run.entries())
    people = [dn.lower() for dn in demo.dns if dn.lower().endswith("," + PEOPLE.lower())]
    assert set(people) <= set(got), sorted(set(people) - set(got))
    assert ELSEWHERE.lower() not in got, run
    assert {v for _, attrs in run.entries() for v in by_name(attrs, "aspasieCodique")} == {HOME}, run
    run = acl.tools.search(SUFFIX, "-s", "sub", "(aspasieCodique=%s)" % OTHER, "1.1", bind=as_(corr))
    assert run.code == 0 and run.entries() == [], run
    run = acl.tools.search(STRUCTURES, "-s", "one", "(objectClass=aspasieStructure)", "1.1", bind=as_(corr))
    structures = [dn.lower() for dn in demo.dns if dn.lower().endswith("," + STRUCTURES.lower())]
    assert run.code == 0 and set(structures) <= set(lower_dns(run.entries())), run
    assert ELSEWHERE_STRUCTURE.lower() not in lower_dns(run.entries()), run


def test_renames(acl, demo):
    """Modify DN: a person may not rename their own entry (50); the correspondent of the territory renames it
    (0); another territory's correspondent cannot see it (32)."""
    dn, ldif = new_person("nom-xt", HOME, "Nom-Pass-1")
    assert acl.tools.add(ldif, bind="root").code == 0
    run = acl.tools.run("ldapmodrdn", ["-r", dn, "uid=nom-change-xt"], bind=(dn, "Nom-Pass-1"))
    assert run.code == 50, run
    run = acl.tools.run("ldapmodrdn", ["-r", dn, "uid=nom-autre-xt"], bind=who(OTHER_CORRESPONDENT))
    assert run.code == 32, run
    assert root_read(acl, dn) is not None
    run = acl.tools.run("ldapmodrdn", ["-r", dn, "uid=nom-nouveau-xt"], bind=as_(demo.account("correspondent", 0)))
    assert run.code == 0, run
    assert root_read(acl, dn) is None
    assert by_name(root_read(acl, "uid=nom-nouveau-xt," + PEOPLE, "uid"), "uid") == ["nom-nouveau-xt"]


def test_correspondent_cannot_touch_another_territory(acl, demo):
    """Outside their territory, entries are invisible to a correspondent (docs/access-control.md): every
    write answers noSuchObject, as for a missing entry, and changes nothing."""
    corr = demo.account("correspondent", 0)
    expected = refused_code(acl, as_(corr), ELSEWHERE)
    assert expected == 32, "another territory's person is visible to the correspondent"
    before = root_read(acl, ELSEWHERE, "*", "+")
    run = modify(acl, as_(corr), ELSEWHERE, [("replace", "telephoneNumber", ["+33 1 00 00 00 00"])])
    assert run.code == expected, run
    code, run = passwd(acl, as_(corr), "-s", "Stolen-Pass-9", ELSEWHERE)
    assert code == expected, run
    assert whoami(acl, ELSEWHERE, "Stolen-Pass-9").code == 49
    assert whoami(acl, *who(ELSEWHERE)).code == 0
    run = acl.tools.run("ldapdelete", [ELSEWHERE], bind=as_(corr))
    assert run.code == expected, run
    assert root_read(acl, ELSEWHERE, "*", "+") == before
    # The other territory's structure, likewise.
    expected = refused_code(acl, as_(corr), ELSEWHERE_STRUCTURE)
    assert expected == 32, "another territory's structure is visible to the correspondent"
    run = modify(acl, as_(corr), ELSEWHERE_STRUCTURE, [("replace", "aspasieStructureName", ["Prise"])])
    assert run.code == expected, run
    run = acl.tools.run("ldapdelete", [ELSEWHERE_STRUCTURE], bind=as_(corr))
    assert run.code == expected, run
    assert root_read(acl, ELSEWHERE_STRUCTURE) is not None


def test_correspondent_adds_only_in_the_territory_and_only_people_and_structures(acl, demo):
    corr = demo.account("correspondent", 0)
    dn, ldif = new_person("intrus-xt", OTHER)
    run = acl.tools.add(ldif, bind=as_(corr))
    assert run.code == 50, run
    assert root_read(acl, dn) is None
    number = siret("2175005600002")
    run = acl.tools.add(structure_ldif(number, OTHER, ELSEWHERE), bind=as_(corr))
    assert run.code == 50, run
    assert root_read(acl, "aspasieSiret=%s,%s" % (number, STRUCTURES)) is None
    # Of the right territory, but outside ou=people and ou=structures: ou=admins is hidden from correspondents
    # (they read their own entry there, not the branch), so noSuchObject as for a missing parent.
    dn, ldif = new_person("admin-xt", HOME, parent=ADMINS)
    expected = refused_code(acl, as_(corr), ADMINS)
    assert expected == 32, "ou=admins is visible to the correspondent"
    run = acl.tools.add(ldif, bind=as_(corr))
    assert run.code == expected, run
    assert root_read(acl, dn) is None


def test_correspondent_of_another_territory(acl, demo):
    """The rule follows the codique: the other territory's correspondent manages its person, not the demo's."""
    corr = who(OTHER_CORRESPONDENT)
    run = modify(acl, corr, ELSEWHERE, [("replace", "telephoneNumber", ["+33 1 40 00 00 00"])])
    assert run.code == 0, run
    assert by_name(root_read(acl, ELSEWHERE, "telephoneNumber"), "telephoneNumber") == ["+33 1 40 00 00 00"]
    home_person = xt_person(demo, 4)
    expected = refused_code(acl, corr, home_person["dn"])
    assert expected == 32, "the demo territory's person is visible to the other territory's correspondent"
    run = modify(acl, corr, home_person["dn"], [("replace", "telephoneNumber", ["+33 1 40 00 00 01"])])
    assert run.code == expected, run
    code, run = passwd(acl, corr, "-s", "Stolen-Pass-8", home_person["dn"])
    assert code == expected, run
    assert whoami(acl, *as_(home_person)).code == 0


# --------------------------------------------------------------------------------------------
# Service accounts and the directory manager.


def test_monitor_reads_cn_monitor_only(acl, demo):
    monitor = demo.account("monitor")
    run = acl.tools.search("cn=monitor", "-s", "base", "(objectClass=*)", "*", "+", bind=as_(monitor))
    assert run.code == 32 and run.entries() == [], run  # cn=monitor does not exist yet
    run = acl.tools.search(SUFFIX, "-s", "sub", "(objectClass=*)", "1.1", bind=as_(monitor))
    assert run.code == 32 and run.entries() == [], run  # not even the suffix: like a missing base
    conn = connect(acl, *as_(monitor))
    hidden = search(conn, xt_person(demo, 0)["dn"])
    missing = search(conn, "uid=absent-xt," + PEOPLE)
    assert hidden[0] == 32 and hidden[2] == [] and hidden[:2] == missing[:2], (hidden, missing)
    conn.unbind()
    run = acl.tools.search("", "-s", "base", "(objectClass=*)", "namingContexts", bind=as_(monitor))
    assert run.code == 0 and len(run.entries()) == 1, run


def test_portal_reads_people_but_never_passwords(acl, demo):
    portal = demo.account("portal")
    conn = connect(acl, *as_(portal))
    code, _, found = search(conn, PEOPLE, LEVEL, "(objectClass=inetOrgPerson)", ["*", "userPassword"])
    assert code == 0, conn.result
    people = [dn.lower() for dn in demo.dns if dn.lower().endswith("," + PEOPLE.lower())]
    got = lower_dns(found)
    assert set(people) <= set(got), "people the portal cannot read: %r" % sorted(set(people) - set(got))
    assert all(dn.endswith("," + PEOPLE.lower()) for dn in got), got
    assert [dn for dn, attrs in found if "userpassword" in attrs] == []
    person = xt_person(demo, 0)
    [(dn, attrs)] = [(d, a) for d, a in found if d.lower() == person["dn"].lower()]
    assert attrs["mail"] == by_name(demo_entry(demo, person["dn"]), "mail")
    # One person by identifier, as the portal signs in (D1).
    code, _, found = search(conn, PEOPLE, SUBTREE, "(uid=%s)" % person["identifier"], ["uid", "userPassword"])
    assert code == 0 and lower_dns(found) == [person["dn"].lower()], conn.result
    # uid and its subtype aspasieIdentifier (RFC 4511 4.5.1.8), not the password.
    assert found[0][1] == {"uid": [person["identifier"]], "aspasieidentifier": [person["identifier"]]}, found
    # Every territory's people (the portal signs everyone in).
    code, _, found = search(conn, PEOPLE, LEVEL, "(uid=ailleurs-xt)", ["1.1"])
    assert code == 0 and lower_dns(found) == [ELSEWHERE.lower()], found
    # Filters on the password reveal nothing, negated or not (the item is Undefined); compare is refused.
    for flt in ("(userPassword=*)", "(userPassword=%s)" % person["password"], "(!(userPassword=guess))"):
        code, _, found = search(conn, PEOPLE, SUBTREE, flt, ["1.1"])
        assert code == 0 and found == [], (flt, found)
    conn.unbind()
    run = acl.tools.run("ldapcompare", [person["dn"], "userPassword:%s" % person["password"]], bind=as_(portal))
    assert run.code == 50, run
    run = modify(acl, as_(portal), person["dn"], [("replace", "telephoneNumber", ["+33 1 11 11 11 11"])])
    assert run.code == 50, run


def test_root_dn_bypasses_the_rules(acl, demo):
    run = acl.tools.search(SUFFIX, "-s", "sub", "(objectClass=*)", "1.1", bind="root")
    assert run.code == 0, run
    assert set(d.lower() for d in demo.dns) <= set(lower_dns(run.entries())), run
    person = xt_person(demo, 0)
    attrs = root_read(acl, person["dn"], "userPassword")
    assert [v.startswith("{") for v in by_name(attrs, "userPassword")] == [True], attrs


# --------------------------------------------------------------------------------------------
# Bind by identifier (D1).


def test_bind_by_identifier_person(acl, demo):
    person = xt_person(demo, 0)
    run = whoami(acl, person["identifier"], person["password"])
    assert run.code == 0, run
    assert run.out.strip().lower() == "dn:" + person["dn"].lower(), run
    # As the portal does it in production: over TLS (LDAPS and StartTLS).
    for tls in ("ldaps", "ZZ"):
        run = acl.tools.run("ldapwhoami", [], bind=(person["identifier"], person["password"]), tls=tls)
        assert run.code == 0 and run.out.strip().lower() == "dn:" + person["dn"].lower(), run


def test_bind_by_identifier_agent(acl, demo):
    """A demo agent (its uid is its mail local part), and one whose mail local part differs from the uid."""
    found = agent(demo)
    local_part = by_name(demo_entry(demo, found["dn"]), "mail")[0].split("@")[0]
    run = whoami(acl, local_part, found["password"])
    assert run.code == 0 and run.out.strip().lower() == "dn:" + found["dn"].lower(), run
    run = whoami(acl, AGENT_LOCAL_PART, PASSWORDS[AGENT.lower()])
    assert run.code == 0 and run.out.strip().lower() == "dn:" + AGENT.lower(), run


def test_bind_by_identifier_with_ldap3_is_the_person(acl, demo):
    person = xt_person(demo, 5)
    conn = connect(acl, person["identifier"], person["password"])
    assert conn.extend.standard.who_am_i().lower() == "dn:" + person["dn"].lower()
    code, _, found = search(conn, person["dn"], attributes=["uid", "mail"])
    assert code == 0 and lower_dns(found) == [person["dn"].lower()], conn.result
    # The self rules apply: own mobile yes, own mail no.
    assert conn.modify(person["dn"], {"mobile": [(MODIFY_REPLACE, ["+33612121212"])]}), conn.result
    assert not conn.modify(person["dn"], {"mail": [(MODIFY_REPLACE, ["autre@onf.fr"])]})
    assert conn.result["result"] == 50, conn.result
    conn.unbind()


def bind_result(acl, name, password):
    conn = Connection(Server(acl.server.host, port=acl.server.port, get_info=NONE, connect_timeout=10),
                      user=name, password=password, raise_exceptions=False, check_names=False, receive_timeout=30)
    conn.open()
    conn.bind()
    result = (conn.result["result"], conn.result["message"], conn.result.get("dn", ""))
    conn.unbind()
    return result


def test_bind_by_identifier_failures_answer_like_a_wrong_password(acl, demo):
    person = xt_person(demo, 0)
    cases = {
        "wrong password, identifier": (person["identifier"], person["password"] + "x"),
        "wrong password, DN": (person["dn"], person["password"] + "x"),
        "unknown identifier": ("inconnu-xt", person["password"]),
        "unknown agent": ("personne.inconnue", person["password"]),
        "ambiguous uid, right password of one": ("jumeau-xt", PASSWORDS[TWIN_1.lower()]),
        "ambiguous mail local part, right password of one": ("claude.double", PASSWORDS[DOUBLE_1.lower()]),
    }
    answers = {name: bind_result(acl, *credentials) for name, credentials in cases.items()}
    for name, answer in answers.items():
        assert answer[0] == 49, (name, answer)
    assert len(set(answers.values())) == 1, "the answers differ: %r" % answers
    printed = {name: whoami(acl, *credentials) for name, credentials in cases.items()}
    for name, run in printed.items():
        assert run.code == 49, (name, run)
    assert len(set(run.err for run in printed.values())) == 1, printed
    # Each twin still binds by its DN.
    assert whoami(acl, *who(TWIN_2)).code == 0
    assert whoami(acl, *who(DOUBLE_2)).code == 0


# --------------------------------------------------------------------------------------------
# The audit log.


def audit_lines(acl, wait_for=1, timeout=5.0):
    """The audit file's lines, each a JSON object; waits until there are at least `wait_for`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(acl.audit_path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            text = ""
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) >= wait_for or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    records = []
    for line in lines:
        record = json.loads(line)
        assert isinstance(record, dict), line
        records.append(record)
    return text, records


def norm_dn(dn):
    return ",".join(part.strip() for part in (dn or "").lower().split(","))


def field(record, name):
    return record.get(AUDIT_FIELD[name])


def parse_time(value):
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def test_audit_log_records_each_write(acl, demo):
    secrets = ["Audit-Add-Secret-1", "Audit-Modify-Secret-2", "Audit-Passwd-Secret-3", "Audit-Self-Secret-4"]
    started_at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=2)
    _, before = audit_lines(acl, wait_for=0, timeout=0)
    dn = "uid=audit-xt," + PEOPLE
    renamed = "uid=audit-renomme-xt," + PEOPLE
    root = connect(acl, servers.ROOT_DN, servers.ROOT_PASSWORD)
    ok = root.add(dn, ["top", "person", "organizationalPerson", "inetOrgPerson", "aspasiePerson"],
                  {"uid": "audit-xt", "aspasieIdentifier": "audit-xt", "aspasieCivility": "M.",
                   "aspasiePopulation": "SSLEPN", "aspasieCodique": HOME, "cn": "Alain Audit", "sn": "Audit",
                   "mail": "alain.audit@onf.fr", "userPassword": secrets[0]})
    assert ok, root.result
    assert root.modify(dn, {"mobile": [(MODIFY_REPLACE, ["+33600000042"])],
                            "userPassword": [(MODIFY_REPLACE, [secrets[1]])]}), root.result
    assert root.extend.standard.modify_password(user=dn, new_password=secrets[2]) is True, root.result
    assert root.modify_dn(dn, "uid=audit-renomme-xt"), root.result
    # A person changing their own password (a write by someone else than the manager).
    self_conn = connect(acl, renamed, secrets[2])
    assert self_conn.extend.standard.modify_password(old_password=secrets[2], new_password=secrets[3]) is True, \
        self_conn.result
    self_conn.unbind()
    assert root.delete(renamed), root.result
    # Refused: a person changing their own mail (50).
    person = xt_person(demo, 6)
    conn = connect(acl, *as_(person))
    assert not conn.modify(person["dn"], {"mail": [(MODIFY_REPLACE, ["nouvelle.adresse@onf.fr"])]})
    assert conn.result["result"] == 50, conn.result
    conn.unbind()
    root.unbind()
    added = {"objectclass", "uid", "aspasieidentifier", "aspasiecivility", "aspasiepopulation", "aspasiecodique",
             "cn", "sn", "mail", "userpassword"}
    expected = [  # operation, target, bind DN, result code, the attribute names listed (docs/audit.md)
        ("add", dn, servers.ROOT_DN, 0, added),
        ("modify", dn, servers.ROOT_DN, 0, {"mobile", "userpassword"}),
        ("password reset", dn, servers.ROOT_DN, 0, {"userpassword"}),
        ("modrdn", dn, servers.ROOT_DN, 0, {"uid"}),
        ("password change", renamed, renamed, 0, {"userpassword"}),
        ("delete", renamed, servers.ROOT_DN, 0, set()),
        ("modify", person["dn"], person["dn"], 50, {"mail"}),
    ]
    text, records = audit_lines(acl, wait_for=len(before) + len(expected))
    new = records[len(before):]
    for secret in secrets:
        assert secret not in text, "the audit log holds a password: %s" % secret
    for operation, target, bind_dn, code, attributes in expected:
        matching = [r for r in new if field(r, "operation") == AUDIT_OPERATION[operation]
                    and norm_dn(field(r, "target")) == norm_dn(target)]
        assert len(matching) == 1, "%s of %s: %d audit lines among\n%s" % (
            operation, target, len(matching), "\n".join(json.dumps(r) for r in new))
        [record] = matching
        for name in AUDIT_FIELD:
            if name != "new_dn":
                assert AUDIT_FIELD[name] in record, "%s: no %r field: %r" % (operation, AUDIT_FIELD[name], record)
        if operation == "modrdn":
            assert norm_dn(field(record, "new_dn")) == norm_dn(renamed), record
        assert norm_dn(field(record, "bind_dn")) == norm_dn(bind_dn), record
        assert field(record, "result") == code, record
        assert str(field(record, "peer")).startswith("127.0.0.1"), record
        moment = parse_time(field(record, "time"))
        assert moment.tzinfo is not None, record
        assert started_at <= moment <= datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2), \
            record
        listed = [str(a).lower() for a in field(record, "attributes")]
        assert sorted(listed) == sorted(attributes), record  # each once
    # The manager's five operations came on one connection, the refused one on another.
    connections = {operation + target: field(r, "connection") for operation, target, _, _, _ in expected
                   for r in new if field(r, "operation") == AUDIT_OPERATION[operation]
                   and norm_dn(field(r, "target")) == norm_dn(target)}
    root_connections = {connections["add" + dn], connections["modify" + dn], connections["password reset" + dn],
                        connections["modrdn" + dn], connections["delete" + renamed]}
    assert len(root_connections) == 1, connections
    assert connections["modify" + person["dn"]] not in root_connections, connections
    assert connections["password change" + renamed] not in root_connections, connections


def test_audit_log_records_a_refused_password_reset(acl, demo):
    """A correspondent resetting another territory's person: refused, recorded with its code, no password."""
    corr = demo.account("correspondent", 0)
    expected = refused_code(acl, as_(corr), ELSEWHERE)
    _, before = audit_lines(acl, wait_for=0, timeout=0)
    code, run = passwd(acl, as_(corr), "-s", "Refused-Secret-5", ELSEWHERE)
    assert code == expected, run
    text, records = audit_lines(acl, wait_for=len(before) + 1)
    assert "Refused-Secret-5" not in text
    matching = [r for r in records[len(before):] if field(r, "operation") == AUDIT_OPERATION["password reset"]
                and norm_dn(field(r, "target")) == norm_dn(ELSEWHERE)]
    assert len(matching) == 1, records[len(before):]
    assert field(matching[0], "result") == expected, matching
    assert norm_dn(field(matching[0], "bind_dn")) == norm_dn(corr["dn"]), matching


# --------------------------------------------------------------------------------------------
# Servers of their own: a failing audit write, rules that try to expose passwords, invalid settings.


@pytest.fixture
def private_dir(tmp_path):
    return str(tmp_path)


@pytest.mark.parametrize("mode", ["fail", "continue"])
def test_audit_write_failure(demo, private_dir, mode):
    """/dev/full takes the open but refuses every write (ENOSPC): `fail` fails the write with unavailable (52)
    and leaves the entry as it was, `continue` makes it (docs/audit.md)."""
    server = servers.Annuaire(private_dir, demo, name="annuaire-audit-" + mode,
                              extra=["--audit-log", "/dev/full", "--audit-failure", mode])
    server.start()
    try:
        tools = Tools(server)
        person = xt_person(demo, 0)
        ldif = "dn: %s\nchangetype: modify\nreplace: description\ndescription: audit %s\n-\n" % (person["dn"], mode)
        run = tools.modify(ldif, bind="root")
        read = tools.search(person["dn"], "-s", "base", "(objectClass=*)", "description", bind="root")
        assert read.code == 0, read
        [(_, attrs)] = read.entries()
        if mode == "fail":
            assert run.code == 52, run
            assert by_name(attrs, "description") == [], "the write was applied without its audit line: %r" % read
        else:
            assert run.code == 0, run
            assert by_name(attrs, "description") == ["audit continue"], read
    finally:
        assert server.stop() == 0, server.log_tail()


def test_no_rule_makes_a_password_readable(demo, private_dir):
    """Rules granting everything to everyone: still no userPassword but for the directory manager."""
    rules = os.path.join(private_dir, "everything.rules")
    with open(rules, "w") as f:
        f.write("access to * by * manage\n")
    server = servers.Annuaire(private_dir, demo, name="annuaire-open-rules", extra=["--access-rules", rules])
    server.start()
    try:
        tools = Tools(server)
        person, other = xt_person(demo, 0), xt_person(demo, 1)
        for bind in (None, as_(person), as_(other), as_(demo.account("portal"))):
            run = tools.search(person["dn"], "-s", "base", "(objectClass=*)", "*", "userPassword", bind=bind)
            assert run.code == 0, run
            [(_, attrs)] = run.entries()
            assert by_name(attrs, "uid") == [person["identifier"]], run  # the rules do apply
            assert by_name(attrs, "userPassword") == [], run
            found = tools.search(PEOPLE, "-s", "one", "(userPassword=*)", "1.1", bind=bind)
            assert found.code == 0 and found.entries() == [], found
        run = tools.search(person["dn"], "-s", "base", "(objectClass=*)", "userPassword", bind="root")
        assert run.code == 0 and len(by_name(run.entries()[0][1], "userPassword")) == 1, run
    finally:
        assert server.stop() == 0, server.log_tail()


def test_bind_needs_auth_on_the_password(demo, private_dir):
    """Rules are checked on Bind: without `auth` on an entry's userPassword, the right password fails exactly
    like a wrong one (docs/access-control.md, checks per operation)."""
    rules = os.path.join(private_dir, "no-admin-binds.rules")
    with open(rules, "w") as f:
        f.write('access to dn.subtree="ou=admins,${suffix}" attrs=userPassword\n    by * none\n\n'
                'access to attrs=userPassword\n    by anonymous auth\n    by * none\n\n'
                'access to *\n    by * read\n')
    server = servers.Annuaire(private_dir, demo, name="annuaire-no-admin-binds", extra=["--access-rules", rules])
    server.start()
    try:
        tools = Tools(server)
        portal, person = demo.account("portal"), xt_person(demo, 0)
        right = tools.run("ldapwhoami", [], bind=as_(portal))
        wrong = tools.run("ldapwhoami", [], bind=(portal["dn"], portal["password"] + "x"))
        assert right.code == 49 and wrong.code == 49, (right, wrong)
        assert right.err == wrong.err, (right, wrong)
        run = tools.run("ldapwhoami", [], bind=as_(person))
        assert run.code == 0 and run.out.strip().lower() == "dn:" + person["dn"].lower(), run
        run = tools.run("ldapwhoami", [], bind=(person["identifier"], person["password"]))
        assert run.code == 0, run
    finally:
        assert server.stop() == 0, server.log_tail()


def test_bind_identifier_off(demo, private_dir):
    """bind-identifier off: a bind name must be a DN again (a bare identifier is invalidDNSyntax, as slapd)."""
    server = servers.Annuaire(private_dir, demo, name="annuaire-no-identifier",
                              extra=servers.PERMISSIVE + ["--bind-identifier", "off"])
    server.start()
    try:
        tools = Tools(server)
        person = xt_person(demo, 0)
        run = tools.run("ldapwhoami", [], bind=(person["identifier"], person["password"]))
        assert run.code == 34, run
        run = tools.run("ldapwhoami", [], bind=as_(person))
        assert run.code == 0 and run.out.strip().lower() == "dn:" + person["dn"].lower(), run
    finally:
        assert server.stop() == 0, server.log_tail()


@pytest.mark.parametrize("case", ["missing rules file", "rules syntax error", "audit failure mode",
                                  "audit log directory missing", "bind identifier lookup"])
def test_invalid_access_settings_exit_78_naming_the_key(private_dir, case):
    bad = os.path.join(private_dir, "bad.rules")
    with open(bad, "w") as f:
        f.write("access to * by * fly\n")
    flags, key = {
        "missing rules file": (["--access-rules", os.path.join(private_dir, "absent.rules")], "access-rules"),
        "rules syntax error": (["--access-rules", bad], "access-rules"),
        "audit failure mode": (["--audit-failure", "perhaps"], "audit-failure"),
        "audit log directory missing": (["--audit-log", os.path.join(private_dir, "no", "audit.jsonl")],
                                        "audit-log"),
        "bind identifier lookup": (["--bind-identifier", "uid,telephone"], "bind-identifier"),
    }[case]
    done = subprocess.run([servers.annuaire_bin(), "serve", "--data-dir", os.path.join(private_dir, "d"),
                           "--listen", "ldap://127.0.0.1:%d" % servers.free_port()] + flags,
                          capture_output=True, text=True, timeout=60, cwd=servers.REPO)
    assert done.returncode == 78, done
    assert key in done.stderr, done.stderr
    if case == "rules syntax error":
        assert "bad.rules:1:" in done.stderr and "fly" in done.stderr, done.stderr  # file:line and the word


def test_imported_ssha_password_is_rehashed_to_argon2_at_bind(acl, demo):
    """An imported {SSHA} value verifies, and the successful bind stores it again as {ARGON2} (issue 6 point 1);
    the person signs in with the same password afterwards."""
    person = xt_person(demo, 12)  # no other test binds as this one
    assert by_name(root_read(acl, person["dn"], "userPassword"), "userPassword")[0].startswith("{SSHA}")
    first = acl.tools.run("ldapwhoami", [], bind=(person["dn"], person["password"]))
    assert first.code == 0, first
    stored = by_name(root_read(acl, person["dn"], "userPassword"), "userPassword")
    assert len(stored) == 1 and stored[0].startswith("{ARGON2}$argon2id$"), stored
    again = acl.tools.run("ldapwhoami", [], bind=(person["dn"], person["password"]))
    assert again.code == 0, again
    wrong = acl.tools.run("ldapwhoami", [], bind=(person["dn"], person["password"] + "x"))
    assert wrong.code == 49, wrong


# --------------------------------------------------------------------------------------------
# Value rules (issue 5 point 1, "modify per value"): a server of its own whose rules are the default policy
# preceded by value rules (docs/access-control.md, "Value rules", worked example). The correspondent of the
# territory may add and delete the businessCategory value "Partenaire DGFiP" of a person, and only read the
# others; description values starting with "interne:" are the correspondent's notes, hidden from the person.

VALUE_RULES = '''\
access to dn.children="ou=people,${suffix}" attrs=businessCategory val="Partenaire DGFiP"
    by match="aspasieTerritoryCodique=aspasieCodique" write
    by self read
    by * none

access to dn.children="ou=people,${suffix}" attrs=businessCategory
    by match="aspasieTerritoryCodique=aspasieCodique" read
    by self read
    by * none

access to dn.children="ou=people,${suffix}" attrs=description val.regex="^interne:"
    by match="aspasieTerritoryCodique=aspasieCodique" write
    by * none

access to dn.children="ou=people,${suffix}" attrs=description
    by match="aspasieTerritoryCodique=aspasieCodique" write
    by self read
    by * none

'''
PARTNER = "Partenaire DGFiP"


@pytest.fixture(scope="module")
def valued(workdir, demo):
    path = os.path.join(workdir, "value-rules")
    os.makedirs(path)
    rules = os.path.join(path, "value.rules")
    with open(os.path.join(servers.REPO, "config", "access.rules"), encoding="utf-8") as f:
        default = f.read()
    with open(rules, "w", encoding="utf-8") as f:
        f.write(VALUE_RULES + default)
    instance = servers.Annuaire(path, demo, name="annuaire-value-rules", extra=["--access-rules", rules])
    for server in started(instance):
        context = Acl(server, demo, None)
        added = context.tools.add(fixture_ldif(), bind="root")
        assert added.code == 0, "the fixture's entries: %r" % added
        yield context


def set_values(context, dn, attribute, values):
    """Sets `attribute` of `dn` as the directory manager (the state a test starts from)."""
    run = modify(context, "root", dn, [("replace", attribute, values)])
    assert run.code == 0, run


def values_of(context, dn, attribute):
    return sorted(by_name(root_read(context, dn, attribute), attribute))


def test_value_rule_modify_add_delete_replace(valued, demo):
    corr, person = demo.account("correspondent", 0), xt_person(demo, 3)
    dn = person["dn"]
    set_values(valued, dn, "businessCategory", ["Agent comptable"])
    # add: the rule's value, not another one.
    run = modify(valued, as_(corr), dn, [("add", "businessCategory", [PARTNER])])
    assert run.code == 0, run
    run = modify(valued, as_(corr), dn, [("add", "businessCategory", ["Autre categorie"])])
    assert run.code == 50, run
    assert values_of(valued, dn, "businessCategory") == ["Agent comptable", PARTNER]
    # delete: not another value; the rule's value compared under caseIgnoreMatch.
    run = modify(valued, as_(corr), dn, [("delete", "businessCategory", ["Agent comptable"])])
    assert run.code == 50, run
    run = modify(valued, as_(corr), dn, [("delete", "businessCategory", ["partenaire  dgfip"])])
    assert run.code == 0, run
    assert values_of(valued, dn, "businessCategory") == ["Agent comptable"]
    # replace deletes every current value: refused while "Agent comptable" is there, nothing changed.
    run = modify(valued, as_(corr), dn, [("replace", "businessCategory", [PARTNER])])
    assert run.code == 50, run
    # Deleting the attribute deletes "Agent comptable" too.
    run = modify(valued, as_(corr), dn, [("delete", "businessCategory", [])])
    assert run.code == 50, run
    assert values_of(valued, dn, "businessCategory") == ["Agent comptable"]
    # Once only the rule's value is there, replacing it (by itself) and deleting it are allowed.
    set_values(valued, dn, "businessCategory", [PARTNER])
    run = modify(valued, as_(corr), dn, [("replace", "businessCategory", [PARTNER.upper()])])
    assert run.code == 0, run
    run = modify(valued, as_(corr), dn, [("delete", "businessCategory", [])])
    assert run.code == 0, run
    assert values_of(valued, dn, "businessCategory") == []
    # The person reads the value but may not add it (rule 1: self read).
    run = modify(valued, as_(person), dn, [("add", "businessCategory", [PARTNER])])
    assert run.code == 50, run
    # Another territory's correspondent does not even see the person.
    run = modify(valued, who(OTHER_CORRESPONDENT), dn, [("add", "businessCategory", [PARTNER])])
    assert run.code == refused_code(valued, who(OTHER_CORRESPONDENT), dn) == 32, run
    assert values_of(valued, dn, "businessCategory") == []


def test_value_rule_add_of_an_entry_carrying_values(valued, demo):
    corr = demo.account("correspondent", 0)
    dn, ldif = new_person("valeur-xt", HOME, "Valeur-Pass-1")
    run = valued.tools.add(ldif.rstrip("\n") + "\nbusinessCategory: Autre categorie\n\n", bind=as_(corr))
    assert run.code == 50, run
    assert root_read(valued, dn) is None
    run = valued.tools.add(ldif.rstrip("\n") + "\nbusinessCategory: %s\n\n" % PARTNER, bind=as_(corr))
    assert run.code == 0, run
    assert values_of(valued, dn, "businessCategory") == [PARTNER]


def test_value_rule_hides_values_from_reads_filters_and_compares(valued, demo):
    corr, person = demo.account("correspondent", 0), xt_person(demo, 4)
    dn = person["dn"]
    set_values(valued, dn, "description", ["Referent mairie", "interne: dossier en cours"])
    # The person: the entry without the "interne:" value.
    run = valued.tools.search(dn, "-s", "base", "(objectClass=*)", "description", bind=as_(person))
    assert run.code == 0, run
    [(_, attrs)] = run.entries()
    assert by_name(attrs, "description") == ["Referent mairie"], run
    # An equality filter on the hidden value is Undefined (no entry), on the other value TRUE.
    run = valued.tools.search(dn, "-s", "base", "(description=interne: dossier en cours)", "1.1", bind=as_(person))
    assert run.code == 0 and run.entries() == [], run
    run = valued.tools.search(dn, "-s", "base", "(description=Referent mairie)", "1.1", bind=as_(person))
    assert run.code == 0 and lower_dns(run.entries()) == [dn.lower()], run
    # Compare: decided on the asserted value (ldap3, for the exact result code).
    conn = connect(valued, *as_(person))
    conn.compare(dn, "description", "interne: dossier en cours")
    assert conn.result["result"] == 50, conn.result
    conn.compare(dn, "description", "Referent mairie")
    assert conn.result["result"] == 6, conn.result
    conn.unbind()
    # The correspondent sees, finds and compares every value.
    run = valued.tools.search(dn, "-s", "base", "(description=interne: dossier en cours)", "description",
                              bind=as_(corr))
    assert run.code == 0, run
    [(_, attrs)] = run.entries()
    assert sorted(by_name(attrs, "description")) == ["Referent mairie", "interne: dossier en cours"], run
    conn = connect(valued, *as_(corr))
    conn.compare(dn, "description", "interne: dossier en cours")
    assert conn.result["result"] == 6, conn.result
    conn.unbind()
