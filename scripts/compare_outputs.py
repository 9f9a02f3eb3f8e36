#!/usr/bin/env python
"""Show that a change of structure left behaviour alone: compare two runs' processed tables, report HTML and PDF text.

  python scripts/compare_outputs.py BEFORE AFTER

BEFORE and AFTER are folders, each holding one run's outputs as laid out by
  pipeline.py --out X/reports --processed X/processed   (and, optionally, X/reports-synthetic, X/processed-synthetic)
Processed tables are compared as data (same rows and values); a table or column only one side has is listed, not
failed, so that a table added on purpose shows up plainly. Reports are compared by HTML bytes, by PDF text and by
DOCX text (paragraphs and table cells in order); a PDF whose text differs only in the spaces between words is listed
line by line, not failed. The five reports of a structural change (the default report, a 2024
report, the 2025 synthetic report, a unit-set overview and a unit's report) are made by running the pipeline with
--out X/reports*, --processed X/processed* for each.
Exit 0 when everything both sides have is identical, 1 otherwise.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import pandas as pd
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader


def _tables(before: Path, after: Path) -> list[str]:
    problems = []
    for folder in sorted(p.name for p in before.glob("processed*") if p.is_dir()):
        old, new = before / folder, after / folder
        names = {p.stem for p in old.glob("*.parquet")} | {p.stem for p in new.glob("*.parquet")}
        for name in sorted(names):
            if not (old / f"{name}.parquet").exists() or not (new / f"{name}.parquet").exists():
                print(f"note: {folder}/{name} exists on one side only")
                continue
            a, b = pd.read_parquet(old / f"{name}.parquet"), pd.read_parquet(new / f"{name}.parquet")
            common = [c for c in a.columns if c in b.columns]
            for column in sorted(set(a.columns) ^ set(b.columns)):
                print(f"note: {folder}/{name}.{column} exists on one side only")
            try:
                pd.testing.assert_frame_equal(a[common].reset_index(drop=True), b[common].reset_index(drop=True))
            except AssertionError as error:
                problems.append(f"{folder}/{name}: {str(error).splitlines()[0]}")
    return problems


def _reports(before: Path, after: Path) -> list[str]:
    problems = []
    for old in sorted(before.glob("reports*/**/report.html")):
        new = after / old.relative_to(before)
        if not new.exists():
            problems.append(f"{new} is missing")
            continue
        if old.read_bytes() != new.read_bytes():
            problems.append(f"{old.relative_to(before)}: HTML differs")
        old_pdf, new_pdf = old.with_suffix(".pdf"), new.with_suffix(".pdf")
        if old_pdf.exists():
            texts = ["\n".join(page.extract_text() for page in PdfReader(p).pages) for p in (old_pdf, new_pdf)]
            if texts[0] != texts[1]:
                if _same_words(*texts):
                    _list_spacing(old_pdf.relative_to(before), *texts)
                else:
                    problems.append(f"{old_pdf.relative_to(before)}: PDF text differs")
        old_docx, new_docx = old.with_suffix(".docx"), new.with_suffix(".docx")
        if old_docx.exists() and _docx_text(old_docx) != _docx_text(new_docx):
            problems.append(f"{old_docx.relative_to(before)}: DOCX text differs")
    return problems


def _same_words(old: str, new: str) -> bool:
    return re.sub(r"\s", "", old) == re.sub(r"\s", "", new)


def _list_spacing(name: Path, old: str, new: str) -> None:
    """A PDF whose text differs only in the spaces a reader extracts between words (as when chart labels are printed
    as runs rather than letter by letter): every changed line is listed, so the change is seen, not failed."""
    changed = [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    print(f"note: {name}: PDF text differs only in spaces, {len(changed) // 2} line(s):")
    for line in changed:
        print(f"    {line}")


def _docx_text(path: Path) -> str:
    """The words of a Word file in document order: body paragraphs, table cells, header and footer."""
    if not path.exists():
        return ""
    document = Document(str(path))
    body = ["".join(node.itertext()) for node in document.element.body.iter(qn("w:p"))]
    margins = [p.text for section in document.sections for part in (section.header, section.footer)
               for p in part.paragraphs]
    return "\n".join(body + margins)


def main(before: str, after: str) -> int:
    problems = _tables(Path(before), Path(after)) + _reports(Path(before), Path(after))
    for problem in problems:
        print("DIFFERENT:", problem)
    print("identical" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
