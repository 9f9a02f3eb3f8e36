"""The default report produced by the real command line: content, self-containment and the PDF."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from pypdf import PdfReader


@pytest.fixture(scope="module")
def html(default_report):
    return (default_report / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_text(default_report):
    return "\n".join(page.extract_text() for page in PdfReader(default_report / "report.pdf").pages)


def test_outputs_and_audit_notebooks_are_published(default_report):
    for name in ("report.html", "report.pdf", "manifest.json", "notebooks/01_clean.ipynb",
                 "notebooks/02_compare.ipynb", "notebooks/03_report.ipynb"):
        assert (default_report / name).is_file(), name
    manifest = json.loads((default_report / "manifest.json").read_text())
    assert manifest["parameters"]["province_code"] == "56"
    assert set(manifest["outputs"]) >= {"report.html", "report.pdf"}


@pytest.mark.parametrize("fragment", ["85,11%", "48/63", "86,19%", "25/63", "tăng 23 bậc", "84,40%", "56/63",
                                      "Khánh Hòa", "cao hơn 1,40 điểm %"])
def test_published_figures_appear_in_html(html, fragment):
    assert fragment in html


def test_not_published_is_shown_as_such_never_as_zero(html):
    assert "chưa công bố" in html
    assert not re.search(r">0,00%<", html)


def test_no_code_and_no_external_request_in_html(html):
    assert "<script" not in html
    assert "In&nbsp;[" not in html and "jp-InputArea" not in html and "import " not in html
    for attribute in re.findall(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*>', html):
        assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', attribute), attribute
    assert "@import" not in html and "url(http" not in html


def test_html_has_charts_and_sections(html):
    assert html.count("<svg") >= 3
    for anchor in ("summary", "par", "trajectory", "sipas", "method", "coverage", "sources", "definitions"):
        assert f'id="{anchor}"' in html


@pytest.mark.parametrize("fragment", ["85,11%", "48/63", "86,19%", "25/63", "Khánh Hòa", "Chỉ số cải cách hành chính",
                                      "Cải cách thể chế", "chưa công bố"])
def test_published_figures_appear_in_pdf_text(pdf_text, fragment):
    assert fragment in pdf_text


def test_pdf_pages_and_embedded_fonts(default_report):
    reader = PdfReader(default_report / "report.pdf")
    assert len(reader.pages) > 1
    fonts = subprocess.run(["pdffonts", str(default_report / "report.pdf")], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts


def test_pdf_pages_render_to_images(default_report, tmp_path):
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(default_report / "report.pdf"), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == len(PdfReader(default_report / "report.pdf").pages)
