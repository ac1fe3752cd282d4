"""Password policy with real clients, and the same scenarios against OpenLDAP 2.5 slapd's ppolicy overlay.

Two servers start fresh from the demo directory, each under Debian's libfaketime (servers.FakeClock): the
test moves a server's wall clock forward by rewriting an offset file, so that expiry, grace logins, lockout
durations, minimum ages and failure delays are exercised in seconds rather than days (slapd runs as a copy
with one exported name renamed, see FakeClock.slapd). Both get the same policy entries (POLICIES, added by the
manager under ou=pp) and slapd is configured as Annuaire is (ppolicy_default = the default policy;
ppolicy_use_lockout, see DELIBERATE).

Differential part (python-ldap, ldap.controls.ppolicy.PasswordPolicyControl): the scenario (build_script) is
run step by step on each server; every operation records its result code and the response control (present
or not, error, warning).
  test_reference[STEP]     slapd gives the result codes the script expects (checks the script itself);
  test_differential[STEP]  Annuaire gives what slapd gave, once normalized (NORMALIZATION), except for the
                           differences listed in DELIBERATE with their reasons.
Client part: ldapwhoami / ldapsearch / ldapmodify / ldappasswd `-e ppolicy` print what each case should print,
on both servers; Annuaire's own rules (D7 assisted reset by a correspondent, D8, trusted clients) and
pwdMinDelay (Debian's slapd 2.5.13 aborts on the first failed bind under it: no reference) are checked on
Annuaire alone.
"""

import os
import time

import ldap
import pytest
from ldap.controls import DecodeControlTuples
from ldap.controls.ppolicy import PasswordPolicyControl

import servers
from clients import Tools, by_name
from conftest import started

SUFFIX = servers.SUFFIX
BOX = "ou=pp," + SUFFIX
POLICY_OID = PasswordPolicyControl.controlType

DAY = 86400
HOUR = 3600

ERRORS = ["passwordExpired", "accountLocked", "changeAfterReset", "passwordModNotAllowed", "mustSupplyOldPassword",
          "insufficientPasswordQuality", "passwordTooShort", "passwordTooYoung", "passwordInHistory",
          "passwordTooLong"]


def policy_dn(name):
    return "cn=%s,%s" % (name, BOX)


# The policies, the same on both servers. "default" is each server's default policy (Annuaire's
# --password-policy-default-dn, slapd's ppolicy_default); the others are named by pwdPolicySubentry.
POLICIES = {
    "default": {"pwdMaxAge": 30 * DAY, "pwdExpireWarning": 7 * DAY, "pwdGraceAuthNLimit": 2, "pwdLockout": "TRUE",
                "pwdMaxFailure": 3, "pwdLockoutDuration": HOUR, "pwdMinAge": HOUR, "pwdInHistory": 3,
                "pwdCheckQuality": 1, "pwdMinLength": 10, "pwdMaxLength": 40, "pwdMustChange": "TRUE",
                "pwdAllowUserChange": "TRUE", "pwdSafeModify": "FALSE"},
    "nograce": {"pwdMaxAge": 30 * DAY, "pwdExpireWarning": 7 * DAY},
    "safe": {"pwdSafeModify": "TRUE", "pwdCheckQuality": 1, "pwdMinLength": 10},
    "fixed": {"pwdAllowUserChange": "FALSE"},
    "strict": {"pwdCheckQuality": 2, "pwdMinLength": 10},
    "graceperiod": {"pwdMaxAge": 30 * DAY, "pwdGraceAuthNLimit": 5, "pwdGraceExpiry": DAY},
    "interval": {"pwdLockout": "TRUE", "pwdMaxFailure": 3, "pwdFailureCountInterval": 600},
    "delay": {"pwdMinDelay": 60, "pwdMaxDelay": 200, "pwdMaxFailure": 10},
}

# --------------------------------------------------------------------------------------------
# What is normalized away, and why. Nothing else is.

NORMALIZATION = {
    "timeBeforeExpiration": "seconds until expiry counted from the (fake) clock at the bind: the test's own steps "
                            "take a few real seconds, so the value is compared in whole minutes",
    "diagnosticMessage": "free text (RFC 4511 4.1.9); slapd's wording is checked where Annuaire copies it",
}

# Deliberate differences: (step, what) -> reason. Each is applied explicitly in normalize().
DELIBERATE = {
    ("*", "pwdChangedTime"): "Annuaire stamps pwdChangedTime on every password set under a policy (the expiry "
                             "e-mails and audits read it); slapd only when the policy has pwdMaxAge or pwdMinAge. "
                             "Compared only for people whose policy has one of them",
    ("lockout-locked-untrusted", "control error"): "domain.md D8: Annuaire tells accountLocked only to trusted clients "
                                                   "(root DN, password-policy-trusted-clients); slapd has one global "
                                                   "switch (ppolicy_use_lockout, on here so that the trusted case is "
                                                   "compared) and tells every client. slapd's accountLocked is "
                                                   "dropped for this step only",
}


# --------------------------------------------------------------------------------------------
# The scenario. Each step: a name, what it does, the result codes slapd gives (the script's expectation).


