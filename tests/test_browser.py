"""The HTML report in a real headless Chromium (Debian's package) with the network blocked."""

from __future__ import annotations

import shutil

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by `make setup`"),
              pytest.mark.slow]


KEY = {"default_report": ("Tóm tắt", "Chỉ số hài lòng SIPAS", ["85,11%", "48/63", "86,19%", "25/63", "Khánh Hòa"]),
       "english_report": ("Summary", "SIPAS satisfaction index", ["85.11%", "48/63", "86.19%", "25/63", "Khánh Hòa"]),
       "synthetic_report": ("Tóm tắt", "Chỉ số hài lòng SIPAS", ["Khánh Hòa", "/63"]),
       "internal_overview": ("Tóm tắt", "Xếp hạng theo khối", ["Sở Nội vụ", "5/21", "85,71", "44/44"]),
       "internal_unit": ("Tóm tắt", "Năm 2024 so với năm 2023, theo lĩnh vực", ["Sở Nội vụ", "5/21", "85,71", "77,45"])}
# share of maximum and rank change by field, the heatmap, rank and score over the years; SIPAS by element where the
# data has it (the synthetic tables). A province's own index: bars per group (4), fields' spread, group averages over
# the years; a unit's fields against its group.
CHARTS = {"default_report": 5, "english_report": 5, "synthetic_report": 6, "internal_overview": 6, "internal_unit": 1}


@pytest.fixture(scope="module", params=list(KEY))
def page_report(request):
    report = request.getfixturevalue(request.param)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        results = {"requests": [], "console": []}
        for width in (1100, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.on("request", lambda request: results["requests"].append(request.url))
            page.on("console", lambda message: results["console"].append((message.type, message.text)))
            page.on("pageerror", lambda error: results["console"].append(("pageerror", str(error))))
            page.goto((report / "report.html").as_uri(), wait_until="load")
            results[width] = page.evaluate("""() => ({
                charts: [...document.querySelectorAll('figure.chart img')].map(i => i.complete && i.naturalWidth > 0
                    ? i.getBoundingClientRect().width * i.getBoundingClientRect().height : 0),
                headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
                text: document.body.innerText,
                overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            })""")
            page.close()
        browser.close()
    results["name"] = request.param
    return results


def test_no_request_leaves_the_file_and_no_console_error(page_report):
    assert page_report["requests"] and all(url.startswith("file:") for url in page_report["requests"])
    assert not [m for m in page_report["console"] if m[0] in ("error", "pageerror")], page_report["console"]


def test_every_chart_renders_with_a_size(page_report):
    charts = page_report[1100]["charts"]
    assert len(charts) == CHARTS[page_report["name"]] and all(area > 10_000 for area in charts)


def test_headings_and_key_numbers_are_shown(page_report):
    seen = page_report[1100]
    summary, sipas, fragments = KEY[page_report["name"]]
    assert summary in seen["headings"] and sipas in seen["headings"]
    for fragment in fragments:
        assert fragment in seen["text"]


def test_readable_at_phone_width_without_page_overflow(page_report):
    assert page_report[390]["overflow"] <= 1
