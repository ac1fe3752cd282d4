"""Every operation and control of issue 4 driven through OpenLDAP's ldap-utils (2.5), as subprocesses.

The ldap-utils exit status is the LDAP result code for ldapsearch, ldapadd/ldapmodify, ldapdelete,
ldapmodrdn and ldapwhoami; ldapcompare exits 6 (compareTrue) or 5 (compareFalse); ldappasswd and
ldapexop exit 1 on any failure and print the result code on standard error as "... (CODE)".

Tests read the demo directory (never written here) and write only inside their own sandbox
organizationalUnit, so that they do not depend on each other's order.
"""

import re

import pytest

from clients import by_name

SUFFIX = "dc=dgfip,dc=finances,dc=gouv,dc=fr"
PEOPLE = "ou=people," + SUFFIX
ADMINS = "ou=admins," + SUFFIX
STRUCTURES = "ou=structures," + SUFFIX

OID_PAGED = "1.2.840.113556.1.4.319"
OID_ASSERTION = "1.3.6.1.1.12"
OID_PREREAD = "1.3.6.1.1.13.1"
OID_POSTREAD = "1.3.6.1.1.13.2"
OID_MANAGE_DSA_IT = "2.16.840.1.113730.3.4.2"
OID_STARTTLS = "1.3.6.1.4.1.1466.20037"
OID_WHOAMI = "1.3.6.1.4.1.4203.1.11.3"
OID_PASSWD = "1.3.6.1.4.1.4203.1.11.1"
FEATURE_ALL_OPERATIONAL = "1.3.6.1.4.1.4203.1.5.1"
FEATURE_TRUE_FALSE = "1.3.6.1.4.1.4203.1.5.3"
FEATURE_INCREMENT = "1.3.6.1.1.14"

OPERATIONAL = ["createTimestamp", "modifyTimestamp", "creatorsName", "modifiersName", "entryUUID",
               "entryDN", "structuralObjectClass", "hasSubordinates", "subschemaSubentry"]


def dns(run):
    return [dn for dn, _ in run.entries() if dn is not None]


def lower(values):
    return sorted(v.lower() for v in values)


def demo_under(demo, base, scope):
    """DNs of the demo LDIF in a scope (by DN suffix: the demo DNs have no escapes)."""
    base_l = base.lower()
    found = []
    for dn in demo.dns:
        d = dn.lower()
        depth = d.count(",") - base_l.count(",")
        if scope == "base" and d == base_l:
            found.append(dn)
        elif d.endswith("," + base_l) and (scope == "sub" or (scope == "one" and depth == 1) or
                                         (scope == "children")):
            found.append(dn)
        elif scope == "sub" and d == base_l:
            found.append(dn)
    return sorted(x.lower() for x in found)


def result_code_in(run, code):
    """ldappasswd/ldapexop print 'ldap_...: Text (CODE)' on failure."""
    return re.search(r"\(%d\)" % code, run.out + run.err) is not None


def a_person(demo, index=0):
    return demo.account("person", index)


# --------------------------------------------------------------------------------------------
# Root DSE, subschema, TLS


@pytest.mark.parametrize("tls", ["ZZ", "ldaps"])
def test_root_dse_all_operational(tools, server, tls):
    run = tools.search("", "-s", "base", "+", tls=tls)
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    assert dn == ""
    assert lower(by_name(attrs, "namingContexts")) == [SUFFIX]
    assert "3" in by_name(attrs, "supportedLDAPVersion")
    controls = set(by_name(attrs, "supportedControl"))
    for oid in (OID_PAGED, OID_ASSERTION, OID_PREREAD, OID_POSTREAD, OID_MANAGE_DSA_IT):
        assert oid in controls, "supportedControl lacks %s: %r" % (oid, run)
    extensions = set(by_name(attrs, "supportedExtension"))
    for oid in (OID_STARTTLS, OID_WHOAMI, OID_PASSWD):
        assert oid in extensions, "supportedExtension lacks %s: %r" % (oid, run)
    features = set(by_name(attrs, "supportedFeatures"))
    for oid in (FEATURE_ALL_OPERATIONAL, FEATURE_TRUE_FALSE, FEATURE_INCREMENT):
        assert oid in features, "supportedFeatures lacks %s: %r" % (oid, run)
    assert [v.lower() for v in by_name(attrs, "subschemaSubentry")] == ["cn=subschema"]
    if server.kind == "annuaire":  # issue 4 asks for them; slapd 2.5 publishes neither
        assert by_name(attrs, "vendorName"), run
        assert by_name(attrs, "vendorVersion"), run


def test_root_dse_operational_attributes_only_on_request(tools):
    run = tools.search("", "-s", "base")
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    names = {n.lower() for n in attrs}
    for name in ("namingcontexts", "supportedcontrol", "supportedextension", "subschemasubentry"):
        assert name not in names, run
    run = tools.search("", "-s", "base", "namingContexts", "supportedLDAPVersion")
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    assert lower(by_name(attrs, "namingContexts")) == [SUFFIX]
    assert by_name(attrs, "supportedLDAPVersion") == ["3"]
    assert "supportedcontrol" not in {n.lower() for n in attrs}


def test_subschema(tools):
    run = tools.search("cn=Subschema", "-s", "base", "objectClasses", "attributeTypes", "ldapSyntaxes",
                       "matchingRules", "(objectClass=subschema)")
    assert run.code == 0, run
    [(dn, attrs)] = run.entries()
    assert dn.lower() == "cn=subschema"
    for name in ("objectClasses", "attributeTypes", "ldapSyntaxes", "matchingRules"):
        assert by_name(attrs, name), "%s missing: %r" % (name, run)
    classes = " ".join(by_name(attrs, "objectClasses"))
    types = " ".join(by_name(attrs, "attributeTypes"))
    for name in ("aspasiePerson", "aspasieStructure", "inetOrgPerson", "organizationalUnit"):
        assert "'%s'" % name in classes, name
    for name in ("aspasieIdentifier", "aspasieSiret", "mail", "userPassword", "createTimestamp"):
        assert "'%s'" % name in types, name
    assert "1.3.6.1.4.1.1466.115.121.1.15" in " ".join(by_name(attrs, "ldapSyntaxes"))
    assert "caseIgnoreMatch" in " ".join(by_name(attrs, "matchingRules"))