def person(uid, password, policy=None):
    """A person the manager adds (no pwdReset: a root add, interop-notes)."""
    attributes = {"objectClass": ["inetOrgPerson"], "uid": [uid], "cn": ["Personne %s" % uid],
                  "sn": ["Politique"], "userPassword": [password]}
    if policy:
        attributes["pwdPolicySubentry"] = [policy_dn(policy)]
    return "uid=%s,%s" % (uid, BOX), attributes


def build_script():
    S = []

    def step(name, ops, expect):
        S.append(dict(name=name, ops=ops, expect=expect))

    def dn(uid):
        return "uid=%s,%s" % (uid, BOX)

    A = "Premier-Mot-2026"   # passwords meet every quality rule of both servers (length, classes, no name)
    B = "Second-Mot-2026"
    C = "Troisieme-Mot-2026"
    D = "Quatrieme-Mot-2026"

    # expiry warning: 30 days of life, warned in the last 7
    step("warning-add", [("add", person("ppwarn", A))], [0])
    step("warning-none-yet", [("advance", 20 * DAY), ("bind", dn("ppwarn"), A)], [0, 0])
    step("warning-bind", [("advance", 5 * DAY), ("bind", dn("ppwarn"), A)], [0, 0])
    step("warning-wrong-password", [("bind", dn("ppwarn"), B)], [49])
    # grace logins after expiry (pwdGraceAuthNLimit 2), then passwordExpired
    step("grace-add", [("add", person("ppgrace", A))], [0])
    step("grace-first", [("advance", 31 * DAY), ("bind", dn("ppgrace"), A)], [0, 0])
    step("grace-second", [("bind", dn("ppgrace"), A)], [0])
    step("grace-none-left", [("bind", dn("ppgrace"), A)], [49])
    step("grace-wrong-password", [("bind", dn("ppgrace"), B)], [49])
    step("grace-state", [("read", dn("ppgrace"))], [0])
    step("expired-no-grace-add", [("add", person("ppexp", A, "nograce"))], [0])
    step("expired-no-grace", [("advance", 31 * DAY), ("bind", dn("ppexp"), A)], [0, 49])
    # pwdGraceExpiry (slapd 2.5): grace logins only within a day of expiry
    step("grace-period-add", [("add", person("ppgraceperiod", A, "graceperiod"))], [0])
    step("grace-period-inside", [("advance", 30 * DAY + HOUR), ("bind", dn("ppgraceperiod"), A)], [0, 0])
    step("grace-period-over", [("advance", DAY), ("bind", dn("ppgraceperiod"), A), ("read", dn("ppgraceperiod"))],
         [0, 49, 0])
    # pwdFailureCountInterval: failures older than 10 minutes are forgotten
    step("interval-add", [("add", person("ppinterval", A, "interval"))], [0])
    step("interval-forgotten", [("bind", dn("ppinterval"), B), ("bind", dn("ppinterval"), B), ("advance", 700),
                                ("bind", dn("ppinterval"), B), ("bind", dn("ppinterval"), B),
                                ("read", dn("ppinterval")), ("bind", dn("ppinterval"), A)], [49, 49, 0, 49, 49, 0, 0])
    step("interval-locks", [("bind", dn("ppinterval"), B), ("bind", dn("ppinterval"), B), ("bind", dn("ppinterval"), B),
                            ("bind", dn("ppinterval"), A, "root"), ("read", dn("ppinterval"))], [49, 49, 49, 49, 0])
    # lockout: 3 failures lock for an hour, any password; a trusted client learns why
    step("lockout-add", [("add", person("pplock", A))], [0])
    step("lockout-failures", [("bind", dn("pplock"), B), ("bind", dn("pplock"), B), ("bind", dn("pplock"), B)],
         [49, 49, 49])
    step("lockout-state", [("read", dn("pplock"))], [0])
    step("lockout-locked-untrusted", [("bind", dn("pplock"), A)], [49])
    step("lockout-locked-trusted", [("bind", dn("pplock"), A, "root")], [49])
    step("lockout-locked-wrong", [("bind", dn("pplock"), B, "root")], [49])
    step("lockout-over", [("advance", HOUR + 60), ("bind", dn("pplock"), A)], [0, 0])
    step("lockout-cleared", [("read", dn("pplock"))], [0])
    # failures are forgotten on success
    step("lockout-success-resets", [("bind", dn("pplock"), B), ("bind", dn("pplock"), B), ("bind", dn("pplock"), A),
                                    ("bind", dn("pplock"), B), ("bind", dn("pplock"), A)], [49, 49, 0, 49, 0])
    # a root reset unlocks
    step("lockout-again", [("bind", dn("pplock"), B), ("bind", dn("pplock"), B), ("bind", dn("pplock"), B),
                           ("bind", dn("pplock"), A, "root")], [49, 49, 49, 49])
    step("lockout-root-reset", [("passwd", "root", dn("pplock"), None, B), ("read", dn("pplock"))], [0, 0])
    step("lockout-after-reset", [("bind", dn("pplock"), B)], [0])
    # changeAfterReset: assisted reset by Modify, then by Password Modify
    step("reset-add", [("add", person("ppreset", A))], [0])
    step("reset-by-modify", [("modify", "root", dn("ppreset"), [(ldap.MOD_REPLACE, "userPassword", B)]),
                             ("read", dn("ppreset"))], [0, 0])
    step("reset-bind", [("session", dn("ppreset"), B, [("whoami",), ("search", dn("ppreset")),
                                                        ("compare", dn("ppreset"), "sn", "Politique"),
                                                        ("modify", "self", dn("ppreset"),
                                                         [(ldap.MOD_REPLACE, "description", "x")])])],
         [[0, 0, 50, 50, 50]])
    step("reset-own-change", [("session", dn("ppreset"), B, [("passwd", "self", None, B, C),
                                                              ("search", dn("ppreset"))])], [[0, 0, 0]])
    step("reset-cleared", [("read", dn("ppreset")), ("bind", dn("ppreset"), C)], [0, 0])
    step("reset-by-passwd", [("advance", 2 * HOUR), ("passwd", "root", dn("ppreset"), None, D),
                             ("read", dn("ppreset"))], [0, 0, 0])
    step("reset-passwd-bind", [("session", dn("ppreset"), D, [
        ("search", dn("ppreset")),
        ("modify", "self", dn("ppreset"), [(ldap.MOD_REPLACE, "userPassword", A)]),  # in history: still restricted
        ("search", dn("ppreset")),
        ("modify", "self", dn("ppreset"), [(ldap.MOD_REPLACE, "userPassword", "Cinquieme-Mot-2026")]),
        ("search", dn("ppreset"))])], [[0, 50, 19, 50, 0, 0]])
    # own changes: quality, minimum age, history
    step("change-add", [("add", person("ppchange", A))], [0])
    step("change-too-young", [("passwd", ("ppchange", A), dn("ppchange"), A, B)], [19])
    step("change-too-short", [("advance", 2 * HOUR), ("passwd", ("ppchange", A), dn("ppchange"), A, "Court-1")],
         [0, 19])
    step("change-too-long", [("passwd", ("ppchange", A), dn("ppchange"), A, "Long-" + "x" * 40)], [19])
    step("change-ok", [("passwd", ("ppchange", A), dn("ppchange"), A, B)], [0])
    step("change-young-again", [("passwd", ("ppchange", B), dn("ppchange"), B, C)], [19])
    step("change-in-history", [("advance", 2 * HOUR), ("passwd", ("ppchange", B), dn("ppchange"), B, A)], [0, 19])
    step("change-current", [("passwd", ("ppchange", B), dn("ppchange"), B, B)], [19])
    step("change-by-modify-in-history", [("modify", ("ppchange", B), dn("ppchange"),
                                          [(ldap.MOD_DELETE, "userPassword", B), (ldap.MOD_ADD, "userPassword", A)])],
         [19])
    step("change-by-modify-ok", [("modify", ("ppchange", B), dn("ppchange"),
                                  [(ldap.MOD_DELETE, "userPassword", B), (ldap.MOD_ADD, "userPassword", C)]),
                                 ("read", dn("ppchange"))], [0, 0])
    step("change-root-bypasses", [("passwd", "root", dn("ppchange"), None, "Court-1"), ("read", dn("ppchange"))],
         [0, 0])
    # pre-hashed value under pwdCheckQuality 2 (and 1)
    hashed = "{SSHA}" + "x" * 20
    step("strict-add", [("add", person("ppstrict", A, "strict"))], [0])
    step("strict-too-short", [("passwd", ("ppstrict", A), dn("ppstrict"), A, "Court-1")], [19])
    step("strict-hashed", [("modify", ("ppstrict", A), dn("ppstrict"), [(ldap.MOD_REPLACE, "userPassword", hashed)])],
         [19])
    # pwdSafeModify
    step("safe-add", [("add", person("ppsafe", A, "safe"))], [0])
    step("safe-passwd-no-old", [("passwd", ("ppsafe", A), dn("ppsafe"), None, B)], [50])
    step("safe-modify-no-old", [("modify", ("ppsafe", A), dn("ppsafe"), [(ldap.MOD_REPLACE, "userPassword", B)])],
         [50])
    step("safe-passwd-old", [("passwd", ("ppsafe", A), dn("ppsafe"), A, B)], [0])
    step("safe-modify-old", [("modify", ("ppsafe", B), dn("ppsafe"),
                              [(ldap.MOD_DELETE, "userPassword", B), (ldap.MOD_ADD, "userPassword", C)])], [0])
    step("safe-root", [("passwd", "root", dn("ppsafe"), None, D), ("read", dn("ppsafe"))], [0, 0])  # no pwdMustChange
    # pwdAllowUserChange FALSE
    step("fixed-add", [("add", person("ppfixed", A, "fixed"))], [0])
    step("fixed-passwd", [("passwd", ("ppfixed", A), dn("ppfixed"), A, B)], [50])
    step("fixed-modify", [("modify", ("ppfixed", A), dn("ppfixed"), [(ldap.MOD_REPLACE, "userPassword", B)])], [50])
    step("fixed-root", [("passwd", "root", dn("ppfixed"), None, B), ("bind", dn("ppfixed"), B)], [0, 0])
    names = [s["name"] for s in S]
    assert len(names) == len(set(names)), "duplicate step names"
    return S


