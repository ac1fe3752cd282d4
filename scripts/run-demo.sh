#!/usr/bin/env bash
# `make run`: serve the embedded default configuration (config/annuaire.conf) with the demo directory.
# First start: generates a few hundred demo people into ./data (annuaire demo-data + annuaire import) and a
# random password for the directory manager; the server then makes its self-signed TLS pair in data/tls/.
# Prints the commands that work right away, then runs the server in the foreground (Ctrl-C stops it cleanly).
set -euo pipefail

ANNUAIRE=${ANNUAIRE:-.build/release/annuaire}
CONFIG=config/annuaire.conf
DATA=./data
PEOPLE=${DEMO_PEOPLE:-300}
SUFFIX=dc=dgfip,dc=finances,dc=gouv,dc=fr
ROOT_DN=cn=admin,$SUFFIX

mkdir -p "$DATA"
chmod 700 "$DATA"
if [ ! -s "$DATA/root-password" ]; then
  umask 077
  head -c 15 /dev/urandom | base64 | tr -d '/+=\n' > "$DATA/root-password"
fi
if [ ! -f "$DATA/annuaire.mdb" ]; then
  echo "First start: generating $PEOPLE demo people into $DATA ..."
  "$ANNUAIRE" demo-data --people "$PEOPLE" --seed 1 --credentials "$DATA/demo-credentials.tsv" "$DATA/demo.ldif"
  "$ANNUAIRE" import --config "$CONFIG" --quiet "$DATA/demo.ldif"
fi

# One demo account of each kind, from the credentials file (identifier TAB dn TAB password TAB role).
pick() { awk -F'\t' -v role="$1" '$4 == role { print; exit }' "$DATA/demo-credentials.tsv"; }
person=$(pick person)
person_uid=$(cut -f1 <<<"$person"); person_dn=$(cut -f2 <<<"$person"); person_pw=$(cut -f3 <<<"$person")
portal=$(pick portal)
portal_dn=$(cut -f2 <<<"$portal"); portal_pw=$(cut -f3 <<<"$portal")

cat <<TEXT

Annuaire serves the demo directory: ldap://127.0.0.1:1389 (StartTLS) and ldaps://127.0.0.1:1636.
Its self-signed certificate is $DATA/tls/annuaire.crt (made on first start); demo accounts are in
$DATA/demo-credentials.tsv (identifier, DN, password, role). Try, in another terminal:

  # the root DSE: naming context, controls, extensions
  ldapsearch -x -H ldap://127.0.0.1:1389 -s base -b "" +

  # a person signs in with their identifier (over StartTLS) and asks who they are
  LDAPTLS_CACERT=$DATA/tls/annuaire.crt ldapwhoami -x -ZZ -H ldap://127.0.0.1:1389 \\
    -D "$person_uid" -w '$person_pw'

  # the portal account looks the person up by identifier (LDAPS)
  LDAPTLS_CACERT=$DATA/tls/annuaire.crt ldapsearch -x -H ldaps://127.0.0.1:1636 \\
    -D "$portal_dn" -w '$portal_pw' -b "$SUFFIX" "(uid=$person_uid)"

  # the directory manager (password in $DATA/root-password): count the people
  LDAPTLS_CACERT=$DATA/tls/annuaire.crt ldapsearch -x -ZZ -H ldap://127.0.0.1:1389 -D "$ROOT_DN" \\
    -y $DATA/root-password -b "ou=people,$SUFFIX" -s one "(objectClass=inetOrgPerson)" 1.1 | grep -c '^dn:'

TEXT
exec "$ANNUAIRE" serve --config "$CONFIG" --root-password-file "$DATA/root-password"
