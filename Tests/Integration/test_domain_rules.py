"""The partner directory's rules (docs/domain-rules.md) against a real `annuaire serve` holding the demo
directory, with the default access rules: each rule refuses an add, a modify or a modify DN with
constraintViolation (19) and a message that names it ("D3: ..."), for the root DN too; valid writes pass;
mobile numbers are stored in E.164; entries of other classes are not concerned. Clients: ldapadd,
ldapmodify, ldapmodrdn and python ldap3.
"""

import os

import pytest
from ldap3 import BASE, MODIFY_REPLACE, NONE, Connection, Server

import servers
from clients import Tools, parse_ldif
from conftest import started

SUFFIX = servers.SUFFIX
PEOPLE = "ou=people," + SUFFIX
STRUCTURES = "ou=structures," + SUFFIX
CONSTRAINT_VIOLATION = 19


@pytest.fixture(scope="module")
def rules_server(workdir, demo):
    path = os.path.join(workdir, "domain-rules")
    os.makedirs(path)
    yield from started(servers.Annuaire(path, demo, name="annuaire-rules"))


@pytest.fixture(scope="module")
def ldap(rules_server):
    return Tools(rules_server)


def entries_with_class(demo, name):
    return [(dn, attrs) for dn, attrs in demo.entries
            if name.lower() in [v.lower() for v in attrs.get("objectClass", [])]]


def person_ldif(identifier, **overrides):
    """A valid person below ou=people; keyword arguments replace attributes (None removes one)."""
    attributes = {
        "objectClass": ["inetOrgPerson", "aspasiePerson"], "uid": [identifier], "cn": ["Jeanne Testeur"],
        "sn": ["Testeur"], "givenName": ["Jeanne"], "aspasieIdentifier": [identifier],
        "aspasieCivility": ["Mme"], "aspasiePopulation": ["SSLSPL"], "aspasieCodique": ["0750001"],
        "mail": ["%s@ville-paris.fr" % identifier.replace("-xt", "").replace("-", ".")],
        "postalCode": ["75001"], "l": ["Paris"],
    }
    for name, values in overrides.items():
        if values is None:
            attributes.pop(name, None)
        else:
            attributes[name] = values if isinstance(values, list) else [values]
    dn = "uid=%s,%s" % (identifier, PEOPLE)
    lines = ["dn: " + dn] + ["%s: %s" % (name, value) for name, values in attributes.items() for value in values]
    return dn, "\n".join(lines) + "\n"


def assert_refused(done, message):
    assert done.code == CONSTRAINT_VIOLATION, done
    # ldap-utils print the diagnostic message as "additional info" (on stdout or stderr, by tool).
    assert "additional info: " + message.lower() in (done.out + done.err).lower(), done


def stored(ldap, dn, attribute):
    found = ldap.search(dn, "-s", "base", "(objectClass=*)", attribute, bind="root")
    assert found.code == 0, found
    entries = parse_ldif(found.out)
    return entries[0][1].get(attribute, []) if entries else None


# ---- add -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, message", [
    ({"aspasiePopulation": "SSLXYZ"}, "D2: aspasiePopulation 'SSLXYZ' is not an allowed population (SSLEPN or SSLSPL)"),
    ({"aspasieCodique": "75001"}, "D2: aspasieCodique '75001' is not a codique"),
    ({"aspasieCodique": "0200001"}, "D2: aspasieCodique '0200001' is not a codique"),
    ({"mail": "jeanne.testeur@ville"}, "D3: mail 'jeanne.testeur@ville' is not a valid e-mail address"),
    ({"mail": "contact@ville-paris.fr"}, "D3: mail 'contact@ville-paris.fr' is a generic address ('contact')"),
    ({"mail": "accueil.mairie@ville-paris.fr"}, "D3: mail 'accueil.mairie@ville-paris.fr' is a generic address"),
    ({"mail": "Secretariat2@ville-paris.fr"}, "D3: mail 'Secretariat2@ville-paris.fr' is a generic address"),
    ({"mail": "ce.0751234a@ac-paris.fr"}, "D3: mail 'ce.0751234a@ac-paris.fr' is a generic address (pattern 'ce.#######?')"),
    ({"mobile": "01 23 45 67 89"}, "D4: mobile '01 23 45 67 89' is not a mobile number"),
    ({"mobile": "+33 1 23 45 67 89"}, "D4: mobile '+33 1 23 45 67 89' is not a mobile number"),
    ({"aspasieIdentifier": "jtesteur"}, "D1: aspasieIdentifier 'jtesteur' must end in '-xt' (external users; only DGFiP staff"),
])
def test_each_rule_refuses_an_add_even_from_the_root_dn(ldap, overrides, message):
    dn, ldif = person_ldif("jtesteur-xt", **overrides)
    assert_refused(ldap.add(ldif, bind="root"), message)
    assert ldap.search(dn, "-s", "base", bind="root").code == 32  # nothing of it was stored