# --------------------------------------------------------------------------------------------
# Running it through python-ldap


def policy_control(controls):
    """The decoded response control among `controls` (python-ldap tuples or objects): a dict, or None."""
    for control in controls or []:
        if isinstance(control, tuple):
            decoded = DecodeControlTuples([control])
            control = decoded[0] if decoded else None
        if isinstance(control, PasswordPolicyControl):
            out = {"error": ERRORS[control.error] if control.error is not None else None}
            if control.timeBeforeExpiration is not None:
                out["timeBeforeExpiration"] = control.timeBeforeExpiration
            if control.graceAuthNsRemaining is not None:
                out["graceAuthNsRemaining"] = control.graceAuthNsRemaining
            return out
    return None


def outcome(call):
    """Runs `call` (a python-ldap *_ext or result3 call); {code, message, control}."""
    try:
        result = call()
        controls = result[3] if isinstance(result, tuple) and len(result) >= 4 else []
        return {"code": 0, "control": policy_control(controls)}
    except ldap.LDAPError as error:
        info = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
        return {"code": info.get("result", -1), "message": info.get("info", ""),
                "control": policy_control(info.get("ctrls"))}


class Runner:
    def __init__(self, server, clock):
        self.server = server
        self.clock = clock

    def connect(self, identity=None):
        conn = ldap.initialize(self.server.ldap_url)
        conn.protocol_version = 3
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 10)
        conn.set_option(ldap.OPT_TIMEOUT, 30)
        if identity == "root":
            conn.simple_bind_s(self.server.root_dn, self.server.root_password)
        elif isinstance(identity, tuple):
            conn.simple_bind_s("uid=%s,%s" % (identity[0], BOX), identity[1])
        return conn

    def bind(self, conn, dn, password):
        def call():
            msgid = conn.simple_bind(dn, password, serverctrls=[PasswordPolicyControl()])
            return conn.result3(msgid)
        return outcome(call)

    def run_op(self, conn, op):
        kind = op[0]
        control = [PasswordPolicyControl()]
        if kind == "whoami":
            return outcome(lambda: (None, None, None, []) if conn.whoami_s() is not None else None)
        if kind == "search":
            return outcome(lambda: conn.search_ext_s(op[1], ldap.SCOPE_BASE, "(objectClass=*)", ["cn"],
                                                     serverctrls=control) and (None, None, None, []))
        if kind == "compare":
            def call():
                msgid = conn.compare_ext(op[1], op[2], op[3].encode(), serverctrls=control)
                try:
                    return conn.result3(msgid)
                except ldap.COMPARE_TRUE:
                    return (None, None, None, [])
            return outcome(call)
        if kind == "modify":
            changes = [(mod, attr, [v.encode()]) for mod, attr, v in op[3]]
            return outcome(lambda: conn.result3(conn.modify_ext(op[2], changes, serverctrls=control)))
        if kind == "passwd":
            return outcome(lambda: conn.result3(conn.passwd(op[2], op[3], op[4], serverctrls=control)))
        raise ValueError(op)

    def run(self, op):
        kind = op[0]
        if kind == "advance":
            self.clock.advance(op[1])
            return {"code": 0}
        if kind == "add":
            dn, attributes = op[1]
            conn = self.connect("root")
            try:
                modlist = [(k, [v.encode() if isinstance(v, str) else str(v).encode() for v in vs])
                           for k, vs in attributes.items()]
                return outcome(lambda: conn.result3(conn.add_ext(dn, modlist)))
            finally:
                conn.unbind_s()
        if kind == "bind":
            conn = self.connect(op[3] if len(op) > 3 else None)
            try:
                return self.bind(conn, op[1], op[2])
            finally:
                conn.unbind_s()
        if kind == "session":
            conn = self.connect()
            try:
                results = [self.bind(conn, op[1], op[2])]
                for inner in op[3]:
                    results.append(self.run_op(conn, inner))
                return {"code": [r["code"] for r in results], "ops": results}
            finally:
                conn.unbind_s()
        if kind == "read":
            conn = self.connect("root")
            try:
                [(_, attrs)] = conn.search_s(op[1], ldap.SCOPE_BASE, "(objectClass=*)", ["+", "*"])
            finally:
                conn.unbind_s()
            lowered = {k.lower(): v for k, v in attrs.items()}
            return {"code": 0, "state": {
                "pwdReset": [v.decode() for v in lowered.get("pwdreset", [])],
                "pwdAccountLockedTime": len(lowered.get("pwdaccountlockedtime", [])),
                "pwdFailureTime": len(lowered.get("pwdfailuretime", [])),
                "pwdGraceUseTime": len(lowered.get("pwdgraceusetime", [])),
                "pwdHistory": len(lowered.get("pwdhistory", [])),
                "pwdChangedTime": len(lowered.get("pwdchangedtime", [])),
            }}
        if kind in ("modify", "passwd"):
            identity = op[1]
            conn = self.connect(identity)
            try:
                return self.run_op(conn, op)
            finally:
                conn.unbind_s()
        raise ValueError(op)


