#!/usr/bin/env python3
"""Decode LDAP PDUs with an independent decoder: pyasn1 and ldap3's RFC 4511 ASN.1 definitions.

Input: hex PDUs, one per line (blank lines and lines starting with # are ignored), from the file
given as argument or from standard input. Each line must hold exactly one LDAPMessage: a decoding
error or leftover bytes is a failure.

Output: one JSON object per input PDU, on its own line, in input order:
  {"index": N, "messageID": ..., "op": "SearchRequest", "asn1Op": "searchRequest", ...fields...}
or, when pyasn1 refuses the PDU,
  {"index": N, "error": "..."}
The fields use the JSON form of Tests/LDAPProtocolTests/InteropTests.swift: byte strings are JSON
strings when they are valid UTF-8 and {"hex": "..."} otherwise; filters are trees such as
{"and": [{"eq": ["cn", "x"]}, {"present": "mail"}]}; control, extended and intermediate values are
{"hex": "..."} (ldap3 declares them as opaque OCTET STRINGs).

ldap3's Filter definition cannot decode &, | or ! as shipped; repair_ldap3_filter_spec() below
rebuilds it as declared (see its comment). Nothing else of ldap3's definitions is changed.

Exit status: 0 when every PDU decoded, 1 when one or more did not, 3 when pyasn1 or ldap3 is
missing (`make test` installs them with pip).
"""

import json
import sys

try:
    from ldap3.protocol import rfc4511
    from ldap3.protocol.rfc4511 import LDAPMessage
    from pyasn1.codec.ber import decoder
    from pyasn1.error import PyAsn1Error
    from pyasn1.type.namedtype import NamedType, NamedTypes
    from pyasn1.type.tag import Tag, tagClassContext, tagFormatConstructed
except ImportError as error:
    print("decode_with_pyasn1.py: python module %s is missing for %s; `make test` installs it "
          "(%s -m pip install ldap3 pyasn1)" % (error.name, sys.executable, sys.executable), file=sys.stderr)
    sys.exit(3)

# ldap3's names for the protocolOp alternatives, and RFC 4511's (which Annuaire uses).
OP_NAMES = {
    "bindRequest": "BindRequest", "bindResponse": "BindResponse", "unbindRequest": "UnbindRequest",
    "searchRequest": "SearchRequest", "searchResEntry": "SearchResultEntry", "searchResDone": "SearchResultDone",
    "searchResRef": "SearchResultReference", "modifyRequest": "ModifyRequest", "modifyResponse": "ModifyResponse",
    "addRequest": "AddRequest", "addResponse": "AddResponse", "delRequest": "DelRequest",
    "delResponse": "DelResponse", "modDNRequest": "ModifyDNRequest", "modDNResponse": "ModifyDNResponse",
    "compareRequest": "CompareRequest", "compareResponse": "CompareResponse", "abandonRequest": "AbandonRequest",
    "extendedReq": "ExtendedRequest", "extendedResp": "ExtendedResponse",
    "intermediateResponse": "IntermediateResponse",
}



