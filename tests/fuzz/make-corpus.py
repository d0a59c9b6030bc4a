#!/usr/bin/python3
"""Writes the fuzzers' seed corpus from the fake Oneflow server's real responses.

    tests/fuzz/make-corpus.py BUILD_DIR

Starts BUILD_DIR/tests/fake/oneflow-fake-server, fetches every endpoint
(and error bodies: 401, 403, 429), and writes each body into
tests/fuzz/corpus/parsers/ prefixed with the byte that selects its parser
in fuzz-parsers.c. Token, email and Retry-After seeds are written too.
"""
import os
import subprocess
import sys
import urllib.error
import urllib.request

TOKEN = "acme5b1c2d3e4f5061728394a5b6c7d8e9f0a1b2"
here = os.path.dirname(os.path.abspath(__file__))
build = sys.argv[1]

server = subprocess.Popen([os.path.join(build, "tests/fake/oneflow-fake-server"), "--users", "120"],
                          stdout=subprocess.PIPE, text=True)
try:
    base = server.stdout.readline().strip()
    control = base.rsplit("/v1", 1)[0] + "/_fake"

    def get(path, token=TOKEN, email=None):
        request = urllib.request.Request(base + path)
        if token:
            request.add_header("x-oneflow-api-token", token)
        if email:
            request.add_header("x-oneflow-user-email", email)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            return error.read()

    def post(path):
        urllib.request.urlopen(urllib.request.Request(control + path, method="POST"), timeout=10).read()

    seeds = {
        "account": (0, get("/accounts/me")),
        "users-page1": (1, get("/users?limit=100&offset=0")),
        "users-page2": (1, get("/users?limit=100&offset=100")),
        "workspaces": (2, get("/workspaces?limit=100&offset=0", email="anna@example.com")),
        "workspaces-carl": (2, get("/workspaces?limit=100&offset=0", email="carl@example.com")),
        "problem-401": (3, get("/ping", token="0" * 40)),
        "problem-403": (3, get("/workspaces", email="nobody@example.com")),
        "problem-400": (3, get("/users?offset=99999")),
    }
    post("/fault?endpoint=users&fault=429")
    seeds["problem-429"] = (3, get("/users"))
    post("/reset")
    for fault in ("array", "wrong-types", "truncated-json"):
        post(f"/fault?endpoint=account&fault={fault}")
        seeds["account-" + fault] = (0, get("/accounts/me"))
        post("/reset")

    out = os.path.join(here, "corpus", "parsers")
    os.makedirs(out, exist_ok=True)
    for name, (selector, body) in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([selector]) + body)
finally:
    server.terminate()
    server.wait()

texts = {
    "credentials": {
        "token": TOKEN, "token-newline": TOKEN + "\n", "token-short": TOKEN[:39],
        "token-space": TOKEN[:10] + " " + TOKEN[11:], "email": "Anna@Example.com",
        "email-no-domain": "anna@", "nbsp": "\u00a0" + TOKEN + "\u200b",
    },
    "retry-after": {
        "seconds": "120", "date": "Sat, 28 Nov 2026 12:00:30 GMT", "past": "Sun, 06 Nov 1994 08:49:37 GMT",
        "huge": "99999999999999999999", "junk": "soon",
    },
}
for folder, items in texts.items():
    out = os.path.join(here, "corpus", folder)
    os.makedirs(out, exist_ok=True)
    for name, text in items.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(text.encode())

# Issue 18, item 1: shapes that crashed json-glib, kept small: the first
# byte's high bits ask fuzz-parsers.c to wrap the rest in deep nesting
# (0x80; the second byte times 1,200 levels), of objects (0x20), behind a
# comment of closing brackets (0x40). Comments and integers beyond int64
# as they come.
hostile = {
    "users-deep-disguised": bytes([0x80 | 0x40 | 1, 250]) + b'[]',
    "users-deep-objects": bytes([0x80 | 0x20 | 1, 167]) + b'1',
    "account-nested-shallow": bytes([0x80 | 0, 0]) + b'{"id": 1, "name": "x"}',
    "problem-deep-disguised": bytes([0x80 | 0x40 | 3, 100]) + b'"x"',
    "account-comment": bytes([0]) + b'{"id": 1001, /* ]]]] */ "name": "Acme AB"}',
    "account-line-comment": bytes([0]) + b'{"id": 1001, // ]]]]\n "name": "Acme AB"}',
    "users-comment-in-string": bytes([1]) + b'{"count": 1, "data": [{"id": 1, "email": "/* a@b.c */", "active": true}]}',
    "account-huge-id": bytes([0]) + b'{"id": 18446744073709551615, "name": "Acme AB"}',
    "account-int64-max": bytes([0]) + b'{"id": 9223372036854775807, "name": "Acme AB"}',
    "users-huge-count": bytes([1]) + b'{"count": 9223372036854775808, "data": []}',
}
for name, data in hostile.items():
    with open(os.path.join(here, "corpus", "parsers", name), "wb") as f:
        f.write(data)
