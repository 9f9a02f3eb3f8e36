"""Executed report notebook -> one self-contained HTML file (nbconvert, own template) -> PDF (WeasyPrint)."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

from parsipas.core import paths

TEMPLATE = "parsipas_report"


@functools.lru_cache(maxsize=1)
def _exporter():
    """Built once per process: a batch reuses the loaded template."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(paths.TEMPLATES)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def warm(pdf: bool) -> None:
    """Load the template, and the PDF library if PDFs are asked for, ahead of the first report."""
    _exporter()
    if pdf:
        _fonts()


def notebook_to_html(notebook: Path, lang: str, title: str) -> str:
    css = (paths.TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8")
    resources = {"parsipas": {"lang": lang, "title": title, "css": css}}
    html, _ = _exporter().from_filename(str(notebook), resources=resources)
    return html


@functools.lru_cache(maxsize=1)
def _fonts():
    """One font configuration per process: fonts found and loaded once for a whole batch (same PDF bytes)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str, title: str) -> bytes:
    import weasyprint

    document = weasyprint.HTML(string=_charts_for_print(html), base_url=str(paths.ROOT))
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    return document.write_pdf(pdf_identifier=identifier, custom_metadata=False, font_config=_fonts())


_SVG_IMAGE = re.compile(r'(src="data:image/svg\+xml;base64,)([^"]*)"')
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_NO_TURN = re.compile(r' transform="rotate\(-?0 [-+.e0-9]+ [-+.e0-9]+\)"')
_GROUP_TAG = re.compile(r'<g id="([^"]*)"(/?)>|<g\b[^>]*?(/?)>|</g>')
_REFERENCE = re.compile(r'(?:url\(#|href="#)([^)"]+)')


def _charts_for_print(html: str) -> str:
    """The page with its SVG charts lighter to print: the PDF library draws every element of a chart one by one, and
    about a tenth of a report's PDF time went to parts of matplotlib's markup that draw nothing. The HTML report
    keeps its charts as drawn; the printed ones look the same to the pixel (tested)."""
    return _SVG_IMAGE.sub(lambda m: m.group(1) + base64.b64encode(
        _lighter(base64.b64decode(m.group(2)).decode("utf-8")).encode("utf-8")).decode("ascii") + '"', html)


def _lighter(svg: str) -> str:
    """An SVG chart without what draws nothing: its metadata, turns of text by 0 degrees, and the groups that have
    only a name nobody refers to (matplotlib names every artist: 250 groups in the heatmap). Their contents stay, in
    order; every group that clips, moves or styles stays."""
    svg = _NO_TURN.sub("", _METADATA.sub("", svg))
    referenced = set(_REFERENCE.findall(svg))
    kept, unwrapped, start = [], [], 0  # unwrapped: for each open group, whether its tags are dropped
    for tag in _GROUP_TAG.finditer(svg):
        name, named_and_empty, other_empty = tag.groups()
        if tag.group(0) == "</g>":
            drop = unwrapped.pop()
        else:
            drop = name is not None and name not in referenced
            if not (named_and_empty or other_empty):
                unwrapped.append(drop)
        if drop:
            kept.append(svg[start:tag.start()])
            start = tag.end()
    kept.append(svg[start:])
    return "".join(kept)

