#!/usr/bin/env python3
"""Renders the glyphs of collector numbers (digits, '/', capital letters) into
server/recognition/number-glyphs.json, for matchPrintedNumbers. Run once when the fonts change:

    python3 scripts/make-number-glyphs.py   # needs python3-pil and fonts-liberation (Debian)

Liberation Sans (SIL Open Font License 1.1), regular and bold italic, not the cards' own face: the match
is between blurred shapes, and a blurred 12 px digit looks much the same in any plain sans. The JSON holds
bitmaps of 37 glyphs, not the font.
"""
import base64, json, os
from PIL import Image, ImageDraw, ImageFont

FONTS = [
    ('Liberation Sans', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf'),
    # Scarlet & Violet cards print the number in bold italics.
    ('Liberation Sans Bold Italic', '/usr/share/fonts/truetype/liberation/LiberationSans-BoldItalic.ttf'),
]
CHARS = '0123456789/ABCDEFGHIJKLMNOPQRSTUVWXYZ'
SIZE = 48  # px per em when rendering; templates are scaled down to the card's print

out = {'chars': CHARS, 'fonts': []}
for name, path in FONTS:
    font = ImageFont.truetype(path, SIZE)
    top, bottom = font.getbbox('0')[1], font.getbbox('0')[3]  # digit height: the template's height
    glyphs = {}
    for ch in CHARS:
        # The ink box (italics overhang the advance), placed `left` px after the pen position.
        x0, _, x1, _ = font.getbbox(ch)
        im = Image.new('L', (x1 - x0, bottom - top), 255)
        ImageDraw.Draw(im).text((-x0, -top), ch, font=font, fill=0)
        glyphs[ch] = {'advance': round(font.getlength(ch)), 'left': x0, 'width': x1 - x0, 'data': base64.b64encode(im.tobytes()).decode()}
    out['fonts'].append({'name': name, 'height': bottom - top, 'glyphs': glyphs})

dest = os.path.join(os.path.dirname(__file__), '..', 'server', 'recognition', 'number-glyphs.json')
with open(dest, 'w') as f:
    json.dump(out, f, separators=(',', ':'))
print(dest, os.path.getsize(dest), 'bytes')
