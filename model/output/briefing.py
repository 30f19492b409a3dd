"""The briefing of a results folder: charts, report.md and a self-contained report.html.

Works from the saved files alone (indicators.parquet, summary.json), so `innosim chart` can
redraw a folder months later without re-running the model.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import logging
import re
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from . import plotting
from .labels import dashboard_title, indicator_name, threshold
from .phrases import PHRASES, say
from .readings import outcomes, scenario_title
from .report import HEADLINE_INDICATORS

CHART_DIR = "charts"
# Chinese on the page: Noto Sans SC from the pylopdf-fonts-zh-cn package (as in the charts) as a web font, so the
# glyphs render in any browser, also on a machine without CJK fonts; the system's CJK fonts are the fallback.
WEB_FONT = "innosim Noto Sans SC"
FONT_STACK = (f"'{WEB_FONT}','Noto Sans SC','Noto Sans CJK SC','Microsoft YaHei','PingFang SC',"
              "'WenQuanYi Micro Hei',sans-serif")


def font_face(src: str) -> str:
    """The @font-face rule of WEB_FONT served from `src` (a URL or a data: URL of the OpenType font)."""
    return f"@font-face{{font-family:'{WEB_FONT}';src:url({src}) format('opentype');font-display:swap}}"


def embedded_font(text: str) -> str:
    """WEB_FONT's @font-face with the bundled font cut down to the characters of `text` (about 100 kB for a
    report) as a data: URL, so report.html stays one self-contained file; "" without the font package."""
    try:
        import pylopdf_fonts_zh_cn
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        return ""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it reports every table it drops
    try:
        # Bounding boxes left as the whole font's (a superset, which browsers accept): recomputing them for the
        # cut font interpreted every glyph's outline and took half of the subsetting's time.
        font = TTFont(str(pylopdf_fonts_zh_cn.sans_path()), lazy=True, recalcBBoxes=False)
        options = subset.Options()
        options.layout_features = ["*"]
        options.notdef_outline = True
        cut = subset.Subsetter(options)
        cut.populate(text=text)
        cut.subset(font)
        buf = io.BytesIO()
        font.save(buf)
    except Exception:  # an unreadable or odd font file: the fallback fonts do
        return ""
    return font_face("data:font/otf;base64," + base64.b64encode(buf.getvalue()).decode("ascii"))


def load(folder: Path) -> tuple[dict, dict[str, np.ndarray], list[dt.date]]:
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    table = pq.read_table(folder / "indicators.parquet")
    reps = np.asarray(table.column("replication").to_numpy())
    n = int(reps.max()) + 1
    cols = {name: table.column(name).to_numpy().reshape(n, -1) for name in table.column_names
            if name not in ("replication", "date")}
    dates = table.column("date").to_pylist()[: cols["high_tech"].shape[1]]
    return summary, cols, dates


def charts(folder: Path, lang: str = "zh") -> list[Path]:
    """Dashboard and one fan chart per target indicator, into folder/charts."""
    summary, cols, dates = load(folder)
    out = folder / CHART_DIR
    files = []
    if outcomes(summary):  # the dashboard shows P(meet) per outcome target; a commitment's is no finding
        files += plotting.save(plotting.dashboard(outcomes(summary), lang), out, f"dashboard-{lang}")
    for ind, tg in fan_charts(summary):
        fig = plotting.fan_chart(cols[ind], dates, ind, lang, scenario_title(summary, lang), tg)
        files += plotting.save(fig, out, f"fan-{ind}-{lang}")
    return files


def fan_charts(summary: dict) -> list[tuple[str, dict | None]]:
    """(indicator, its first target) per fan chart; without targets, the headline indicators with none."""
    if not summary["targets"]:
        return [(ind, None) for ind in HEADLINE_INDICATORS]
    first: dict[str, dict] = {}
    for tg in summary["targets"]:
        first.setdefault(tg["indicator"], tg)
    return list(first.items())


def comparison(folders: list[Path], out: Path, lang: str = "zh") -> list[Path]:
    """The comparison chart of several results folders, into `out` (the folders are only read)."""
    summaries = [load(f)[0] for f in folders]
    return plotting.save(plotting.comparison(summaries, lang, legend_names(folders, summaries, lang)), out,
                         f"comparison-{lang}")


def legend_names(folders: list[Path] | list[str], summaries: list[dict], lang: str = "en") -> list[str]:
    """Each folder's (or scenario's) name in a comparison: its scenario's title, with the folder as given (or the
    scenario's name) where two titles are the same (a copy of the plan with other levers keeps the plan's title: two
    legend entries alike told nothing)."""
    titles = [scenario_title(s, lang) for s in summaries]
    return [f"{title} ({folder})" if titles.count(title) > 1 else title
            for title, folder in zip(titles, folders, strict=True)]


def unlike_targets(folders: list[Path], summaries: list[dict]) -> str:
    """The targets the folders do not set alike (another threshold, comparator, tolerance or year, or none), in the
    order given, e.g. 'high-tech-2026 (a: > 1,500 in 2026; b: > 1,700 in 2026)'; '' when every folder sets every
    target alike."""
    ids = dict.fromkeys(tg["id"] for s in summaries for tg in s["targets"])
    parts = []
    for tid in ids:
        found = [next((tg for tg in s["targets"] if tg["id"] == tid), None) for s in summaries]
        said = [f"{tg['indicator']} {threshold(tg, 'en')} in {tg['year']}" if tg else "none" for tg in found]
        if len({tg["indicator"] for tg in found if tg}) == 1:  # the indicator only where the folders' differ
            said = [w.split(" ", 1)[1] if w != "none" else w for w in said]
        if len(set(said)) > 1:
            each = "; ".join(f"{f}: {w}" for f, w in zip(folders, said, strict=True))
            parts.append(f"{tid} ({each})")
    return ", ".join(parts)


# What makes two results folders' bands unlike: summary.json key -> the word a warning uses for it
RUN_SETTINGS = {"seed": "seed", "replications": "replications", "start": "start", "end": "horizon"}


def unlike(summaries: list[dict]) -> str:
    """How the runs of a comparison differ in seed, replications, start or horizon, in the order given, e.g.
    'seed (1, 20240227) and replications (20, 200)'; '' when they agree."""
    parts = [f"{word} ({', '.join(str(s.get(key)) for s in summaries)})" for key, word in RUN_SETTINGS.items()
             if len({str(s.get(key)) for s in summaries}) > 1]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def folder_lang(folder: Path) -> str:
    """The language a results folder's charts were last drawn in, read from its report's chart section (innosim run
    --lang, or innosim chart); zh, the default, when the report names no chart."""
    try:
        md = (folder / "report.md").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return "zh"
    found = re.search(rf"\]\({CHART_DIR}/[A-Za-z0-9_\-]+-(zh|en)\.png\)", md)
    return found.group(1) if found else "zh"


def chart_section(summary: dict, lang: str) -> str:
    lines = [f"## {say('h_charts', lang)}", ""]
    if outcomes(summary):
        lines += [f"![{dashboard_title(outcomes(summary), lang)}]({CHART_DIR}/dashboard-{lang}.png)", ""]
    for ind, _target in fan_charts(summary):
        lines += [f"![{indicator_name(ind, lang)}]({CHART_DIR}/fan-{ind}-{lang}.png)", ""]
    return "\n".join(lines)


def with_charts(report_md: str, summary: dict, lang: str) -> str:
    """Insert the chart section after the target table (before 'Context at the horizon', in the report's `lang`)."""
    marker = f"## {say('h_context', lang)}"
    section = chart_section(summary, lang) + "\n"
    return report_md.replace(marker, section + marker, 1) if marker in report_md else report_md + "\n" + section


# A table cell that is a light, as report.md writes it in either language -> the colour it is drawn in
LIGHT_CELLS = {v[lang]: key.removeprefix("light_") for key, v in PHRASES.items() if key.startswith("light_")
               for lang in v}
# A markdown backslash escape ("\* baseline not published", kept from becoming a list item): the character itself
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def _unescape(text: str) -> str:
    """Markdown's backslash escapes as the characters they stand for (as entities, so that an escaped * opens no bold);
    inside a code span a backslash stays."""
    parts = re.split(r"(`[^`]+`)", text)
    return "".join(p if i % 2 else MD_ESCAPE.sub(lambda m: f"&#{ord(m.group(1))};", p) for i, p in enumerate(parts))


def _inline(text: str, folder: Path) -> str:
    text = _unescape(html.escape(text))
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    return text


def _image(alt: str, src: str, folder: Path) -> str:
    # Only the folder's own charts are embedded: a report line that looks like an image of another
    # file (from a scenario's or summary's text) must not copy that file into the page.
    path = folder / src
    if not re.fullmatch(rf"{CHART_DIR}/[A-Za-z0-9][A-Za-z0-9_.\-]*\.png", src) or not path.is_file():
        return f"<p>{html.escape(alt)}</p>"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></figure>'


def to_html(md: str, folder: Path, title: str, lang: str = "zh") -> str:
    """Our own markdown (headings, tables, lists, images, paragraphs) to one self-contained page in `lang`."""
    out, table, items = [], [], []

    def flush():
        if table:
            rows = [r for r in table if not re.fullmatch(r"\|[-:| ]+\|", r)]
            cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
            head = "".join(f"<th>{_inline(c, folder)}</th>" for c in cells[0])
            body = "".join("<tr>" + "".join(f'<td class="{LIGHT_CELLS.get(c, "")}">'
                                            f"{_inline(c, folder)}</td>" for c in r) + "</tr>" for r in cells[1:])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            table.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i, folder)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in md.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        if line.startswith("- "):
            items.append(line[2:])
            continue
        flush()
        if m := re.fullmatch(r"(#+) (.*)", line):
            level = len(m.group(1))
            out.append(f"<h{level}>{_inline(m.group(2), folder)}</h{level}>")
        elif m := re.fullmatch(r"!\[([^\]]*)\]\(([^)]+)\)", line.strip()):
            out.append(_image(m.group(1), m.group(2), folder))
        elif line.strip():
            out.append(f"<p>{_inline(line, folder)}</p>")
    flush()
    style = (embedded_font(title + md) + "body{font-family:" + FONT_STACK + ";max-width:1100px;"
             "margin:2em auto;color:#222;line-height:1.5}table{border-collapse:collapse;font-size:13px;margin:1em 0}"
             "td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}th{background:#f3f3f3}"
             "td.green{background:#2e8b57;color:#fff}td.amber{background:#e0a100}td.red{background:#c0392b;color:#fff}"
             "img{max-width:100%}figure{margin:1em 0}code{background:#f5f5f5}")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{style}</style></head><body>{''.join(out)}</body></html>\n")


def write(folder: Path, report_md: str, lang: str = "zh") -> list[Path]:
    """Charts, then report.md with the chart section, then report.html with the images embedded."""
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    files = charts(folder, lang)
    md = with_charts(report_md, summary, lang)
    (folder / "report.md").write_text(md, "utf-8")
    (folder / "report.html").write_text(to_html(md, folder, scenario_title(summary, lang), lang), "utf-8")
    return files
