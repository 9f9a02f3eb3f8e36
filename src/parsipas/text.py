"""Folding Vietnamese text for matching: one rule, shared by header and province-name matching."""

from __future__ import annotations

import unicodedata

from .reference import nfc


def fold_diacritics(text: object) -> str:
    """NFC text without diacritics, in lower case: 'Đà Nẵng' -> 'da nang' (Đ does not decompose, so is mapped)."""
    value = nfc(str(text)).replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