def add_policies(server):
    """ou=pp and the POLICIES below it, added by the manager."""
    conn = ldap.initialize(server.ldap_url)
    conn.simple_bind_s(server.root_dn, server.root_password)
    conn.add_s(BOX, [("objectClass", [b"organizationalUnit"]), ("ou", [b"pp"])])
    for name, values in POLICIES.items():
        entry = {"objectClass": [b"device", b"pwdPolicy"], "cn": [name.encode()], "pwdAttribute": [b"userPassword"]}
        entry.update({k: [str(v).encode()] for k, v in values.items()})
        conn.add_s(policy_dn(name), list(entry.items()))
    conn.unbind_s()


def run_session(server, clock, script):
    runner = Runner(server, clock)
    results = {}
    for step in script:
        results[step["name"]] = [runner.run(op) for op in step["ops"]]
    return results


# --------------------------------------------------------------------------------------------
# Servers


SLAPD_OVERLAY = 'ppolicy_default "%s"\nppolicy_use_lockout\n' % policy_dn("default")


def annuaire_flags(demo):
    """The protocol suites' permissive rules, the default policy, and the portal's service account as the
    trusted client that may learn accountLocked (D8)."""
    return servers.PERMISSIVE + ["--password-policy-default-dn", policy_dn("default"),
                                 "--password-policy-trusted-clients", demo.account("portal")["dn"]]


