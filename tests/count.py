#!/usr/bin/python3
# count.py TESTLOG.json...: print "N passed, N failed, N skipped" over meson's
# test logs; exit 1 when anything failed or nothing passed.
import collections
import json
import sys

c = collections.Counter()
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            if line.strip():
                c[json.loads(line)["result"]] += 1
passed = c["OK"] + c["EXPECTEDFAIL"]
failed = c["FAIL"] + c["TIMEOUT"] + c["ERROR"] + c["UNEXPECTEDPASS"]
print(f"{passed} passed, {failed} failed, {c['SKIP']} skipped")
sys.exit(1 if failed or not passed else 0)
