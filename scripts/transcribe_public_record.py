"""Transcribe the shared public record (../shared/sources/*.csv, additions/, additions/2026-12/) into data/raw/public/.

This is how data/raw/public/ was made, kept for provenance; it is not part of the pipeline. Figures, names and URLs
are carried over exactly as published. The quoted source sentences in the shared `note` column are not copied:
each row instead gets `flags`, short tags in our own words for what the note told us (for instance that a rank
was read from the order of a published list), and every URL becomes a `source_id` in sources.csv.
Every page gets a readable `publisher`. A page that is a copy of another publisher's article (a betting site or a
football site carrying a VietnamPlus or VnExpress story) is cited by the original's URL where the copy's path shows
it, the copy kept in `mirror_url`; where the original's URL cannot be derived, the copy's URL stays in `url` and in
`mirror_url`, and `publisher` names the copy site and whose article it carries (cleaning never cites such a page).
The same page written with or without www., over http or https, or with a trailing slash, is one source.
Rows of a table in shared/sources/additions/ and additions/2026-12/ (figures found later) follow that table's rows,
in the same form; rows repeating a figure on record are kept (a second source confirms it, or disagrees). A national
average met in a totals table (province "Cả nước (trung bình ...)") goes to the summary table of its index.
The top and bottom lists of additions/2026-12/ (*_lists.csv) keep their own files, in the columns of the totals.
A row read at a copy (a site of data/reference/copy_domains.csv) whose note names the original publisher's page
stating the same figure is cited by that page: the copy is then only provenance, never an address to cite.
The provinces' own indices of their units (not figures of the Ministry's index of provinces) become
internal_index.csv, one unit set per province (its slug): additions/khanhhoa_internal_index.csv (Khánh Hòa), whose
compiled group label is split into the indicator, the group's name and the group size the page states, and
additions/2026-12/internal_index.csv (Hải Phòng, Tuyên Quang, Khánh Hòa, Hòa Bình), whose "group – indicator" label
is split the same way; a figure of one criterion of a survey keeps the criterion's name in `criterion`.

    python scripts/transcribe_public_record.py ../shared/sources data/raw/public
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

# (shared file, its columns to keep besides source_url/note) -> the raw file keeps the same name.
# A file of the same name in each folder of ADDITIONS is appended to it, in that order.
TABLES = {
    "par_totals.csv": ["year", "province", "score_pct", "rank"],
    "par_totals_lists.csv": ["year", "province", "score_pct", "rank"],
    "par_fields.csv": ["year", "province", "field_name", "score", "max_points", "rank_of_63"],
    "sipas_totals.csv": ["year", "province", "sipas_pct", "rank"],
    "sipas_totals_lists.csv": ["year", "province", "sipas_pct", "rank"],
    "sipas_components.csv": ["year", "province", "component", "value_pct", "unit", "rank"],
    "par_summary.csv": ["year", "scope", "metric", "value"],
    "sipas_summary.csv": ["year", "metric", "value"],
}
ADDITIONS = ["additions", "additions/2026-12"]
# A national average stated in a totals table goes to its index's summary table: (summary table, its cells).
NATIONAL_AVERAGE = r"^Cả nước \(trung bình"
SUMMARY_OF = {
    "par_totals.csv": ("par_summary.csv", lambda row: {"scope": "provinces", "metric": "national_average",
                                                       "value": row["score_pct"]}),
    "par_totals_lists.csv": ("par_summary.csv", lambda row: {"scope": "provinces", "metric": "national_average",
                                                             "value": row["score_pct"]}),
    "sipas_totals.csv": ("sipas_summary.csv", lambda row: {"metric": "national_avg_pct", "value": row["sipas_pct"]}),
    "sipas_totals_lists.csv": ("sipas_summary.csv", lambda row: {"metric": "national_avg_pct",
                                                                 "value": row["sipas_pct"]}),
}
# A unit such as "% of respondents" is a percentage; the loader reads "pct" or "%".
PERCENT_UNIT = r"^% \w"

# Tags in our own words, each found by a pattern in the shared note.
FLAG_PATTERNS = {
    "disagrees_with_other_source": r"CONFLICT|disagrees|conflicts/ties|sources disagree|CAVEAT: Lao Động",
    "rank_from_list_order": r"order listed|listing order|(?<!agrees with viet-jo )list order|rank from list"
                            r"|ranks 2-6 by listing|order only|5th in listed order|rank inferred",
    "rank_from_wording_last": r"filled from|rank 63 = 'đứng cuối",
    "quoted_in_later_article": r"from 20\d\d article|quoted as previous-year|as stated in 2023|\(2020 value/rank\)"
                               r"|2020 rank; score not stated|value quoted in a 2019|quoted later|in 2023 infographic"
                               r"|stated in 20\d\d(-results)? article",
    "maybe_provincial_own_survey": r"AMBIGUOUS|likely provincial own survey|NOT MoHA index",
    "value_is_pct_of_max": r"\[score = % of|' – percentage",
    "max_not_stated": r"max not stated|max points not stated",
    "index_year_inferred": r"index year 2023, inferred|does not state index year|same year caveat",
    "mislabelled_in_source": r"literally says",
    "source_text_garbled": r"garbled",
    "translated_repost": r"translation|^(EN|JA|JP|ZH|RU|FR|KO|NL)\b|^\(English\)|^EN source|English repost"
                         r"|English version|English edition|VGP English|Báo Bình Dương English|Lao Động English"
                         r"|English page of|Spanish version",
    "rank_left_empty_order_only": r"rank not stated explicitly|rank not explicit|order/rank not stated"
                                  r"|ranks within top 5 not stated|ranks not stated|1st in 'followed by'"
                                  r"|\dth in 'followed by'|\dnd in 'followed by'|\drd in 'followed by'",
    "partial_list": r"^PARTIAL",
}

LANGUAGE_PATTERNS = [
    ("ja", r"^(JA|JP)\b|Japanese|viet-jo\.com|vietnam\.vn/ja/"),
    ("zh", r"^ZH\b|211\.88\.39\.63"),
    ("ru", r"^RU\b|vietnam\.vn/ru/"),
    ("fr", r"^FR\b|lecourrier\.vn"),
    ("ko", r"^KO\b|chaovietnam"),
    ("nl", r"^NL\b|vietnam\.vn/nl/"),
    ("es", r"//es\."),
    ("en", r"^EN\b|^\(English\)|^EN source|//en\.|//english\.|//eng\.|//betaen\.|/en/|/en-us/|/english/"
           r"|vietmaz|talkvietnam|shipbolt|tothethao\.com/bong-da_en|//vietnamnews\.vn/|//news\.laodong\.vn/"),
]


# The publisher of each site (host without www./m.), in its own name.
PUBLISHERS = {
    "211.88.39.63": "Văn phòng Kinh tế - Thương mại, Tổng Lãnh sự quán Trung Quốc tại TP. Hồ Chí Minh",
    "bandantoc.yenbai.gov.vn": "Ban Dân tộc tỉnh Yên Bái",
    "baoangiang.com.vn": "Báo An Giang",
    "baoapbac.vn": "Báo Ấp Bắc",
    "baobackan.vn": "Báo Bắc Kạn",
    "baobariavungtau.com.vn": "Báo Bà Rịa - Vũng Tàu",
    "baobinhduong.vn": "Báo Bình Dương",
    "baocamau.vn": "Báo Cà Mau",
    "baodantoc.vn": "Báo Dân tộc và Phát triển",
    "baodongkhoi.vn": "Báo Đồng Khởi",
    "baodongnai.com.vn": "Báo Đồng Nai",
    "baogialai.com.vn": "Báo Gia Lai",
    "baohatinh.vn": "Báo Hà Tĩnh",
    "baohoabinh.com.vn": "Báo Hòa Bình",
    "en.baohoabinh.com.vn": "Báo Hòa Bình",
    "baokhanhhoa.vn": "Báo Khánh Hòa",
    "baolaocai.vn": "Báo Lào Cai",
    "baonghean.vn": "Báo Nghệ An",
    "baophapluat.vn": "Báo Pháp luật Việt Nam",
    "baoquocte.vn": "Báo Thế giới và Việt Nam",
    "baosonla.org.vn": "Báo Sơn La",
    "baotayninh.vn": "Báo Tây Ninh",
    "baothanhhoa.vn": "Báo Thanh Hóa",
    "baotintuc.vn": "Báo Tin tức (TTXVN)",
    "baotuyenquang.com.vn": "Báo Tuyên Quang",
    "baovinhlong.com.vn": "Báo Vĩnh Long",
    "betaen.vietnamplus.vn": "VietnamPlus",
    "bqlctgt.khanhhoa.gov.vn": "Ban Quản lý dự án công trình giao thông tỉnh Khánh Hòa",
    "bqlkcn.daknong.gov.vn": "Ban Quản lý các khu công nghiệp tỉnh Đắk Nông",
    "cadn.com.vn": "Báo Công an Đà Nẵng",
    "caicachhanhchinh.dongnai.gov.vn": "Cổng thông tin cải cách hành chính tỉnh Đồng Nai",
    "cantho.gov.vn": "Cổng thông tin điện tử TP. Cần Thơ",
    "cchc.khanhhoa.gov.vn": "Cổng thông tin cải cách hành chính tỉnh Khánh Hòa",
    "chaovietnam.co.kr": "Xin chào Việt Nam (Hàn Quốc)",
    "dangcongsan.org.vn": "Tỉnh ủy Phú Yên",
    "doanhnghiepbacgiang.vn": "Doanh nghiệp Bắc Giang",
    "doanhnghiephoinhap.vn": "Doanh nghiệp Hội nhập",
    "en.doanhnghiephoinhap.vn": "Doanh nghiệp Hội nhập",
    "doanhnghieptiepthi.vn": "Doanh nghiệp và Tiếp thị",
    "dofa.tuyenquang.gov.vn": "Sở Ngoại vụ tỉnh Tuyên Quang",
    "en.baochinhphu.vn": "Báo Điện tử Chính phủ",
    "en.baophuyen.vn": "Báo Phú Yên",
    "en.baotuyenquang.com.vn": "Báo Tuyên Quang",
    "es.laodong.vn": "Báo Lao Động",
    "quangninh.gov.vn": "Sở Nội vụ tỉnh Quảng Ninh",
    "thoibaotaichinhvietnam.vn": "Thời báo Tài chính Việt Nam",
    "thongtin.vietnam.vn": "Vietnam.vn",
    "thongtindoingoai.sonla.gov.vn": "Trang thông tin đối ngoại tỉnh Sơn La",
    "thuonghieuvaphapluat.vn": "Tạp chí Thương hiệu và Pháp luật",
    "vjs.vietnam.vn": "Vietnam.vn",
    "en.hungyen.gov.vn": "Cổng thông tin điện tử tỉnh Hưng Yên",
    "en.sggp.org.vn": "Báo Sài Gòn Giải Phóng",
    "sggp.org.vn": "Báo Sài Gòn Giải Phóng",
    "en.vietnamplus.vn": "VietnamPlus",
    "vietnamplus.vn": "VietnamPlus",
    "eng.binhduong.gov.vn": "Cổng thông tin điện tử tỉnh Bình Dương",
    "english.baoquangninh.vn": "Báo Quảng Ninh",
    "giaoducthoidai.vn": "Báo Giáo dục và Thời đại",
    "hanam.gov.vn": "Cổng thông tin điện tử tỉnh Hà Nam",
    "hanoitimes.vn": "Hanoi Times",
    "hatinh.gov.vn": "Cổng thông tin điện tử tỉnh Hà Tĩnh",
    "ict.thainguyen.gov.vn": "Sở Thông tin và Truyền thông tỉnh Thái Nguyên",
    "infographics.vn": "Infographics.vn (TTXVN)",
    "khdt.daklak.gov.vn": "Sở Kế hoạch và Đầu tư tỉnh Đắk Lắk",
    "kinhte.congthuong.vn": "Báo Công Thương",
    "kinhtedothi.vn": "Báo Kinh tế & Đô thị",
    "kinhtetieudung.vn": "Tạp chí Kinh tế và Tiêu dùng",
    "kontumtoday.net": "Kon Tum Today",
    "laocai.gov.vn": "Cổng thông tin điện tử tỉnh Lào Cai",
    "laodong.vn": "Báo Lao Động",
    "news.laodong.vn": "Báo Lao Động",
    "laodongthudo.vn": "Báo Lao động Thủ đô",
    "lecourrier.vn": "Le Courrier du Vietnam",
    "moitruong.net.vn": "Tạp chí Môi trường và Cuộc sống",
    "news.gov.vn": "Cổng Thông tin điện tử Chính phủ",
    "ngaynay.vn": "Báo Ngày Nay",
    "nghean24h.vn": "Nghệ An 24h",
    "ninhbinhinvest.vn": "Ninh Bình Invest",
    "ninhthuan.gov.vn": "Cổng thông tin điện tử tỉnh Ninh Thuận",
    "noichinh.vn": "Tạp chí Nội chính",
    "nvsk.vnanet.vn": "TTXVN (Nhân vật - Sự kiện)",
    "phapykhanhhoa.vn": "Trung tâm Pháp y tỉnh Khánh Hòa",
    "phunuonline.com.vn": "Báo Phụ nữ TP. Hồ Chí Minh",
    "qbtv.vn": "Đài Phát thanh và Truyền hình Quảng Bình",
    "quochoitv.vn": "Truyền hình Quốc hội",
    "sctyenbai.gov.vn": "Sở Công Thương tỉnh Yên Bái",
    "snv.kontum.gov.vn": "Sở Nội vụ tỉnh Kon Tum",
    "sonoivu.namdinh.gov.vn": "Sở Nội vụ tỉnh Nam Định",
    "sonoivu.yenbai.gov.vn": "Sở Nội vụ tỉnh Yên Bái",
    "sonv.ninhthuan.gov.vn": "Sở Nội vụ tỉnh Ninh Thuận",
    "stttt.quangngai.gov.vn": "Sở Thông tin và Truyền thông tỉnh Quảng Ngãi",
    "susta.vn": "Susta.vn",
    "tayho.hanoi.gov.vn": "Cổng thông tin điện tử quận Tây Hồ (Hà Nội)",
    "tcdulichtphcm.vn": "Tạp chí Du lịch TP. Hồ Chí Minh",
    "thainguyentv.vn": "Đài Phát thanh và Truyền hình Thái Nguyên",
    "thitruonghanghoa.com": "Thị trường Hàng hóa",
    "thuathienhue.gov.vn": "Cổng thông tin điện tử tỉnh Thừa Thiên Huế",
    "thuonghieucongluan.com.vn": "Tạp chí Thương hiệu và Công luận",
    "tienphong.vn": "Báo Tiền Phong",
    "travinh.gov.vn": "Cổng thông tin điện tử tỉnh Trà Vinh",
    "trungtamhanhchinhcong.camau.gov.vn": "Trung tâm Giải quyết thủ tục hành chính tỉnh Cà Mau",
    "truyenhinhdaknong.vn": "Đài Phát thanh và Truyền hình Đắk Nông",
    "truyenhinhnghean.vn": "Đài Phát thanh và Truyền hình Nghệ An",
    "vccinews.com": "VCCI News (Liên đoàn Thương mại và Công nghiệp Việt Nam)",
    "vhttdl.sonla.gov.vn": "Sở Văn hóa, Thể thao và Du lịch tỉnh Sơn La",
    "viet-jo.com": "Viet-jo",
    "vietnam.vn": "Vietnam.vn",
    "vietnam.vnanet.vn": "TTXVN (Vietnam News Agency)",
    "vietnambiz.vn": "VietnamBiz",
    "vietnamnet.vn": "VietNamNet",
    "vietnamnews.vn": "Việt Nam News (TTXVN)",
    "vjst.vn": "Tạp chí Khoa học và Công nghệ Việt Nam",
    "vss.gov.vn": "Bảo hiểm xã hội Việt Nam",
}

# Sites whose pages are copies of another publisher's article (data/reference/copy_domains.csv: the domain, the
# publisher it copies, why it is never cited), and how the original's URL follows from the copy's path (None: it
# does not). An original named in the note ("from Báo Ấp Bắc") comes first.
COPY_DOMAINS = Path(__file__).resolve().parents[1] / "data/reference/copy_domains.csv"
DERIVE_ORIGINAL = {
    "ufabetindo.in": lambda copy, urls: "https://en.vietnamplus.vn" + urlparse(copy).path,
    "tintucnhatrang.com": lambda copy, urls: original_by_slug(copy, "baokhanhhoa.vn", urls),
}
# A copy whose original's address is unknown: its page is the copy site's, and says whose article it carries.
COPY_PUBLISHER = "{site} (bản sao bài của {original})"
ORIGINAL_NOT_NAMED = "báo gốc không ghi"
URL_IN_NOTE = r"https?://[^\s)'\"]+"


def copy_domains() -> dict[str, str]:
    """Copy site -> the publisher it copies ('' where it names none)."""
    with open(COPY_DOMAINS, encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {row["domain"]: row["copy_of"] for row in rows}


# The provinces' own indices of their units: one published figure of one unit per row, one unit set per province.
INTERNAL_FILE = "internal_index.csv"
INTERNAL_COLUMNS = ["year", "province", "unit_set", "indicator", "criterion", "group", "group_size", "unit",
                    "score_pct", "rank", "source_id", "flags"]
# Khánh Hòa's index (Decision 4044/QĐ-UBND) as first compiled: a group label with its size, the survey by a prefix.
INTERNAL_SOURCE = "additions/khanhhoa_internal_index.csv"
INTERNAL_PROVINCE = "Khánh Hòa"
# The compiler marks the province's own satisfaction survey with this prefix; its other rows are its PAR index.
INTERNAL_SIPAS_PREFIX = "SIPAS nội bộ:"
# The group's size as the page states it ("8 đơn vị", "21 đơn vị" inside the label, "3 đơn vị đánh giá").
GROUP_SIZE = r"(\d+) đơn vị"
GROUP_SIZE_IN_LABEL = r"\s*\(\d+ đơn vị[^)]*\)|,\s*\d+ đơn vị(?=\))"
# The later compilation (additions/2026-12/internal_index.csv): "<group> – <index>[ (tiêu chí <criterion>)]", the
# size in its own column; the index is the province's PAR index ("Chỉ số CCHC") or its satisfaction survey (SIPAS).
INTERNAL_LATER_SOURCE = "additions/2026-12/internal_index.csv"
INDEX_OF_LABEL = {"Chỉ số CCHC": "PAR", "SIPAS": "SIPAS"}
LATER_LABEL = r"^(?P<group>.+?) – (?P<index>Chỉ số CCHC|SIPAS)(?: \(tiêu chí (?P<criterion>[^)]+)\))?$"
# Tags in our own words for how each figure of the internal index was read.
INTERNAL_FLAG_PATTERNS = {
    "rank_from_wording_first": r"dẫn đầu|đứng đầu|cao nhất|leading position",
    "rank_from_wording_last": r"thấp nhất|đứng cuối|lowest-scoring unit",
    "rank_from_list_order": r"rank = order listed",
    "rank_not_stated": r"rank not stated",
    "group_size_is_units_assessed": r"\d+ đơn vị (đủ điều kiện )?đánh giá|agencias evaluadas",
    "translated_repost": r"English|Spanish version",
}
# A row naming a group's average, not a unit (its unit cell is the compiler's "(trung bình ...)").
GROUP_AVERAGE = r"^\(trung bình"


def site_of(url: str) -> str:
    return urlparse(url).netloc.lower().split(":")[0]


def host_of(url: str) -> str:
    return re.sub(r"^(www|m)\.", "", site_of(url))


def original_by_slug(copy: str, host: str, urls: list[str]) -> str | None:
    """The recorded URL on host whose path holds the copy's slug (the copy's own trailing id dropped)."""
    slug = re.sub(r"-\d+\.html?$", "", urlparse(copy).path.rstrip("/").rsplit("/", 1)[-1])
    found = [u for u in urls if site_of(u) == host and f"/{slug}-" in u]
    return found[0] if len(found) == 1 else None


def registry_row(page: str, urls: list[str], notes: list[str], copies: dict[str, str]) -> list[str]:
    """source_id, site, language, publisher, url, mirror_url of the page read at `page`. A copy cited by its
    original keeps its own address only in mirror_url; a copy whose original is unknown is the copy site's page
    (url = mirror_url), which cleaning never cites."""
    host = host_of(page)
    url, mirror_url, publisher = page, "", PUBLISHERS.get(host)
    if host in copies:
        named = [m[1] for n in notes if (m := re.search(r"\(from (Báo [^)]+)\)", n))]
        original = named[0] if named else copies[host] or ORIGINAL_NOT_NAMED
        derive = DERIVE_ORIGINAL.get(host)
        url, mirror_url = (derive and derive(page, urls)) or page, page
        publisher = original if url != page else COPY_PUBLISHER.format(site=host, original=original)
    if publisher is None:
        raise SystemExit(f"no publisher known for {host}: add it to PUBLISHERS")
    return [source_id(page), site_of(url), language_for(url, notes), publisher, url, mirror_url]


def source_id(url: str) -> str:
    host = host_of(url)
    name = host.split(".")[0] if not host[0].isdigit() else "ip" + host.replace(".", "-")
    return f"{name}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


def flags_for(note: str, values: list[str], rank: str = "") -> str:
    """The tags of a row's note; a rank left empty for want of a stated place is tagged only where it is empty."""
    tags = [tag for tag, pattern in FLAG_PATTERNS.items() if re.search(pattern, note)
            and not (tag == "rank_left_empty_order_only" and rank.strip())]
    if not any(v.strip() for v in values):
        tags.append("no_figure")
    return ";".join(tags)