def test_entry_names_its_subschema(tools, demo):
    run = tools.search(a_person(demo)["dn"], "-s", "base", "subschemaSubentry")
    assert run.code == 0, run
    [(_, attrs)] = run.entries()
    assert lower(by_name(attrs, "subschemaSubentry")) == ["cn=subschema"]


def test_starttls_then_bind_and_whoami(tools, demo):
    person = a_person(demo)
    run = tools.run("ldapwhoami", [], bind=(person["dn"], person["password"]), tls="ZZ")
    assert run.code == 0, run
    assert run.out.strip().lower() == "dn:" + person["dn"].lower()


def test_ldaps_bind_and_whoami(tools, demo):
    person = a_person(demo, 1)
    run = tools.run("ldapwhoami", [], bind=(person["dn"], person["password"]), tls="ldaps")
    assert run.code == 0, run
    assert run.out.strip().lower() == "dn:" + person["dn"].lower()


def test_ldaps_certificate_is_verified(tools, tmp_path):
    """With a CA file that did not sign the server's certificate, the client must refuse it."""
    other = tmp_path / "other.crt"
    import subprocess
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(tmp_path / "other.key"), "-out", str(other), "-days", "1",
                    "-subj", "/CN=someone else"], check=True, capture_output=True)
    real = tools.server.cacert
    tools.server.cacert = str(other)
    try:
        run = tools.run("ldapwhoami", [], tls="ldaps")
    finally:
        tools.server.cacert = real
    assert run.code != 0, run
    run = tools.run("ldapwhoami", [], tls="ldaps")
    assert run.code == 0 and run.out.strip() == "anonymous", run


def test_starttls_twice_is_operations_error(tools):
    """RFC 4511 4.14.1: StartTLS on a connection already under TLS -> operationsError (1)."""
    run = tools.run("ldapexop", [OID_STARTTLS], tls="ZZ")
    assert run.code != 0, run
    assert result_code_in(run, 1), run


def test_starttls_on_ldaps_is_operations_error(tools):
    run = tools.run("ldapexop", [OID_STARTTLS], tls="ldaps")
    assert run.code != 0, run
    assert result_code_in(run, 1), run


# --------------------------------------------------------------------------------------------
# Search


@pytest.mark.parametrize("base,scope", [
    (PEOPLE, "base"), (PEOPLE, "one"), (PEOPLE, "sub"), (ADMINS, "one"), (STRUCTURES, "sub"),
    (ADMINS, "children"),
])
def test_search_scopes(tools, demo, base, scope):
    run = tools.search(base, "-s", scope, "1.1", bind="root")
    assert run.code == 0, run
    assert sorted(d.lower() for d in dns(run)) == demo_under(demo, base, scope)


def test_search_no_such_base(tools):
    run = tools.search("ou=nowhere," + PEOPLE, "-s", "sub", "1.1", bind="root")
    assert run.code == 32, run


def people_where(demo_entries, predicate):
    return sorted(dn.lower() for dn, attrs in demo_entries if predicate(attrs))


@pytest.fixture(scope="module")
def demo_entries(demo):
    return demo.entries


def vals(attrs, name):
    return [v.lower() for v in by_name(attrs, name)]


def test_search_filter_kinds(tools, demo, demo_entries):
    person = [e for e in demo_entries if e[0].lower() == a_person(demo)["dn"].lower()][0]
    sn = by_name(person[1], "sn")[0]
    mail = by_name(person[1], "mail")[0]
    codique = by_name(person[1], "aspasieCodique")[0]
    cases = {
        # equality, case-insensitive
        "(sn=%s)" % sn.upper(): lambda a: sn.lower() in vals(a, "sn"),
        # substrings: initial, any, final, and all three
        "(mail=%s*)" % mail[:3]: lambda a: any(v.startswith(mail[:3].lower()) for v in vals(a, "mail")),
        "(mail=*@%s)" % mail.split("@")[1]: lambda a: any(v.endswith("@" + mail.split("@")[1].lower())
                                                          for v in vals(a, "mail")),
        "(cn=*%s*)" % sn[-3:-1]: lambda a: any(sn[-3:-1].lower() in v for v in vals(a, "cn")),
        "(aspasieCodique=%s*%s*%s)" % (codique[:2], codique[3], codique[-1]):
            lambda a: any(v.startswith(codique[:2].lower()) and codique[3] in v[2:-1] and v.endswith(codique[-1])
                          for v in vals(a, "aspasieCodique")),
        # presence
        "(mobile=*)": lambda a: bool(vals(a, "mobile")),
        # and / or / not
        "(&(objectClass=aspasiePerson)(aspasiePopulation=SSLSPL))":
            lambda a: "aspasieperson" in vals(a, "objectClass") and "sslspl" in vals(a, "aspasiePopulation"),
        "(|(uid=portal)(uid=monitor)(sn=%s))" % sn:
            lambda a: bool({"portal", "monitor"} & set(vals(a, "uid"))) or sn.lower() in vals(a, "sn"),
        "(&(objectClass=inetOrgPerson)(!(mobile=*)))":
            lambda a: "inetorgperson" in vals(a, "objectClass") and not vals(a, "mobile"),
        # subtypes: aspasieIdentifier is a subtype of uid, aspasieAttachedUser of aspasieStructureMember
        "(uid=%s)" % a_person(demo)["identifier"]: lambda a: a_person(demo)["identifier"] in vals(a, "uid"),
        "(aspasieStructureMember=%s)" % a_person(demo)["dn"]:
            lambda a: any(a_person(demo)["dn"].lower() in vals(a, n) for n in
                          ("aspasiePrincipalManager", "aspasieSecondaryManager", "aspasieAttachedUser")),
        # approximate (exact value: matches at least that)
        "(sn~=%s)" % sn: lambda a: sn.lower() in vals(a, "sn"),
        # extensible: matching rule, dnAttributes
        "(sn:caseExactMatch:=%s)" % sn: lambda a: sn in by_name(a, "sn"),
        "(sn:caseExactMatch:=%s)" % sn.upper(): lambda a: sn.upper() in by_name(a, "sn"),
        "(ou:dn:=admins)": lambda a: False,  # filled below: every entry below ou=admins, and it
        # absolute true and false (RFC 4526)
        "(&)": lambda a: True,
        "(|)": lambda a: False,
        # ordering on an attribute without an ORDERING rule: Undefined, nothing matches
        "(postalCode>=00000)": lambda a: False,
    }
    for flt, predicate in cases.items():
        run = tools.search(SUFFIX, "-s", "sub", flt, "1.1", bind="root")
        assert run.code == 0, run
        # only the demo entries count: other tests' sandboxes below the suffix may match too
        known = {dn.lower() for dn in demo.dns}
        got = sorted(d.lower() for d in dns(run) if d.lower() in known)
        if flt == "(ou:dn:=admins)":
            expected = demo_under(demo, ADMINS, "sub")
        else:
            expected = people_where(demo_entries, predicate)
        if flt == "(&)":
            # The whole tree: the demo entries and whatever sandboxes other tests made below the suffix.
            assert set(expected) <= set(got), flt
            continue
        assert got == expected, "filter %s: expected %d entries, got %d: %r" % (flt, len(expected), len(got), run)
        if flt not in ("(|)", "(postalCode>=00000)", "(sn:caseExactMatch:=%s)" % sn.upper()):
            assert got, "filter %s selects nothing: the test data is wrong" % flt


