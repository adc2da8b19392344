#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-call-loss.sh: a hail-cli call through 5 % packet loss each way and,
# where the kernel has sch_netem, 30 ms jitter (netns.sh): Kamailio and
# the callee in one namespace, the caller in the other, so RTP crosses the
# lossy link. Each side plays a tone (440 Hz one way, 1000 Hz the other);
# both recordings must still peak at the right frequency (FFT). Skips (77)
# without root or without any way to drop packets. Without netem the loss
# still applies (iptables statistic) but there is no jitter; it says so.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_require kamailio ip
[ "$(id -u)" = 0 ] || e2e_skip "needs root for network namespaces"
[ -x "${HAIL_CLI:-}" ] || e2e_skip "hail-cli not found (set HAIL_CLI)"
"$E2E_PY" -c 'import numpy' 2>/dev/null || e2e_skip "python3-numpy is not installed"

name=callloss-p$$
e2e_netns_up "$name" 5
jitter=none
if [ "$LOSS_METHOD" = netem ]; then
  for ns in "$NS_A" "$NS_B"; do
    dev=$(ip netns exec "$ns" ip -o link show type veth | awk -F': ' '{print $2}' | cut -d@ -f1)
    ip netns exec "$ns" tc qdisc change dev "$dev" root netem loss 5% delay 30ms 30ms \
      || e2e_fail "netem jitter on $ns"
  done
  jitter="30 ms (netem)"
fi
e2e_note "namespaces $NS_A ($IP_A) and $NS_B ($IP_B): $LOSS % loss by $LOSS_METHOD," \
  "jitter: $jitter"

E2E_KAM_NETNS=$NS_A
e2e_kam_start -i "$IP_A"

e2e_subdir media
media=$E2E_SUBDIR
"$E2E_PY" - "$media" <<'PY'
import math, struct, sys, wave
for f in (440, 1000):
    w = wave.open("%s/tone%d.wav" % (sys.argv[1], f), "wb")
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * f * i / 16000)))
                           for i in range(16000 * 4)))
    w.close()
PY
mkdir -p "$media/rec"
echo bob-secret >"$media/bob.pw"
echo alice-secret >"$media/alice.pw"

e2e_spawn bob bash -c 'exec ip netns exec "$1" "$2" --json --account sip:bob@example.test \
  --proxy "sip:$3;transport=udp" --listen "$4:0" --password-stdin listen --auto-answer \
  --play "$5/tone1000.wav" --record-dir "$5/rec" --codecs PCMU --for 40 <"$5/bob.pw"' \
  bob "$NS_A" "$HAIL_CLI" "$IP_A:$KAM_PORT" "$IP_A" "$media"
bob_pid=$E2E_PID
bob_log=$E2E_LOG
e2e_wait_for 15 "bob to register" grep -q '"event":"registered"' "$bob_log"

e2e_subdir alice
d=$E2E_SUBDIR
timeout -k 5 60 ip netns exec "$NS_B" "$HAIL_CLI" --json --account sip:alice@example.test \
  --proxy "sip:$IP_A:$KAM_PORT;transport=udp" --listen "$IP_B:0" --password-stdin \
  call sip:bob@example.test --duration 4 --codecs PCMU --play "$media/tone440.wav" \
  --record "$d/alice.wav" <"$media/alice.pw" >"$d/stdout" 2>"$d/stderr"
rc=$?
[ $rc = 0 ] || { cat "$d/stdout" "$d/stderr" >&2; e2e_fail "call through loss: exit $rc"; }
grep '"event":"call-media"' "$d/stdout" | tail -n1 | sed 's/^/# /'
kill -TERM "$bob_pid"
e2e_wait_pid "$bob_pid" 15 || true

check_peak() {
  "$E2E_PY" - "$1" "$2" <<'PY'
import sys, wave, numpy as np
w = wave.open(sys.argv[1]); sr, ch = w.getframerate(), w.getnchannels()
a = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float).reshape(-1, ch)[int(0.2 * sr):, 0]
f = np.fft.rfftfreq(len(a), 1 / sr)[np.argmax(np.abs(np.fft.rfft(a * np.hanning(len(a)))))]
print("# %s: peak %.1f Hz" % (sys.argv[1].rsplit("/", 1)[-1], f))
sys.exit(1 if len(a) < sr or abs(f / float(sys.argv[2]) - 1) > 0.02 else 0)
PY
}
rec=$(ls "$media"/rec/*.wav 2>/dev/null | head -n1)
[ -n "$rec" ] || e2e_fail "bob recorded nothing"
check_peak "$rec" 440 || e2e_fail "bob's recording is not 440 Hz through loss"
check_peak "$d/alice.wav" 1000 || e2e_fail "alice's recording is not 1000 Hz through loss"
e2e_pass