def language_for(url: str, notes: list[str]) -> str:
    for language, pattern in LANGUAGE_PATTERNS:
        if re.search(pattern, url) or any(re.search(pattern, n) for n in notes):
            return language
    return "vi"


def cited_page(url: str, note: str, copies: dict[str, str]) -> str:
    """The page a row is cited by: its own, or, for a copy, the original publisher's page its note names as stating
    the same figure (the first address in the note that is not a copy)."""
    if host_of(url) not in copies:
        return url
    originals = [u for u in re.findall(URL_IN_NOTE, note) if host_of(u) not in copies]
    return originals[0] if originals else url


def same_page(url: str, seen: dict[str, str]) -> str:
    """A page's address as first recorded: the same page written with or without www. or a trailing slash, over
    http or https, is one source, so that the conflict rule counts it once."""
    parsed = urlparse(url)
    key = f"{host_of(url)}{parsed.path.rstrip('/')}?{parsed.query}"
    return seen.setdefault(key, url)


def internal_row(row: dict[str, str]) -> list[str]:
    """One row of Khánh Hòa's first compilation: the compiled label split into indicator, group and stated group
    size. A rank the page does not state stays empty (flagged rank_not_stated), never filled from the compiler's
    guess."""
    label = row["unit_type"].strip()
    indicator = "SIPAS" if label.startswith(INTERNAL_SIPAS_PREFIX) else "PAR"
    size = re.search(GROUP_SIZE, label)
    group = re.sub(GROUP_SIZE_IN_LABEL, "", label.removeprefix(INTERNAL_SIPAS_PREFIX)).strip()
    return internal_line(row, INTERNAL_PROVINCE, indicator, "", group, size[1] if size else "", label)


