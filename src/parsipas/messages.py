"""Every user-facing string of the report, in Vietnamese and English, and how numbers are written in each."""

from __future__ import annotations

import math

LANGUAGES = ("vi", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "title": {"vi": "Báo cáo cải thiện Chỉ số cải cách hành chính (PAR INDEX) và Chỉ số hài lòng (SIPAS)",
              "en": "Improvement report on the PAR INDEX and the SIPAS satisfaction index"},
    "subtitle": {"vi": "{province}: năm {year} so với năm {base_year}", "en": "{province}: {year} compared with {base_year}"},
    "produced": {"vi": "Ngày lập báo cáo: {date}", "en": "Produced on {date}"},
    "data_status": {"vi": "Tình trạng dữ liệu: {status}", "en": "Data status: {status}"},
    "status_public": {"vi": "hồ sơ công khai (báo chí, cổng thông tin); bảng xếp hạng đầy đủ 63 tỉnh chưa có, các ô trống là số liệu chưa công bố",
                      "en": "public record (press and official portals); the full 63-province table is not available, blanks are figures not published"},
    "status_official": {"vi": "bảng chính thức đầy đủ 63 tỉnh", "en": "complete official 63-province table"},
    "target_line": {"vi": "Mục tiêu: xếp hạng {target} trở lên", "en": "Target: rank {target} or better"},
    "contents": {"vi": "Mục lục", "en": "Contents"},
    "h_summary": {"vi": "Tóm tắt", "en": "Summary"},
    "h_par": {"vi": "Kết quả PAR INDEX theo lĩnh vực", "en": "PAR INDEX results by field"},
    "h_trajectory": {"vi": "Diễn biến qua các năm", "en": "Trajectory over the years"},
    "h_sipas": {"vi": "Chỉ số hài lòng SIPAS", "en": "SIPAS satisfaction index"},
    "h_method": {"vi": "Thay đổi phương pháp giữa hai năm", "en": "Changes of method between the two years"},
    "h_coverage": {"vi": "Phạm vi dữ liệu", "en": "Data coverage"},
    "h_sources": {"vi": "Phụ lục: nguồn số liệu", "en": "Appendix: sources"},
    "h_definitions": {"vi": "Thuật ngữ", "en": "Definitions"},
    "not_published": {"vi": "chưa công bố", "en": "not published"},
    "col_indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col_share": {"vi": "% điểm tối đa {year}", "en": "% of maximum {year}"},
    "col_percent": {"vi": "Tỷ lệ hài lòng {year}", "en": "Satisfaction {year}"},
    "col_rank": {"vi": "Hạng {year}", "en": "Rank {year}"},
    "col_change": {"vi": "Thay đổi", "en": "Change"},
    "col_rank_change": {"vi": "Thay đổi hạng", "en": "Rank change"},
    "col_source": {"vi": "Mã nguồn", "en": "Source id"},
    "col_site": {"vi": "Trang", "en": "Site"},
    "col_language": {"vi": "Ngôn ngữ", "en": "Language"},
    "col_url": {"vi": "Địa chỉ", "en": "Address"},
    "col_year": {"vi": "Năm", "en": "Year"},
    "col_known": {"vi": "Số tỉnh có số liệu", "en": "Provinces with a figure"},
    "rank_up": {"vi": "tăng {n} bậc", "en": "up {n} places"},
    "rank_down": {"vi": "giảm {n} bậc", "en": "down {n} places"},
    "rank_same": {"vi": "giữ nguyên hạng", "en": "same rank"},
    "rank_of": {"vi": "{rank}/63", "en": "{rank}/63"},
    "points_change": {"vi": "{sign}{value} điểm %", "en": "{sign}{value} percentage points"},
    "sum_par": {"vi": "PAR INDEX năm {year} đạt {score}, xếp hạng {rank} ({rank_change} so với năm {base_year}: {base_score}, hạng {base_rank}).",
                "en": "The PAR INDEX for {year} is {score}, rank {rank} ({rank_change} from {base_year}: {base_score}, rank {base_rank})."},
    "sum_par_no_base": {"vi": "PAR INDEX năm {year} đạt {score}, xếp hạng {rank}; kết quả năm {base_year} của tỉnh chưa công bố nên chưa so sánh được.",
                        "en": "The PAR INDEX for {year} is {score}, rank {rank}; the province's {base_year} result is not published, so no change can be given."},
    "sum_par_missing": {"vi": "PAR INDEX của tỉnh năm {year} chưa có trong số liệu.", "en": "The province's PAR INDEX for {year} is not in the data."},
    "sum_national": {"vi": "So với trung bình cả nước ({mean}%), kết quả năm {year} {gap}.",
                     "en": "Against the national average ({mean}%), the {year} result is {gap}."},
    "gap_above": {"vi": "cao hơn {value} điểm %", "en": "{value} percentage points higher"},
    "gap_below": {"vi": "thấp hơn {value} điểm %", "en": "{value} percentage points lower"},
    "sum_strong_weak": {"vi": "Lĩnh vực đạt tỷ lệ cao nhất năm {year}: {strong} ({strong_value}%); thấp nhất: {weak} ({weak_value}%).",
                        "en": "Strongest field in {year}: {strong} ({strong_value}%); weakest: {weak} ({weak_value}%)."},
    "sum_fields_missing": {"vi": "Kết quả theo lĩnh vực năm {year} chưa được công bố.", "en": "Field results for {year} are not published."},
    "sum_sipas": {"vi": "SIPAS năm {year}: {value}, hạng {rank}; năm {base_year}: {base_value}, hạng {base_rank}.",
                  "en": "SIPAS {year}: {value}, rank {rank}; {base_year}: {base_value}, rank {base_rank}."},
    "sum_sipas_missing": {"vi": "SIPAS năm {year} của tỉnh chưa được công bố trong nguồn công khai; năm {base_year}: {base_value}, hạng {base_rank}.",
                          "en": "The province's SIPAS for {year} is not in the public record; {base_year}: {base_value}, rank {base_rank}."},
    "legend_missing": {"vi": "– : chưa công bố (không phải điểm 0)", "en": "– : not published (not a zero)"},
    "sum_target_met": {"vi": "Mục tiêu xếp hạng {target} trở lên: đã đạt (hạng {rank}).", "en": "Target of rank {target} or better: met (rank {rank})."},
    "sum_target_points": {"vi": "Mục tiêu xếp hạng {target} trở lên: còn cách {n} bậc (hạng {rank}), cần thêm {needed} điểm.",
                          "en": "Target of rank {target} or better: {n} places to go (rank {rank}), {needed} more points needed."},
    "sum_target_gap": {"vi": "Mục tiêu xếp hạng {target} trở lên: còn cách {n} bậc (hạng {rank}).",
                       "en": "Target of rank {target} or better: {n} places to go (rank {rank})."},
    "sum_target_unknown": {"vi": "Mục tiêu xếp hạng {target} trở lên: chưa đánh giá được vì hạng năm {year} chưa công bố.",
                           "en": "Target of rank {target} or better: cannot be judged, the {year} rank is not published."},
    "sum_method": {"vi": "Năm {year} chấm theo {decision}, năm {base_year} theo {base_decision}: các lĩnh vực được so sánh qua bảng đối chiếu và theo tỷ lệ % điểm tối đa.",
                   "en": "{year} was scored under {decision} and {base_year} under {base_decision}: fields are compared through the crosswalk and by percent of maximum."},
    "par_intro": {"vi": "Bảng dưới đây so sánh từng chỉ tiêu theo tỷ lệ % điểm tối đa của năm đó. Ô có dấu \u201c–\u201d là số liệu chưa công bố trong nguồn công khai, không phải điểm 0.",
                  "en": "The table compares each indicator by percent of that year's maximum. A cell with \u201c–\u201d is a figure not published in the public record, not a zero."},
    "chart_fields_title": {"vi": "Tỷ lệ % điểm tối đa theo lĩnh vực", "en": "Percent of maximum by field"},
    "chart_fields_none": {"vi": "Chưa đủ kết quả theo lĩnh vực của năm {base_year} và {year} để vẽ biểu đồ.",
                          "en": "Too few field results for {base_year} and {year} to chart."},
    "chart_change_title": {"vi": "Thay đổi thứ hạng theo lĩnh vực ({base_year} → {year})", "en": "Change in rank by field ({base_year} → {year})"},
    "chart_change_none": {"vi": "Chưa đủ thứ hạng của cả hai năm để vẽ biểu đồ thay đổi thứ hạng.",
                          "en": "Too few ranks known for both years to chart the change."},
    "chart_rank_title": {"vi": "Thứ hạng qua các năm (1 = cao nhất)", "en": "Rank over the years (1 = best)"},
    "chart_rank_none": {"vi": "Chưa đủ thứ hạng qua các năm để vẽ biểu đồ.",
                        "en": "Too few ranks over the years to chart."},
    "chart_score_title": {"vi": "Điểm PAR INDEX và trung bình cả nước", "en": "PAR INDEX score and national average"},
    "chart_score_none": {"vi": "Chưa đủ điểm PAR INDEX qua các năm để vẽ biểu đồ.",
                         "en": "Too few PAR INDEX scores over the years to chart."},
    "field_short": {"vi": "LV{k}", "en": "F{k}"},
    "axis_satisfied": {"vi": "% hài lòng", "en": "% satisfied"},
    "chart_heatmap_title": {"vi": "Kết quả theo lĩnh vực của các tỉnh có số liệu năm {year} ({n} tỉnh)",
                            "en": "Field results of the provinces with data in {year} ({n} provinces)"},
    "chart_heatmap_none": {"vi": "Chưa có kết quả theo lĩnh vực của các tỉnh khác năm {year} để so sánh.",
                           "en": "No field results of other provinces in {year} to compare with."},
    "chart_sipas_title": {"vi": "SIPAS theo yếu tố và khía cạnh", "en": "SIPAS by element and aspect"},
    "chart_spread_title": {"vi": "Vị trí của tỉnh trong từng lĩnh vực năm {year} (mỗi chấm là một tỉnh)",
                           "en": "Where the province stands in each field, {year} (one dot per province)"},
    "legend_other_provinces": {"vi": "Các tỉnh khác", "en": "Other provinces"},
    "chart_sipas_none": {"vi": "Chưa đủ kết quả SIPAS theo yếu tố, khía cạnh của tỉnh để vẽ biểu đồ.",
                         "en": "Too few SIPAS element and aspect results for the province to chart."},
    "h_weak": {"vi": "Tiêu chí bị mất điểm nhiều nhất", "en": "Criteria that lost the most points"},
    "weak_intro": {"vi": "Các lĩnh vực và tiêu chí năm {year}, xếp theo số điểm bị mất (điểm tối đa trừ điểm đạt), sau đó theo mức thấp hơn bình quân cả nước; khi điểm chưa được công bố, theo tỷ lệ % điểm tối đa từ thấp đến cao.",
                   "en": "Fields and criteria in {year}, ordered by the points lost (maximum minus score), then by the shortfall against the national average; where points are not published, by percent of maximum, lowest first."},
    "weak_none": {"vi": "Chưa có điểm theo lĩnh vực hoặc tiêu chí của tỉnh năm {year}; cần bảng chính thức hoặc phiếu chấm điểm của tỉnh.",
                  "en": "No field or criterion points for the province in {year}; the official table or the province's scorecard is needed."},
    "col_item": {"vi": "Lĩnh vực / tiêu chí", "en": "Field / criterion"},
    "col_points": {"vi": "Điểm đạt", "en": "Score"},
    "col_max": {"vi": "Tối đa", "en": "Max."},
    "col_recoverable": {"vi": "Điểm bị mất", "en": "Points lost"},
    "col_vs_national": {"vi": "So với bình quân", "en": "vs avg."},
    "col_flags": {"vi": "Cảnh báo", "en": "Flags"},
    "flag_below": {"vi": "dưới bình quân", "en": "below average"},
    "flag_declined": {"vi": "giảm so với {base_year}", "en": "down on {base_year}"},
    "flag_bottom": {"vi": "nhóm cuối", "en": "bottom third"},
    "h_target": {"vi": "Khoảng cách đến mục tiêu xếp hạng", "en": "Distance to the target rank"},
    "target_complete": {"vi": "Năm {year}, tỉnh đạt {score} điểm, xếp thứ {rank}. Để xếp hạng {target} trở lên cần tối thiểu {needed_score} điểm, tức thêm {needed} điểm.",
                        "en": "In {year} the province scored {score}, rank {rank}. Rank {target} or better needs at least {needed_score} points, that is {needed} more."},
    "target_met": {"vi": "Năm {year}, tỉnh đạt {score} điểm, xếp thứ {rank}, đã đạt mục tiêu xếp hạng {target} trở lên; mức điểm tối thiểu để giữ vị trí này là {needed_score}.",
                   "en": "In {year} the province scored {score}, rank {rank}, meeting the target of rank {target} or better; the lowest score that keeps it is {needed_score}."},
    "target_public": {"vi": "Bảng xếp hạng đầy đủ 63 tỉnh năm {year} chưa có, nên chưa tính được chính xác số điểm cần thêm. Đã biết: tỉnh đạt {score} điểm, xếp thứ {rank}.",
                      "en": "The complete 63-province table for {year} is not available, so the points needed cannot be computed exactly. Known: the province scored {score}, rank {rank}."},
    "target_published": {"vi": "Tỉnh xếp thứ {target} năm {year} theo số liệu công bố: {names}.",
                         "en": "Province ranked {target} in {year} according to published figures: {names}."},
    "target_unpublished": {"vi": "Điểm của tỉnh xếp thứ {target} năm {year} chưa được công bố trong các nguồn đã thu thập.",
                           "en": "The score of the province ranked {target} in {year} is not in the sources gathered."},
    "target_headroom": {"vi": "Dư địa tăng điểm theo lĩnh vực (điểm tối đa trừ điểm đạt):",
                        "en": "Room to gain points by field (maximum minus score):"},
    "col_headroom": {"vi": "Dư địa", "en": "Headroom"},
    "axis_pct": {"vi": "% điểm tối đa", "en": "% of maximum"},
    "axis_rank": {"vi": "Hạng", "en": "Rank"},
    "axis_places": {"vi": "Số bậc tăng (+) / giảm (−)", "en": "Places up (+) / down (−)"},
    "axis_year": {"vi": "Năm", "en": "Year"},
    "legend_province": {"vi": "{province}", "en": "{province}"},
    "legend_national": {"vi": "Trung bình cả nước", "en": "National average"},
    "target_line_label": {"vi": "Mục tiêu hạng {target}", "en": "Target rank {target}"},
    "sipas_intro": {"vi": "Từ năm 2022, SIPAS đo thêm sự hài lòng về xây dựng, tổ chức thực hiện chính sách; mô hình khảo sát thay đổi nên so sánh với năm trước cần thận trọng.",
                    "en": "From 2022 SIPAS also measures satisfaction with policy making and implementation; the survey model changed, so comparisons with earlier years need care."},
    "method_changed": {"vi": "Có thay đổi phương pháp", "en": "Method changed"},
    "method_text": {"vi": "PAR INDEX năm {base_year} chấm theo Quyết định {base_decision}, năm {year} theo Quyết định {decision}. Tên và điểm tối đa của các lĩnh vực thay đổi; dự án đối chiếu các lĩnh vực qua bảng dưới đây và so sánh theo tỷ lệ % điểm tối đa, để việc phân bổ lại điểm không bị hiểu là sự sụt giảm.",
                    "en": "The {base_year} PAR INDEX was scored under Decision {base_decision}, {year} under Decision {decision}. Field names and maxima changed; fields are matched through the crosswalk below and compared by percent of maximum, so that a re-weighting is not read as a decline."},
    "method_same": {"vi": "Hai năm cùng chấm theo Quyết định {decision}.", "en": "Both years were scored under Decision {decision}."},
    "col_field_base": {"vi": "Tên lĩnh vực năm {year}", "en": "Field name in {year}"},
    "coverage_text": {"vi": "Số tỉnh, thành phố có số liệu công khai cho từng năm. Bảng xếp hạng đầy đủ có 63 tỉnh.",
                      "en": "Provinces with a public figure, per year. A complete table has 63."},
    "coverage_conflicts": {"vi": "Số liệu mâu thuẫn giữa các nguồn của tỉnh và cách xử lý:", "en": "Conflicting figures for the province and how they were resolved:"},
    "coverage_no_conflicts": {"vi": "Không có số liệu mâu thuẫn giữa các nguồn đối với tỉnh trong hai năm này.", "en": "No conflicting figures for the province in these two years."},
    "conflict_line": {"vi": "{indicator} năm {year}: giữ {kept} ({kept_sources}), loại {rejected} ({rejected_sources}); quy tắc: {rule}.",
                      "en": "{indicator} {year}: kept {kept} ({kept_sources}), rejected {rejected} ({rejected_sources}); rule: {rule}."},
    "sources_text": {"vi": "Mọi số liệu trong báo cáo đều truy được về nguồn dưới đây (mã nguồn ghi trong dữ liệu đã xử lý).",
                     "en": "Every figure in this report traces to a source below (the source id is kept in the processed data)."},
    "def_par": {"vi": "PAR INDEX: chỉ số cải cách hành chính cấp tỉnh do Bộ Nội vụ xác định hằng năm, thang 100 điểm.",
                "en": "PAR INDEX: the provincial administrative reform index set each year by the Ministry of Home Affairs, out of 100 points."},
    "def_sipas": {"vi": "SIPAS: chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước, tính bằng %.",
                  "en": "SIPAS: the index of people's and organisations' satisfaction with state administrative agencies, in percent."},
    "def_share": {"vi": "% điểm tối đa: điểm đạt chia cho điểm tối đa của chỉ tiêu trong năm đó.", "en": "Percent of maximum: points scored divided by the indicator's maximum that year."},
    "def_rank": {"vi": "Hạng: vị trí trong 63 tỉnh, thành phố (1 là cao nhất); \u201ctăng bậc\u201d là tiến lên.", "en": "Rank: position among the 63 provinces (1 is best); \u201cup\u201d means better."},
    "def_derived": {"vi": "Số liệu tính toán: tỷ lệ % suy ra từ điểm và điểm tối đa đã công bố.", "en": "Derived figure: a percentage computed from published points and maximum."},
    "footer": {"vi": "parsipas: {province}, {year} so với {base_year}", "en": "parsipas: {province}, {year} vs {base_year}"},
    "page": {"vi": "Trang", "en": "Page"},
}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def text(key: str, lang: str, **values) -> str:
    return CATALOGUE[key][lang].format(**values)


def number(value: float | None, lang: str, decimals: int = 2) -> str:
    """85.11 -> '85,11' in Vietnamese, '85.11' in English; missing -> 'not published' in the language."""
    if _missing(value):
        return text("not_published", lang)
    written = f"{value:.{decimals}f}"
    return written.replace(".", ",") if lang == "vi" else written


def rank(value: float | None, lang: str) -> str:
    if _missing(value):
        return text("not_published", lang)
    return text("rank_of", lang, rank=int(value))


def rank_change(places: float | None, lang: str) -> str:
    if _missing(places):
        return text("not_published", lang)
    if places > 0:
        return text("rank_up", lang, n=int(places))
    if places < 0:
        return text("rank_down", lang, n=int(-places))
    return text("rank_same", lang)


def signed(value: float | None, lang: str) -> str:
    if _missing(value):
        return text("not_published", lang)
    return ("+" if value > 0 else "−" if value < 0 else "±") + number(abs(value), lang)
