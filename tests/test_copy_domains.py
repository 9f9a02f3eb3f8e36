"""No output cites a copy of a page: no domain of data/reference/copy_domains.csv (a betting site, a football site,
aggregators carrying other publishers' articles) appears in the processed tables, nor in the HTML, PDF and Word of a
report and of a batch of every province. The copies stay only in raw provenance (sources.csv, column mirror_url)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import run_pipeline

from parsipas import clean
from parsipas.core import paths
from parsipas.ingest import reference, sources

ROOT = Path(__file__).resolve().parents[1]
COPY_DOMAINS = list(reference.read_commented_csv(ROOT / "data/reference/copy_domains.csv")["domain"])


def copies_named(text: str) -> list[str]:
    return [domain for domain in COPY_DOMAINS if domain in text]


def test_every_copy_domain_has_a_reason():
    listed = reference.read_commented_csv(ROOT / "data/reference/copy_domains.csv")
    assert {"ufabetindo.in", "tothethao.com"} <= set(listed.domain) and listed.reason.str.strip().all()
    assert not listed.domain.str.contains(r"^(?:www|m)\.|/").any()


def test_the_raw_registry_keeps_the_copies_as_provenance_only():
    raw = reference.read_commented_csv(paths.RAW / "public" / "sources.csv")
    assert copies_named(raw.mirror_url.str.cat(sep=" "))  # where a figure was read stays on record
    citable = sources.registry()
    assert "mirror_url" not in citable.columns and not copies_named(citable.to_csv())
    # The betting site's copy of a VietnamPlus article is cited by the original's address and publisher.
    vietnamplus = citable[citable.source_id == "ufabetindo-80cf32"].iloc[0]
    assert (vietnamplus.publisher, vietnamplus.site) == ("VietnamPlus", "en.vietnamplus.vn")


def test_no_processed_table_names_a_copy():
    tables = clean.build()
    for name, frame in tables.items():
        assert not copies_named(frame.to_csv(index=False)), name
    assert "mirror_url" not in tables["sources"].columns


def test_a_figure_known_only_at_a_copy_is_set_aside_with_the_reason():
    unused = clean.build()["unused_rows"]
    football = unused[unused.reason.str.contains("a football site")]
    assert len(football) == 2 and football.reason.str.contains("the original page's address is not known").all()
    # Its two figures are on record from the original publishers' pages of the December 2026 additions.
    summary = clean.build()["summary"]
    national_2024 = summary[(summary.year == 2024) & (summary.area_code == "VN")]
    assert {("SIPAS.NO_HARASSMENT", 90.06), ("SIPAS.SERVICE", 84.09)} <= set(
        zip(national_2024.indicator, national_2024.value))


def _text_of(path: Path) -> str:
    """A file's text as a reader sees it: PDF through pdftotext, a Word document through its XML parts."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as document:
            return " ".join(document.read(name).decode("utf-8", "replace") for name in document.namelist()
                            if name.endswith((".xml", ".rels")))
    if path.suffix in (".html", ".csv", ".json", ".ipynb", ".md", ".txt", ".log"):
        return path.read_text(encoding="utf-8", errors="replace")
    return ""


@pytest.mark.slow
def test_no_output_of_a_batch_names_a_copy(tmp_path):
    out, processed = tmp_path / "reports", tmp_path / "processed"
    single = run_pipeline("--out", str(out), "--processed", str(processed), "--formats", "html,pdf,docx")
    assert single.returncode == 0, single.stderr
    batch = run_pipeline("--out", str(out), "--processed", str(processed), "--province", "all", "--formats", "html",
                         "--workers", "2")
    assert batch.returncode == 0, batch.stderr
    files = [p for folder in (out, processed) for p in folder.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".html", ".pdf", ".docx", ".csv"} <= kinds
    assert len([p for p in files if p.name == "report.html"]) >= 60
    named = {str(p.relative_to(tmp_path)): found for p in files if (found := copies_named(_text_of(p)))}
    assert not named
