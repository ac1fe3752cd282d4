#!/usr/bin/env bash
# Integration tests with real clients: OpenLDAP's ldap-utils, python ldap3, and the differential test
# against a private OpenLDAP 2.5 slapd. Run after the Swift build (`make test` calls this).
#
#   Tests/Integration/run.sh [pytest arguments...]
#
# Environment: ANNUAIRE_BIN (default .build/debug/annuaire), PYTHON (default python3),
# INTEGRATION_KEEP=1 to keep the temporary directories. `--target slapd` runs the ldap-utils and
# ldap3 suites against slapd instead (a check of the tests themselves).
# Needs: apt ldap-utils slapd openssl faketime (libldap2-dev libsasl2-dev to build python-ldap); pip pytest ldap3
# pyasn1 python-ldap.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-python3}
cd "$ROOT"
missing=""
for tool in ldapsearch ldapmodify ldapadd ldapdelete ldapmodrdn ldapcompare ldapwhoami ldappasswd ldapexop openssl /usr/sbin/slapd /usr/sbin/slapadd /usr/sbin/slaptest; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
"$PYTHON" -c 'import pytest, ldap3, pyasn1, aiosmtpd' 2>/dev/null || missing="$missing python:pytest/ldap3/pyasn1/aiosmtpd"
"$PYTHON" -c 'import ldap.controls.ppolicy' 2>/dev/null || missing="$missing python:python-ldap"
ls ${FAKETIME_LIBRARY:-/usr/lib/*/faketime/libfaketimeMT.so.1} >/dev/null 2>&1 || missing="$missing faketime"
if [ -n "$missing" ]; then
    echo "integration tests: missing$missing (make test installs: apt ldap-utils slapd faketime libldap2-dev libsasl2-dev tzdata; pip pytest ldap3 pyasn1 python-ldap aiosmtpd)" >&2
    exit 3
fi
exec "$PYTHON" -m pytest Tests/Integration -q -p no:cacheprovider -W ignore::DeprecationWarning "$@"
