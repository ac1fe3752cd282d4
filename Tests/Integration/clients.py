"""Running OpenLDAP's ldap-utils against a server, and reading what they print."""

import base64
import os
import subprocess
import tempfile

TOOL_TIMEOUT = 60


class Run:
    """One finished client invocation."""

    def __init__(self, argv, code, out, err):
        self.argv, self.code, self.out, self.err = argv, code, out, err

    def __repr__(self):
        return "<%s exit %d>\n--- stdout\n%s--- stderr\n%s" % (" ".join(self.argv), self.code, self.out, self.err)

    def entries(self):
        return parse_ldif(self.out)


class Tools:
    """ldap-utils bound to one server: `tools.search(...)` runs ldapsearch against it."""

    def __init__(self, server):
        self.server = server

    def env(self):
        env = dict(os.environ)
        # The server's own certificate is the only authority; ~/.ldaprc and ldap.conf cannot interfere.
        env["LDAPTLS_CACERT"] = self.server.cacert
        env["LDAPTLS_REQCERT"] = "demand"
        env["LDAPCONF"] = os.devnull
        env["LDAPRC"] = os.devnull
        env.pop("LDAPTLS_CACERTDIR", None)
        return env

    def run(self, tool, args, url=None, bind=None, tls=None, stdin=None, timeout=TOOL_TIMEOUT):
        """tool: 'ldapsearch'...; bind: None (anonymous), 'root' or (dn, password); tls: None, 'ZZ' or 'ldaps'."""
        argv = [tool]
        if url is None:
            url = self.server.ldaps_url if tls == "ldaps" else self.server.ldap_url
        argv += ["-H", url, "-x"]
        if tls == "ZZ":
            argv.append("-ZZ")
        if bind == "root":
            argv += ["-D", self.server.root_dn, "-w", self.server.root_password]
        elif bind is not None:
            argv += ["-D", bind[0], "-w", bind[1]]
        argv += list(args)
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=self.env(), timeout=timeout)
        return Run(argv, done.returncode, done.stdout, done.stderr)

    def search(self, base, *args, **kw):
        return self.run("ldapsearch", ["-LLL", "-o", "ldif-wrap=no", "-b", base] + list(args), **kw)

    def modify(self, ldif, *args, **kw):
        return self.run("ldapmodify", list(args), stdin=ldif, **kw)

    def add(self, ldif, *args, **kw):
        return self.run("ldapadd", list(args), stdin=ldif, **kw)


def parse_ldif(text):
    """ldapsearch -LLL -o ldif-wrap=no output -> list of (dn, {attribute: [values]}), in order.

    Attribute names keep the server's spelling; values are str (base64 values decoded as UTF-8 when
    they are, bytes otherwise). Comment lines are ignored; folded lines are joined anyway.
    """
    records, current = [], []
    lines = []
    for raw in text.split("\n"):
        if raw.startswith(" ") and lines:
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    for line in lines + [""]:
        if line == "":
            if current:
                records.append(current)
                current = []
            continue
        if line.startswith("#"):
            continue
        current.append(line)
    entries = []
    for record in records:
        dn, attributes = None, {}
        for line in record:
            name, sep, rest = line.partition(":")
            if not sep:
                raise ValueError("not LDIF: %r" % line)
            if rest.startswith(":"):
                value = base64.b64decode(rest[1:].strip())
                try:
                    value = value.decode("utf-8")
                except UnicodeDecodeError:
                    pass
            else:
                value = rest[1:] if rest.startswith(" ") else rest
            if dn is None and name.lower() == "dn":
                dn = value
            else:
                attributes.setdefault(name, []).append(value)
        entries.append((dn, attributes))
    return entries


def by_name(attributes, name):
    """The values of an attribute, its name matched case-insensitively (ignoring options)."""
    found = []
    for key, values in attributes.items():
        if key.split(";")[0].lower() == name.lower():
            found += values
    return found


def temp_ldif(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".ldif", delete=False)
    f.write(text)
    f.close()
    return f.name
