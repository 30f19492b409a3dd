"""report.html carries its own Chinese font: the bundled Noto Sans SC cut to the page's characters."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from model.output.briefing import FONT_STACK, WEB_FONT, to_html


def test_report_html_embeds_a_font_covering_every_character(tmp_path: Path):
    md = "# 三量齐升 plan\n\n| 指标 indicator | P(meet) |\n|---|---:|\n| 高新技术企业 | 42% |\n\n专精特新「左右」。\n"
    page = to_html(md, tmp_path, "行动计划")
    assert f"font-family:{FONT_STACK}" in page and FONT_STACK.startswith(f"'{WEB_FONT}'")
    assert "sans-serif" in FONT_STACK  # the fallback when the web font cannot be used
    data = re.search(r"@font-face\{font-family:'([^']+)';src:url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert data and data.group(1) == WEB_FONT
    font = TTFont(io.BytesIO(base64.b64decode(data.group(2))))
    cmap = font.getBestCmap()
    for ch in set(md + "行动计划") - {"\n", " "}:
        assert ord(ch) in cmap, ch
    assert len(data.group(2)) < 400_000  # a subset, not the 8 MB font
