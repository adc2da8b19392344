#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# hail-cli without --password-stdin takes the password from the Secret
# Service (the real gnome-keyring that tests/run-all.sh starts on the session
# bus): stored under the app's schema it registers; with nothing stored it
# fails with a clear message and exit 1; the password is in no file under
# HOME. Skips (77) when no Secret Service owns the session bus name.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio secret-tool gdbus
[ -x "${HAIL_CLI:-}" ] || e2e_skip "hail-cli not found (set HAIL_CLI)"
gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true \
  || e2e_skip "no Secret Service on the session bus"

e2e_kam_start
aor=sip:carol@example.test
schema=io.github.hailphone.Hail.Account
e2e_on_exit "secret-tool clear xdg:schema $schema account $aor auth-user carol"

# Nothing stored: a clear error, exit 1, no hang.
secret-tool clear xdg:schema $schema account $aor auth-user carol 2>/dev/null
timeout -k 5 30 "$HAIL_CLI" --json --account $aor --proxy "sip:$KAM;transport=tcp" register \
  </dev/null >"$E2E_TMP/none.out" 2>&1
rc=$?
[ $rc = 1 ] || e2e_fail "no stored password: exit $rc, want 1 ($(cat "$E2E_TMP/none.out"))"
grep -q '"event":"error".*Secret Service' "$E2E_TMP/none.out" \
  || e2e_fail "no stored password: no clear error: $(cat "$E2E_TMP/none.out")"

# Stored under the app's schema: registers and unregisters.
printf %s carol-secret | secret-tool store --label="Hail test" xdg:schema $schema \
  account $aor auth-user carol || e2e_fail "secret-tool store failed"
timeout -k 5 30 "$HAIL_CLI" --json --account $aor --proxy "sip:$KAM;transport=tcp" register \
  </dev/null >"$E2E_TMP/stored.out" 2>&1
rc=$?
[ $rc = 0 ] || e2e_fail "stored password: exit $rc: $(cat "$E2E_TMP/stored.out")"
grep -q '"event":"registered"' "$E2E_TMP/stored.out" || e2e_fail "not registered"
grep -q '"event":"unregistered"' "$E2E_TMP/stored.out" || e2e_fail "not unregistered"

if grep -raF -l carol-secret "$HOME" "$E2E_TMP"; then
  e2e_fail "the password is in a file"
fi
e2e_pass
