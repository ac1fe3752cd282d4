"""`annuaire notify-expiry` against a real SMTP server (python aiosmtpd on 127.0.0.1, STARTTLS with a
self-signed certificate made here with openssl, AUTH required), while `annuaire serve` runs on the same data
directory (docs/expiry-notices.md).

The demo people get a pwdChangedTime in the past and a default pwdPolicy with pwdMaxAge 90 days; `--now`
moves the clock of the command, so the thresholds (15, 7, 1 days) are reached without waiting.
"""

import datetime
import socket
import email
import email.policy
import os
import ssl
import subprocess
import threading
import time

import pytest

import servers
from clients import parse_ldif

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

DAY = datetime.timedelta(days=1)
MAX_AGE_DAYS = 90
POLICY_DN = "cn=expiry-policy," + servers.SUFFIX
SMTP_USER = "notifier"
SMTP_PASSWORD = "Relais-Secret-2026"
NO_REPLY = "pamelanonreponse@dgfip.finances.gouv.fr"


class Mailbox:
    """The aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # (mail_from, [rcpt], email.message.EmailMessage, authenticated, session id)
        self.refused = set()  # recipients answered 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                (envelope.mail_from, list(envelope.rcpt_tos), message, session.authenticated, id(session)))
        return "250 2.0.0 accepted"

    def take(self):
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode()
          and auth_data.password == SMTP_PASSWORD.encode())
    # handled=False: aiosmtpd then answers a failure with 535 itself.
    return AuthResult(success=ok, handled=False)


class Relay:
    """aiosmtpd with STARTTLS required and AUTH required (only after STARTTLS)."""

    def __init__(self, workdir, name="smtp"):
        self.cert, self.key = servers.self_signed(workdir, name)
        self.port = servers.free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        self.controller = Controller(
            self.mailbox, hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True,
            authenticator=authenticator, auth_required=True, auth_require_tls=True)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def generalized(moment):
    return moment.strftime("%Y%m%d%H%M%SZ")


def prepare(workdir):
    """The demo directory with pwdChangedTime values that put people[0..4] 14.5, 6.5, 0.5, 40 and −2 days from
    expiry now, and the default policy entry (pwdMaxAge 90 days)."""
    demo_dir = os.path.join(workdir, "demo")
    os.makedirs(demo_dir)
    demo = servers.Demo(demo_dir, people=40, seed=11)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    people = [a for a in demo.accounts if a["role"] == "person"]
    plan = {
        people[0]["dn"]: 14.5,   # 15-day notice
        people[1]["dn"]: 6.5,    # 7-day notice
        people[2]["dn"]: 0.5,    # 1-day notice
        people[3]["dn"]: 40,     # not yet
        people[4]["dn"]: -2,     # already expired: not warned
    }
    blocks = open(demo.ldif, encoding="utf-8").read().split("\n\n")
    out = []
    for block in blocks:
        parsed = parse_ldif(block.replace("version: 1\n", "")) if block.strip() else []
        dn = parsed[0][0] if parsed else None
        if dn in plan:
            changed = now + plan[dn] * DAY - MAX_AGE_DAYS * DAY
            block = block.rstrip("\n") + "\npwdChangedTime: " + generalized(changed)
        out.append(block)
    out.append("dn: %s\nobjectClass: device\nobjectClass: pwdPolicy\ncn: expiry-policy\n"
               "pwdAttribute: userPassword\npwdMaxAge: %d\n" % (POLICY_DN, MAX_AGE_DAYS * 86400))
    with open(demo.ldif, "w", encoding="utf-8") as f:
        f.write("\n\n".join(block.rstrip("\n") for block in out if block.strip()) + "\n")
    entries = {dn: attrs for dn, attrs in parse_ldif(open(demo.ldif, encoding="utf-8").read())}
    return demo, now, people, plan, entries


def write_password(workdir):
    path = os.path.join(workdir, "smtp-password")
    with open(path, "w") as f:
        f.write(SMTP_PASSWORD + "\n")
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("expiry"))
    demo, now, people, plan, entries = prepare(workdir)
    relay = Relay(workdir)
    relay.start()
    server = servers.Annuaire(workdir, demo, name="annuaire-expiry",
                              extra=servers.PERMISSIVE + ["--password-policy-default-dn", POLICY_DN])
    server.start()
    password_file = write_password(workdir)
    try:
        yield {"server": server, "relay": relay, "now": now, "plan": plan, "people": people,
               "entries": entries, "password_file": password_file, "workdir": workdir}
    finally:
        relay.stop()
        status = server.stop()
    assert status == 0, "annuaire serve exited with %s:\n%s" % (status, server.log_tail())


def notify(setup, at, *more, port=None):
    relay = setup["relay"]
    command = [servers.annuaire_bin(), "notify-expiry", "--data-dir", setup["server"].data_dir,
               "--suffix", servers.SUFFIX, "--password-policy-default-dn", POLICY_DN,
               "--smtp-host", "127.0.0.1", "--smtp-port", str(port or relay.port), "--smtp-ca-file", relay.cert,
               "--smtp-username", SMTP_USER, "--smtp-password-file", setup["password_file"],
               "--smtp-timeout", "10", "--now", generalized(at), "--log-level", "warning"] + list(more)
    done = subprocess.run(command, cwd=servers.REPO, capture_output=True, text=True, timeout=120)
    return done


def counts(done):
    last = done.stdout.strip().splitlines()[-1]
    return dict(item.split("=") for item in last.split(": ")[-1].split())


def mail_of(setup, dn):
    return setup["entries"][dn]["mail"][0]


def test_expiry_notices_end_to_end(setup):
    server, relay, now, plan, people = setup["server"], setup["relay"], setup["now"], setup["plan"], setup["people"]
    assert server.alive()

    # A dry run lists and sends nothing.
    done = notify(setup, now, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("would send:") == 3, done.stdout
    assert relay.mailbox.take() == []

    # The real run: one mail each for the three people due, with the right threshold.
    done = notify(setup, now)
    assert done.returncode == 0, done.stdout + done.stderr
    report = counts(done)
    # (aspasiePerson requires mail: people without one are covered by the unit tests.)
    assert report["found"] == "3" and report["sent"] == "3" and report["already-sent"] == "0", report
    assert report["failed"] == "0" and report["skipped-without-mail"] == "0", report
    received = relay.mailbox.take()
    assert sorted(r[1][0] for r in received) == sorted(mail_of(setup, p["dn"]) for p in people[:3])
    assert len({r[4] for r in received}) == 1  # one SMTP session for the whole run
    expected_days = {mail_of(setup, people[0]["dn"]): "14 jours", mail_of(setup, people[1]["dn"]): "6 jours",
                     mail_of(setup, people[2]["dn"]): "1 jour"}
    for mail_from, rcpts, message, authenticated, _ in received:
        assert authenticated
        assert mail_from == NO_REPLY
        assert len(rcpts) == 1
        subject = str(message["Subject"])
        assert subject == ("Votre mot de passe du Portail de la Gestion Publique expire dans "
                           + expected_days[rcpts[0]]), subject
        assert message.get_content_type() == "text/plain"
        assert message.get_content_charset() == "utf-8"
        assert message["Message-ID"] and message["Date"]
        body = message.get_content()
        assert "arrive à prescription" in body
        assert "Ce message est envoyé automatiquement" in body

    # A rerun sends nothing twice.
    done = notify(setup, now)
    assert done.returncode == 0, done.stderr
    report = counts(done)
    assert report["sent"] == "0" and report["already-sent"] == "3", report
    assert relay.mailbox.take() == []

    # The 15-day person changes password (root reset while serve runs): a new cycle. 80 days after the change
    # the new 15-day notice is due (the old cycle's people have expired by then and are not warned).
    dn = people[0]["dn"]
    changed = subprocess.run(
        ["ldappasswd", "-x", "-H", server.ldap_url, "-D", server.root_dn, "-w", server.root_password,
         "-s", "Nouveau-Mot-2026!x", dn], capture_output=True, text=True, timeout=60)
    assert changed.returncode == 0, changed.stderr
    # An hour short of 80 days: 10 days and an hour left, written "10 jours" (whole days, rounded down).
    later = datetime.datetime.now(datetime.timezone.utc) + 80 * DAY - datetime.timedelta(hours=1)
    done = notify(setup, later)
    assert done.returncode == 0, done.stderr
    received = relay.mailbox.take()
    assert [r[1][0] for r in received] == [mail_of(setup, dn)], done.stdout
    assert str(received[0][2]["Subject"]).endswith("expire dans 10 jours")

    # The relay is down: the 7-day notice of the new cycle fails, the exit status says so, nothing is recorded.
    relay.stop()
    still_later = later + 4 * DAY
    done = notify(setup, still_later)
    assert done.returncode == 75, done.stdout + done.stderr
    report = counts(done)
    assert report["failed"] == "1" and report["sent"] == "0", report
    assert "cannot connect to the SMTP server" in done.stderr or "SMTP" in done.stderr, done.stderr

    # The relay is back: the next run sends it.
    relay.start()
    done = notify(setup, still_later)
    assert done.returncode == 0, done.stdout + done.stderr
    assert counts(done)["sent"] == "1"
    assert [r[1][0] for r in relay.mailbox.take()] == [mail_of(setup, dn)]
    assert server.alive()


def test_wrong_credentials_and_untrusted_certificate(setup):
    relay, now = setup["relay"], setup["now"]
    other = os.path.join(setup["workdir"], "wrong-password")
    with open(other, "w") as f:
        f.write("not-the-password\n")
    done = notify(setup, now - 3 * DAY, "--smtp-password-file", other)
    # Three days earlier the second person was at 9.5 days (15-day notice), the third at 3.5 (7-day notice), the
    # fifth at 1 (1-day notice): none recorded yet, all fail on AUTH.
    assert done.returncode == 75, done.stdout + done.stderr
    assert "AUTH" in done.stderr and "535" in done.stderr, done.stderr
    assert relay.mailbox.take() == []

    # A CA file that did not sign the relay's certificate: TLS fails, nothing sent.
    stranger, _ = servers.self_signed(setup["workdir"], "stranger")
    done = notify(setup, now - 3 * DAY, "--smtp-ca-file", stranger)
    assert done.returncode == 75, done.stdout + done.stderr
    assert "TLS" in done.stderr, done.stderr
    assert relay.mailbox.take() == []


def test_serve_sends_the_notices_daily(tmp_path_factory):
    """serve with expiry-notice-daily-at: at that minute it sends the due notices itself (own data directory)."""
    workdir = str(tmp_path_factory.mktemp("expiry-serve"))
    demo, now, people, plan, entries = prepare(workdir)
    relay = Relay(workdir)
    relay.start()
    clock = datetime.datetime.now(datetime.timezone.utc)
    # The next whole minute, or the one after when this one is nearly over (serve must start before it).
    at = (clock + datetime.timedelta(minutes=1 if clock.second < 40 else 2)).strftime("%H:%M")
    server = servers.Annuaire(workdir, demo, name="annuaire-expiry-daily", extra=servers.PERMISSIVE + [
        "--password-policy-default-dn", POLICY_DN, "--expiry-notice-daily-at", at,
        "--expiry-notice-time-zone", "UTC", "--smtp-host", "127.0.0.1", "--smtp-port", str(relay.port),
        "--smtp-ca-file", relay.cert, "--smtp-username", SMTP_USER,
        "--smtp-password-file", write_password(workdir)])
    try:
        server.start()
        deadline = time.monotonic() + 150
        received = []
        while time.monotonic() < deadline and len(received) < 3:
            received += relay.mailbox.take()
            time.sleep(0.5)
        assert sorted(r[1][0] for r in received) == sorted(entries[p["dn"]]["mail"][0] for p in people[:3]), \
            server.log_tail()
        assert server.alive()
        assert "expiry notices: found=3 sent=3" in open(server.log_path, encoding="utf-8").read()
        # A cron run beside it now finds everything already sent.
        done = subprocess.run(
            [servers.annuaire_bin(), "notify-expiry", "--data-dir", server.data_dir, "--suffix", servers.SUFFIX,
             "--password-policy-default-dn", POLICY_DN, "--dry-run"],
            cwd=servers.REPO, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "already-sent=3" in done.stdout and "would send" not in done.stdout, done.stdout
    finally:
        relay.stop()
        status = server.stop()
    assert status == 0, server.log_tail()


class ScriptedRelay:
    """A bare SMTP server on 127.0.0.1 for the cases aiosmtpd will not play: it answers EHLO with `ehlo` and
    STARTTLS with `starttls` (bytes sent as they are), then closes."""

    def __init__(self, ehlo, starttls=b"220 go ahead\r\n"):
        self.ehlo, self.starttls = ehlo, starttls
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(30)
        self.port = self.sock.getsockname()[1]
        self.commands = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            connection, _ = self.sock.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(15)
            connection.sendall(b"220 scripted ESMTP\r\n")
            reader = connection.makefile("rb")
            for line in reader:
                command = line.strip().upper()
                self.commands.append(command)
                if command.startswith(b"EHLO"):
                    connection.sendall(self.ehlo)
                elif command == b"STARTTLS":
                    connection.sendall(self.starttls)
                    return
                elif command == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:
                    connection.sendall(b"502 not here\r\n")

    def close(self):
        self.sock.close()
        self.thread.join(timeout=20)


def test_starttls_required_and_no_clear_bytes_after_it(setup):
    now = setup["now"]
    # A relay that does not offer STARTTLS: nothing is sent, the reason is named.
    relay = ScriptedRelay(b"250-scripted\r\n250 AUTH PLAIN\r\n")
    try:
        done = notify(setup, now - 3 * DAY, port=relay.port)
    finally:
        relay.close()
    assert done.returncode == 75, done.stdout + done.stderr
    assert "does not offer STARTTLS" in done.stderr, done.stderr
    assert not any(c.startswith(b"AUTH") or c.startswith(b"MAIL") for c in relay.commands), relay.commands

    # A reply injected in clear right after STARTTLS's 220 (RFC 3207 §5) ends the session before TLS.
    relay = ScriptedRelay(b"250-scripted\r\n250 STARTTLS\r\n", starttls=b"220 go ahead\r\n250 injected\r\n")
    try:
        done = notify(setup, now - 3 * DAY, port=relay.port)
    finally:
        relay.close()
    assert done.returncode == 75, done.stdout + done.stderr
    assert "data in clear after the STARTTLS reply" in done.stderr, done.stderr


# aiosmtpd warns about AUTH without its STARTTLS; this session is TLS from the first byte.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_and_auth_login(setup):
    """smtp-security tls (TLS from the first byte, as on port 465) against aiosmtpd offering AUTH LOGIN only."""
    now = setup["now"]
    relay = Relay(setup["workdir"], name="smtp-implicit")
    # A context usable both ways: the controller's start-up probe connects through it as a client.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS)
    context.load_cert_chain(relay.cert, relay.key)
    controller = Controller(
        relay.mailbox, hostname="127.0.0.1", port=relay.port, ssl_context=context, authenticator=authenticator,
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; this whole session is TLS.
        auth_required=True, auth_require_tls=False, auth_exclude_mechanism=["PLAIN"])
    controller.start()
    try:
        # Three days earlier: the second person's 15-day notice, the third's 7-day one and the fifth's 1-day one
        # (expired now, one day from expiry then), never sent yet: the runs at that moment above all failed.
        # Not signed by the CA given: TLS fails before the greeting, and says so.
        done = notify(setup, now - 3 * DAY, "--smtp-security", "tls", port=relay.port)
        assert done.returncode == 75, done.stdout + done.stderr
        assert "TLS with the SMTP server failed" in done.stderr and "CERTIFICATE_VERIFY_FAILED" in done.stderr, \
            done.stderr
        done = notify(setup, now - 3 * DAY, "--smtp-security", "tls", "--smtp-ca-file", relay.cert, port=relay.port)
    finally:
        controller.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert counts(done)["sent"] == "3", done.stdout
    received = relay.mailbox.take()
    people = setup["people"]
    assert sorted(r[1][0] for r in received) == sorted(mail_of(setup, p["dn"]) for p in people[1:3] + people[4:5])
    assert all(r[3] for r in received)  # authenticated


def test_a_refused_recipient_does_not_stop_the_others(setup):
    """One connection for the run: a recipient refused with 550 counts as failed (RSET, then the next mail on the
    same session), and is sent by the next run."""
    relay, people, now = setup["relay"], setup["people"], setup["now"]
    assert relay.controller is not None
    # Ten days earlier: the third person (10.5 days) and the fifth (8 days) are due for their 15-day notice.
    refused = mail_of(setup, people[2]["dn"])
    relay.mailbox.refused = {refused}
    try:
        done = notify(setup, now - 10 * DAY)
    finally:
        relay.mailbox.refused = set()
    assert done.returncode == 75, done.stdout + done.stderr
    report = counts(done)
    assert report["sent"] == "1" and report["failed"] == "1", report
    assert "550 5.1.1" in done.stderr and "RCPT TO" in done.stderr, done.stderr
    received = relay.mailbox.take()
    assert [r[1][0] for r in received] == [mail_of(setup, people[4]["dn"])]

    done = notify(setup, now - 10 * DAY)
    assert done.returncode == 0, done.stdout + done.stderr
    report = counts(done)
    assert report["sent"] == "1" and report["already-sent"] == "1", report
    assert [r[1][0] for r in relay.mailbox.take()] == [refused]

