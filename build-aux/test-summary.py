#!/usr/bin/python3
"""Prints one closing line for a meson test run: 'Tests: N passed, N failed, N skipped'.

Counts the TAP cases inside each test program, so the line says how many
checks ran, not only how many programs.
"""
import json
import re
import sys

passed = failed = skipped = todo = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        result = json.loads(line)
        cases = re.findall(r"^(?:ok|not ok)\b[^\n]*", result.get("stdout") or "", re.M)
        if result["result"] == "SKIP":
            skipped += 1
        elif cases:
            for case in cases:
                if re.search(r"#\s*todo", case, re.I):
                    todo += 1  # a known gap, by TAP's rules not a failure
                elif case.startswith("not ok"):
                    failed += 1
                elif re.search(r"#\s*skip", case, re.I):
                    skipped += 1
                else:
                    passed += 1
            if result["result"] not in ("OK", "EXPECTEDFAIL") and not any(
                    c.startswith("not ok") and not re.search(r"#\s*todo", c, re.I) for c in cases):
                failed += 1  # crashed or timed out after its last case
        elif result["result"] in ("OK", "EXPECTEDFAIL"):
            passed += 1
        else:
            failed += 1

if todo:
    print(f"({todo} known gap(s) marked TODO in the log)")
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
