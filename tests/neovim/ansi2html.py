#!/usr/bin/env python3
"""Turn a terminal capture with ANSI colours (tmux capture-pane -e) into an HTML page,
so that a headless Chromium can take a picture of it (tests/neovim/screen.sh --png)."""
import html
import re
import sys

BASE = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]


def color256(n):
    if n < 16:
        return BASE[n]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (levels[n // 36], levels[(n // 6) % 6], levels[n % 6])
    g = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (g, g, g)


def main():
    text = sys.stdin.read()
    fg, bg, bold, under = None, None, False, False
    out = []
    for part in re.split(r"(\x1b\[[0-9;]*m)", text):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if not m:
            if part:
                style = []
                if fg:
                    style.append("color:" + fg)
                if bg:
                    style.append("background:" + bg)
                if bold:
                    style.append("font-weight:bold")
                if under:
                    style.append("text-decoration:underline")
                out.append('<span style="%s">%s</span>' % (";".join(style), html.escape(part)))
            continue
        codes = [int(c) if c else 0 for c in m.group(1).split(";")]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                fg, bg, bold, under = None, None, False, False
            elif c == 1:
                bold = True
            elif c == 4:
                under = True
            elif c == 22:
                bold = False
            elif c == 24:
                under = False
            elif 30 <= c <= 37:
                fg = BASE[c - 30]
            elif 90 <= c <= 97:
                fg = BASE[c - 90 + 8]
            elif 40 <= c <= 47:
                bg = BASE[c - 40]
            elif 100 <= c <= 107:
                bg = BASE[c - 100 + 8]
            elif c == 39:
                fg = None
            elif c == 49:
                bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    col = color256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    col = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    col = None
                if c == 38:
                    fg = col
                else:
                    bg = col
                i += 1
            i += 1
    print('<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">'
          '<pre style="margin:0;padding:8px;color:#d4d4d4;font:15px/1.25 \'DejaVu Sans Mono\',monospace">'
          + "".join(out) + "</pre></body>")


if __name__ == "__main__":
    main()