def later_internal_rows(rows: list[dict[str, str]]) -> list[list[str]]:
    """The rows of the later compilation: "<group> – <index> (tiêu chí <criterion>)" split into its parts. A size
    that a note of the group says counts only the units assessed is flagged so on every row of that group."""
    split = []
    for row in rows:
        label = row["unit_group"].strip()
        parts = re.match(LATER_LABEL, label)
        if parts is None:
            raise SystemExit(f"unit_group not read: {label!r} (expected '<group> – Chỉ số CCHC|SIPAS')")
        split.append((row, label, parts))
    assessed = {(row["province"], row["year"], parts["group"]) for row, label, parts in split
                if re.search(INTERNAL_FLAG_PATTERNS["group_size_is_units_assessed"], row["note"])}
    return [internal_line(row, row["province"].strip(), INDEX_OF_LABEL[parts["index"]], parts["criterion"] or "",
                          parts["group"], row["group_size"].strip(), label,
                          (row["province"], row["year"], parts["group"]) in assessed) for row, label, parts in split]


def internal_line(row: dict[str, str], province: str, indicator: str, criterion: str, group: str, size: str,
                  label: str, units_assessed: bool = False) -> list[str]:
    said = f"{label} {row['note']}"
    tags = [tag for tag, pattern in INTERNAL_FLAG_PATTERNS.items() if re.search(pattern, said, re.IGNORECASE)
            or (tag == "group_size_is_units_assessed" and units_assessed)]
    score = row["score_pct"].strip()
    if score and re.search(re.escape(score).replace(r"\.", "[.,]") + " (điểm|points)", row["note"]):
        tags.append("score_stated_in_points")
    if re.search(GROUP_AVERAGE, row["unit"].strip()):
        tags.append("group_average")
    if not row["score_pct"].strip() and not row["rank"].strip():
        tags.append("no_figure")
    return [row["year"].strip(), province, slug(province), indicator, criterion, group, size, row["unit"].strip(),
            row["score_pct"].strip(), row["rank"].strip(), source_id(row["source_url"].strip()), ";".join(tags)]


