#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# gen-certs.sh OUTDIR [NAME]
# Make a throw-away test CA and a server certificate it signs, for
# IP:127.0.0.1, DNS:localhost and any extra SAN in $HAIL_CERT_SANS (for
# example "IP:10.200.1.1"). Writes OUTDIR/ca.crt, ca.key, server.crt and
# server.key. Keys are made at test time and never committed. NAME goes into
# the CA's subject, so that two CAs made for a "wrong CA" test differ visibly.
# Does nothing when OUTDIR already holds a CA and a server certificate.
set -eu
out=${1:?usage: gen-certs.sh OUTDIR [NAME]}
name=${2:-Hail Test CA}
mkdir -p "$out"
cd "$out"
[ -s ca.crt ] && [ -s server.crt ] && [ -s server.key ] && exit 0
umask 077
# P-256 keys: generated in milliseconds, unlike RSA, and every TLS stack the
# tests use accepts them.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/O=Hail tests/CN=$name" -keyout ca.key -out ca.crt \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/O=Hail tests/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
sans="IP:127.0.0.1,DNS:localhost${HAIL_CERT_SANS:+,$HAIL_CERT_SANS}"
cat > server.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$sans
EXT
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
  -days 30 -sha256 -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext
chmod 644 ca.crt server.crt