@pytest.fixture(scope="module")
def script():
    return build_script()


@pytest.fixture(scope="module")
def slapd_pp(workdir, demo):
    path = os.path.join(workdir, "pp-slapd")
    os.makedirs(path)
    clock = servers.FakeClock(path)
    for server in started(servers.Slapd(path, demo, overlay_config=SLAPD_OVERLAY, env=clock.env(),
                                         binary=clock.slapd())):
        add_policies(server)
        yield server, clock


@pytest.fixture(scope="module")
def annuaire_pp(workdir, demo):
    path = os.path.join(workdir, "pp-annuaire")
    os.makedirs(path)
    clock = servers.FakeClock(path)
    for server in started(servers.Annuaire(path, demo, name="annuaire-ppolicy", extra=annuaire_flags(demo),
                                           env=clock.env())):
        add_policies(server)
        yield server, clock


@pytest.fixture(scope="module")
def slapd_results(slapd_pp, script):
    return run_session(*slapd_pp, script)


@pytest.fixture(scope="module")
def annuaire_results(annuaire_pp, script):
    return run_session(*annuaire_pp, script)


def pytest_generate_tests(metafunc):
    if "pp_step" in metafunc.fixturenames:
        names = [s["name"] for s in build_script()]
        metafunc.parametrize("pp_step", names, ids=names)


def step_of(script, name):
    [step] = [s for s in script if s["name"] == name]
    return step


def ages_passwords(uid):
    """Whether the policy of the scenario's person `uid` has pwdMaxAge or pwdMinAge (DELIBERATE pwdChangedTime)."""
    for step in build_script():
        for op in step["ops"]:
            if op[0] == "add" and op[1][0] == "uid=%s,%s" % (uid, BOX):
                policy = op[1][1].get("pwdPolicySubentry", [policy_dn("default")])[0]
                values = POLICIES[policy.split(",")[0][3:]]
                return bool(values.get("pwdMaxAge") or values.get("pwdMinAge"))
    raise KeyError(uid)


def normalize(step, results, kind):
    """The parts of a step's outcome that must be equal, after NORMALIZATION and DELIBERATE."""
    out = []
    for op, result in zip(step["ops"], results):
        result = dict(result)
        if "state" in result and not ages_passwords(op[1].split(",")[0][4:]):
            result["state"] = dict(result["state"])
            result["state"].pop("pwdChangedTime")  # DELIBERATE ("*", "pwdChangedTime")
        result.pop("message", None)
        if "ops" in result:
            result["ops"] = normalize(dict(step, ops=[("bind",)] + list(op[3])), result["ops"], kind)
        control = result.get("control")
        if control:
            control = dict(control)
            if "timeBeforeExpiration" in control:
                control["timeBeforeExpiration"] = "%d min" % round(control["timeBeforeExpiration"] / 60)
            if kind == "slapd" and step["name"] == "lockout-locked-untrusted" and control["error"] == "accountLocked":
                control["error"] = None  # DELIBERATE ("lockout-locked-untrusted", "control error")
            result["control"] = control
        out.append(result)
    return out


def codes(results):
    return [r["code"] for r in results]


def test_reference(pp_step, script, slapd_results):
    step = step_of(script, pp_step)
    got = slapd_results[pp_step]
    assert codes(got) == step["expect"], "step %s: slapd answered %r, the script expects %r" % (
        pp_step, got, step["expect"])


def test_differential(pp_step, script, slapd_results, annuaire_results):
    step = step_of(script, pp_step)
    reference = normalize(step, slapd_results[pp_step], "slapd")
    got = normalize(step, annuaire_results[pp_step], "annuaire")
    assert got == reference, "step %s (%r): Annuaire differs from slapd\n  slapd    %r\n  Annuaire %r" % (
        pp_step, step["ops"], reference, got)



