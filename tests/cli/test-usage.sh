#!/bin/bash
# test-usage.sh HAIL_CLI: --help lists every command of the contract, bad
# usage exits 2 with a message on standard error.
set -u
cli=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "not ok: $*"; exit 1; }

out=$("$cli" --help) || fail "--help exited $?"
for c in register message call listen options; do
  grep -q "^  $c" <<<"$out" || fail "--help does not list $c"
done
for o in --account --auth-user --password-stdin --proxy --transport --listen --ca-file \
         --expires --no-register --json --trace; do
  grep -q -- "$o" <<<"$out" || fail "--help does not list $o"
done

"$cli" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "no command: exit $rc, want 2"
grep -q "command is required" "$tmp/err" || fail "no command: no message"

"$cli" frobnicate >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown command: exit $rc, want 2"
grep -q "unknown command" "$tmp/err" || fail "unknown command: no message"

"$cli" --no-such-option register >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown option: exit $rc, want 2"
echo "ok"
