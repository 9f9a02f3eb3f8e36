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
    "unit_province": {"vi": "tỉnh", "en": "province"},
    "unit_city": {"vi": "thành phố", "en": "city"},
    "synthetic_short": {"vi": "DỮ LIỆU GIẢ LẬP (SYNTHETIC)", "en": "SYNTHETIC DATA"},
    "synthetic_banner": {"vi": "DỮ LIỆU GIẢ LẬP (SYNTHETIC) – chỉ dùng để kiểm thử, không phải số liệu thật",
                         "en": "SYNTHETIC DATA – for testing only, not real figures"},
    "no_figures_cover": {"vi": "Chưa có số liệu năm {year} của {unit}; báo cáo tóm tắt năm {latest}, năm gần nhất có số liệu.",
                         "en": "No figures for the {unit} for {year} yet; the report summarises {latest}, the latest year with figures."},
    "no_figures_cover_ever": {"vi": "Chưa có số liệu PAR INDEX và SIPAS nào của {unit} đến năm {year}.",
                              "en": "No PAR INDEX or SIPAS figures for the {unit} up to {year}."},
    "status_coverage": {"vi": "{source}: {n}/{total} tỉnh, thành phố có điểm PAR INDEX năm {year}{rest}",
                        "en": "{source}: {n}/{total} provinces with a PAR INDEX score for {year}{rest}"},
    "status_source_official": {"vi": "bảng chính thức", "en": "official table"},
    "status_source_public": {"vi": "hồ sơ công khai (báo chí, cổng thông tin)", "en": "public record (press and official portals)"},
    "status_complete": {"vi": " (đầy đủ)", "en": " (complete)"},
    "status_incomplete": {"vi": "; ô trống là số liệu chưa công bố", "en": "; blanks are figures not published"},
    "status_public": {"vi": "hồ sơ công khai (báo chí, cổng thông tin); bảng xếp hạng đầy đủ 63 tỉnh chưa có, các ô trống là số liệu chưa công bố",
                      "en": "public record (press and official portals); the full 63-province table is not available, blanks are figures not published"},
    "status_official": {"vi": "bảng chính thức đầy đủ 63 tỉnh", "en": "complete official 63-province table"},
    "target_line": {"vi": "Mục tiêu: xếp hạng {target} trở lên", "en": "Target: rank {target} or better"},
    "target_line_default": {"vi": "Mục tiêu: xếp hạng {target} trở lên (mức mặc định, lấy theo kế hoạch năm 2022 của tỉnh Khánh Hòa)",
                            "en": "Target: rank {target} or better (the default, taken from Khánh Hòa's 2022 plan)"},
    "contents": {"vi": "Mục lục", "en": "Contents"},
    # The Word draft's frame (Decree 30/2020/NĐ-CP); "[...]" marks a field the Department fills in before signing.
    "docx_agency_parent": {"vi": "[UBND TỈNH/THÀNH PHỐ ...]", "en": "[PROVINCIAL PEOPLE'S COMMITTEE]"},
    "docx_agency": {"vi": "SỞ NỘI VỤ", "en": "DEPARTMENT OF HOME AFFAIRS"},
    "docx_number": {"vi": "Số: [...]/BC-SNV", "en": "No.: [...]/BC-SNV"},
    "docx_nation": {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIET NAM"},
    "docx_motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "docx_place": {"vi": "[Địa danh]", "en": "[Place]"},
    "docx_place_date": {"vi": "{place}, ngày [...] tháng [...] năm [...]", "en": "{place}, [date]"},
    "docx_recipients": {"vi": "Nơi nhận:", "en": "Recipients:"},
    "docx_recipient_lines": {"vi": "- [UBND tỉnh (để báo cáo)];\n- [...];\n- Lưu: VT, [...].",
                             "en": "- [Provincial People's Committee (to report)];\n- [...];\n"
                                   "- Filed: Archives, [...]."},
    "docx_signer_title": {"vi": "[GIÁM ĐỐC]", "en": "[DIRECTOR]"},
    "docx_signature": {"vi": "[Chữ ký, dấu]", "en": "[Signature, seal]"},
    "docx_signer_name": {"vi": "[Họ và tên]", "en": "[Full name]"},
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
    "col_source": {"vi": "Số", "en": "No."},
    "col_site": {"vi": "Nơi công bố", "en": "Publisher"},
    "col_language": {"vi": "Ngôn ngữ", "en": "Language"},
    "col_url": {"vi": "Địa chỉ", "en": "Address"},
    "col_year": {"vi": "Năm", "en": "Year"},
    "col_known": {"vi": "Số tỉnh có số liệu", "en": "Provinces with a figure"},
    "rank_up": {"vi": "tăng {n} bậc", "en": "up {n} places"},
    "rank_down": {"vi": "giảm {n} bậc", "en": "down {n} places"},
    "rank_same": {"vi": "giữ nguyên hạng", "en": "same rank"},
    "rank_of": {"vi": "{rank}/63", "en": "{rank}/63"},
    "points_change": {"vi": "{sign}{value} điểm %", "en": "{sign}{value} percentage points"},
    "sum_h_position": {"vi": "Vị trí của {unit}", "en": "Where the {unit} stands"},
    "sum_h_actions": {"vi": "Việc cần làm", "en": "What to do"},
    "sum_no_figures": {"vi": "Chưa có số liệu PAR INDEX và SIPAS năm {year} của {province}. Phần tóm tắt dưới đây nói về năm {latest}, năm gần nhất có số liệu.",
                       "en": "There are no PAR INDEX or SIPAS figures for {province} in {year}. The summary below is about {latest}, the latest year with figures."},
    "sum_no_figures_ever": {"vi": "Chưa có số liệu PAR INDEX và SIPAS nào của {province} đến năm {year}.",
                            "en": "There are no PAR INDEX or SIPAS figures for {province} up to {year}."},
    "sum_index_year": {"vi": "{index} năm {year}: {facts}.", "en": "{index} {year}: {facts}."},
    "sum_index_missing": {"vi": "{index} năm {year} của {unit} chưa được công bố.", "en": "The {unit}'s {index} for {year} is not published."},
    "fact_score": {"vi": "đạt {score}", "en": "{score}"},
    "fact_rank": {"vi": "xếp hạng {rank}", "en": "rank {rank}"},
    "fact_above": {"vi": "cao hơn trung bình cả nước ({mean}%) {value} điểm %", "en": "{value} percentage points above the national average ({mean}%)"},
    "fact_below": {"vi": "thấp hơn trung bình cả nước ({mean}%) {value} điểm %", "en": "{value} percentage points below the national average ({mean}%)"},
    "fact_at_mean": {"vi": "bằng trung bình cả nước ({mean}%)", "en": "level with the national average ({mean}%)"},
    "sum_rank_moved": {"vi": "So với năm {base_year}, {index} {rank_change}.", "en": "Since {base_year} the {index} has moved {rank_change}."},
    "sum_gap_crossed_up": {"vi": "Từ dưới mức trung bình cả nước năm {base_year}, {index} của {unit} đã vượt lên trên mức trung bình năm {year}.",
                           "en": "From below the national average in {base_year}, the {unit}'s {index} rose above it in {year}."},
    "sum_gap_crossed_down": {"vi": "Từ trên mức trung bình cả nước năm {base_year}, {index} của {unit} đã xuống dưới mức trung bình năm {year}.",
                             "en": "From above the national average in {base_year}, the {unit}'s {index} fell below it in {year}."},
    "sum_gap_wider_above": {"vi": "{index}: khoảng cách vượt trung bình cả nước tăng từ {base_gap} lên {gap} điểm %.",
                            "en": "{index}: the lead over the national average grew from {base_gap} to {gap} percentage points."},
    "sum_gap_narrower_above": {"vi": "{index}: khoảng cách vượt trung bình cả nước thu hẹp từ {base_gap} còn {gap} điểm %.",
                               "en": "{index}: the lead over the national average narrowed from {base_gap} to {gap} percentage points."},
    "sum_gap_wider_below": {"vi": "{index}: khoảng cách thấp hơn trung bình cả nước tăng từ {base_gap} lên {gap} điểm %.",
                            "en": "{index}: the shortfall against the national average grew from {base_gap} to {gap} percentage points."},
    "sum_gap_narrower_below": {"vi": "{index}: khoảng cách thấp hơn trung bình cả nước thu hẹp từ {base_gap} còn {gap} điểm %.",
                               "en": "{index}: the shortfall against the national average narrowed from {base_gap} to {gap} percentage points."},
    "sum_strong_weak": {"vi": "Lĩnh vực đạt tỷ lệ cao nhất năm {year}: {strong} ({strong_value}%); thấp nhất: {weak} ({weak_value}%).",
                        "en": "Strongest field in {year}: {strong} ({strong_value}%); weakest: {weak} ({weak_value}%)."},
    "sum_fields_missing": {"vi": "Kết quả theo lĩnh vực năm {year} chưa được công bố.", "en": "Field results for {year} are not published."},
    "action_recover": {"vi": "Khắc phục {item}: bị mất {lost} trên {max} điểm", "en": "Recover points in {item}: {lost} of {max} points lost"},
    "action_raise": {"vi": "Nâng kết quả {item}: mới đạt {share}% điểm tối đa", "en": "Raise {item}: only {share}% of its maximum"},
    "action_rank": {"vi": "xếp hạng {rank}", "en": "ranked {rank}"},
    "action_shortfall": {"vi": "thấp hơn bình quân cả nước {value} điểm %", "en": "{value} percentage points below the national average"},
    "action_field": {"vi": "lĩnh vực “{name}”", "en": "the field “{name}”"},
    "action_criterion": {"vi": "tiêu chí {code} “{name}”", "en": "criterion {code} “{name}”"},
    "action_none": {"vi": "Chưa xác định được lĩnh vực, tiêu chí cần ưu tiên vì chưa có điểm theo lĩnh vực năm {year}; cần bảng chính thức hoặc phiếu chấm điểm của {unit}.",
                    "en": "No priority field or criterion can be named: the {year} field results are not available; the official table or the {unit}'s scorecard is needed."},
    "legend_missing": {"vi": "– : chưa công bố (không phải điểm 0)", "en": "– : not published (not a zero)"},
    "sum_target_met": {"vi": "Giữ vững mục tiêu xếp hạng {target} trở lên: năm {year} {unit} xếp hạng {rank}.",
                       "en": "Hold the target of rank {target} or better: the {unit} ranked {rank} in {year}."},
    "sum_target_met_margin": {"vi": "Giữ vững mục tiêu xếp hạng {target} trở lên: năm {year} {unit} xếp hạng {rank}, cao hơn {margin} điểm so với mức điểm tối thiểu để giữ hạng {target}.",
                              "en": "Hold the target of rank {target} or better: the {unit} ranked {rank} in {year}, {margin} points above the lowest score that keeps rank {target}."},
    "sum_target_points": {"vi": "Để đạt mục tiêu xếp hạng {target} trở lên cần tăng {n} bậc (năm {year} xếp hạng {rank}), tức thêm ít nhất {needed} điểm.",
                          "en": "Reaching the target of rank {target} or better takes {n} places (rank {rank} in {year}), at least {needed} more points."},
    "sum_target_gap": {"vi": "Để đạt mục tiêu xếp hạng {target} trở lên cần tăng {n} bậc (năm {year} xếp hạng {rank}); số điểm cần thêm chỉ tính được khi có bảng xếp hạng đầy đủ.",
                       "en": "Reaching the target of rank {target} or better takes {n} places (rank {rank} in {year}); the points needed can be computed only from the complete table."},
    "sum_target_unknown": {"vi": "Mục tiêu xếp hạng {target} trở lên chưa đánh giá được vì hạng PAR INDEX năm {year} chưa công bố.",
                           "en": "The target of rank {target} or better cannot be judged: the {year} PAR INDEX rank is not published."},
    "sum_method": {"vi": "Năm {year} chấm theo {decision}, năm {base_year} theo {base_decision}: các lĩnh vực được so sánh qua bảng đối chiếu và theo tỷ lệ % điểm tối đa.",
                   "en": "{year} was scored under {decision} and {base_year} under {base_decision}: fields are compared through the crosswalk and by percent of maximum."},
    "par_intro": {"vi": "Bảng dưới đây so sánh từng chỉ tiêu theo tỷ lệ % điểm tối đa của năm đó. Ô có dấu \u201c–\u201d là số liệu chưa công bố trong nguồn công khai, không phải điểm 0.",
                  "en": "The table compares each indicator by percent of that year's maximum. A cell with \u201c–\u201d is a figure not published in the public record, not a zero."},
    "par_none": {"vi": "Chưa có kết quả PAR INDEX của {unit} cho năm {base_year} và năm {year}.",
                 "en": "No PAR INDEX results for the {unit} in {base_year} or {year}."},
    "sipas_none": {"vi": "Chưa có kết quả SIPAS của {unit} cho năm {base_year} và năm {year}.",
                   "en": "No SIPAS results for the {unit} in {base_year} or {year}."},
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
    "target_public": {"vi": "Bảng xếp hạng đầy đủ {total} tỉnh, thành phố năm {year} chưa có, nên chưa tính được chính xác số điểm cần thêm để đạt hạng {target}.",
                      "en": "The complete {total}-province table for {year} is not available, so the points needed for rank {target} cannot be computed exactly."},
    "target_known": {"vi": "Đã biết: năm {year}, {unit} {facts}.", "en": "Known: in {year} the {unit} {facts}."},
    "fact_points": {"vi": "đạt {score} điểm", "en": "scored {score} points"},
    "fact_placed": {"vi": "xếp hạng {rank}", "en": "ranked {rank}"},
    "target_own_unpublished": {"vi": "Điểm và thứ hạng PAR INDEX năm {year} của {unit} chưa được công bố trong các nguồn đã thu thập.",
                               "en": "The {unit}'s {year} PAR INDEX score and rank are not in the sources gathered."},
    "target_published": {"vi": "Tỉnh, thành phố xếp thứ {target} năm {year} theo số liệu công bố: {names}.",
                         "en": "Province ranked {target} in {year} according to published figures: {names}."},
    "target_published_name": {"vi": "{name} ({score} điểm)", "en": "{name} ({score} points)"},
    "target_unpublished": {"vi": "Điểm của tỉnh, thành phố xếp thứ {target} năm {year} chưa được công bố trong các nguồn đã thu thập.",
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
    "coverage_text": {"vi": "Số tỉnh, thành phố có số liệu cho từng năm. Bảng xếp hạng đầy đủ có {total} tỉnh, thành phố.",
                      "en": "Provinces with a figure, per year. A complete table has {total}."},
    "coverage_conflicts": {"vi": "Số liệu mâu thuẫn giữa các nguồn của tỉnh và cách xử lý:", "en": "Conflicting figures for the province and how they were resolved:"},
    "coverage_no_conflicts": {"vi": "Không có số liệu mâu thuẫn giữa các nguồn đối với tỉnh trong hai năm này.", "en": "No conflicting figures for the province in these two years."},
    "conflict_line": {"vi": "{indicator} ({measure}) năm {year}: giữ {kept} (nguồn {kept_sources}), loại {rejected} (nguồn {rejected_sources}); căn cứ: {rule}.",
                      "en": "{indicator} ({measure}) {year}: kept {kept} (source {kept_sources}), rejected {rejected} (source {rejected_sources}); rule: {rule}."},
    "measure_points": {"vi": "điểm", "en": "points"},
    "measure_rank": {"vi": "hạng", "en": "rank"},
    "measure_percent": {"vi": "tỷ lệ %", "en": "percent"},
    "measure_pct_of_max": {"vi": "% điểm tối đa", "en": "% of maximum"},
    "measure_points_lost": {"vi": "điểm bị trừ", "en": "points lost"},
    "sources_text": {"vi": "Các số liệu trong báo cáo được lấy từ những nguồn dưới đây; số thứ tự được dẫn trong phần xử lý số liệu mâu thuẫn.",
                     "en": "The figures in this report come from the sources below; the numbers are cited where conflicting figures are resolved."},
    "source_mirror": {"vi": "bản sao tại {url}", "en": "copy at {url}"},
    "def_par": {"vi": "PAR INDEX: chỉ số cải cách hành chính cấp tỉnh do Bộ Nội vụ xác định hằng năm, thang 100 điểm.",
                "en": "PAR INDEX: the provincial administrative reform index set each year by the Ministry of Home Affairs, out of 100 points."},
    "def_sipas": {"vi": "SIPAS: chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước, tính bằng %.",
                  "en": "SIPAS: the index of people's and organisations' satisfaction with state administrative agencies, in percent."},
    "def_share": {"vi": "% điểm tối đa: điểm đạt chia cho điểm tối đa của chỉ tiêu trong năm đó.", "en": "Percent of maximum: points scored divided by the indicator's maximum that year."},
    "def_rank": {"vi": "Hạng: vị trí trong 63 tỉnh, thành phố (1 là cao nhất); \u201ctăng bậc\u201d là tiến lên.", "en": "Rank: position among the 63 provinces (1 is best); \u201cup\u201d means better."},
    "def_derived": {"vi": "Số liệu tính toán: tỷ lệ % suy ra từ điểm và điểm tối đa đã công bố.", "en": "Derived figure: a percentage computed from published points and maximum."},
    "footer": {"vi": "Báo cáo PAR INDEX và SIPAS: {province}, năm {year} so với năm {base_year}",
               "en": "PAR INDEX and SIPAS report: {province}, {year} vs {base_year}"},
    "rule_official": {"vi": "ưu tiên bảng chính thức", "en": "the official table comes first"},
    "rule_sources": {"vi": "giá trị được nhiều nguồn nêu hơn", "en": "the value stated by more sources"},
    "rule_original": {"vi": "ưu tiên bản gốc tiếng Việt hơn bản dịch", "en": "the Vietnamese original over a translation"},
    "rule_precision": {"vi": "giá trị ghi chính xác hơn (nhiều chữ số thập phân hơn)", "en": "the more precise value (more decimals)"},
    "rule_source_id": {"vi": "hai giá trị ngang nhau, chọn cố định theo nguồn", "en": "a tie, broken by a fixed order of sources"},
    "page": {"vi": "Trang", "en": "Page"},
}


class Missing(str):
    """What a formatter returns for a figure that is not published: it reads "not published" in a table cell,
    and text() refuses it in a sentence, so a missing value never takes a number's place in one."""


class MissingValue(ValueError):
    """A sentence was asked for with a missing value: the caller must choose a wording made for that case."""


def _missing(value: object) -> bool:
    return value is None or isinstance(value, Missing) or (isinstance(value, float) and math.isnan(value))


def text(key: str, lang: str, **values) -> str:
    absent = sorted(name for name, value in values.items() if _missing(value))
    if absent:
        raise MissingValue(f"message '{key}' asked for with missing {', '.join(absent)}")
    return CATALOGUE[key][lang].format(**values)


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def date(iso: str, lang: str) -> str:
    """2026-11-29 -> '29/11/2026' in Vietnamese, '29 November 2026' in English."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day:02d}/{month:02d}/{year}" if lang == "vi" else f"{day} {MONTHS_EN[month - 1]} {year}"


def number(value: float | None, lang: str, decimals: int = 2) -> str:
    """85.11 -> '85,11' in Vietnamese, '85.11' in English; missing -> 'not published' in the language."""
    if _missing(value):
        return Missing(text("not_published", lang))
    written = f"{value:.{decimals}f}"
    return written.replace(".", ",") if lang == "vi" else written


def rank(value: float | None, lang: str) -> str:
    if _missing(value):
        return Missing(text("not_published", lang))
    return text("rank_of", lang, rank=int(value))


def rank_change(places: float | None, lang: str) -> str:
    if _missing(places):
        return Missing(text("not_published", lang))
    if places > 0:
        return text("rank_up", lang, n=int(places))
    if places < 0:
        return text("rank_down", lang, n=int(-places))
    return text("rank_same", lang)


def signed(value: float | None, lang: str) -> str:
    if _missing(value):
        return Missing(text("not_published", lang))
    return ("+" if value > 0 else "−" if value < 0 else "±") + number(abs(value), lang)
