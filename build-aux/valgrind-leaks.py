#!/usr/bin/python3
"""Reads memcheck logs and reports the definite leaks our code made.

    build-aux/valgrind-leaks.py LOG...

A leak is ours when a frame of our code (a file ofl-*.c, test-*.c, fuzz-*.c,
bench-*.c or main.c) stands on the allocation stack before the main loop
dispatched the callback that allocated: a library leaking inside a callback
that our code merely runs the loop for is the library's. Prints each of our
leaks and one summary line per log; exits 1 on any of ours or any error.
"""
import re
import sys

OURS = re.compile(r"\((?:ofl-|test-|fuzz-|bench-|main\.c)[^)]*:\d+\)")
LOOP = re.compile(r"g_main_context_dispatch|g_main_context_iteration|g_main_loop_run")

status = 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", errors="replace").read()
    errors = re.findall(r"ERROR SUMMARY: (\d+)", text)
    ours = []
    for block in re.split(r"\n==\d+== \n", text):
        if "definitely lost in loss record" not in block:
            continue
        for frame in block.splitlines()[1:]:
            if LOOP.search(frame):
                break
            if OURS.search(frame):
                ours.append(block)
                break
    error_count = int(errors[-1]) if errors else -1
    print(f"{path.rsplit('/', 1)[-1]:28} memory errors: {error_count}   definite leaks from our code: {len(ours)}")
    for block in ours:
        print(block)
    if ours or error_count != 0:
        status = 1
sys.exit(status)
