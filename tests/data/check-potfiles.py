#!/usr/bin/python3
"""check-potfiles.py SOURCE_ROOT [XGETTEXT]

TAP test: po/POTFILES.in lists every file under src/ and data/ that has
translatable strings, and nothing that does not exist. With XGETTEXT, it also
extracts the strings of every listed file into a scratch .pot, the way
`meson compile oneflow-link-pot` does, and checks that each data file (desktop,
metainfo, schema) really contributes strings: a file listed but not parsed
(say, a missing ITS rule) would silently drop out of every translation.
"""
import os
import re
import subprocess
import sys
import tempfile

MARKERS = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_)\s*\('
    r'|\bg_dn?gettext\s*\(|\bg_dpgettext2?\s*\(|\bn?gettext\s*\('
    r'|translatable\s*=\s*"yes"')
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in',
                 '.gschema.xml')
SOURCE_SUFFIXES = ('.c', '.h', '.ui', '.blp', '.xml', '.in', '.py', '.js')

results = []


def ok(cond, name, diag=()):
    results.append((bool(cond), name, list(diag)))


def needs_translation(root, rel):
    if rel.startswith('data/') and rel.endswith(DATA_SUFFIXES):
        return True
    if not rel.endswith(SOURCE_SUFFIXES):
        return False
    try:
        with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        return False
    if rel.endswith('.c') or rel.endswith('.h'):
        # Comments and the gettext macros' own definitions are not strings.
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'//[^\n]*', '', text)
        text = re.sub(r'#\s*define[^\n]*', '', text)
    return MARKERS.search(text) is not None


def main():
    root = os.path.abspath(sys.argv[1])
    xgettext = sys.argv[2] if len(sys.argv) > 2 else None

    listed = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    skipped = set()
    skip_path = os.path.join(root, 'po', 'POTFILES.skip')
    if os.path.exists(skip_path):
        with open(skip_path, encoding='utf-8') as f:
            skipped = {l.strip() for l in f if l.strip() and not l.startswith('#')}

    missing_files = [p for p in listed if not os.path.isfile(os.path.join(root, p))]
    ok(not missing_files, 'every file in POTFILES.in exists',
       ['listed but not found: ' + p for p in missing_files])

    dups = sorted({p for p in listed if listed.count(p) > 1})
    ok(not dups, 'no file is listed twice', ['listed twice: ' + p for p in dups])

    wanted = []
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in sorted(filenames):
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                if needs_translation(root, rel):
                    wanted.append(rel)
    ok(wanted, 'found files with translatable strings under src/ and data/')
    unlisted = [p for p in wanted if p not in listed and p not in skipped]
    ok(not unlisted, 'every file with translatable strings is in POTFILES.in',
       ['missing from po/POTFILES.in: ' + p for p in unlisted])

    data_files = [p for p in listed if p.startswith('data/')]
    for suffix in ('.desktop.in', '.metainfo.xml.in', '.gschema.xml'):
        ok(any(p.endswith(suffix) for p in data_files),
           'POTFILES.in lists the %s file' % suffix)

    if xgettext:
        existing = [p for p in listed if p not in missing_files]
        with tempfile.TemporaryDirectory() as tmp:
            files = os.path.join(tmp, 'files')
            pot = os.path.join(tmp, 'out.pot')
            with open(files, 'w', encoding='utf-8') as f:
                f.write('\n'.join(existing) + '\n')
            # The keywords of i18n.gettext(preset: 'glib').
            cmd = [xgettext, '--files-from=' + files, '--directory=' + root,
                   '--output=' + pot, '--from-code=UTF-8', '--add-comments',
                   '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
                   '--keyword=NC_:1c,2', '--keyword=g_dcgettext:2',
                   '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
                   '--package-name=oneflow-link']
            proc = subprocess.run(cmd, capture_output=True, text=True)
            ok(proc.returncode == 0, 'xgettext extracts every listed file',
               (proc.stderr or '').splitlines())
            text = ''
            if os.path.exists(pot):
                with open(pot, encoding='utf-8') as f:
                    text = f.read()
            for p in data_files:
                if p not in existing:
                    continue
                ok(re.search(r'^#:.*\b' + re.escape(p) + r':', text, re.M),
                   'strings are extracted from ' + p,
                   ['no msgid in the .pot comes from ' + p])
            ok('msgid "Check Links"' in text,
               'the desktop action name is translatable')

    print('1..%d' % len(results))
    for i, (passed, name, diag) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if passed else 'not ok', i, name))
        if not passed:
            for d in diag:
                print('# ' + d)
    return 0 if all(r[0] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main())