def repair_ldap3_filter_spec():
    """Makes ldap3's Filter recursive, as RFC 4511 §4.5.1 and ldap3's own source declare it.

    ldap3 2.9.1 defines And, Or and Not before Filter and assigns their components afterwards
    (`And.componentType = Filter()`, `Not.tagSet = ...tagExplicitly([2])`), but pyasn1 copies a
    type's attributes into each instance when it is created, and Filter's alternatives were
    created before those assignments: the And and Or inside Filter have no component type and the
    Not is untagged with no alternatives. ldap3 only encodes filters (it never decodes a
    SearchRequest), so it never notices; pyasn1 cannot decode any filter with &, | or ! through
    it ("Read 4 bytes instead of expected 9", "not in asn1Spec: None"). This rebuilds exactly the
    declared structure: `and [0] SET OF Filter`, `or [1] SET OF Filter`, `not [2] Filter` (a
    tagged CHOICE, hence explicitly tagged), leaving every other alternative as ldap3 has it.
    """
    def set_component_type(spec, types):
        # pyasn1 keeps construction arguments in __dict__ and in _readOnly (used by clone()).
        spec.__dict__["componentType"] = types
        spec._readOnly["componentType"] = types

    filter_spec = rfc4511.Filter()
    not_spec = rfc4511.Filter().subtype(explicitTag=Tag(tagClassContext, tagFormatConstructed, 2))
    replaced = {
        "and": rfc4511.And(componentType=filter_spec),
        "or": rfc4511.Or(componentType=filter_spec),
        "notFilter": not_spec,
    }
    alternatives = NamedTypes(*[
        NamedType(named.name, replaced[named.name]) if named.name in replaced else named
        for named in rfc4511.Filter.componentType.namedTypes
    ])
    set_component_type(filter_spec, alternatives)
    set_component_type(not_spec, alternatives)
    rfc4511.Filter.componentType = alternatives
    search_filter = rfc4511.SearchRequest.componentType.getTypeByPosition(6)
    set_component_type(search_filter, alternatives)


repair_ldap3_filter_spec()

RESULT_OPS = {"searchResDone", "modifyResponse", "addResponse", "delResponse", "modDNResponse", "compareResponse"}


def octets(value):
    """A byte string: a JSON string when it is UTF-8, otherwise {"hex": ...}."""
    data = value.asOctets()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"hex": data.hex()}


def raw(value):
    return {"hex": value.asOctets().hex()}


def present(component, name):
    """Whether an OPTIONAL component was in the encoding."""
    return component[name].isValue


def filter_tree(node):
    kind = node.getName()
    value = node.getComponent()
    if kind in ("and", "or"):
        return {kind: [filter_tree(child) for child in value]}
    if kind == "notFilter":
        return {"not": filter_tree(value)}
    short = {"equalityMatch": "eq", "greaterOrEqual": "ge", "lessOrEqual": "le", "approxMatch": "approx"}
    if kind in short:
        return {short[kind]: [octets(value["attributeDesc"]), octets(value["assertionValue"])]}
    if kind == "present":
        return {"present": octets(value)}
    if kind == "substringFilter":
        body = {"type": octets(value["type"]), "any": []}
        for substring in value["substrings"]:
            part = substring.getName()
            if part == "any":
                body["any"].append(octets(substring.getComponent()))
            else:
                body[part] = octets(substring.getComponent())
        return {"substrings": body}
    if kind == "extensibleMatch":
        body = {"value": octets(value["matchValue"]), "dnAttributes": bool(value["dnAttributes"])}
        if present(value, "matchingRule"):
            body["rule"] = octets(value["matchingRule"])
        if present(value, "type"):
            body["type"] = octets(value["type"])
        return {"ext": body}
    raise ValueError("unknown filter choice " + kind)


def attributes(attribute_list):
    return [[octets(attribute["type"]), [octets(v) for v in attribute["vals"]]] for attribute in attribute_list]


def result_fields(value, out):
    out["resultCode"] = int(value["resultCode"])
    out["matchedDN"] = octets(value["matchedDN"])
    out["diagnosticMessage"] = octets(value["diagnosticMessage"])
    if present(value, "referral"):
        out["referral"] = [octets(uri) for uri in value["referral"]]


