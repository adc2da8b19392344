#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# test-flatpak.py MANIFEST: the Flatpak manifest parses (flatpak-builder
# --show-manifest, when installed) and asks for no permission beyond the
# agreed list, each with a stated reason. Exit 0 ok, 1 bad, 77 skipped.
import json
import os
import shutil
import subprocess
import sys
import tempfile

ALLOWED = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--socket=pulseaudio",
    "--device=dri",
    "--talk-name=org.freedesktop.secrets",
}

path = os.path.abspath(sys.argv[1])
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

errors = []
if manifest.get("id") != "io.github.hailphone.Hail":
    errors.append("id is not io.github.hailphone.Hail")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    errors.append("runtime/sdk must be org.gnome.Platform/org.gnome.Sdk")
args = manifest.get("finish-args", [])
for a in args:
    if a not in ALLOWED:
        errors.append(f"finish-arg not allowed: {a}")
    if a not in manifest.get("x-finish-args-reasons", {}):
        errors.append(f"finish-arg without a reason in x-finish-args-reasons: {a}")
if len(set(args)) != len(args):
    errors.append("duplicate finish-args")
hail = [m for m in manifest.get("modules", []) if isinstance(m, dict) and m.get("name") == "hail"]
if not hail or hail[-1].get("buildsystem") != "meson" or \
        {"type": "dir", "path": ".."} not in hail[-1].get("sources", []):
    errors.append("the last module must build hail with meson from the source dir ('..')")

for e in errors:
    print("FAIL:", e)
if errors:
    sys.exit(1)

builder = shutil.which("flatpak-builder")
if builder is None:
    print("finish-args ok; SKIP: flatpak-builder is not installed, manifest not parsed")
    sys.exit(77)
# flatpak-builder itself warns about deprecated properties: not ours to fail on.
env = {k: v for k, v in os.environ.items() if k != "G_DEBUG"}
# --show-manifest creates .flatpak-builder in its working directory (and
# takes no --state-dir): run it in a throw-away one.
with tempfile.TemporaryDirectory(prefix="hail-flatpak-") as state:
    r = subprocess.run([builder, "--show-manifest", path],
                       capture_output=True, text=True, timeout=60, env=env, cwd=state)
if r.returncode != 0:
    print("FAIL: flatpak-builder --show-manifest:", r.stderr)
    sys.exit(1)
shown = json.loads(r.stdout)
if shown.get("id") != manifest["id"] or shown.get("finish-args") != args:
    print("FAIL: flatpak-builder read a different manifest")
    sys.exit(1)
print("ok: manifest parses and finish-args are", ", ".join(args))