# --------------------------------------------------------------------------------------------
# ldap-utils `-e ppolicy`: what each case prints, on both servers (slapd's wording is libldap's, the client's).

A = "Premier-Mot-2026"


def tools_case(tools, clock, prefix):
    """Runs the ldap-utils cases on one server; returns [(case, exit code, output)]. `prefix` keeps uids unique."""
    def add(uid):
        dn = "uid=%s%s,%s" % (prefix, uid, BOX)
        run = tools.add("dn: %s\nobjectClass: inetOrgPerson\nuid: %s%s\ncn: Personne\nsn: Politique\n"
                        "userPassword: %s\n" % (dn, prefix, uid, A), bind="root")
        assert run.code == 0, run
        return dn

    seen = []

    def record(case, run):
        seen.append((case, run.code, run.out + run.err))

    warned, graced, locked, reset = add("warn"), add("grace"), add("lock"), add("reset")
    clock.advance(25 * DAY)
    record("warning", tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(warned, A)))
    clock.advance(6 * DAY)
    for case in ("grace 1", "grace 0", "expired"):
        record(case, tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(graced, A)))
    for _ in range(3):
        record("failure", tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(locked, "Mauvais-Mot-1")))
    record("locked", tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(locked, A)))
    new = "Nouveau-Mot-2026"
    record("assisted reset", tools.run("ldappasswd", ["-s", new, reset], bind="root"))
    record("changeAfterReset", tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(reset, new)))
    record("restricted search", tools.search(reset, "-e", "ppolicy", "cn", bind=(reset, new)))
    record("restricted modify", tools.modify("dn: %s\nchangetype: modify\nreplace: description\ndescription: x\n"
                                             % reset, "-e", "ppolicy", bind=(reset, new)))
    record("too short", tools.run("ldappasswd", ["-e", "ppolicy", "-a", new, "-s", "Court-1"], bind=(reset, new)))
    record("in history", tools.run("ldappasswd", ["-e", "ppolicy", "-a", new, "-s", A], bind=(reset, new)))
    record("own change", tools.run("ldappasswd", ["-e", "ppolicy", "-a", new, "-s", "Encore-Autre-2026"],
                                   bind=(reset, new)))
    record("unrestricted", tools.search(reset, "-e", "ppolicy", "cn", bind=(reset, "Encore-Autre-2026")))
    record("too young", tools.run("ldappasswd", ["-e", "ppolicy", "-a", "Encore-Autre-2026", "-s", "Encore-Autre-27"],
                                  bind=(reset, "Encore-Autre-2026")))
    record("too young by modify", tools.modify("dn: %s\nchangetype: modify\nreplace: userPassword\n"
                                               "userPassword: Encore-Autre-28\n" % reset, "-e", "ppolicy",
                                               bind=(reset, "Encore-Autre-2026")))
    record("reset by modify", tools.modify("dn: %s\nchangetype: modify\nreplace: userPassword\n"
                                           "userPassword: Par-Modify-2026\n" % reset, bind="root"))
    record("changeAfterReset again", tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(reset, "Par-Modify-2026")))
    return seen


# case -> (exit code, text the output must contain, text it must not contain)
TOOLS_EXPECTED = {
    "warning": (0, "ldap_bind: Success (0) (Password expires in 43", None),  # 5 days less the seconds the test took
    "grace 1": (0, "(Password expired, 1 grace logins remain)", None),
    "grace 0": (0, "(Password expired, 0 grace logins remain)", None),
    "expired": (49, "ldap_bind: Invalid credentials (49); Password expired", None),
    "failure": (49, "ldap_bind: Invalid credentials (49)", ";"),
    "locked": (49, "ldap_bind: Invalid credentials (49); Account locked", None),
    "assisted reset": (0, "", None),
    "changeAfterReset": (0, "ldap_bind: Success (0); Password must be changed", None),
    "restricted search": (50, "Operations are restricted to bind/unbind/abandon/StartTLS/modify password", "ppolicy:"),
    "restricted modify": (50, "ppolicy: error=2 (Password must be changed)", None),
    "too short": (1, "ppolicy: error=6 (Password is too short for policy)", None),
    "in history": (1, "ppolicy: error=8 (New password is in list of old passwords)", None),
    "own change": (0, "", None),
    "unrestricted": (0, "cn: Personne", None),
    "too young": (1, "ppolicy: error=7 (Password has been changed too recently)", None),
    "too young by modify": (19, "ppolicy: error=7 (Password has been changed too recently)", None),
    "reset by modify": (0, "", None),
    "changeAfterReset again": (0, "ldap_bind: Success (0); Password must be changed", None),
}

# The one deliberate difference (DELIBERATE, D8): an anonymous ldapwhoami is not a trusted client.
TOOLS_ANNUAIRE = {"locked": (49, "ldap_bind: Invalid credentials (49)", "Account locked")}