def summary(message):
    op = message["protocolOp"]
    kind = op.getName()
    value = op.getComponent()
    out = {"messageID": int(message["messageID"]), "op": OP_NAMES[kind], "asn1Op": kind}
    if kind == "bindRequest":
        out["version"] = int(value["version"])
        out["name"] = octets(value["name"])
        authentication = value["authentication"]
        if authentication.getName() == "simple":
            out["simple"] = octets(authentication.getComponent())
        elif authentication.getName() == "sasl":
            sasl = authentication.getComponent()
            out["sasl"] = {"mechanism": octets(sasl["mechanism"])}
            if present(sasl, "credentials"):
                out["sasl"]["credentials"] = octets(sasl["credentials"])
        else:
            out["authentication"] = authentication.getName()
    elif kind == "bindResponse":
        result_fields(value, out)
        if present(value, "serverSaslCreds"):
            out["serverSaslCreds"] = octets(value["serverSaslCreds"])
    elif kind == "searchRequest":
        out["baseObject"] = octets(value["baseObject"])
        out["scope"] = int(value["scope"])
        out["derefAliases"] = int(value["derefAliases"])
        out["sizeLimit"] = int(value["sizeLimit"])
        out["timeLimit"] = int(value["timeLimit"])
        out["typesOnly"] = bool(value["typesOnly"])
        out["filter"] = filter_tree(value["filter"])
        out["attributes"] = [octets(selector) for selector in value["attributes"]]
    elif kind == "searchResEntry":
        out["objectName"] = octets(value["object"])
        out["attributes"] = attributes(value["attributes"])
    elif kind == "searchResRef":
        out["uris"] = [octets(uri) for uri in value]
    elif kind in RESULT_OPS:
        result_fields(value, out)
    elif kind == "modifyRequest":
        out["object"] = octets(value["object"])
        out["changes"] = [[int(change["operation"]), octets(change["modification"]["type"]),
                           [octets(v) for v in change["modification"]["vals"]]] for change in value["changes"]]
    elif kind == "addRequest":
        out["entry"] = octets(value["entry"])
        out["attributes"] = attributes(value["attributes"])
    elif kind == "delRequest":
        out["dn"] = octets(value)
    elif kind == "modDNRequest":
        out["entry"] = octets(value["entry"])
        out["newRDN"] = octets(value["newrdn"])
        out["deleteOldRDN"] = bool(value["deleteoldrdn"])
        if present(value, "newSuperior"):
            out["newSuperior"] = octets(value["newSuperior"])
    elif kind == "compareRequest":
        out["entry"] = octets(value["entry"])
        out["attribute"] = octets(value["ava"]["attributeDesc"])
        out["value"] = octets(value["ava"]["assertionValue"])
    elif kind == "abandonRequest":
        out["id"] = int(value)
    elif kind == "extendedReq":
        out["name"] = octets(value["requestName"])
        if present(value, "requestValue"):
            out["value"] = raw(value["requestValue"])
    elif kind == "extendedResp":
        result_fields(value, out)
        if present(value, "responseName"):
            out["name"] = octets(value["responseName"])
        if present(value, "responseValue"):
            out["value"] = raw(value["responseValue"])
    elif kind == "intermediateResponse":
        if present(value, "responseName"):
            out["name"] = octets(value["responseName"])
        if present(value, "responseValue"):
            out["value"] = raw(value["responseValue"])
    if present(message, "controls"):
        controls = []
        for control in message["controls"]:
            entry = {"oid": octets(control["controlType"]), "critical": bool(control["criticality"])}
            if present(control, "controlValue"):
                entry["value"] = raw(control["controlValue"])
            controls.append(entry)
        out["controls"] = controls
    return out


def decode(data):
    message, rest = decoder.decode(data, asn1Spec=LDAPMessage())
    if rest:
        raise ValueError("%d bytes left over after the LDAPMessage: %s" % (len(rest), bytes(rest[:16]).hex()))
    return summary(message)


def main():
    source = open(sys.argv[1], encoding="ascii") if len(sys.argv) > 1 else sys.stdin
    failures = 0
    index = 0
    for line in source:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            data = bytes.fromhex(line)
            out = {"index": index}
            out.update(decode(data))
        except (PyAsn1Error, ValueError, KeyError, TypeError) as error:
            failures += 1
            out = {"index": index, "error": "%s: %s" % (type(error).__name__, error)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
        index += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
