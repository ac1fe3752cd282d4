"""Self-service password reset by SMS code (docs/password-reset.md), end to end: a real `annuaire serve`, a real
HTTP server on 127.0.0.1 standing for the SMS gateway (it records each POST: headers and JSON body), ldap3 as the
portal, ldapexop as the command-line client. The code is read from the captured SMS, as the person would."""

import base64
import json
import os
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ldap3 import NONE, Connection, Server

import ber
import servers

OID_REQUEST_CODE = "2.25.208241287730979937341023007625728684541.3.1"
OID_RESET = "2.25.208241287730979937341023007625728684541.3.2"
OID_PPOLICY = "1.3.6.1.4.1.42.2.27.8.5.1"
TOKEN = "jeton-de-test-0123456789"
POLICY_DN = "cn=default-policy,ou=admins," + servers.SUFFIX


class Gateway:
    """The SMS gateway: records every POST; answers `status` (200 by default)."""

    def __init__(self):
        self.messages = []
        self.status = 200
        self.delay = 0.0
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                size = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(size)
                with gateway.lock:
                    gateway.messages.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                    status, delay = gateway.status, gateway.delay
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                payload = b'{"id":"42"}' if status == 200 else b'{"error":"down"}'
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/v1/sms" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def count(self):
        with self.lock:
            return len(self.messages)

    def wait_for(self, count, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= count:
                with self.lock:
                    return self.messages[count - 1]
            time.sleep(0.05)
        raise AssertionError("the gateway received %d messages, expected %d" % (self.count(), count))

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def gateway():
    instance = Gateway()
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def reset_server(workdir, demo, gateway):
    path = os.path.join(workdir, "reset")
    os.makedirs(path)
    token_file = os.path.join(path, "sms-token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    portal = demo.account("portal")
    server = servers.Annuaire(path, demo, name="annuaire-reset", extra=servers.PERMISSIVE + [
        "--password-reset-service-accounts", portal["dn"],
        "--sms-gateway-url", gateway.url, "--sms-gateway-token-file", token_file,
        "--sms-gateway-retries", "1", "--sms-gateway-timeout", "3",
        "--password-reset-rate-per-identifier", "50/3600", "--password-reset-rate-per-address", "1000/3600",
        "--password-policy-default-dn", POLICY_DN, "--audit-log", os.path.join(path, "audit.log"),
        "--password-argon2-memory", "1024", "--password-argon2-iterations", "1"])
    server.start()
    try:
        root = connect(server, server.root_dn, server.root_password)
        ok = root.add(POLICY_DN, ["device", "pwdPolicy"], {
            "cn": "default-policy", "pwdAttribute": "userPassword", "pwdCheckQuality": "1", "pwdMinLength": "10",
            "pwdInHistory": "3", "pwdMustChange": "TRUE"})
        assert ok, root.result
        root.unbind()
        yield server
    finally:
        status = server.stop()
    assert status == 0, server.log_tail()


def connect(server, dn=None, password=None):
    conn = Connection(Server(server.host, port=server.port, get_info=NONE, connect_timeout=10), user=dn,
                      password=password, raise_exceptions=False, receive_timeout=30, auto_referrals=False)
    assert conn.open() is not False
    if dn is not None:
        assert conn.bind(), conn.result
    return conn


def portal(server, demo):
    account = demo.account("portal")
    return connect(server, account["dn"], account["password"])


def attributes_of(demo, dn):
    for entry_dn, attributes in demo.entries:
        if entry_dn.lower() == dn.lower():
            return {name.lower(): values for name, values in attributes.items()}
    raise AssertionError("no demo entry " + dn)


def people(demo, with_mobile=True):
    """Demo people signing in with an -xt identifier, with (or without) a mobile number."""
    found = []
    for account in demo.accounts:
        if account["role"] != "person" or not account["identifier"].lower().endswith("-xt"):
            continue
        if bool(attributes_of(demo, account["dn"]).get("mobile")) == with_mobile:
            found.append(account)
    return found


def request_code(conn, identifier, client_address=None):
    parts = [ber.octets(identifier)]
    if client_address:
        parts.append(ber.octets(client_address, tag=0x80))
    conn.extended(OID_REQUEST_CODE, ber.seq(*parts))
    return conn.result


def reset(conn, identifier, code, password, controls=None):
    conn.extended(OID_RESET, ber.seq(ber.octets(identifier), ber.octets(code), ber.octets(password)),
                  controls=controls)
    return conn.result


def code_in(message):
    text = json.loads(message["body"])["text"]
    found = re.findall(r"\b(\d{6,8})\b", text)
    assert len(found) == 1, text
    return found[0]


def can_bind(server, dn, password):
    conn = Connection(Server(server.host, port=server.port, get_info=NONE), user=dn, password=password,
                      raise_exceptions=False)
    conn.open()
    ok = conn.bind()
    conn.unbind()
    return ok


def test_request_code_sms_then_reset_then_bind(reset_server, demo, gateway):
    person = people(demo)[0]
    conn = portal(reset_server, demo)
    before = gateway.count()
    result = request_code(conn, person["identifier"])
    assert result["result"] == 0, result
    assert result["responseName"] == OID_REQUEST_CODE
    assert result["responseValue"] == b"0\x04\x02\x02\x02X"  # SEQUENCE { validity 600 }, as docs/password-reset.md shows
    message = gateway.wait_for(before + 1)
    # The gateway's side of the contract: POST, bearer token, JSON with an E.164 recipient and French text.
    assert message["path"] == "/v1/sms"
    assert message["headers"]["Authorization"] == "Bearer " + TOKEN
    assert message["headers"]["Content-Type"].startswith("application/json")
    body = json.loads(message["body"])
    assert set(body) == {"to", "text"}
    assert re.fullmatch(r"\+\d{8,15}", body["to"]), body
    assert "code de sécurité" in body["text"] and "10 minutes" in body["text"], body
    mobile_digits = re.sub(r"\D", "", attributes_of(demo, person["dn"])["mobile"][0])
    assert body["to"].endswith(mobile_digits[-8:])
    code = code_in(message)
    assert 6 <= len(code) <= 8

    new_password = "Nouveau-Passe-2024!"
    done = reset(conn, person["identifier"], code, new_password)
    assert done["result"] == 0, done
    assert can_bind(reset_server, person["dn"], new_password)
    assert not can_bind(reset_server, person["dn"], person["password"])
    # The code was used up.
    again = reset(conn, person["identifier"], code, "Encore-Autre-2025!")
    assert again["result"] == 49, again
    # The audit trail has the reset, and neither the code nor the password.
    with open(os.path.join(reset_server.workdir, "audit.log"), encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    mine = [line for line in lines if line["dn"].lower() == person["dn"].lower() and line["result"] == 0]
    assert mine and mine[-1]["op"] == "passwordReset", lines[-3:]
    with open(os.path.join(reset_server.workdir, "audit.log"), encoding="utf-8") as f:
        trail = f.read()
    assert code not in trail and new_password not in trail
    assert code not in reset_server.log_tail(400) and TOKEN not in reset_server.log_tail(400)
    conn.unbind()


def test_wrong_code_three_times_kills_the_code(reset_server, demo, gateway):
    person = people(demo)[1]
    conn = portal(reset_server, demo)
    before = gateway.count()
    assert request_code(conn, person["identifier"])["result"] == 0
    code = code_in(gateway.wait_for(before + 1))
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    for _ in range(3):
        result = reset(conn, person["identifier"], wrong, "Mauvais-Essai-2024!")
        assert result["result"] == 49, result
        assert result["description"] == "invalidCredentials"
    dead = reset(conn, person["identifier"], code, "Bon-Code-Trop-Tard-1!")
    assert dead["result"] == 49, dead
    assert can_bind(reset_server, person["dn"], person["password"])
    conn.unbind()


def test_unknown_identifier_and_no_mobile_answer_the_same_and_send_nothing(reset_server, demo, gateway):
    conn = portal(reset_server, demo)
    known = people(demo)[2]
    before = gateway.count()
    reference = request_code(conn, known["identifier"])
    gateway.wait_for(before + 1)
    others = ["personne-inconnue-xt", "jdupont", "x" * 300 + "-xt"]
    without_mobile = people(demo, with_mobile=False)
    if without_mobile:
        others.append(without_mobile[0]["identifier"])
    for identifier in others:
        answer = request_code(conn, identifier)
        for field in ("result", "description", "message", "responseName", "responseValue"):
            assert answer[field] == reference[field], (identifier, field, answer, reference)
    time.sleep(2.0)  # time for a (wrong) SMS to arrive
    assert gateway.count() == before + 1
    # A reset of an unknown identifier is the same refusal as a wrong code.
    refused = reset(conn, "personne-inconnue-xt", "123456", "Peu-Importe-2024!")
    assert (refused["result"], refused["message"]) == (49, "the code is invalid or has expired")
    conn.unbind()


def test_gateway_down_same_answer_and_logged(reset_server, demo, gateway):
    person = people(demo)[3]
    conn = portal(reset_server, demo)
    gateway.status = 503
    try:
        before = gateway.count()
        answer = request_code(conn, person["identifier"])
        assert answer["result"] == 0, answer
        # One attempt and one retry, both refused; then the failure is in the server log, not in the answer.
        gateway.wait_for(before + 2)
        deadline = time.monotonic() + 10
        while "not delivered" not in reset_server.log_tail(200) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "not delivered: the gateway answered HTTP 503" in reset_server.log_tail(200)
    finally:
        gateway.status = 200
    conn.unbind()


def test_only_the_service_account_may_call(reset_server, demo, gateway):
    person = people(demo)[0]
    user = connect(reset_server, demo.account("person", 4)["dn"], demo.account("person", 4)["password"])
    assert request_code(user, person["identifier"])["result"] == 50
    assert reset(user, person["identifier"], "123456", "Peu-Importe-2024!")["result"] == 50
    user.unbind()
    anonymous = connect(reset_server)
    assert request_code(anonymous, person["identifier"])["result"] == 50
    anonymous.unbind()


def test_bad_quality_is_constraint_violation_and_keeps_the_code(reset_server, demo, gateway):
    person = people(demo)[4]
    conn = portal(reset_server, demo)
    before = gateway.count()
    assert request_code(conn, person["identifier"])["result"] == 0
    code = code_in(gateway.wait_for(before + 1))
    weak = reset(conn, person["identifier"], code, "court", controls=[(OID_PPOLICY, False, None)])
    assert weak["result"] == 19, weak
    assert any(oid == OID_PPOLICY for oid in (weak.get("controls") or {})), weak
    # A policy refusal does not use the code up: the person tries a better password.
    done = reset(conn, person["identifier"], code, "Bien-Meilleur-2024!")
    assert done["result"] == 0, done
    assert can_bind(reset_server, person["dn"], "Bien-Meilleur-2024!")
    conn.unbind()


def test_ldapexop_sends_the_request_value(reset_server, demo, gateway):
    person = people(demo)[5]
    account = demo.account("portal")
    value = base64.b64encode(ber.seq(ber.octets(person["identifier"]))).decode()
    before = gateway.count()
    env = dict(os.environ, LDAPCONF=os.devnull, LDAPRC=os.devnull)
    done = subprocess.run(
        ["ldapexop", "-x", "-H", reset_server.ldap_url, "-D", account["dn"], "-w", account["password"],
         "%s::%s" % (OID_REQUEST_CODE, value)], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    code = code_in(gateway.wait_for(before + 1))
    # The reset too (three OCTET STRINGs); on a command line the password shows in `ps`: for tests only.
    value = base64.b64encode(ber.seq(ber.octets(person["identifier"]), ber.octets(code),
                                     ber.octets("Par-Ldapexop-2024!"))).decode()
    done = subprocess.run(
        ["ldapexop", "-x", "-H", reset_server.ldap_url, "-D", account["dn"], "-w", account["password"],
         "%s::%s" % (OID_RESET, value)], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert can_bind(reset_server, person["dn"], "Par-Ldapexop-2024!")
    # A used code: ldapexop exits non-zero and prints the result and the server's message.
    done = subprocess.run(
        ["ldapexop", "-x", "-H", reset_server.ldap_url, "-D", account["dn"], "-w", account["password"],
         "%s::%s" % (OID_RESET, value)], capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "Invalid credentials (49)" in done.stderr and "the code is invalid or has expired" in done.stderr


def test_sending_is_off_the_request_path(reset_server, demo, gateway):
    """A slow gateway (0.8 s per message) does not slow the answer: known and unknown identifiers are answered
    alike, well under the gateway's delay (medians over alternating requests)."""
    conn = portal(reset_server, demo)
    known = people(demo)[6]
    gateway.delay = 0.8
    try:
        before = gateway.count()
        timings = {"known": [], "unknown": []}
        for index in range(8):
            for kind, identifier in (("known", known["identifier"]), ("unknown", "absent%d-xt" % index)):
                start = time.perf_counter()
                assert request_code(conn, identifier)["result"] == 0
                timings[kind].append(time.perf_counter() - start)
        medians = {kind: sorted(values)[len(values) // 2] for kind, values in timings.items()}
        print("request-code median seconds:", medians)
        assert medians["known"] < 0.4, medians
        assert abs(medians["known"] - medians["unknown"]) < 0.2, medians
        gateway.wait_for(before + 8, timeout=30)
    finally:
        gateway.delay = 0.0
    conn.unbind()


def test_shutdown_does_not_wait_for_a_hanging_gateway(workdir, demo):
    """SIGTERM with a code stuck on a gateway that does not answer: the server still exits 0 within its
    shutdown-timeout (the message is cancelled and logged), not after the gateway's timeout."""
    hanging = Gateway()
    hanging.delay = 30.0
    path = os.path.join(workdir, "reset-shutdown")
    os.makedirs(path)
    token_file = os.path.join(path, "sms-token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    portal_account = demo.account("portal")
    server = servers.Annuaire(path, demo, name="annuaire-reset-shutdown", extra=servers.PERMISSIVE + [
        "--password-reset-service-accounts", portal_account["dn"], "--sms-gateway-url", hanging.url,
        "--sms-gateway-token-file", token_file, "--sms-gateway-timeout", "60", "--shutdown-timeout", "2"])
    server.start()
    try:
        conn = portal(server, demo)
        assert request_code(conn, people(demo)[0]["identifier"])["result"] == 0
        hanging.wait_for(1)
        conn.unbind()
        start = time.monotonic()
        status = server.stop()
        elapsed = time.monotonic() - start
        assert status == 0, server.log_tail()
        assert elapsed < 10, elapsed
        assert "not delivered" in server.log_tail(50)
    finally:
        server.stop()
        hanging.close()