@pytest.mark.parametrize("kind", ["slapd", "annuaire"])
def test_ldap_utils_print_the_control(kind, slapd_pp, annuaire_pp):
    server, clock = slapd_pp if kind == "slapd" else annuaire_pp
    seen = tools_case(Tools(server), clock, "tools-")
    problems = []
    for case, code, output in seen:
        expected_code, present, absent = (TOOLS_ANNUAIRE if kind == "annuaire" else {}).get(case,
                                                                                             TOOLS_EXPECTED[case])
        if code != expected_code or present not in output or (absent and absent in output):
            problems.append("%s: exit %d, expected %d with %r%s:\n%s" % (
                case, code, expected_code, present, " and without %r" % absent if absent else "", output))
    assert not problems, "%s:\n" % kind + "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Annuaire only: its own rules, and what slapd 2.5.13 cannot show.


def annuaire_bind(server, dn, password, first=None):
    """python-ldap bind with the control on a new connection, bound first as `first` ((dn, password) or None)."""
    conn = ldap.initialize(server.ldap_url)
    if first:
        conn.simple_bind_s(*first)
    try:
        return Runner(server, None).bind(conn, dn, password)
    finally:
        conn.unbind_s()


def root_add_person(server, uid, password, policy=None):
    dn, attributes = person(uid, password, policy)
    conn = ldap.initialize(server.ldap_url)
    conn.simple_bind_s(server.root_dn, server.root_password)
    conn.add_s(dn, [(k, [v.encode() for v in vs]) for k, vs in attributes.items()])
    conn.unbind_s()
    return dn


def test_trusted_service_account_learns_the_lock(annuaire_pp, demo):
    """password-policy-trusted-clients: the portal's service account, bound before the Bind, sees accountLocked;
    an anonymous connection and another person see a wrong password (D8)."""
    server, _ = annuaire_pp
    dn = root_add_person(server, "pptrusted", A)
    for _ in range(3):
        assert annuaire_bind(server, dn, "Mauvais-Mot-1")["code"] == 49
    portal = demo.account("portal")
    other = demo.account("person", 0)
    assert annuaire_bind(server, dn, A, first=(portal["dn"], portal["password"])) == \
        {"code": 49, "message": "invalid credentials", "control": {"error": "accountLocked"}}
    for first in (None, (other["dn"], other["password"])):
        assert annuaire_bind(server, dn, A, first=first) == \
            {"code": 49, "message": "invalid credentials", "control": {"error": None}}
    assert annuaire_bind(server, "uid=nobody," + BOX, A) == \
        {"code": 49, "message": "invalid credentials", "control": {"error": None}}


def test_password_and_mail_together_are_refused(annuaire_pp):
    """D8: userPassword and mail in one Modify, whoever asks (the root DN here): unwillingToPerform, nothing
    changed; Password Modify cannot carry a mail at all."""
    server, _ = annuaire_pp
    dn = root_add_person(server, "ppmail", A)
    tools = Tools(server)
    run = tools.modify("dn: %s\nchangetype: modify\nreplace: userPassword\nuserPassword: Autre-Mot-2026\n-\n"
                       "replace: mail\nmail: fraude@example.com\n" % dn, bind="root")
    assert run.code == 53 and "anti-fraud" in run.err, run
    assert annuaire_bind(server, dn, A)["code"] == 0
    read = tools.search(dn, "-s", "base", "mail", bind="root")
    assert by_name(read.entries()[0][1], "mail") == [], read


def test_min_delay_locks_temporarily(annuaire_pp, demo):
    """pwdMinDelay/pwdMaxDelay as slapo-ppolicy(5) describes them (slapd 2.5.13 itself aborts on the first
    failed bind under such a policy, so there is no reference run): each failure locks for pwdMinDelay,
    doubled at each further failure up to pwdMaxDelay; during it even the right password is refused, like a
    lock (accountLocked for trusted clients only); the answer is immediate (no thread waits)."""
    server, clock = annuaire_pp
    dn = root_add_person(server, "ppdelay", A, "delay")
    portal = (demo.account("portal")["dn"], demo.account("portal")["password"])
    for delay in (60, 120, 200, 200):
        started_at = time.monotonic()
        assert annuaire_bind(server, dn, "Mauvais-Mot-1")["code"] == 49
        assert annuaire_bind(server, dn, A) == {"code": 49, "message": "invalid credentials",
                                                "control": {"error": None}}
        assert annuaire_bind(server, dn, A, first=portal)["control"] == {"error": "accountLocked"}
        assert time.monotonic() - started_at < 5, "the refusals waited"
        clock.advance(delay - 5)
        assert annuaire_bind(server, dn, A)["code"] == 49, "delay %d" % delay
        clock.advance(6)
    assert annuaire_bind(server, dn, A) == {"code": 0, "control": {"error": None}}
    # A success resets the doubling.
    assert annuaire_bind(server, dn, "Mauvais-Mot-1")["code"] == 49
    clock.advance(61)
    assert annuaire_bind(server, dn, A)["code"] == 0


@pytest.fixture(scope="module")
def annuaire_rules(workdir, demo):
    """Annuaire with the shipped access rules (config/access.rules, as test_access_control) and the default
    policy: correspondents reset within their rights."""
    path = os.path.join(workdir, "pp-annuaire-rules")
    os.makedirs(path)
    flags = ["--password-policy-default-dn", policy_dn("default")]
    for server in started(servers.Annuaire(path, demo, name="annuaire-ppolicy-rules", extra=flags)):
        add_policies(server)
        yield server


