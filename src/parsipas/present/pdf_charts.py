"""How the PDF prints the report's SVG charts, for about a fifth less of a report's PDF time than WeasyPrint alone.

WeasyPrint draws a chart element by element, and each label letter by letter (so that a letter can have its own
position, turn and spacing, which matplotlib's labels never use). Two steps keep what is printed and cut that work:
- lighter markup (lighter): what draws nothing goes; the pages are the same to the pixel;
- a label laid out once (text_in_runs), when nothing places its letters one by one and each letter is one code point
  of a left-to-right script (_one_run): with kerning and ligatures off, as a letter laid out alone has them, every
  word lands where WeasyPrint's own route puts it (within a tenth of a point: 0.07 at most in the reports checked),
  and the PDF's text has the same words; a PDF reader now also finds the spaces between a label's words (both
  tested). Any other text is drawn by WeasyPrint's own route.
The HTML report keeps its charts as drawn; these steps touch only what the PDF library is given."""

from __future__ import annotations

import base64
import re
import unicodedata
from math import inf

WEASYPRINT = "70.0"  # the version whose SVG text drawing text_in_runs follows; any other draws its own way

_SVG_IMAGE = re.compile(r'(src="data:image/svg\+xml;base64,)([^"]*)"')
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_NO_TURN = re.compile(r' transform="rotate\(-?0 [-+.e0-9]+ [-+.e0-9]+\)"')
_GROUP_TAG = re.compile(r'<g id="([^"]*)"(/?)>|<g\b[^>]*?(/?)>|</g\s*>')
_REFERENCE = re.compile(r"""(?:url\(\s*["']?#|href\s*=\s*["']#)([^)"'\s]+)""")
_STYLESHEET = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_MATPLOTLIB_STYLESHEET = "*{stroke-linejoin: round; stroke-linecap: butt}"  # the only rule matplotlib's SVG has


def for_print(html: str) -> str:
    """The page with its SVG charts (data URIs) in lighter markup."""
    return _SVG_IMAGE.sub(lambda m: m.group(1) + base64.b64encode(
        lighter(base64.b64decode(m.group(2)).decode("utf-8")).encode("utf-8")).decode("ascii") + '"', html)


def lighter(svg: str) -> str:
    """An SVG chart without what draws nothing: its metadata, turns of text by 0 degrees, and the groups that have
    only a name nobody refers to (matplotlib names every artist: 250 groups in the heatmap). Their contents stay, in
    order; every group that clips, moves or styles stays. An SVG with a stylesheet of its own (whose rules could
    select a group by its name or place) or groups that do not pair up is printed as it is."""
    if any(rules.strip() != _MATPLOTLIB_STYLESHEET for rules in _STYLESHEET.findall(svg)):
        return svg
    lighter_svg = _NO_TURN.sub("", _METADATA.sub("", svg))
    referenced = set(_REFERENCE.findall(lighter_svg))
    kept, unwrapped, start = [], [], 0  # unwrapped: for each open group, whether its tags are dropped
    for tag in _GROUP_TAG.finditer(lighter_svg):
        name, named_and_empty, other_empty = tag.groups()
        if tag.group(0).startswith("</"):
            if not unwrapped:
                return svg
            drop = unwrapped.pop()
        else:
            drop = name is not None and name not in referenced
            if not (named_and_empty or other_empty):
                unwrapped.append(drop)
        if drop:
            kept.append(lighter_svg[start:tag.start()])
            start = tag.end()
    kept.append(lighter_svg[start:])
    return svg if unwrapped else "".join(kept)


# Attributes with which a <text> places, turns or spaces its letters, or aligns itself in a way of its own: such a
# text keeps WeasyPrint's route.
_NOT_ONE_RUN = ("dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing", "display-anchor",
                "dominant-baseline", "alignment-baseline")
_by_letter = None  # WeasyPrint's own text drawing, once text_in_runs has replaced it


def text_in_runs() -> None:
    """From now on in this process, WeasyPrint lays out and draws an SVG label as one run (_text). Only for the
    version it was written against: WeasyPrint's SVG module draws <text>, <tspan>, <textPath> and <a> with one
    function, which it also recognises by identity (svg.text), so every one of those entries is replaced."""
    global _by_letter
    import weasyprint
    from weasyprint import svg

    if weasyprint.__version__ != WEASYPRINT or _by_letter is not None:
        return
    _by_letter = svg.text
    _point_text_tags(svg, _by_letter, _text)


def letter_by_letter() -> None:
    """WeasyPrint's own route again (the tests compare the two)."""
    global _by_letter
    from weasyprint import svg

    if _by_letter is not None:
        _point_text_tags(svg, _text, _by_letter)
        _by_letter = None


def _point_text_tags(svg, old, new) -> None:
    for tag, drawer in svg.TAGS.items():
        if drawer is old:
            svg.TAGS[tag] = new
    svg.text = new


def _one_run(node, xs: list[str], ys: list[str]) -> bool:
    """Whether a text is drawn the same as one run: a <text> (its <tspan> children keep WeasyPrint's route) at one
    position, nothing placing its letters, and letters that are one code point each in a left-to-right script (NFC
    without combining marks or format characters: WeasyPrint draws each code point alone)."""
    text = node.text or ""
    return (node.tag == "text" and bool(text) and len(xs) <= 1 and len(ys) <= 1 and node.get("direction") != "rtl"
            and not any(name in node.attrib for name in _NOT_ONE_RUN) and unicodedata.is_normalized("NFC", text)
            and not any(unicodedata.category(c) in ("Mn", "Mc", "Me", "Cf")
                        or unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in text))


def _positions(node, name: str) -> list[str]:
    from weasyprint.svg.utils import normalize

    return normalize(node.attrib.get(name, "")).split()


def _text(svg, node, font_size: float) -> None:
    """WeasyPrint's svg.text.text for a label at one position: the same style, cursor, bounding box and state, one
    layout and one drawing of the whole text instead of one per letter."""
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line

    xs, ys = _positions(node, "x"), _positions(node, "y")
    if not _one_run(node, xs, ys):
        return _by_letter(svg, node, font_size)
    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = size(xs[0], font_size, svg.inner_width) if xs else None
    y = size(ys[0], font_size, svg.inner_height) if ys else None
    if x:  # as WeasyPrint does: a position given (and not 0) ends the shift of earlier dx and dy
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position, y_position = x + svg.cursor_d_position[0], y + svg.cursor_d_position[1]
    node.text_bounding_box = extend_bounding_box(node.text_bounding_box, (
        (x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    drawn = TextBox(layout, style)
    drawn.baseline = baseline
    emojis = draw_first_line(svg.stream, drawn, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def _style(svg, node, font_size: float):
    """The style WeasyPrint gives a label's letters, with kerning and ligatures off: a letter laid out alone has
    neither, so the run's glyphs keep the letters' advances."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = {"normal": 400, "bold": 700}.get(node.get("font-weight", 400), node.get("font-weight", 400))
    try:
        style["font_weight"] = int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    style["font_kerning"], style["font_variant_ligatures"] = "none", "none"
    return style