def test_a_valid_person_is_added_with_the_mobile_in_e164(ldap):
    dn, ldif = person_ldif("avalide-xt", mobile="06 12 34 56 78")
    done = ldap.add(ldif, bind="root")
    assert done.code == 0, done
    assert stored(ldap, dn, "mobile") == ["+33612345678"]
    # An overseas mobile takes its own country code (La Réunion: +262).
    dn, ldif = person_ldif("areunion-xt", mobile="0692 12 34 56")
    assert ldap.add(ldif, bind="root").code == 0
    assert stored(ldap, dn, "mobile") == ["+262692123456"]


def test_mail_identifier_and_siret_are_unique(ldap, demo):
    dn0, person = entries_with_class(demo, "aspasiePerson")[0]
    taken_mail = person["mail"][0]
    _, ldif = person_ldif("doublon-xt", mail=taken_mail.upper())
    assert_refused(ldap.add(ldif, bind="root"),
                   "D3: mail '%s' is already the address of another person" % taken_mail.upper())
    taken_identifier = person["aspasieIdentifier"][0]
    _, ldif = person_ldif("doublon2-xt", aspasieIdentifier=taken_identifier)
    if not taken_identifier.endswith("-xt"):
        ldif = ldif.replace("mail: doublon2@ville-paris.fr", "mail: %s@dgfip.finances.gouv.fr" % taken_identifier)
    done = ldap.add(ldif, bind="root")
    assert done.code == CONSTRAINT_VIOLATION, done
    assert "D1: aspasieIdentifier '%s' is already the identifier of another entry" % taken_identifier \
        in done.out + done.err, done

    _, structure = entries_with_class(demo, "aspasieStructure")[0]
    siret = structure["aspasieSiret"][0]
    manager = structure["aspasiePrincipalManager"][0]

    def structure_ldif(value, label="doublon"):
        return ("dn: description=%s,%s\nobjectClass: aspasieStructure\ndescription: %s\naspasieSiret: %s\n"
                "aspasieStructureName: Doublon\naspasiePrincipalManager: %s\n" % (label, STRUCTURES, label, value, manager))

    assert_refused(ldap.add(structure_ldif(siret), bind="root"),
                   "D9: aspasieSiret '%s' is already the SIRET of another structure" % siret)
    wrong_key = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    assert_refused(ldap.add(structure_ldif(wrong_key), bind="root"),
                   "D9: aspasieSiret '%s' has a wrong check digit (Luhn key)" % wrong_key)
    assert_refused(ldap.add(structure_ldif("1234567890123"), bind="root"),
                   "D9: aspasieSiret '1234567890123' is not 14 digits")
    done = ldap.add(structure_ldif("21750001600019", label="nouvelle"), bind="root")
    assert done.code == 0, done


