"""Executed report notebook -> one self-contained HTML file (nbconvert, own template) -> PDF (WeasyPrint)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from parsipas.core import paths
from parsipas.present import pdf_charts

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

    pdf_charts.text_in_runs()  # once per process
    document = weasyprint.HTML(string=pdf_charts.for_print(html), base_url=str(paths.ROOT))
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    return document.write_pdf(pdf_identifier=identifier, custom_metadata=False, font_config=_fonts())
