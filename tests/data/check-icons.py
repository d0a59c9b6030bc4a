#!/usr/bin/python3
"""check-icons.py DATA_DIR

TAP test of the two hand-drawn icons: the app icon is a 128x128 SVG, and the
symbolic icon a 16x16 SVG drawn only with filled shapes in #2e3436 (GTK
recolours fills of symbolic icons; strokes, gradients and other colours would
not follow the theme).
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
BASE_ID = 'org.example.OneflowLink'
results = []


def ok(cond, name, *diag):
    results.append((bool(cond), name, [str(d) for d in diag]))


def load(path, tag):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        ok(False, tag + ' is a well-formed SVG', e)
        return None


def main():
    data = sys.argv[1]
    app = os.path.join(data, 'icons', BASE_ID + '.svg')
    sym = os.path.join(data, 'icons', BASE_ID + '-symbolic.svg')

    root = load(app, 'the app icon')
    if root is not None:
        ok(root.tag == SVG + 'svg', 'the app icon is a well-formed SVG')
        ok((root.get('width'), root.get('height'), root.get('viewBox')) ==
           ('128', '128', '0 0 128 128'), 'the app icon has a 128x128 canvas',
           root.attrib)
        ok(not list(root.iter(SVG + 'image')), 'the app icon embeds no bitmap')

    root = load(sym, 'the symbolic icon')
    if root is not None:
        ok(root.tag == SVG + 'svg', 'the symbolic icon is a well-formed SVG')
        ok((root.get('width'), root.get('height'), root.get('viewBox')) ==
           ('16', '16', '0 0 16 16'), 'the symbolic icon has a 16x16 canvas',
           root.attrib)
        colours = set()
        strokes = []
        for el in root.iter():
            for attr in ('fill', 'stroke'):
                value = el.get(attr)
                style = el.get('style', '')
                m = re.search(attr + r'\s*:\s*([^;]+)', style)
                if m:
                    value = m.group(1).strip()
                if value is None or value == 'none':
                    continue
                if attr == 'stroke':
                    strokes.append(el.tag)
                colours.add(value.lower())
        ok(colours <= {'#2e3436'}, 'the symbolic icon uses only #2e3436',
           'colours: %r' % sorted(colours))
        ok(not strokes, 'the symbolic icon has no strokes', strokes)
        ok(not list(root.iter(SVG + 'linearGradient')) and
           not list(root.iter(SVG + 'radialGradient')),
           'the symbolic icon has no gradients')

    print('1..%d' % len(results))
    for i, (passed, name, diag) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if passed else 'not ok', i, name))
        if not passed:
            for d in diag:
                print('# ' + d)
    return 0 if all(r[0] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main())
