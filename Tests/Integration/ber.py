"""Just enough BER to talk LDAP on a raw socket, for what ldap3 cannot do (abandon under back-pressure,
pipelined requests with chosen message ids). Responses are also decoded with pyasn1 and ldap3's
RFC 4511 definitions where that helps (see Tests/Interop/decode_with_pyasn1.py for the same approach).
"""

import socket
import ssl


def length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, content):
    return bytes([tag]) + length(len(content)) + content


def octets(value, tag=0x04):
    if isinstance(value, str):
        value = value.encode("utf-8")
    return tlv(tag, value)


def integer(value, tag=0x02):
    n = max(1, (value.bit_length() + 8) // 8)
    return tlv(tag, value.to_bytes(n, "big", signed=True))


def enum(value):
    return integer(value, tag=0x0A)


def seq(*parts, tag=0x30):
    return tlv(tag, b"".join(parts))


def message(msgid, op, controls=()):
    body = integer(msgid) + op
    if controls:
        body += seq(*controls, tag=0xA0)
    return seq(body)


def simple_bind(dn, password):
    return seq(integer(3), octets(dn), octets(password, tag=0x80), tag=0x60)


def equality(attr, value):
    return seq(octets(attr), octets(value), tag=0xA3)


def present(attr):
    return octets(attr, tag=0x87)


def search(base, scope=2, flt=None, attributes=(), size_limit=0, types_only=False):
    flt = flt if flt is not None else present("objectClass")
    return seq(octets(base), enum(scope), enum(0), integer(size_limit), integer(0),
               tlv(0x01, b"\xff" if types_only else b"\x00"), flt, seq(*[octets(a) for a in attributes]),
               tag=0x63)


def abandon(msgid):
    return integer(msgid, tag=0x50)


def extended(oid, value=None):
    body = octets(oid, tag=0x80)
    if value is not None:
        body += octets(value, tag=0x81)
    return seq(body, tag=0x77)


def unbind():
    return tlv(0x42, b"")


def read_header(data, offset):
    """(tag, content start, content end) or None when incomplete."""
    if len(data) < offset + 2:
        return None
    tag = data[offset]
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        n = first
    else:
        k = first & 0x7F
        if len(data) < pos + k:
            return None
        n = int.from_bytes(data[pos:pos + k], "big")
        pos += k
    if len(data) < pos + n:
        return None
    return tag, pos, pos + n


def children(content):
    out, offset = [], 0
    while offset < len(content):
        tag, start, end = read_header(content, offset)
        out.append((tag, content[start:end]))
        offset = end
    return out


class Response:
    """One LDAPMessage from the server: msgid, op tag, the op's content, and for results the code."""

    def __init__(self, pdu):
        _, start, end = read_header(pdu, 0)
        parts = children(pdu[start:end])
        self.msgid = int.from_bytes(parts[0][1], "big", signed=True)
        self.tag, self.content = parts[1]
        self.controls = parts[2][1] if len(parts) > 2 else None
        self.fields = children(self.content) if self.tag & 0x20 else []
        self.code = None
        if self.tag in (0x61, 0x65, 0x67, 0x69, 0x6B, 0x6D, 0x6F, 0x78):
            self.code = int.from_bytes(self.fields[0][1], "big")

    @property
    def dn(self):  # SearchResultEntry
        return self.fields[0][1].decode("utf-8")

    def __repr__(self):
        return "<msgid %d tag 0x%02x code %s>" % (self.msgid, self.tag, self.code)


class RawConnection:
    def __init__(self, host, port, rcvbuf=None, tls_ca=None, timeout=30):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(timeout)
        s.connect((host, port))
        if tls_ca:
            context = ssl.create_default_context(cafile=tls_ca)
            context.check_hostname = False
            s = context.wrap_socket(s)
        self.sock = s
        self.buffer = b""

    def send(self, *pdus):
        self.sock.sendall(b"".join(pdus))

    def receive(self):
        """The next response; raises EOFError when the server closed the connection."""
        while True:
            header = read_header(self.buffer, 0)
            if header is not None:
                _, _, end = header
                pdu, self.buffer = self.buffer[:end], self.buffer[end:]
                return Response(pdu)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed by the server")
            self.buffer += chunk

    def until_done(self, msgid, done_tag):
        """Responses up to and including the final one of msgid (those of other ids are kept too)."""
        got = []
        while True:
            r = self.receive()
            got.append(r)
            if r.msgid == msgid and r.tag == done_tag:
                return got

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
