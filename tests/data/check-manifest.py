#!/usr/bin/python3
"""check-manifest.py SOURCE_ROOT APP_ID BUILT_DESKTOP BUILT_METAINFO

TAP test of the Flatpak manifests, against the files the build installs.

Both manifests are checked: org.example.OneflowLink.json and
build-aux/org.example.OneflowLink.Devel.json. The one whose id is APP_ID (the
id this build was configured with) is compared with the built desktop file and
metainfo; the other one with the templates in data/, with its own id filled in.
"""
import configparser
import json
import os
import sys
import xml.etree.ElementTree as ET

BASE_ID = 'org.example.OneflowLink'
BINARY = 'oneflow-link'
MANIFESTS = {
    BASE_ID: 'org.example.OneflowLink.json',
    BASE_ID + '.Devel': 'build-aux/org.example.OneflowLink.Devel.json',
}
# The reviewed sandbox permissions. Changing this list needs a written
# reason in the README ("Deploying to staff machines").
FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]

results = []


def ok(cond, name, *diag):
    results.append((bool(cond), name, [str(d) for d in diag]))
    return bool(cond)


def read_desktop(text):
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read_string(text)
    return parser


def check_manifest(root, app_id, desktop_text, desktop_name, metainfo_text):
    rel = MANIFESTS[app_id]
    path = os.path.join(root, rel)
    tag = '%s: ' % rel
    try:
        with open(path, encoding='utf-8') as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        ok(False, tag + 'parses as JSON', e)
        return
    ok(True, tag + 'parses as JSON')

    mid = m.get('id', m.get('app-id'))
    ok(mid == app_id, tag + 'id is ' + app_id, 'id: %r' % mid)

    desktop = read_desktop(desktop_text)
    entry = desktop['Desktop Entry']
    ok(desktop_name == mid + '.desktop',
       tag + 'id equals the desktop file name', 'desktop file: ' + desktop_name)
    ok(entry.get('Icon') == mid, tag + 'id equals the desktop file Icon',
       'Icon=%s' % entry.get('Icon'))

    meta = ET.fromstring(metainfo_text)
    meta_id = (meta.findtext('id') or '').strip()
    ok(meta_id == mid, tag + 'id equals the metainfo id', 'metainfo id: %r' % meta_id)
    launchable = (meta.findtext("launchable[@type='desktop-id']") or '').strip()
    ok(launchable == desktop_name, tag + 'metainfo launchable is the desktop file',
       'launchable: %r' % launchable)

    command = m.get('command')
    ok(command == BINARY, tag + 'command is the installed binary ' + BINARY,
       'command: %r' % command)
    exec_words = entry.get('Exec', '').split()
    ok(exec_words[:1] == [command], tag + 'the desktop file runs the command',
       'Exec=%s' % entry.get('Exec'))
    binaries = [(b.text or '').strip() for b in meta.findall('provides/binary')]
    ok(command in binaries, tag + 'the metainfo provides the command',
       'provides: %r' % binaries)

    args = m.get('finish-args', [])
    ok(sorted(args) == sorted(FINISH_ARGS) and len(set(args)) == len(args),
       tag + 'finish-args is exactly the reviewed list',
       'extra: %r' % sorted(set(args) - set(FINISH_ARGS)),
       'missing: %r' % sorted(set(FINISH_ARGS) - set(args)))
    ok(not any(a.startswith('--talk-name=org.freedesktop.secrets') for a in args),
       tag + 'no --talk-name=org.freedesktop.secrets (the Secret portal is used)')

    ok(m.get('runtime') == 'org.gnome.Platform', tag + 'runtime is org.gnome.Platform',
       'runtime: %r' % m.get('runtime'))
    ok(m.get('sdk') == 'org.gnome.Sdk', tag + 'sdk is org.gnome.Sdk',
       'sdk: %r' % m.get('sdk'))
    version = str(m.get('runtime-version', ''))
    ok(version.isdigit(), tag + 'runtime-version is a stable GNOME branch',
       'runtime-version: %r' % version)

    modules = m.get('modules') or [{}]
    app = modules[-1] if isinstance(modules[-1], dict) else {}
    ok(app.get('name') == BINARY, tag + 'the last module is ' + BINARY,
       'name: %r' % app.get('name'))
    ok(app.get('buildsystem') == 'meson', tag + 'the app module builds with meson',
       'buildsystem: %r' % app.get('buildsystem'))
    ok(app.get('run-tests') is True, tag + 'the app module runs the tests',
       'run-tests: %r' % app.get('run-tests'))
    sources = app.get('sources', [])
    dirs = [s for s in sources if isinstance(s, dict) and s.get('type') == 'dir']
    ok(len(sources) == 1 and len(dirs) == 1,
       tag + 'the app module has one "dir" source', 'sources: %r' % sources)
    if dirs:
        src = os.path.normpath(os.path.join(os.path.dirname(path), dirs[0].get('path', '')))
        ok(os.path.samefile(src, root) if os.path.isdir(src) else False,
           tag + 'the dir source is this tree', 'resolves to ' + src)
    opts = app.get('config-opts', [])
    want_devel = app_id.endswith('.Devel')
    ok(('-Ddevel=true' in opts) == want_devel,
       tag + ('config-opts has -Ddevel=true' if want_devel
              else 'config-opts does not switch to the Devel id'),
       'config-opts: %r' % opts)


def main():
    root, app_id, built_desktop, built_metainfo = sys.argv[1:5]
    root = os.path.abspath(root)
    ok(app_id in MANIFESTS, 'the build is configured with a known app id', app_id)
    for mid in MANIFESTS:
        if mid == app_id:
            with open(built_desktop, encoding='utf-8') as f:
                desktop_text = f.read()
            with open(built_metainfo, encoding='utf-8') as f:
                metainfo_text = f.read()
            desktop_name = os.path.basename(built_desktop)
        else:
            # The other configuration: the templates with its id filled in,
            # as data/meson.build does.
            with open(os.path.join(root, 'data', BASE_ID + '.desktop.in'), encoding='utf-8') as f:
                desktop_text = f.read().replace('@APP_ID@', mid)
            with open(os.path.join(root, 'data', BASE_ID + '.metainfo.xml.in'), encoding='utf-8') as f:
                metainfo_text = f.read().replace('@APP_ID@', mid)
            desktop_name = mid + '.desktop'
        check_manifest(root, mid, desktop_text, desktop_name, metainfo_text)

    print('1..%d' % len(results))
    for i, (passed, name, diag) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if passed else 'not ok', i, name))
        if not passed:
            for d in diag:
                print('# ' + d)
    return 0 if all(r[0] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main())
