"""Transcribe the shared public record (../shared/sources/*.csv and additions/) into data/raw/public/.

This is how data/raw/public/ was made, kept for provenance; it is not part of the pipeline. Figures, names and URLs
are carried over exactly as published. The quoted source sentences in the shared `note` column are not copied:
each row instead gets `flags`, short tags in our own words for what the note told us (for instance that a rank
was read from the order of a published list), and every URL becomes a `source_id` in sources.csv.
Every page gets a readable `publisher`. A page that is a copy of another publisher's article (a betting site or a
football site carrying a VietnamPlus or VnExpress story) is cited by the original's URL where the copy's path shows
it, the copy kept in `mirror_url`; where the original's URL cannot be derived, the copy's URL stays in `url` and in
`mirror_url`, and `publisher` names the original publisher.
Rows of a table in shared/sources/additions/ (figures found later) follow that table's rows, in the same form.
additions/khanhhoa_internal_index.csv, the province's own index of its departments, districts and other units (not a
figure of the Ministry's index of provinces), becomes internal_index.csv: its compiled group label is split into the
indicator, the group's name and the group size the page states, so that a loader needs no parsing of prose.

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
    "rank_from_list_order": r"order listed|listing order|(?<!agrees with viet-jo )list order|rank from list"
                            r"|ranks 2-6 by listing|order only|5th in listed order|rank inferred",
    "rank_from_wording_last": r"filled from|rank 63 = 'đứng cuối",
    "quoted_in_later_article": r"from 20\d\d article|quoted as previous-year|as stated in 2023|\(2020 value/rank\)"
                               r"|2020 rank; score not stated|value quoted in a 2019|quoted later|in 2023 infographic"
                               r"|stated in 20\d\d(-results)? article",
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
    ("en", r"^EN\b|^\(English\)|^EN source|//en\.|//english\.|//eng\.|//betaen\.|/en/|/en-us/|/english/"
           r"|vietmaz|talkvietnam|shipbolt|tothethao\.com/bong-da_en"),
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

# Sites whose pages are copies of another publisher's article: the original publisher, and how the original's URL
# follows from the copy's path (None: it does not). An original named in the note ("from Báo Ấp Bắc") comes first.
ORIGINAL_NOT_NAMED = "{site} (đăng lại, báo gốc không ghi)"
MIRRORS = {
    "ufabetindo.in": ("VietnamPlus", lambda copy, urls: "https://en.vietnamplus.vn" + urlparse(copy).path),
    "tothethao.com": ("VnExpress International", None),
    "tintucnhatrang.com": ("Báo Khánh Hòa", lambda copy, urls: original_by_slug(copy, "baokhanhhoa.vn", urls)),
    "vietmaz.com": ("Việt Nam News (TTXVN)", None),
    "talkvietnam.org": ("Việt Nam News (TTXVN)", None),
    "shipbolt.vn": ("TTXVN (Vietnam News Agency)", None),
    "baomoi.com": (ORIGINAL_NOT_NAMED, None),
    "baomoi.net.vn": (ORIGINAL_NOT_NAMED, None),
    "hethongphapluat.vn": ("UBND TP. Cần Thơ", None),
}


# Khánh Hòa's own index of its units (Decision 4044/QĐ-UBND): one published figure of one unit per row.
INTERNAL_SOURCE = "additions/khanhhoa_internal_index.csv"
INTERNAL_FILE = "internal_index.csv"
INTERNAL_COLUMNS = ["year", "province", "unit_set", "indicator", "group", "group_size", "unit", "score_pct", "rank",
                    "source_id", "flags"]
INTERNAL_PROVINCE, INTERNAL_UNIT_SET = "Khánh Hòa", "khanh-hoa"
# The compiler marks the province's own satisfaction survey with this prefix; its other rows are its PAR index.
INTERNAL_SIPAS_PREFIX = "SIPAS nội bộ:"
# The group's size as the page states it ("8 đơn vị", "21 đơn vị" inside the label, "3 đơn vị đánh giá").
GROUP_SIZE = r"(\d+) đơn vị"
GROUP_SIZE_IN_LABEL = r"\s*\(\d+ đơn vị[^)]*\)|,\s*\d+ đơn vị(?=\))"
# Tags in our own words for how each figure of the internal index was read.
INTERNAL_FLAG_PATTERNS = {
    "rank_from_wording_first": r"dẫn đầu|đứng đầu|cao nhất",
    "rank_from_wording_last": r"thấp nhất|đứng cuối",
    "rank_not_stated": r"rank not stated",
    "group_size_is_units_assessed": r"\d+ đơn vị đánh giá",
}


def site_of(url: str) -> str:
    return urlparse(url).netloc.lower().split(":")[0]


def original_by_slug(copy: str, host: str, urls: list[str]) -> str | None:
    """The recorded URL on host whose path holds the copy's slug (the copy's own trailing id dropped)."""
    slug = re.sub(r"-\d+\.html?$", "", urlparse(copy).path.rstrip("/").rsplit("/", 1)[-1])
    found = [u for u in urls if site_of(u) == host and f"/{slug}-" in u]
    return found[0] if len(found) == 1 else None


def registry_row(copy: str, urls: list[str], notes: list[str]) -> list[str]:
    """source_id, site, language, publisher, url, mirror_url of the page read at `copy`."""
    host = re.sub(r"^(www|m)\.", "", site_of(copy))
    url, mirror_url, publisher = copy, "", PUBLISHERS.get(host)
    if host in MIRRORS:
        publisher, derive = MIRRORS[host]
        named = [m[1] for n in notes if (m := re.search(r"\(from (Báo [^)]+)\)", n))]
        publisher = named[0] if named else publisher.format(site=host)
        url, mirror_url = (derive and derive(copy, urls)) or copy, copy
    if publisher is None:
        raise SystemExit(f"no publisher known for {host}: add it to PUBLISHERS")
    return [source_id(copy), site_of(url), language_for(url, notes), publisher, url, mirror_url]


def source_id(url: str) -> str:
    host = urlparse(url).netloc.lower().split(":")[0]
    host = re.sub(r"^(www|m)\.", "", host)
    name = host.split(".")[0] if not host[0].isdigit() else "ip" + host.replace(".", "-")
    return f"{name}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


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


def internal_row(row: dict[str, str]) -> list[str]:
    """One row of the province's own index: the compiled label split into indicator, group and stated group size.
    A rank the page does not state stays empty (flagged rank_not_stated), never filled from the compiler's guess."""
    label = row["unit_type"].strip()
    indicator = "SIPAS" if label.startswith(INTERNAL_SIPAS_PREFIX) else "PAR"
    size = re.search(GROUP_SIZE, label)
    group = re.sub(GROUP_SIZE_IN_LABEL, "", label.removeprefix(INTERNAL_SIPAS_PREFIX)).strip()
    said = f"{label} {row['note']}"
    tags = [tag for tag, pattern in INTERNAL_FLAG_PATTERNS.items() if re.search(pattern, said, re.IGNORECASE)]
    if not row["score_pct"].strip() and not row["rank"].strip():
        tags.append("no_figure")
    return [row["year"].strip(), INTERNAL_PROVINCE, INTERNAL_UNIT_SET, indicator, group, size[1] if size else "",
            row["unit"].strip(), row["score_pct"].strip(), row["rank"].strip(), source_id(row["source_url"].strip()),
            ";".join(tags)]


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main(shared: Path, out: Path) -> None:
    notes_by_url: dict[str, list[str]] = {}
    for name, keep in TABLES.items():
        paths = [shared / name, shared / "additions" / name]
        rows = [row for path in paths if path.is_file() for row in read_rows(path)]
        with open(out / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([*keep, "source_id", "flags"])
            for row in rows:
                url = row["source_url"].strip()
                notes_by_url.setdefault(url, []).append(row["note"])
                labels = ("year", "province", "scope", "metric", "field_name", "component", "unit")
                values = [row[c] for c in keep if c not in labels]
                writer.writerow([*(row[c].strip() for c in keep), source_id(url) if url else "",
                                 flags_for(row["note"], values)])
    internal = read_rows(shared / INTERNAL_SOURCE)
    with open(out / INTERNAL_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(INTERNAL_COLUMNS)
        for row in internal:
            notes_by_url.setdefault(row["source_url"].strip(), []).append(row["note"])
            writer.writerow(internal_row(row))
    with open(out / "sources.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["source_id", "site", "language", "publisher", "url", "mirror_url"])
        urls = sorted(u for u in notes_by_url if u)
        for url in urls:
            writer.writerow(registry_row(url, urls, notes_by_url[url]))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
