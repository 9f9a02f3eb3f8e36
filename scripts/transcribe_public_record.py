"""Transcribe the shared public record (../shared/sources/*.csv and additions/) into data/raw/public/.

This is how data/raw/public/ was made, kept for provenance; it is not part of the pipeline. Figures, names and URLs
are carried over exactly as published. The quoted source sentences in the shared `note` column are not copied:
each row instead gets `flags`, short tags in our own words for what the note told us (for instance that a rank
was read from the order of a published list), and every URL becomes a `source_id` in sources.csv.
Rows of a table in shared/sources/additions/ (figures found later) follow that table's rows, in the same form;
additions/khanhhoa_internal_index.csv is left out (the province's own index of its units, not a figure of this record).

    python scripts/transcribe_public_record.py ../shared/sources data/raw/public
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

# (shared file, its columns to keep besides source_url/note) -> the raw file keeps the same name.
# A file of the same name in shared/additions/ is appended to it.
TABLES = {
    "par_totals.csv": ["year", "province", "score_pct", "rank"],
    "par_fields.csv": ["year", "province", "field_name", "score", "max_points", "rank_of_63"],
    "sipas_totals.csv": ["year", "province", "sipas_pct", "rank"],
    "sipas_components.csv": ["year", "province", "component", "value_pct", "unit", "rank"],
    "par_summary.csv": ["year", "scope", "metric", "value"],
    "sipas_summary.csv": ["year", "metric", "value"],
}

# Tags in our own words, each found by a pattern in the shared note.
FLAG_PATTERNS = {
    "disagrees_with_other_source": r"CONFLICT|disagrees|conflicts/ties",
    "rank_from_list_order": r"order listed|listing order|(?<!agrees with viet-jo )list order|rank from list|ranks 2-6 by listing|order only|5th in listed order|rank inferred",
    "rank_from_wording_last": r"filled from|rank 63 = 'đứng cuối",
    "quoted_in_later_article": r"from 20\d\d article|quoted as previous-year|as stated in 2023|\(2020 value/rank\)|2020 rank; score not stated|value quoted in a 2019|quoted later|in 2023 infographic|stated in 20\d\d(-results)? article",
    "maybe_provincial_own_survey": r"AMBIGUOUS|likely provincial own survey|NOT MoHA index",
    "value_is_pct_of_max": r"\[score = % of",
    "max_not_stated": r"max not stated|max points not stated",
    "index_year_inferred": r"index year 2023, inferred",
    "mislabelled_in_source": r"literally says",
    "source_text_garbled": r"garbled",
    "translated_repost": r"translation|^(EN|JA|JP|ZH|RU|FR|KO|NL)\b|^\(English\)|^EN source",
}

LANGUAGE_PATTERNS = [
    ("ja", r"^(JA|JP)\b|Japanese|viet-jo\.com|vietnam\.vn/ja/"),
    ("zh", r"^ZH\b|211\.88\.39\.63"),
    ("ru", r"^RU\b|vietnam\.vn/ru/"),
    ("fr", r"^FR\b|lecourrier\.vn"),
    ("ko", r"^KO\b|chaovietnam"),
    ("nl", r"^NL\b|vietnam\.vn/nl/"),
    ("en", r"^EN\b|^\(English\)|^EN source|//en\.|//english\.|//eng\.|//betaen\.|/en/|/en-us/|/english/|vietmaz|talkvietnam|shipbolt|tothethao\.com/bong-da_en"),
]


def source_id(url: str) -> str:
    host = urlparse(url).netloc.lower().split(":")[0]
    host = re.sub(r"^(www|m)\.", "", host)
    return f"{host.split('.')[0] if not host[0].isdigit() else 'ip' + host.replace('.', '-')}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


def flags_for(note: str, values: list[str]) -> str:
    tags = [tag for tag, pattern in FLAG_PATTERNS.items() if re.search(pattern, note)]
    if not any(v.strip() for v in values):
        tags.append("no_figure")
    return ";".join(tags)


def language_for(url: str, notes: list[str]) -> str:
    for language, pattern in LANGUAGE_PATTERNS:
        if re.search(pattern, url) or any(re.search(pattern, n) for n in notes):
            return language
    return "vi"


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main(shared: Path, out: Path) -> None:
    notes_by_url: dict[str, list[str]] = {}
    for name, keep in TABLES.items():
        rows = [row for path in (shared / name, shared / "additions" / name) if path.is_file() for row in read_rows(path)]
        with open(out / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([*keep, "source_id", "flags"])
            for row in rows:
                url = row["source_url"].strip()
                notes_by_url.setdefault(url, []).append(row["note"])
                values = [row[c] for c in keep if c not in ("year", "province", "scope", "metric", "field_name", "component", "unit")]
                writer.writerow([*(row[c].strip() for c in keep), source_id(url) if url else "", flags_for(row["note"], values)])
    with open(out / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["source_id", "site", "language", "url"])
        for url in sorted(u for u in notes_by_url if u):
            site = urlparse(url).netloc.lower().split(":")[0]
            writer.writerow([source_id(url), site, language_for(url, notes_by_url[url]), url])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
