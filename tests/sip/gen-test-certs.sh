#!/bin/sh
# gen-test-certs.sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes throw-away certificates for the TLS tests into OUTDIR, made fresh on
# every run so that none expires in the tree:
#   ca.crt            "Hail Test CA", the trusted root (tests pass it as extra CA)
#   server.crt/.key   signed by it, for IP:127.0.0.1, IP:::1 and DNS:localhost
#   other-ca.crt      "Hail Other CA", a root the tests never trust
#   untrusted.crt/.key  signed by the other CA, same names as server.crt
#   expired.crt/.key  signed by the trusted CA, valid 2020-01-01 to 2021-01-01
#   wrong.crt/.key    signed by the trusted CA, for DNS:other.test only
# Each .crt holds the leaf followed by its CA, as a server sends it.
# Usage: gen-test-certs.sh OUTDIR
set -eu
out=${1:?usage: gen-test-certs.sh OUTDIR}
mkdir -p "$out"
cd "$out"

key () {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

ca () {
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -days 3650 -subj "/CN=$2" -out "$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# leaf NAME CA SAN [START END]: openssl ca is the only 3.0 command that takes
# explicit validity dates, which the expired certificate needs.
leaf () {
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$1" -out "$1.csr" 2>/dev/null
  rm -rf db && mkdir db && : > db/index.txt && echo 01 > db/serial
  cat > ca.cnf <<CNF
[ ca ]
default_ca = hail
[ hail ]
dir = db
database = db/index.txt
serial = db/serial
new_certs_dir = db
certificate = $2.crt
private_key = $2.key
default_md = sha256
policy = anything
copy_extensions = none
x509_extensions = ext
[ anything ]
commonName = supplied
[ ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $3
CNF
  if [ $# -ge 5 ]; then
    dates="-startdate $4 -enddate $5"
  else
    dates="-days 3650"
  fi
  # shellcheck disable=SC2086
  openssl ca -batch -config ca.cnf -notext $dates -in "$1.csr" -out "$1.leaf" 2>/dev/null
  cat "$1.leaf" "$2.crt" > "$1.crt"
  rm -rf db ca.cnf "$1.csr" "$1.leaf"
}

ca ca "Hail Test CA"
ca other-ca "Hail Other CA"
leaf server ca "IP:127.0.0.1,IP:::1,DNS:localhost"
leaf untrusted other-ca "IP:127.0.0.1,IP:::1,DNS:localhost"
leaf expired ca "IP:127.0.0.1,IP:::1,DNS:localhost" 20200101000000Z 20210101000000Z
leaf wrong ca "DNS:other.test"
rm -f other-ca.key