def test_entries_of_other_classes_are_not_concerned(ldap):
    ldif = ("dn: uid=boite-partagee,%s\nobjectClass: inetOrgPerson\nuid: boite-partagee\ncn: Boite\nsn: Boite\n"
            "mail: contact@ville-paris.fr\nmobile: 12\n" % PEOPLE)
    done = ldap.add(ldif, bind="root")
    assert done.code == 0, done
    assert stored(ldap, "uid=boite-partagee," + PEOPLE, "mobile") == ["12"]


# ---- modify ----------------------------------------------------------------------------------------

def test_modify_refuses_what_breaks_a_rule_and_keeps_the_entry(ldap):
    dn, ldif = person_ldif("amodifier-xt")
    assert ldap.add(ldif, bind="root").code == 0
    for change, message in [
        ("replace: mail\nmail: compta@ville-paris.fr", "D3: mail 'compta@ville-paris.fr' is a generic address"),
        ("replace: mail\nmail: pas une adresse", "D3: mail 'pas une adresse' is not a valid e-mail address"),
        ("replace: aspasiePopulation\naspasiePopulation: EPN", "D2: aspasiePopulation 'EPN' is not an allowed"),
        ("replace: aspasieCodique\naspasieCodique: 9990001", "D2: aspasieCodique '9990001' is not a codique"),
        ("add: mobile\nmobile: 0612", "D4: mobile '0612' is not a mobile number"),
        ("replace: aspasieIdentifier\naspasieIdentifier: amodifier", "D1: aspasieIdentifier 'amodifier' must end in '-xt'"),
    ]:
        assert_refused(ldap.modify("dn: %s\nchangetype: modify\n%s\n" % (dn, change), bind="root"), message)
    assert stored(ldap, dn, "mail") == ["amodifier@ville-paris.fr"]
    done = ldap.modify("dn: %s\nchangetype: modify\nreplace: mobile\nmobile: +33 (0)7 56 12 34 56\n" % dn, bind="root")
    assert done.code == 0, done
    assert stored(ldap, dn, "mobile") == ["+33756123456"]


def test_a_person_sets_their_own_mobile_normalised_with_ldap3(rules_server, demo):
    account = demo.account("person", 1)
    conn = Connection(Server(rules_server.host, port=rules_server.port, get_info=NONE, connect_timeout=10),
                      user=account["dn"], password=account["password"], raise_exceptions=False, receive_timeout=30)
    assert conn.bind(), conn.result
    assert conn.modify(account["dn"], {"mobile": [(MODIFY_REPLACE, ["07.56.65.43.21"])]}), conn.result
    assert conn.search(account["dn"], "(objectClass=*)", BASE, attributes=["mobile"])
    assert conn.entries[0]["mobile"].values == ["+33756654321"]
    assert not conn.modify(account["dn"], {"mobile": [(MODIFY_REPLACE, ["06 12"])]})
    assert conn.result["result"] == CONSTRAINT_VIOLATION
    assert conn.result["message"].startswith("D4: mobile '06 12' is not a mobile number"), conn.result
    conn.unbind()


# ---- modify DN -------------------------------------------------------------------------------------

def test_modify_dn_checks_the_new_naming_value(ldap, demo):
    _, person = entries_with_class(demo, "aspasiePerson")[2]
    taken = [i for i in person["aspasieIdentifier"]][0]
    dn = "aspasieIdentifier=arenommer-xt," + PEOPLE
    _, ldif = person_ldif("arenommer-xt", uid=None)
    ldif = ldif.replace("dn: uid=arenommer-xt," + PEOPLE, "dn: " + dn)
    assert ldap.add(ldif, bind="root").code == 0
    refused = ldap.run("ldapmodrdn", ["-r", dn, "aspasieIdentifier=arenommer"], bind="root")
    assert_refused(refused, "D1: aspasieIdentifier 'arenommer' must end in '-xt'")
    if taken.endswith("-xt"):
        refused = ldap.run("ldapmodrdn", ["-r", dn, "aspasieIdentifier=" + taken], bind="root")
        assert_refused(refused, "D1: aspasieIdentifier '%s' is already the identifier of another entry" % taken)
    done = ldap.run("ldapmodrdn", ["-r", dn, "aspasieIdentifier=arenomme-xt"], bind="root")
    assert done.code == 0, done