def test_search_ordering_filters(tools, demo):
    run = tools.search(PEOPLE, "-s", "one", "(createTimestamp>=19700101000000Z)", "1.1", bind="root")
    assert run.code == 0, run
    assert sorted(d.lower() for d in dns(run)) == demo_under(demo, PEOPLE, "one")
    run = tools.search(PEOPLE, "-s", "one", "(createTimestamp<=19700101000000Z)", "1.1", bind="root")
    assert run.code == 0 and dns(run) == [], run


def test_search_bad_filter_is_refused_by_client(tools):
    run = tools.search(SUFFIX, "(cn=a", bind="root")
    assert run.code != 0, run


def test_search_attribute_lists(tools, demo):
    dn = a_person(demo)["dn"]
    star = tools.search(dn, "-s", "base", "*", bind="root")
    assert star.code == 0, star
    [(_, a)] = star.entries()
    names = {n.lower() for n in a}
    assert {"objectclass", "uid", "cn", "sn", "mail", "userpassword"} <= names, star
    assert not names & {o.lower() for o in OPERATIONAL}, "operational attributes returned for *: %r" % star

    plus = tools.search(dn, "-s", "base", "+", bind="root")
    assert plus.code == 0, plus
    [(_, a)] = plus.entries()
    names = {n.lower() for n in a}
    for name in OPERATIONAL:
        assert name.lower() in names, "%s missing for +: %r" % (name, plus)
    assert not names & {"cn", "sn", "uid", "objectclass"}, plus
    assert lower(by_name(a, "entryDN")) == [dn.lower()]
    assert lower(by_name(a, "structuralObjectClass")) == ["inetorgperson"]
    assert by_name(a, "hasSubordinates") == ["FALSE"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", by_name(a, "entryUUID")[0])
    assert re.fullmatch(r"\d{14}(\.\d+)?Z", by_name(a, "createTimestamp")[0])

    both = tools.search(dn, "-s", "base", "*", "+", bind="root")
    [(_, a)] = both.entries()
    names = {n.lower() for n in a}
    assert {"cn", "entrydn", "entryuuid"} <= names, both

    named = tools.search(dn, "-s", "base", "cn", "entryUUID", "hasSubordinates", bind="root")
    [(_, a)] = named.entries()
    assert {n.lower() for n in a} == {"cn", "entryuuid", "hassubordinates"}, named

    none = tools.search(dn, "-s", "base", "1.1", bind="root")
    assert none.code == 0 and none.entries() == [(dn, {})], none

    unknown = tools.search(dn, "-s", "base", "noSuchAttributeType", bind="root")
    assert unknown.code == 0 and unknown.entries() == [(dn, {})], unknown

    # attribute names match case-insensitively and by OID (2.5.4.3 is cn)
    oid = tools.search(dn, "-s", "base", "2.5.4.3", "SN", bind="root")
    [(_, a)] = oid.entries()
    assert lower(by_name(a, "cn")) == lower(by_name(star.entries()[0][1], "cn")), oid
    assert by_name(a, "sn"), oid

    ou = tools.search(PEOPLE, "-s", "base", "hasSubordinates", bind="root")
    assert by_name(ou.entries()[0][1], "hasSubordinates") == ["TRUE"], ou


def test_search_types_only(tools, demo):
    dn = a_person(demo)["dn"]
    run = tools.search(dn, "-s", "base", "-A", "cn", "sn", "mail", bind="root")
    assert run.code == 0, run
    [(_, a)] = run.entries()
    assert {n.lower() for n in a} == {"cn", "sn", "mail"}, run
    for values in a.values():
        assert values == [""], run


def test_search_size_limit(tools, demo):
    run = tools.search(PEOPLE, "-s", "one", "-z", "5", "1.1", bind="root")
    assert run.code == 4, run
    assert len(dns(run)) == 5, run
    # a limit the result fits in is no error
    run = tools.search(ADMINS, "-s", "one", "-z", "100", "1.1", bind="root")
    assert run.code == 0 and len(dns(run)) == len(demo_under(demo, ADMINS, "one")), run


def test_search_time_limit_accepted(tools, demo):
    """A time limit the search fits in: result 0, every entry (exceeding it cannot be forced on 76 entries)."""
    run = tools.search(PEOPLE, "-s", "sub", "-l", "10", "1.1", bind="root")
    assert run.code == 0, run
    assert len(dns(run)) == len(demo_under(demo, PEOPLE, "sub"))


def test_search_deref_aliases_accepted(tools, demo):
    for deref in ("never", "always", "search", "find"):
        run = tools.search(ADMINS, "-s", "one", "-a", deref, "1.1", bind="root")
        assert run.code == 0, run
        assert len(dns(run)) == len(demo_under(demo, ADMINS, "one"))


def test_paged_results(tools, demo):
    run = tools.run("ldapsearch", ["-o", "ldif-wrap=no", "-b", PEOPLE, "-s", "sub", "-E", "pr=10/noprompt", "1.1"],
                    bind="root")
    assert run.code == 0, run
    expected = demo_under(demo, PEOPLE, "sub")
    got = sorted(d.lower() for d in dns(run))
    assert got == expected, run
    pages = run.out.count("control: %s" % OID_PAGED)
    assert pages == (len(expected) + 9) // 10, "expected %d pages: %r" % ((len(expected) + 9) // 10, run)


def test_paged_results_critical_with_size_limit(tools):
    run = tools.run("ldapsearch", ["-LLL", "-b", PEOPLE, "-s", "one", "-E", "!pr=7/noprompt", "-z", "3", "1.1"],
                    bind="root")
    assert run.code == 4, run
    assert len(dns(run)) == 3


def test_manage_dsa_it(tools, demo):
    run = tools.search(ADMINS, "-s", "one", "-M", "1.1", bind="root")
    assert run.code == 0, run
    assert sorted(d.lower() for d in dns(run)) == demo_under(demo, ADMINS, "one")
    run = tools.search(ADMINS, "-s", "one", "-MM", "1.1", bind="root")  # critical
    assert run.code == 0, run


def test_unknown_critical_control(tools, demo):
    run = tools.search(ADMINS, "-s", "base", "-e", "!1.2.3.4.5", "1.1", bind="root")
    assert run.code == 12, run
    run = tools.search(ADMINS, "-s", "base", "-e", "1.2.3.4.5", "1.1", bind="root")  # not critical: ignored
    assert run.code == 0 and dns(run) == [ADMINS], run


def test_anonymous_search_of_public_attributes(tools, demo):
    person = a_person(demo)
    run = tools.search(PEOPLE, "-s", "one", "(uid=%s)" % person["identifier"], "cn", "mail")
    assert run.code == 0, run
    assert [d.lower() for d in dns(run)] == [person["dn"].lower()]


# --------------------------------------------------------------------------------------------
# Bind, whoami, passwd


def test_bind_root_and_whoami(tools, server):
    run = tools.run("ldapwhoami", [], bind="root")
    assert run.code == 0, run
    assert run.out.strip().lower() == "dn:" + server.root_dn.lower()


def test_whoami_anonymous(tools):
    run = tools.run("ldapwhoami", [])
    assert run.code == 0, run
    assert run.out.strip() == "anonymous"


@pytest.mark.parametrize("role", ["person", "principal-manager", "secondary-manager", "correspondent",
                                  "monitor", "portal"])
def test_bind_each_role(tools, demo, role):
    account = demo.account(role)
    run = tools.run("ldapwhoami", [], bind=(account["dn"], account["password"]))
    assert run.code == 0, run
    assert run.out.strip().lower() == "dn:" + account["dn"].lower()


def test_invalid_credentials_are_identical(tools, demo):
    person = a_person(demo)
    wrong = tools.run("ldapwhoami", [], bind=(person["dn"], person["password"] + "x"))
    unknown = tools.run("ldapwhoami", [], bind=("uid=nobody-here," + PEOPLE, person["password"]))
    outside = tools.run("ldapwhoami", [], bind=("cn=nobody,dc=example,dc=com", "whatever"))
    for run in (wrong, unknown, outside):
        assert run.code == 49, run
    # the same words for both: nothing tells an attacker whether the DN exists
    assert wrong.err == unknown.err, (wrong, unknown)


def test_wrong_root_password(tools, server):
    run = tools.run("ldapwhoami", [], bind=(server.root_dn, server.root_password + "x"))
    assert run.code == 49, run


def test_unauthenticated_bind_refused(tools, demo):
    """RFC 4513 5.1.2: a DN with an empty password is an unauthenticated bind -> unwillingToPerform (53)."""
    run = tools.run("ldapwhoami", [], bind=(a_person(demo)["dn"], ""))
    assert run.code == 53, run


def test_ldapexop_whoami(tools, server, demo):
    run = tools.run("ldapexop", ["whoami"], bind="root")
    assert run.code == 0, run
    assert run.out.strip().lower() == "dn:" + server.root_dn.lower()
    run = tools.run("ldapexop", ["whoami"], tls="ZZ")
    assert run.code == 0, run
    assert run.out.strip() == "anonymous"
    # by OID: ldapexop prints the raw response value, empty for anonymous (RFC 4532)
    run = tools.run("ldapexop", [OID_WHOAMI], tls="ldaps")
    assert run.code == 0, run
    assert run.out.split("\n", 1)[1].strip() == "data:", run


def test_unknown_extended_operation(tools):
    run = tools.run("ldapexop", ["1.2.3.4.5.6"], bind="root")
    assert run.code != 0, run
    assert result_code_in(run, 2), run  # protocolError


def new_user(tools, sandbox, name, password):
    dn = "uid=%s,%s" % (name, sandbox)
    ldif = ("dn: %s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nuserPassword: %s\n"
            % (dn, name, name, name, password))
    run = tools.add(ldif, bind="root")
    assert run.code == 0, run
    return dn


def test_ldappasswd_generated_by_root(tools, sandbox):
    dn = new_user(tools, sandbox, "gen", "Initial-Pass-1")
    run = tools.run("ldappasswd", [dn], bind="root", tls="ZZ")
    assert run.code == 0, run
    match = re.search(r"New password: (\S+)", run.out)
    assert match, run
    generated = match.group(1)
    assert len(generated) >= 8
    ok = tools.run("ldapwhoami", [], bind=(dn, generated))
    assert ok.code == 0 and ok.out.strip().lower() == "dn:" + dn.lower(), ok
    old = tools.run("ldapwhoami", [], bind=(dn, "Initial-Pass-1"))
    assert old.code == 49, old


def test_ldappasswd_given_by_user(tools, sandbox):
    dn = new_user(tools, sandbox, "self", "Initial-Pass-2")
    run = tools.run("ldappasswd", ["-a", "Initial-Pass-2", "-s", "Changed-Pass-2"], bind=(dn, "Initial-Pass-2"),
                    tls="ldaps")
    assert run.code == 0, run
    assert "New password" not in run.out  # nothing generated when a new password is given
    assert tools.run("ldapwhoami", [], bind=(dn, "Changed-Pass-2")).code == 0
    assert tools.run("ldapwhoami", [], bind=(dn, "Initial-Pass-2")).code == 49


def test_ldappasswd_user_generated(tools, sandbox):
    dn = new_user(tools, sandbox, "selfgen", "Initial-Pass-3")
    run = tools.run("ldappasswd", ["-a", "Initial-Pass-3"], bind=(dn, "Initial-Pass-3"), tls="ZZ")
    assert run.code == 0, run
    generated = re.search(r"New password: (\S+)", run.out).group(1)
    assert tools.run("ldapwhoami", [], bind=(dn, generated)).code == 0


def test_ldappasswd_root_sets_password_and_wrong_old_password(tools, sandbox):
    dn = new_user(tools, sandbox, "set", "Initial-Pass-4")
    run = tools.run("ldappasswd", ["-s", "Set-By-Root-4", dn], bind="root")
    assert run.code == 0, run
    assert tools.run("ldapwhoami", [], bind=(dn, "Set-By-Root-4")).code == 0
    # the old password given by the user is wrong: unwillingToPerform (53), as slapd
    wrong = tools.run("ldappasswd", ["-a", "not-the-password", "-s", "X-Y-Z-12345"], bind=(dn, "Set-By-Root-4"))
    assert wrong.code != 0 and result_code_in(wrong, 53), wrong
    assert tools.run("ldapwhoami", [], bind=(dn, "Set-By-Root-4")).code == 0


def test_ldappasswd_no_such_user(tools):
    run = tools.run("ldappasswd", ["-s", "Whatever-123", "uid=ghost," + PEOPLE], bind="root")
    assert run.code != 0, run
    assert result_code_in(run, 32) or result_code_in(run, 53), run


# --------------------------------------------------------------------------------------------
# Compare


def test_compare(tools, demo):
    person = a_person(demo)
    entry = tools.search(person["dn"], "-s", "base", "sn", bind="root").entries()[0][1]
    sn = by_name(entry, "sn")[0]
    run = tools.run("ldapcompare", [person["dn"], "sn:%s" % sn.upper()], bind="root")
    assert run.code == 6 and "TRUE" in run.out, run
    run = tools.run("ldapcompare", [person["dn"], "sn:not-%s" % sn], bind="root")
    assert run.code == 5 and "FALSE" in run.out, run
    run = tools.run("ldapcompare", [person["dn"], "uid:%s" % person["identifier"]])  # anonymous
    assert run.code == 6, run
    run = tools.run("ldapcompare", [person["dn"], "objectClass:aspasiePerson"], tls="ZZ")
    assert run.code == 6, run
    run = tools.run("ldapcompare", ["uid=ghost," + PEOPLE, "sn:x"], bind="root")
    assert run.code == 32, run
    run = tools.run("ldapcompare", [person["dn"], "noSuchType:x"], bind="root")
    assert run.code == 17, run  # undefinedAttributeType
    run = tools.run("ldapcompare", [person["dn"], "title:x"], bind="root")  # allowed but absent
    assert run.code == 16, run  # noSuchAttribute


# --------------------------------------------------------------------------------------------
# Add, modify, delete, modrdn


def test_add_and_read_back(tools, sandbox):
    dn = "cn=Jeanne Dupont,%s" % sandbox
    ldif = ("dn: %s\nobjectClass: inetOrgPerson\ncn: Jeanne Dupont\nsn: Dupont\ngivenName: Jeanne\n"
            "mail: jeanne.dupont@example.fr\ndescription:: w6l0w6kgw6AgbGEgbWVy\n") % dn
    run = tools.add(ldif, bind="root", tls="ZZ")
    assert run.code == 0, run
    read = tools.search(dn, "-s", "base", "*", "+", bind="root")
    [(got, a)] = read.entries()
    assert got.lower() == dn.lower()
    assert lower(by_name(a, "objectClass")) == ["inetorgperson", "organizationalperson", "person", "top"] or \
        lower(by_name(a, "objectClass")) == ["inetorgperson"], read
    assert by_name(a, "mail") == ["jeanne.dupont@example.fr"]
    assert lower(by_name(a, "creatorsName")) == [tools.server.root_dn.lower()]
    assert lower(by_name(a, "structuralObjectClass")) == ["inetorgperson"]
    assert by_name(a, "createTimestamp") == by_name(a, "modifyTimestamp")
    again = tools.add(ldif, bind="root")
    assert again.code == 68, again  # entryAlreadyExists


@pytest.mark.parametrize("ldif,code", [
    ("objectClass: inetOrgPerson\ncn: x\n", 65),  # objectClassViolation: sn missing
    ("objectClass: person\ncn: x\nsn: y\nmail: a@b.c\n", 65),  # mail not allowed by person
    ("objectClass: noSuchClass\ncn: x\n", 21),  # slapd: invalidAttributeSyntax "objectClass: value #0 invalid per syntax"
    ("objectClass: person\ncn: x\nsn: y\nnoSuchType: z\n", 17),  # undefinedAttributeType
    ("objectClass: person\ncn: x\nsn: y\nentryUUID: 29a45e26-7d30-1041-85bc-4511b9b343de\n", 19),
    ("objectClass: person\ncn: x\nsn: y\ncreateTimestamp: 20200101000000Z\n", 19),
    ("objectClass: inetOrgPerson\ncn: x\nsn: y\nuid: a\nuid: a\n", 20),  # attributeOrValueExists
])
def test_add_refused(tools, sandbox, ldif, code):
    run = tools.add("dn: cn=x,%s\n%s" % (sandbox, ldif), bind="root")
    assert run.code == code, run
    assert tools.search("cn=x," + sandbox, "-s", "base", bind="root").code == 32


def test_add_errors_of_place_and_right(tools, sandbox):
    orphan = tools.add("dn: cn=x,ou=missing,%s\nobjectClass: person\ncn: x\nsn: y\n" % sandbox, bind="root")
    assert orphan.code == 32, orphan
    outside = tools.add("dn: cn=x,dc=example,dc=com\nobjectClass: person\ncn: x\nsn: y\n", bind="root")
    assert outside.code in (10, 32, 53), outside  # slapd: referral (10) without a default referral -> 32/53
    anonymous = tools.add("dn: cn=x,%s\nobjectClass: person\ncn: x\nsn: y\n" % sandbox)
    assert anonymous.code in (8, 50), anonymous  # slapd: strongerAuthRequired "modifications require authentication"
    rdn_missing = tools.add("dn: cn=x,%s\nobjectClass: person\ncn: y\nsn: y\n" % sandbox, bind="root")
    assert rdn_missing.code == 0, rdn_missing  # RFC 4511 4.7: the RDN value is added to the entry
    read = tools.search("cn=x," + sandbox, "-s", "base", "cn", bind="root")
    assert lower(by_name(read.entries()[0][1], "cn")) == ["x", "y"], read


def policy_entry(tools, sandbox):
    dn = "cn=policy,%s" % sandbox
    run = tools.add("dn: %s\nobjectClass: device\nobjectClass: pwdPolicy\ncn: policy\npwdAttribute: 2.5.4.35\n"
                    "pwdMinLength: 8\n" % dn, bind="root")
    assert run.code == 0, run
    return dn


def test_modify_add_delete_replace_increment(tools, sandbox):
    dn = new_user(tools, sandbox, "mod", "Pass-mod-1")
    ldif = ("dn: %s\nchangetype: modify\nadd: mail\nmail: a@example.fr\nmail: b@example.fr\n-\n"
            "replace: description\ndescription: one\ndescription: two\n-\n"
            "delete: mail\nmail: a@example.fr\n-\nadd: title\ntitle: Chef\n-\n") % dn
    run = tools.modify(ldif, bind="root", tls="ZZ")
    assert run.code == 0, run
    [(_, a)] = tools.search(dn, "-s", "base", "mail", "description", "title", "modifiersName", "+",
                            bind="root").entries()
    assert by_name(a, "mail") == ["b@example.fr"]
    assert sorted(by_name(a, "description")) == ["one", "two"]
    assert by_name(a, "title") == ["Chef"]
    assert lower(by_name(a, "modifiersName")) == [tools.server.root_dn.lower()]
    # delete the whole attribute, replace with nothing
    run = tools.modify("dn: %s\nchangetype: modify\ndelete: description\n-\nreplace: title\n-\n" % dn, bind="root")
    assert run.code == 0, run
    [(_, a)] = tools.search(dn, "-s", "base", "description", "title", bind="root").entries()
    assert a == {}
    # increment (RFC 4525)
    pdn = policy_entry(tools, sandbox)
    run = tools.modify("dn: %s\nchangetype: modify\nincrement: pwdMinLength\npwdMinLength: 3\n-\n" % pdn,
                       bind="root")
    assert run.code == 0, run
    run = tools.modify("dn: %s\nchangetype: modify\nincrement: pwdMinLength\npwdMinLength: -1\n-\n" % pdn,
                       bind="root")
    assert run.code == 0, run
    [(_, a)] = tools.search(pdn, "-s", "base", "pwdMinLength", bind="root").entries()
    assert by_name(a, "pwdMinLength") == ["10"]


def test_modify_errors_are_all_or_nothing(tools, sandbox):
    dn = new_user(tools, sandbox, "atomic", "Pass-at-1")
    cases = [
        # the first change is fine, the second is not: nothing is applied
        ("add: title\ntitle: T\n-\ndelete: mail\nmail: not-there@example.fr\n-\n", 16),  # noSuchAttribute
        ("add: title\ntitle: T\n-\nadd: sn\nsn: atomic\n-\n", 20),  # attributeOrValueExists
        ("add: title\ntitle: T\n-\ndelete: sn\n-\n", 65),  # objectClassViolation: sn is required
        ("add: title\ntitle: T\n-\nadd: aspasieSiret\naspasieSiret: 12345678900011\n-\n", 65),  # not allowed
        ("add: title\ntitle: T\n-\nadd: noSuchType\nnoSuchType: x\n-\n", 17),
        ("add: title\ntitle: T\n-\nreplace: entryUUID\nentryUUID: 29a45e26-7d30-1041-85bc-4511b9b343de\n-\n", 19),
        ("add: title\ntitle: T\n-\nreplace: modifyTimestamp\nmodifyTimestamp: 20200101000000Z\n-\n", 19),
        ("add: title\ntitle: T\n-\nincrement: sn\nsn: 1\n-\n", 19),  # RFC 4525 / slapd: constraintViolation
        # removing the RDN's value: RFC 4511 4.6 says notAllowedOnRDN (67), slapd 2.5 answers
        # namingViolation (64) "naming attribute 'uid' is not present in entry"; both are accepted
        ("add: title\ntitle: T\n-\nreplace: uid\n-\n", (64, 67)),
    ]
    for changes, code in cases:
        run = tools.modify("dn: %s\nchangetype: modify\n%s" % (dn, changes), bind="root")
        assert run.code in (code if isinstance(code, tuple) else (code,)), run
        [(_, a)] = tools.search(dn, "-s", "base", "title", bind="root").entries()
        assert by_name(a, "title") == [], "a refused modify left title=%r: %r" % (by_name(a, "title"), run)
    run = tools.modify("dn: uid=ghost,%s\nchangetype: modify\nadd: title\ntitle: x\n-\n" % sandbox, bind="root")
    assert run.code == 32, run
    run = tools.modify("dn: %s\nchangetype: modify\nadd: title\ntitle: x\n-\n" % dn)  # anonymous
    assert run.code in (8, 50), run  # slapd: strongerAuthRequired


def test_delete(tools, sandbox):
    parent = "ou=parent,%s" % sandbox
    run = tools.add("dn: %s\nobjectClass: organizationalUnit\nou: parent\n\n"
                    "dn: cn=child,%s\nobjectClass: person\ncn: child\nsn: c\n" % (parent, parent), bind="root")
    assert run.code == 0, run
    run = tools.run("ldapdelete", [parent], bind="root")
    assert run.code == 66, run  # notAllowedOnNonLeaf
    assert tools.search(parent, "-s", "base", "1.1", bind="root").code == 0
    run = tools.run("ldapdelete", ["cn=child," + parent], bind="root", tls="ldaps")
    assert run.code == 0, run
    run = tools.run("ldapdelete", [parent], bind="root")
    assert run.code == 0, run
    assert tools.search(parent, "-s", "base", "1.1", bind="root").code == 32
    run = tools.run("ldapdelete", [parent], bind="root")
    assert run.code == 32, run
    anon = tools.run("ldapdelete", [sandbox])
    assert anon.code in (8, 50), anon  # slapd: strongerAuthRequired


def test_delete_recursive_by_client(tools, sandbox):
    """ldapdelete -r searches the subtree and deletes leaves first: many operations on one connection."""
    top = "ou=tree,%s" % sandbox
    ldif = "dn: %s\nobjectClass: organizationalUnit\nou: tree\n\n" % top
    for i in range(5):
        ldif += "dn: ou=b%d,%s\nobjectClass: organizationalUnit\nou: b%d\n\n" % (i, top, i)
        for j in range(3):
            ldif += "dn: cn=l%d,ou=b%d,%s\nobjectClass: person\ncn: l%d\nsn: s\n\n" % (j, i, top, j)
    assert tools.add(ldif, bind="root").code == 0
    run = tools.run("ldapdelete", ["-r", top], bind="root")
    assert run.code == 0, run
    assert tools.search(top, "-s", "base", bind="root").code == 32


def test_modrdn(tools, sandbox):
    dn = new_user(tools, sandbox, "before", "Pass-rdn-1")
    # keep the old RDN value
    run = tools.run("ldapmodrdn", [dn, "uid=after"], bind="root")
    assert run.code == 0, run
    new = "uid=after," + sandbox
    [(got, a)] = tools.search(new, "-s", "base", "uid", "entryDN", bind="root").entries()
    assert got.lower() == new.lower()
    assert lower(by_name(a, "uid")) == ["after", "before"]
    assert lower(by_name(a, "entryDN")) == [new.lower()]
    assert tools.search(dn, "-s", "base", bind="root").code == 32
    # -r deletes the old RDN value
    run = tools.run("ldapmodrdn", ["-r", new, "uid=third"], bind="root", tls="ZZ")
    assert run.code == 0, run
    [(_, a)] = tools.search("uid=third," + sandbox, "-s", "base", "uid", bind="root").entries()
    assert lower(by_name(a, "uid")) == ["before", "third"]
    # the password still works under the new name
    assert tools.run("ldapwhoami", [], bind=("uid=third," + sandbox, "Pass-rdn-1")).code == 0
    # errors
    other = new_user(tools, sandbox, "other", "Pass-rdn-2")
    exists = tools.run("ldapmodrdn", [other, "uid=third"], bind="root")
    assert exists.code == 68, exists
    ghost = tools.run("ldapmodrdn", ["uid=ghost," + sandbox, "uid=ghost2"], bind="root")
    assert ghost.code == 32, ghost


def test_modrdn_new_superior_moves_subtree(tools, sandbox):
    ldif = ""
    src = "ou=src,%s" % sandbox
    ldif += "dn: %s\nobjectClass: organizationalUnit\nou: src\n\n" % src
    ldif += "dn: ou=dest,%s\nobjectClass: organizationalUnit\nou: dest\n\n" % sandbox
    ldif += "dn: ou=mid,%s\nobjectClass: organizationalUnit\nou: mid\n\n" % src
    ldif += "dn: cn=leaf1,ou=mid,%s\nobjectClass: person\ncn: leaf1\nsn: l\nuserPassword: Leaf-Pass-1\n\n" % src
    ldif += "dn: cn=leaf2,%s\nobjectClass: person\ncn: leaf2\nsn: l\n\n" % src
    assert tools.add(ldif, bind="root").code == 0
    dest = "ou=dest,%s" % sandbox
    run = tools.run("ldapmodrdn", ["-r", "-s", dest, src, "ou=moved"], bind="root")
    assert run.code == 0, run
    moved = "ou=moved," + dest
    expected = sorted(x.lower() for x in [moved, "ou=mid," + moved, "cn=leaf1,ou=mid," + moved, "cn=leaf2," + moved])
    run = tools.search(moved, "-s", "sub", "entryDN", "ou", bind="root")
    assert run.code == 0, run
    assert sorted(d.lower() for d in dns(run)) == expected
    for dn, a in run.entries():
        assert lower(by_name(a, "entryDN")) == [dn.lower()], run
    [(_, a)] = tools.search(moved, "-s", "base", "ou", bind="root").entries()
    assert lower(by_name(a, "ou")) == ["moved"]
    # nothing left at the old place; searches by filter find the new DNs
    assert tools.search(src, "-s", "sub", bind="root").code == 32
    found = tools.search(sandbox, "-s", "sub", "(cn=leaf1)", "1.1", bind="root")
    assert dns(found) == ["cn=leaf1,ou=mid," + moved], found
    one = tools.search(dest, "-s", "one", "1.1", bind="root")
    assert [d.lower() for d in dns(one)] == [moved.lower()], one
    # the moved user binds under the new DN
    assert tools.run("ldapwhoami", [], bind=("cn=leaf1,ou=mid," + moved, "Leaf-Pass-1")).code == 0
    # moving below itself is refused (slapd: unwillingToPerform 53 / loopDetect)
    loop = tools.run("ldapmodrdn", ["-s", "ou=mid," + moved, moved, "ou=loop"], bind="root")
    assert loop.code in (53, 54, 64), loop
    missing = tools.run("ldapmodrdn", ["-s", "ou=nowhere," + sandbox, moved, "ou=x"], bind="root")
    assert missing.code == 32, missing


# --------------------------------------------------------------------------------------------
# Controls on updates


def test_assertion_control(tools, sandbox):
    dn = new_user(tools, sandbox, "asserted", "Pass-as-1")
    change = "dn: %s\nchangetype: modify\nreplace: title\ntitle: Chef\n-\n" % dn
    run = tools.modify(change, "-e", "assert=(sn=nobody)", bind="root")
    assert run.code == 122, run
    [(_, a)] = tools.search(dn, "-s", "base", "title", bind="root").entries()
    assert a == {}, "the modify was applied although the assertion failed"
    run = tools.modify(change, "-e", "assert=(sn=asserted)", bind="root")
    assert run.code == 0, run
    # on search and compare and delete too
    run = tools.search(dn, "-s", "base", "-e", "assert=(title=Other)", "1.1", bind="root")
    assert run.code == 122, run
    run = tools.search(dn, "-s", "base", "-e", "assert=(title=Chef)", "1.1", bind="root")
    assert run.code == 0 and len(dns(run)) == 1, run
    run = tools.run("ldapdelete", ["-e", "assert=(title=Other)", dn], bind="root")
    assert run.code == 122, run
    assert tools.search(dn, "-s", "base", bind="root").code == 0


def test_pre_and_post_read(tools, sandbox):
    dn = new_user(tools, sandbox, "reads", "Pass-rd-1")
    change = "dn: %s\nchangetype: modify\nreplace: title\ntitle: Après\n-\n" % dn
    run = tools.modify(change, "-e", "preread=title,sn", "-e", "postread=title", bind="root")
    assert run.code == 0, run
    out = run.out
    assert "control: %s" % OID_PREREAD in out and "control: %s" % OID_POSTREAD in out, run
    pre = out.split("# ==> preread")[1].split("# <== preread")[0]
    post = out.split("# ==> postread")[1].split("# <== postread")[0]
    [(pdn, pa)] = __import__("clients").parse_ldif(pre)
    [(qdn, qa)] = __import__("clients").parse_ldif(post)
    assert pdn.lower() == dn.lower() and qdn.lower() == dn.lower()
    assert by_name(pa, "title") == [] and by_name(pa, "sn") == ["reads"], run
    assert by_name(qa, "title") == ["Après"], run
    # post-read on add, pre-read on delete
    added = "cn=pr,%s" % sandbox
    run = tools.add("dn: %s\nobjectClass: person\ncn: pr\nsn: read\n" % added, "-e", "postread=sn,entryDN", bind="root")
    assert run.code == 0, run
    [(_, qa)] = __import__("clients").parse_ldif(run.out.split("# ==> postread")[1].split("# <== postread")[0])
    assert by_name(qa, "sn") == ["read"] and lower(by_name(qa, "entryDN")) == [added.lower()], run
    run = tools.run("ldapdelete", ["-e", "preread=sn", added], bind="root")
    assert run.code == 0, run
    [(_, pa)] = __import__("clients").parse_ldif(run.out.split("# ==> preread")[1].split("# <== preread")[0])
    assert by_name(pa, "sn") == ["read"], run


def test_unknown_critical_control_on_update(tools, sandbox):
    dn = new_user(tools, sandbox, "crit", "Pass-cr-1")
    run = tools.modify("dn: %s\nchangetype: modify\nreplace: title\ntitle: X\n-\n" % dn, "-e", "!1.2.3.4.5",
                       bind="root")
    assert run.code == 12, run
    [(_, a)] = tools.search(dn, "-s", "base", "title", bind="root").entries()
    assert a == {}


def test_no_user_modification_even_for_root(tools, sandbox):
    for attr, value in (("createTimestamp", "20200101000000Z"), ("creatorsName", "cn=x"),
                        ("entryDN", "cn=x"), ("structuralObjectClass", "person"),
                        ("hasSubordinates", "TRUE"), ("subschemaSubentry", "cn=x")):
        run = tools.modify("dn: %s\nchangetype: modify\nreplace: %s\n%s: %s\n-\n" % (sandbox, attr, attr, value),
                           bind="root")
        assert run.code == 19, (attr, run)
