#!/usr/bin/python3
"""check-icons.py DATA_DIR

TAP test of the hand-drawn icons: the app icon (and the welcome picture in
dark style, with a dark sheet) is a 128x128 SVG, and the
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


def luminance(colour):
    """Relative luminance (0-1) of #rrggbb; 1 for anything else."""
    m = re.fullmatch(r'#([0-9a-fA-F]{6})', colour or '')
    if not m:
        return 1.0
    r, g, b = (int(m.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


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

    # The welcome page's picture in dark style: the app icon's canvas, so
    # the status page draws both at the same size.
    dark = os.path.join(data, 'illustrations', 'ofl-welcome-dark.svg')
    root = load(dark, 'the dark welcome picture')
    if root is not None:
        ok((root.get('width'), root.get('height'), root.get('viewBox')) ==
           ('128', '128', '0 0 128 128'), 'the dark welcome picture has a 128x128 canvas',
           root.attrib)
        ok(not list(root.iter(SVG + 'image')), 'the dark welcome picture embeds no bitmap')
        # The sheet is what glared: its colours must be dark ones.
        paper = [g for g in root.iter(SVG + 'linearGradient') if g.get('id') == 'paper']
        stops = [s.get('stop-color', '') for g in paper for s in g.iter(SVG + 'stop')]
        ok(stops and all(luminance(c) < 0.5 for c in stops),
           'the dark welcome picture draws its sheet in dark colours', 'stops: %r' % stops)

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