@lru_cache(maxsize=None)
def slug(province: str) -> str:
    """A province's unit set: its slug in data/reference/provinces.csv (e.g. Hải Phòng -> hai-phong)."""
    with open(COPY_DOMAINS.with_name("provinces.csv"), encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return next(row["slug"] for row in rows if row["name_vi"] == province)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main(shared: Path, out: Path) -> None:
    copies = copy_domains()
    notes_by_url: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    rows_of: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES}
    for name in TABLES:
        for folder in [shared, *(shared / a for a in ADDITIONS)]:
            for row in read_rows(folder / name) if (folder / name).is_file() else []:
                province = row.get("province", "")
                if name in SUMMARY_OF and re.search(NATIONAL_AVERAGE, province):
                    summary, cells = SUMMARY_OF[name]
                    rows_of[summary].append({**row, **cells(row)})
                else:
                    rows_of[name].append(row)
    for name, keep in TABLES.items():
        with open(out / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([*keep, "source_id", "flags"])
            for row in rows_of[name]:
                url = row["source_url"].strip() and same_page(cited_page(row["source_url"].strip(), row["note"],
                                                                          copies), seen)
                notes_by_url.setdefault(url, []).append(row["note"])
                if "unit" in row and re.search(PERCENT_UNIT, row["unit"].strip()):
                    row = {**row, "unit": "pct"}
                labels = ("year", "province", "scope", "metric", "field_name", "component", "unit")
                values = [row[c] for c in keep if c not in labels]
                writer.writerow([*(row[c].strip() for c in keep), source_id(url) if url else "",
                                 flags_for(row["note"], values, row.get("rank", row.get("rank_of_63", "")))])
    with open(out / INTERNAL_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(INTERNAL_COLUMNS)
        for source, transcribe in ((INTERNAL_SOURCE, lambda rows: [internal_row(r) for r in rows]),
                                   (INTERNAL_LATER_SOURCE, later_internal_rows)):
            rows = read_rows(shared / source)
            for row in rows:
                row["source_url"] = same_page(row["source_url"].strip(), seen)
                notes_by_url.setdefault(row["source_url"], []).append(row["note"])
            writer.writerows(transcribe(rows))
    with open(out / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["source_id", "site", "language", "publisher", "url", "mirror_url"])
        urls = sorted(u for u in notes_by_url if u)
        for url in urls:
            writer.writerow(registry_row(url, urls, notes_by_url[url], copies))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
