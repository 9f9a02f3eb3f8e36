"""How numbers, ranks and dates are written in each language. A figure that is not published comes back as Missing:
it reads "not published" in a table cell, and text() refuses it in a sentence."""

from __future__ import annotations

from parsipas.core.messages import Missing, is_missing, text

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def criterion_number(code: str) -> str:
    """A field's or criterion's number as the Ministry writes it: 'PAR.F3.1' -> '3.1', 'PAR.F3' -> '3'."""
    return code.removeprefix("PAR.F")


def item_label(code: str, name: str) -> str:
    """A criterion as the report names it, '3.1 Name' (its number); a field, whose number the reader does not need,
    by its name alone (code empty)."""
    return f"{criterion_number(code)} {name}".strip()


def date(iso: str, lang: str) -> str:
    """2026-11-29 -> '29/11/2026' in Vietnamese, '29 November 2026' in English."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day:02d}/{month:02d}/{year}" if lang == "vi" else f"{day} {MONTHS_EN[month - 1]} {year}"


def number(value: float | None, lang: str, decimals: int = 2) -> str:
    """85.11 -> '85,11' in Vietnamese, '85.11' in English; missing -> 'not published' in the language."""
    if is_missing(value):
        return Missing(text("not_published", lang))
    written = f"{value:.{decimals}f}"
    return written.replace(".", ",") if lang == "vi" else written


def rank(value: float | None, lang: str, out_of: float | None) -> str:
    """A place among the units its year ranks, '3/21': out_of is the count of the rank's own year; the place alone
    where that count is not known (a group whose size was not published)."""
    if is_missing(value):
        return Missing(text("not_published", lang))
    if is_missing(out_of):
        return number(value, lang, 0)
    return text("rank_of", lang, rank=int(value), total=int(out_of))


def count_of(count: float | None, lang: str, out_of: float, decimals: int = 0) -> str:
    """A part of a whole, '40/44' (units known of the units ranked) or '14,00/20,00' (points of the maximum)."""
    if is_missing(count):
        return Missing(text("not_published", lang))
    return text("count_of", lang, count=number(count, lang, decimals), total=number(out_of, lang, decimals))


def rank_change(places: float | None, lang: str) -> str:
    if is_missing(places):
        return Missing(text("not_published", lang))
    if places > 0:
        return text("rank_up_one" if places == 1 else "rank_up", lang, n=int(places))
    if places < 0:
        return text("rank_down_one" if places == -1 else "rank_down", lang, n=int(-places))
    return text("rank_same", lang)


def signed(value: float | None, lang: str, decimals: int = 2) -> str:
    """A change with its sign, '+1,25' / '−7' (decimals 0 for places of a rank)."""
    if is_missing(value):
        return Missing(text("not_published", lang))
    return ("+" if value > 0 else "−" if value < 0 else "±") + number(abs(value), lang, decimals)
