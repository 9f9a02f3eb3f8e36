"""The one report engine (issue 24): a report kind is a specification (its cover, its sections in order, each a
template and the function that gives its data, and the formats it is made in), and one function renders any kind's
section with one template environment. Here too the rules every kind shares: how a missing cell shows, how a source
is addressed and cited, how the sources appendix is ordered and written, and the blocks (paragraph, heading, table,
chart, list) a section may be made of, which templates/sections/blocks.html.j2 writes out."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from parsipas.core import paths
from parsipas.core.formatting import date
from parsipas.core.messages import is_missing, text

DASH = "–"
"""How a figure that is not published shows in the Ministry report's tables (the legend under the table says so)."""


# -- the template environment ------------------------------------------------------------------------------------
class _IndentedLoader(jinja2.FileSystemLoader):
    """Templates are written one element per line for reading; the report has always carried a section on one line,
    so each line break and the indentation after it are dropped when a template is loaded."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.lstrip() for line in source.splitlines()), filename, uptodate


def _escaped(value) -> Markup:
    """Every value a template prints, escaped as the stdlib does (&#x27; for an apostrophe, as the report always
    wrote it; markupsafe would write &#39;). Markup already made by a macro passes as it is."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def template_environment(*folders: Path) -> jinja2.Environment:
    """Templates looked up in these folders in order, loaded one line per section, every value escaped."""
    return jinja2.Environment(loader=_IndentedLoader(list(folders)), autoescape=True, finalize=_escaped,
                              undefined=jinja2.StrictUndefined)


TEMPLATES = template_environment(paths.TEMPLATES / "sections")
"""The one environment every kind renders with: templates/sections/ holds every section's template."""


# -- report kinds ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    """A part of a report: rendered by templates/sections/<template> from what content(data) gives. shown: whether
    a report has it (every report, unless it says otherwise)."""

    name: str
    template: str
    content: Callable[[object], dict]
    shown: Callable[[object], bool] = lambda data: True


@dataclass(frozen=True)
class ReportKind:
    """A kind of report: its cover, its sections in order, the formats it is made in, how a section is titled (in the
    contents and over the section) and the order of its sources appendix (columns of the sources table)."""

    name: str
    cover: Section
    sections: tuple[Section, ...]
    formats: tuple[str, ...]
    title: Callable[[str, object], str]
    sources_order: tuple[str, ...] = ("source_id",)

    @property
    def names(self) -> tuple[str, ...]:
        """The sections after the cover, in order."""
        return tuple(s.name for s in self.sections)

    def shown(self, data) -> list[str]:
        """The sections this report has, in order."""
        return [s.name for s in self.sections if s.shown(data)]

    def part(self, name: str) -> Section:
        return self.cover if name == "cover" else next(s for s in self.sections if s.name == name)


def render(kind: ReportKind, name: str, data) -> str:
    """One part of a report as HTML: the cover with the contents (the sections this report has, titled as over the
    section), or a section with its anchor (the contents link to it) and its title; "" for a section this report
    does not have."""
    if name != "cover" and name not in kind.shown(data):
        return ""
    if name == "cover":
        frame = dict(contents=text("contents", data.lang),
                     toc=[(shown, kind.title(shown, data)) for shown in kind.shown(data)])
    else:
        frame = dict(anchor=name, title=kind.title(name, data))
    part = kind.part(name)
    return TEMPLATES.get_template(part.template).render(**frame, **part.content(data))


def cover(data, *, kicker: str, title: str, subtitle: str, meta: str, status: str, running_title: str,
          note: str | None = None) -> dict:
    """The one cover (templates/sections/cover.html.j2): a SYNTHETIC banner when the figures are, the kicker, title
    and subtitle, a note when the year has no figure, a line of what the report measures (meta), the date, the data
    status and the running title of the printed pages; render() adds the contents."""
    lang = data.lang
    return dict(banner=text("synthetic_banner", lang) if data.is_synthetic else None, kicker=kicker, title=title,
                subtitle=subtitle, note=note, meta=meta, status=status, running_title=running_title,
                produced=text("produced", lang, date=date(data.produced, lang)))


# -- cells, sources and blocks -------------------------------------------------------------------------------------
def cells(rows: list[list], blank: str) -> list[list[str]]:
    """Table cells: a figure that is not known (a formatter's Missing, None or NaN) shows as the kind's blank, never
    as a zero or a stray word; every other cell as its text."""
    return [[blank if is_missing(cell) else str(cell) for cell in row] for row in rows]


def given(value: object) -> bool:
    """A registry cell that holds something (the registry writes an empty cell for 'none')."""
    return isinstance(value, str) and bool(value.strip())


def source_address(source, lang: str) -> str:
    """Where a cited source is (a row of the sources table): the original publisher's address, or a file by its
    name. A copy of a page (data/reference/copy_domains.csv) is never printed: it stays in the raw registry."""
    return source.url if given(source.url) else str(source.source_id).split(":", 1)[-1]


def cited_sources(sources: pd.DataFrame, cited: set[str], order: Sequence[str]) -> pd.DataFrame:
    """The cited sources, numbered in the appendix's order (a kind's sources_order: the Ministry report by
    publisher, the province's own index by source id)."""
    sources = sources[sources["source_id"].isin(cited)].sort_values(list(order))
    return sources.assign(number=range(1, len(sources) + 1)).reset_index(drop=True)


def citations(sources: pd.DataFrame) -> Callable[[object], str]:
    """How a text cites sources: "a;b" (a cell of the conflicts table) -> "[1], [2]" by their appendix numbers."""
    numbers = sources.set_index("source_id")["number"]
    return lambda ids: ", ".join(f"[{numbers[i]}]" for i in str(ids).split(";") if i in numbers)


def sources_appendix(sources: pd.DataFrame, lang: str, intro: str, said: dict[str, str] | None = None) -> dict:
    """The sources appendix: each cited source by its number, who published it (or what it is, by its kind: said),
    its language and its address (no cell is ever a missing figure: an unknown publisher is an empty cell)."""
    said = said or {}
    rows = [[f"[{r.number}]", said.get(getattr(r, "kind", None), r.publisher if given(r.publisher) else ""),
             r.language if given(r.language) else "", source_address(r, lang)] for r in sources.itertuples()]
    header = [text("col_source", lang), text("col_site", lang), text("col_language", lang), text("col_url", lang)]
    return dict(blocks=[paragraph(intro), table(header, rows, DASH, "sources")])


def summary(note: str | None, position_title: str, position: list[str], actions_title: str,
            actions: list[str]) -> dict:
    """The summary of every kind: a note when the year has no figure, then where the subject stands (key points)
    and what to do first (numbered actions)."""
    return dict(blocks=[*([paragraph(note, "no-figures")] if note else []), heading(position_title),
                        bullets(position, "key-points"), heading(actions_title),
                        bullets(actions, "actions", numbered=True)])


def chart(svg: str | None, fallback: str, alt: str, classes: str = "chart") -> dict:
    """A chart as an SVG image inside the page (a data URI: nothing fetched), or a sentence when there is no data.
    As an image rather than inline markup, the HTML stays small and WeasyPrint prints it twice as fast."""
    source = None if svg is None else "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    return dict(source=source, fallback=fallback, alt=alt, classes=classes)


def paragraph(words: str, classes: str = "") -> dict:
    return {"paragraph": words, "classes": classes}


def heading(words: str) -> dict:
    return {"heading": words}


def table(header: list[str], rows: list[list], blank: str, classes: str = "comparison") -> dict:
    return {"table": {"header": header, "rows": cells(rows, blank), "classes": classes}}


def figure(svg: str | None, fallback: str, alt: str, classes: str = "chart") -> dict:
    return {"figure": chart(svg, fallback, alt, classes)}


def bullets(lines: list[str], classes: str = "", numbered: bool = False) -> dict:
    return {"list": lines, "classes": classes, "numbered": numbered}


def terms(pairs: list[tuple[str, str]]) -> dict:
    """Terms and their meanings (a definition list)."""
    return {"terms": pairs}
