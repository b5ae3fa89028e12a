"""Make the site's WOFF2 web fonts from the OpenType files in handbook/web/theme/assets/fonts/.

The PDF embeds (and WeasyPrint subsets) the full OpenType files; browsers get WOFF2 files cut down
to Latin text, which is all the handbook uses, so pages load fast on a phone. Run it again only
when the fonts change: `pip install -e ".[dev]"`, then `.venv/bin/python tools/make_webfonts.py`.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

FONTS = Path(__file__).resolve().parent.parent / "handbook" / "web" / "theme" / "assets" / "fonts"
# Basic Latin, Latin-1, Latin Extended-A, general punctuation, currency, arrows, maths minus.
UNICODES = "U+0000-024F,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20A0-20CF,U+2122,U+2190-2199,U+2212,U+FFFD"


def main() -> None:
    for source in sorted(FONTS.glob("Inter-*.otf")):
        target = source.with_suffix(".woff2")
        subset.main([
            str(source), f"--unicodes={UNICODES}", "--flavor=woff2", "--layout-features=*",
            f"--output-file={target}",
        ])
        print(f"{target.name}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
