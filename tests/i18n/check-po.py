#!/usr/bin/python3
# check-po.py: the translations against the sources as they are now.
#
#   check-po.py SOURCE_DIR WORK_DIR
#
# 1. msgfmt --check on every po/*.po (formats, plural forms, header);
# 2. a POT made now from po/POTFILES.in with xgettext and GLib's keywords
#    (what `meson compile oneflow-link-pot` runs), so the test sees today's
#    strings, not a checked-in POT;
# 3. every language in po/LINGUAS is complete against that POT: no string
#    missing, untranslated or fuzzy;
# 4. a mnemonic in the English string has one in the translation, and a
#    plural has all its forms.
# TAP on stdout.

import os
import re
import subprocess
import sys
import tempfile

SOURCE_DIR, WORK_DIR = sys.argv[1:3]
PO_DIR = os.path.join(SOURCE_DIR, "po")
DOMAIN = "oneflow-link"

# i18n.gettext(preset: 'glib') in meson
GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]

n = 0
failed = False


def tap(ok, name, detail=""):
    global n, failed
    n += 1
    failed |= not ok
    print(f"{'ok' if ok else 'not ok'} {n} - {name}", flush=True)
    for line in detail.splitlines():
        print(f"# {line}", flush=True)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def parse(path):
    """The entries of a .po or .pot: (context, msgid) -> (plural, msgstrs, fuzzy)."""
    entries = {}
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    for block in blocks:
        lines = [l for l in block.splitlines() if not l.startswith("#~")]
        if not lines:
            continue
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        fields = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if m:
                key = m.group(1)
                fields[key] = eval(m.group(2))
            elif line.startswith('"') and key:
                fields[key] += eval(line)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        entries[(fields.get("msgctxt"), fields["msgid"])] = (fields.get("msgid_plural"), strs, fuzzy)
    return entries


def main():
    with open(os.path.join(PO_DIR, "LINGUAS")) as f:
        languages = [w for line in f for w in line.split("#")[0].split()]
    po_files = sorted(p for p in os.listdir(PO_DIR) if p.endswith(".po"))

    print(f"1..{len(po_files) + 1 + 2 * len(languages)}", flush=True)

    for po in po_files:
        result = run("msgfmt", "--check", "--statistics", "-o", os.devnull, os.path.join(PO_DIR, po))
        tap(result.returncode == 0, f"msgfmt --check {po}", result.stderr)

    os.makedirs(WORK_DIR, exist_ok=True)
    pot = os.path.join(WORK_DIR, DOMAIN + ".pot")
    result = run("xgettext", "--package-name=" + DOMAIN, "-p", WORK_DIR, "-o", DOMAIN + ".pot",
                 "-D", SOURCE_DIR, "-f", os.path.join(PO_DIR, "POTFILES.in"), *GLIB_PRESET)
    template = parse(pot) if result.returncode == 0 and os.path.exists(pot) else {}
    tap(result.returncode == 0 and len(template) > 100,
        f"the POT made now from POTFILES.in has {len(template)} strings", result.stderr)

    for language in languages:
        path = os.path.join(PO_DIR, language + ".po")
        translated = parse(path) if os.path.exists(path) else {}
        missing = []
        for key, (plural, _, _) in template.items():
            entry = translated.get(key)
            what = ("" if key[0] is None else f"[{key[0]}] ") + repr(key[1])
            if entry is None:
                missing.append(f"missing: {what}")
            elif entry[2]:
                missing.append(f"fuzzy: {what}")
            elif not all(entry[1]) or (plural and len(entry[1]) < 2):
                missing.append(f"untranslated: {what}")
        tap(not missing, f"{language}.po translates every string of the sources ({len(template)})",
            "\n".join(missing))

        problems = []
        mnemonic = re.compile(r"(?:^|[^A-Za-z0-9_])_[^\W_]|[a-z]_[a-z]")
        for (context, msgid), (plural, strs, fuzzy) in translated.items():
            if (context, msgid) not in template or not all(strs):
                continue
            # "_Next", "Co_nnect"; not ONEFLOW_LINK_API_URL or "a_b" identifiers.
            if re.search(r"[A-Z]{2,}_[A-Z]", msgid) or "--" in msgid:
                continue
            if mnemonic.search(msgid) and msgid.count("_") == 1:
                for s in strs:
                    if s.count("_") != 1:
                        problems.append(f"mnemonic lost or doubled: {msgid!r} -> {s!r}")
        tap(not problems, f"{language}.po keeps every mnemonic", "\n".join(problems))

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