# ---- managers (D10, D11) and handover (D12) ----------------------------------------------------------

def test_managers_are_people_and_a_principal_manager_is_deleted_only_after_handover(ldap, demo):
    portal = demo.account("portal")["dn"]
    first_dn, ldif = person_ldif("gprincipal-xt")
    assert ldap.add(ldif, bind="root").code == 0
    second_dn, ldif = person_ldif("successeur-xt")
    assert ldap.add(ldif, bind="root").code == 0

    def structure(manager, label):
        return ("dn: description=%s,%s\nobjectClass: aspasieStructure\ndescription: %s\naspasieSiret: 21750001600019\n"
                "aspasieStructureName: Passation\naspasiePrincipalManager: %s\n" % (label, STRUCTURES, label, manager))

    # D10: a service account is not a person; neither is a missing entry.
    assert_refused(ldap.add(structure(portal, "passation"), bind="root"),
                   "D10: aspasiePrincipalManager '%s' is not a person of the directory" % portal)
    dn = "description=passation2," + STRUCTURES
    done = ldap.add(structure(first_dn, "passation2").replace("21750001600019", "21750001600027"), bind="root")
    assert done.code == 0, done
    assert_refused(
        ldap.modify("dn: %s\nchangetype: modify\nadd: aspasiePendingAttachment\naspasiePendingAttachment: "
                    "uid=fantome-xt,%s\n" % (dn, PEOPLE), bind="root"),
        "D11: aspasiePendingAttachment 'uid=fantome-xt,%s' is not a person of the directory" % PEOPLE)
    # D12: not deleted while principal manager, here or in the demo directory.
    assert_refused(ldap.run("ldapdelete", [first_dn], bind="root"),
                   "D12: '%s' is the principal manager of '%s'" % (first_dn, dn))
    _, demo_structure = entries_with_class(demo, "aspasieStructure")[0]
    demo_manager = demo_structure["aspasiePrincipalManager"][0]
    refused = ldap.run("ldapdelete", [demo_manager], bind="root")
    assert refused.code == CONSTRAINT_VIOLATION and "D12: " in refused.out + refused.err, refused
    # The handover names the successor in one modify; then the former manager may go.
    done = ldap.modify("dn: %s\nchangetype: modify\nreplace: aspasiePrincipalManager\naspasiePrincipalManager: %s\n"
                       % (dn, second_dn), bind="root")
    assert done.code == 0, done
    done = ldap.run("ldapdelete", [first_dn], bind="root")
    assert done.code == 0, done


# ---- referential integrity (D13) ---------------------------------------------------------------------

def test_a_departure_removes_every_attachment_and_a_rename_carries_the_references(ldap, demo):
    structures = entries_with_class(demo, "aspasieStructure")
    principals = {v.lower() for _, s in structures for v in s.get("aspasiePrincipalManager", [])}
    leaving = next(v for _, s in structures for v in s.get("aspasieAttachedUser", []) + s.get("aspasieSecondaryManager", [])
                   if v.lower() not in principals)
    done = ldap.run("ldapdelete", [leaving], bind="root")
    assert done.code == 0, done
    for attribute in ("aspasieStructureMember", "aspasiePendingAttachment"):
        found = ldap.search(STRUCTURES, "(%s=%s)" % (attribute, leaving), "1.1", bind="root")
        assert found.code == 0 and parse_ldif(found.out) == [], found
    # A principal manager renamed: the structures name the new DN.
    structure_dn, structure = structures[1]
    principal = structure["aspasiePrincipalManager"][0]
    new_rdn = "uid=renomme-xt"
    done = ldap.run("ldapmodrdn", [principal, new_rdn], bind="root")
    assert done.code == 0, done
    new_dn = new_rdn + "," + principal.split(",", 1)[1]
    assert [v.lower() for v in stored(ldap, structure_dn, "aspasiePrincipalManager")] == [new_dn.lower()]
