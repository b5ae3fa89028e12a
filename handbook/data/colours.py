"""Colour contrast, as WCAG 2.2 measures it, for the colours the handbook takes from its data.

The levels of need diagram draws each level's name in DIAGRAM_TEXT on the level's fill from
data/thresholds.yaml. axe-core cannot judge text inside an SVG drawing (it reports it as
"incomplete"), so the data rule checks the pair itself, before anything is built.
"""

from __future__ import annotations

import wcag_contrast_ratio  # the WCAG relative-luminance formula

DIAGRAM_TEXT = "#0b0c0c"
# WCAG 2.2 1.4.3 (AA): normal-size text, such as the diagram's 15 to 20px labels.
AA_TEXT = 4.5


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))


def contrast(foreground: str, background: str) -> float:
    """The contrast ratio of two #RRGGBB colours, from 1 (none) to 21 (black on white)."""
    return wcag_contrast_ratio.rgb(_rgb(foreground), _rgb(background))
