#!/usr/bin/python3
"""Every screenshot the metainfo names is in data/screenshots/, as a real
PNG of a size GNOME Software shows well. TAP.

    check-screenshots.py SOURCE_DIR METAINFO
"""
import os
import re
import struct
import sys

source, metainfo = sys.argv[1], sys.argv[2]
images = re.findall(r"<image>([^<]+)</image>", open(metainfo, encoding="utf-8").read())
print(f"1..{len(images) + 1}")
print(f"{'ok' if len(images) >= 3 else 'not ok'} 1 - the metainfo names {len(images)} screenshots")
status = 0 if len(images) >= 3 else 1
for n, url in enumerate(images, start=2):
    path = os.path.join(source, "data", "screenshots", url.rsplit("/", 1)[-1])
    problem = None
    if not os.path.exists(path):
        problem = "missing (run build-aux/make-screenshots.sh)"
    else:
        with open(path, "rb") as f:
            head = f.read(24)
        if head[:8] != b"\x89PNG\r\n\x1a\n":
            problem = "not a PNG"
        else:
            width, height = struct.unpack(">II", head[16:24])
            if width < 620 or height < 350:
                problem = f"{width}x{height} is too small"
    print(f"{'not ok' if problem else 'ok'} {n} - {os.path.relpath(path, source)}" + (f": {problem}" if problem else ""))
    status |= bool(problem)
sys.exit(status)
