#!/bin/sh
# make-certificates.sh: how the checked-in test certificates were made.
# GLib cannot make certificates, so they live in the tree as PEM files:
#   fake-server-key.pem           RSA 2048 key, for both certificates
#   fake-server-cert.pem          self-signed, 2020-01-01 .. 2120-01-01
#   fake-server-expired-cert.pem  self-signed, 2020-01-01 .. 2021-01-01
# Both say CN=localhost with subjectAltName IP:127.0.0.1 and DNS:localhost,
# so expiry is the only fault of the second one. Run this only to replace
# them; tests read them from the source directory.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# openssl 3.0's "req -x509" cannot backdate, so "ca -selfsign" signs with
# explicit dates.
cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca = fake
[fake]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
organizationName = optional
[ext]
subjectAltName = IP:127.0.0.1,DNS:localhost
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
CNF
touch "$tmp/index.txt"
echo 01 > "$tmp/serial"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out fake-server-key.pem

make_cert() { # OUT ORGANIZATION START END
  openssl req -new -key fake-server-key.pem -subj "/CN=localhost/O=$2" -out "$tmp/req.csr"
  openssl ca -batch -config "$tmp/ca.cnf" -selfsign -keyfile fake-server-key.pem \
    -in "$tmp/req.csr" -startdate "$3" -enddate "$4" -extensions ext -notext -out "$1"
}
make_cert fake-server-expired-cert.pem "Oneflow Link fake server (expired)" 20200101000000Z 20210101000000Z
make_cert fake-server-cert.pem "Oneflow Link fake server" 20200101000000Z 21200101000000Z
