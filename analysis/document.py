"""A report as a list of sections of simple blocks, rendered to Markdown and to one HTML file.

The report is assembled once (``analysis.report``) and rendered twice, so the
Markdown summary and the HTML page can never disagree (the slide deck of
``analysis.export`` reads the same blocks). The HTML is fully self-contained: styles
inline, figures as base64 PNG data URIs, no scripts and no external assets, so it can be
mailed or opened offline. Its print styles lay it out for A4 (what ``--pdf`` prints):
the executive summary on a page of its own, no figure, table row or heading cut off
from what follows it.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass

import pandas as pd

FIGURE_DIR = "figures"

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #1f2328; background: #fff; line-height: 1.5; }
main { max-width: 1180px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; }
nav ul { columns: 2; padding-left: 1.2rem; }
div.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { padding: 0.35rem 0.7rem; border-bottom: 1px solid #d0d7de; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
figcaption { font-size: 0.95rem; color: #444; margin-top: 0.4rem; }
.caption { font-size: 0.9rem; color: #555; }
pre { background: #f6f8fa; padding: 1rem; overflow-x: auto; font-size: 0.85rem; }
li { margin: 0.3rem 0; }
.subtitle { color: #555; margin-top: 0; }
section.summary { background: #f6f8fa; padding: 0.2rem 1.2rem 1rem; border-radius: 6px; }
section.summary li { font-size: 1.05rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  section.summary { break-after: page; background: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 1.2rem; }
  figure, tr, pre, .caption, li { break-inside: avoid; }
  figcaption { break-before: avoid; }
  figure img { max-height: 230mm; width: auto; max-width: 100%; border: none; }
  thead { display: table-header-group; }
  details > pre { white-space: pre-wrap; }
}
"""


@dataclass(frozen=True)
class Paragraph:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list of plain-text items."""

    items: list[str]


@dataclass(frozen=True)
class Table:
    """A table whose cells are already formatted as text, with an optional caption."""

    frame: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    """A figure as PNG bytes, its title, how to read it, and the one sentence it shows.

    ``message`` is what a slide of the figure says under it (``analysis.export``).
    """

    key: str
    title: str
    how_to_read: str
    png: bytes
    message: str = ""

    @property
    def filename(self) -> str:
        """Where the Markdown summary expects the PNG, relative to the report."""
        return f"{FIGURE_DIR}/{self.key}.png"


@dataclass(frozen=True)
class Code:
    """Verbatim text (a config file), collapsed in HTML behind ``summary``."""

    text: str
    summary: str
    language: str = "yaml"


@dataclass(frozen=True)
class Fragment:
    """A section body another module already rendered in both formats."""

    markdown: str
    html: str


type Block = Paragraph | Bullets | Table | Chart | Code | Fragment


@dataclass(frozen=True)
class Section:
    """A titled part of the report; ``heading=False`` when its blocks bring their own heading.

    ``summary=True`` marks the executive summary: set apart on screen, a page of its own
    in print.
    """

    title: str
    blocks: list[Block]
    heading: bool = True
    summary: bool = False

    @property
    def anchor(self) -> str:
        """The HTML id of the section, derived from its title."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


def render_markdown(title: str, sections: list[Section], subtitle: str = "") -> str:
    """The report as Markdown; figures are linked from ``figures/`` beside the file."""
    parts = [f"# {title}", *([f"_{subtitle}_"] if subtitle else [])]
    for section in sections:
        parts += [f"## {section.title}"] if section.heading else []
        parts.extend(_markdown_block(block) for block in section.blocks)
    return "\n\n".join(parts) + "\n"


def _markdown_block(block: Block) -> str:
    match block:
        case Paragraph(text):
            return text
        case Bullets(items):
            return "\n".join(f"- {item}" for item in items)
        case Table(frame, caption):
            return markdown_table(frame) + (f"\n\n_{caption}_" if caption else "")
        case Chart():
            return f"![{block.title}]({block.filename})\n\n_{block.title}._ {block.how_to_read}"
        case Code(text, summary, language):
            return f"{summary}:\n\n```{language}\n{text.rstrip()}\n```"
        case Fragment(markdown, _):
            return markdown.strip()
    raise TypeError(f"unknown report block {block!r}")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; pipes inside cells are escaped."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def render_html(title: str, sections: list[Section], subtitle: str = "") -> str:
    """The report as one self-contained HTML page (inline CSS, embedded PNGs, no scripts)."""
    toc = "".join(f'<li><a href="#{s.anchor}">{html.escape(s.title)}</a></li>' for s in sections)
    body = "".join(
        f'<section id="{s.anchor}"' + (' class="summary"' if s.summary else "") + ">"
        + (f"<h2>{html.escape(s.title)}</h2>" if s.heading else "")
        + "".join(_html_block(b) for b in s.blocks) + "</section>"
        for s in sections
    )
    sub = f'<p class="subtitle">{html.escape(subtitle)}</p>' if subtitle else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{sub}<nav><ul>{toc}</ul></nav>{body}"
        "</main></body></html>\n"
    )


def _html_block(block: Block) -> str:
    match block:
        case Paragraph(text):
            return f"<p>{html.escape(text)}</p>"
        case Bullets(items):
            return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
        case Table(frame, caption):
            table = f'<div class="table">{frame.to_html(index=False, border=0, escape=True)}</div>'
            return table + (f'<p class="caption">{html.escape(caption)}</p>' if caption else "")
        case Chart():
            data = base64.b64encode(block.png).decode("ascii")
            return (f'<figure><img alt="{html.escape(block.title)}" '
                    f'src="data:image/png;base64,{data}"><figcaption><strong>'
                    f"{html.escape(block.title)}.</strong> {html.escape(block.how_to_read)}"
                    "</figcaption></figure>")
        case Code(text, summary, _):
            return (f"<details><summary>{html.escape(summary)}</summary>"
                    f"<pre>{html.escape(text)}</pre></details>")
        case Fragment(_, fragment_html):
            return fragment_html
    raise TypeError(f"unknown report block {block!r}")