def test_correspondent_assisted_reset(annuaire_rules, demo):
    """D7 with the shipped rules: a correspondent resets a person of the territory by Modify and by Password
    Modify without the old password; pwdReset becomes TRUE (pwdMustChange), the person's next bind says
    changeAfterReset and only the own change lifts the restriction. D8: password and mail together are refused,
    and a reset just after a mail change is refused (quiet period)."""
    server = annuaire_rules
    tools = Tools(server)
    corr = demo.account("correspondent", 0)
    as_corr = (corr["dn"], corr["password"])

    def reset_flag(dn):
        return by_name(tools.search(dn, "-s", "base", "pwdReset", bind="root").entries()[0][1], "pwdReset")

    target = demo.account("person", 1)["dn"]
    run = tools.modify("dn: %s\nchangetype: modify\nreplace: userPassword\nuserPassword: Par-Correspondant-1\n"
                       % target, bind=as_corr)
    assert run.code == 0, run
    assert reset_flag(target) == ["TRUE"]
    run = tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(target, "Par-Correspondant-1"))
    assert run.code == 0 and "Password must be changed" in run.err, run
    run = tools.search(target, "-s", "base", "cn", bind=(target, "Par-Correspondant-1"))
    assert run.code == 50 and "Operations are restricted" in run.err, run
    run = tools.run("ldappasswd", ["-a", "Par-Correspondant-1", "-s", "Choisi-Par-Moi-2"],
                    bind=(target, "Par-Correspondant-1"))
    assert run.code == 0, run
    assert reset_flag(target) == []
    run = tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(target, "Choisi-Par-Moi-2"))
    assert run.code == 0 and "Password must be changed" not in run.err, run

    # By Password Modify (ldappasswd), given and generated.
    run = tools.run("ldappasswd", ["-s", "Par-Correspondant-3", target], bind=as_corr)
    assert run.code == 0, run
    assert reset_flag(target) == ["TRUE"]
    run = tools.run("ldapwhoami", ["-e", "ppolicy"], bind=(target, "Par-Correspondant-3"))
    assert run.code == 0 and "Password must be changed" in run.err, run

    # D8: password and mail together refused; a reset right after a mail change refused.
    run = tools.modify("dn: %s\nchangetype: modify\nreplace: userPassword\nuserPassword: Fraude-Mot-2026\n-\n"
                       "replace: mail\nmail: fraude@example.com\n" % target, bind=as_corr)
    assert run.code == 53 and "anti-fraud" in run.err, run
    run = tools.modify("dn: %s\nchangetype: modify\nreplace: mail\nmail: nouvelle.adresse@example.fr\n" % target,
                       bind=as_corr)
    assert run.code == 0, run
    run = tools.run("ldappasswd", ["-s", "Apres-Mail-2026", target], bind=as_corr)
    assert run.code == 1 and "Server is unwilling to perform (53)" in run.out and "anti-fraud" in run.out, run
    assert tools.run("ldapwhoami", [], bind=(target, "Par-Correspondant-3")).code == 0


@pytest.mark.parametrize("kind", ["slapd", "annuaire"])
def test_fake_clock_moves_the_server(kind, slapd_pp, annuaire_pp):
    """libfaketime works in both processes: an entry added now carries the test's clock in createTimestamp and
    pwdChangedTime (Swift's Date() in Annuaire, time()/gettimeofday in slapd), a day later after advance()."""
    import calendar
    server, clock = slapd_pp if kind == "slapd" else annuaire_pp
    tools = Tools(server)
    for uid in ("ppclock1", "ppclock2"):
        dn = root_add_person(server, uid, A)
        attributes = tools.search(dn, "-s", "base", "createTimestamp", "pwdChangedTime", bind="root").entries()[0][1]
        for name in ("createTimestamp", "pwdChangedTime"):
            [value] = by_name(attributes, name)
            stamp = calendar.timegm(time.strptime(value[:14], "%Y%m%d%H%M%S"))
            assert abs(stamp - clock.now()) < 60, (kind, name, value, clock.offset)
        clock.advance(DAY)


def test_slapd_reference_for_min_delay(workdir, demo):
    """Why pwdMinDelay has no differential run: Debian's slapd 2.5.13 aborts (assertion in
    entry_schema_check) on the first failed bind under a policy with pwdMinDelay. Checked here on a slapd of
    its own, so that a slapd that behaves lets this test fail and the delay steps join the script."""
    path = os.path.join(workdir, "pp-slapd-delay")
    os.makedirs(path)
    server = servers.Slapd(path, demo, overlay_config='ppolicy_default "%s"\n' % policy_dn("delay"))
    server.start()
    try:
        add_policies(server)
        dn = root_add_person(server, "ppdelayref", A)
        first = annuaire_bind(server, dn, "Mauvais-Mot-1")
        deadline = time.monotonic() + 10
        while server.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log_tail()
        assert not server.alive() and "entry_schema_check: Assertion" in log, (
            "slapd survived a failed bind under pwdMinDelay (first answer %r): add the delay steps to "
            "build_script and compare\n%s" % (first, log))
    finally:
        server.stop()
