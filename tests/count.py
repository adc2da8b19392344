#!/usr/bin/python3
# count.py TESTLOG.json...: print "N passed, N failed, N skipped" over meson's
# test logs; exit 1 when anything failed or nothing passed. Before that line,
# the end of each failed test's output: CI shows only the end of what a run
# printed, and a failure is fixed from its own words, not from its name.
import collections
import json
import re
import sys

KEY_LINES = 12      # lines that say what failed, from both streams
TAIL_LINES = 10     # then the end of stdout, where a test reports
MAX_SHOWN = 4       # failed tests shown
LEAKS_SHOWN = 4     # LeakSanitizer reports shown per test, with their stacks
LEAK_FRAMES = 16    # frames shown of each, past the allocator's own
# What a failing test, sanitizer or interpreter says: GTest/TAP, atspi.report,
# GLib criticals, ASan/UBSan, Python.
KEY = re.compile(r"FAIL|^not ok|Bail out|ERROR|CRITICAL|Traceback|Error:|AddressSanitizer|"
                 r"LeakSanitizer|runtime error|assertion|Assertion|timed out")

LEAK = re.compile(r"^(Direct|Indirect) leak of ")
FRAME = re.compile(r"^\s*#\d+ ")
ALLOCATOR = re.compile(r"libasan|asan_|g_malloc|g_malloc0|g_realloc|g_slice_alloc|g_try_malloc")


def leak_stacks(lines):
    """The first LeakSanitizer reports with their stacks: a leak that shows
    only under CI's load is fixed, or suppressed, from where it was made."""
    shown = []
    n = 0
    i = 0
    while i < len(lines) and n < LEAKS_SHOWN:
        if not LEAK.search(lines[i].strip()):
            i += 1
            continue
        shown.append(lines[i].strip())
        n += 1
        i += 1
        frames = 0
        while i < len(lines) and FRAME.search(lines[i]):
            if frames < LEAK_FRAMES and not ALLOCATOR.search(lines[i]):
                shown.append("   " + lines[i].strip())
                frames += 1
            i += 1
    return shown


c = collections.Counter()
failed_tests = []
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            test = json.loads(line)
            c[test["result"]] += 1
            if test["result"] in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS"):
                failed_tests.append((path, test))
passed = c["OK"] + c["EXPECTEDFAIL"]
failed = c["FAIL"] + c["TIMEOUT"] + c["ERROR"] + c["UNEXPECTEDPASS"]
for path, test in failed_tests[:MAX_SHOWN]:
    out = [l for l in (test.get("stdout") or "").splitlines() if l.strip()]
    err = [l for l in (test.get("stderr") or "").splitlines() if l.strip()]
    key = [l for l in out + err if KEY.search(l)]
    print(f"==== {test['name']}: {test['result']} ({path}) ====", flush=True)
    for line in key[:KEY_LINES]:
        print("  ! " + line[:300])
    for line in leak_stacks(out + err):
        print("  L " + line[:300])
    for line in out[-TAIL_LINES:]:
        print("  " + line[:300])
if len(failed_tests) > MAX_SHOWN:
    print(f"==== and {len(failed_tests) - MAX_SHOWN} more failed tests ====")
print(f"{passed} passed, {failed} failed, {c['SKIP']} skipped")
sys.exit(1 if failed or not passed else 0)
