"""Folding Vietnamese text for matching: one rule, shared by header and province-name matching."""

from __future__ import annotations

import re
import unicodedata


def nfc(text: object) -> str:
    """Vietnamese text is compared and stored NFC-normalised with folded white space."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def fold_diacritics(text: object) -> str:
    """NFC text without diacritics, in lower case: 'Đà Nẵng' -> 'da nang' (Đ does not decompose, so is mapped)."""
    value = nfc(str(text)).replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()


def name_key(text: object) -> str:
    """A name for matching: NFC, no diacritics, case or punctuation ('Sở Lao động - Thương binh' -> 'so lao dong thuong
    binh'). A province's own units are matched by it in the analyst's files, the public record and --unit."""
    return " ".join(re.findall(r"[a-z0-9]+", fold_diacritics(text)))


def province_key(name: object) -> str:
    """A province name for matching: ignores diacritics, case, 'TP.'/'Thành phố'/'Tỉnh' and dash variants."""
    text = re.sub(r"[-‐‑–—.]+", " ", fold_diacritics(name).replace("tp.", "tp "))
    text = " ".join(text.split())
    return re.sub(r"^(thanh pho|tp\.?|tinh)\s+", "", text).replace(" ", "")


def slug(text: object) -> str:
    """A code or folder name made of a name: 'Sở Tư pháp' -> 'so-tu-phap' (folded, lower case, hyphens)."""
    return "-".join(re.findall(r"[a-z0-9]+", fold_diacritics(text)))
