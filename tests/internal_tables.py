"""A small SYNTHETIC set of processed internal-index tables, shaped as the issue-15 contract fixes them (clean.build's
internal_* tables), with figures simple enough to check by hand. Set "tinh-x" of province 56 (Khánh Hòa): five units
in two groups over 2023-2024, three fields of the province's own, one unit (UBND huyện Hai) with no 2024 figure,
a 2024 scorecard for Sở Y tế, and the province's 2024 Ministry field results with three national averages."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parsipas.clean import reference_tables

SET = "tinh-x"
PROVINCE = "56"
UNITS = [("A1", "Sở Nội vụ", "Department of Home Affairs", "A"), ("A2", "Sở Tư pháp", "", "A"),
         ("A3", "Sở Y tế", "Department of Health", "A"), ("B1", "UBND huyện Một", "", "B"),
         ("B2", "UBND huyện Hai", "", "B")]
GROUPS = [("A", "Sở, ban, ngành", "Departments and agencies", 1), ("B", "UBND cấp huyện", "", 2)]
FIELDS = [("1", "Chỉ đạo, điều hành", 10, "PAR.F1"), ("2", "Thủ tục hành chính", 20, "PAR.F3"),
          ("3", "Chính quyền số", 20, "")]
POINTS = {  # unit: (field points, rank in group)
    2023: {"A1": ([7, 14, 15], 2), "A2": ([9, 16, 15], 1), "A3": ([5, 12, 13], 3), "B1": ([6, 14, 12], 2),
           "B2": ([8, 15, 13], 1)},
    2024: {"A1": ([8, 15, 18], 1), "A2": ([9, 12, 14], 2), "A3": ([6, 18, 10], 3), "B1": ([7, 16, 16], 1)},
}
MINISTRY_2024 = {"PAR.F1": 70.0, "PAR.F2": 80.0, "PAR.F3": 60.0, "PAR.F4": 90.0, "PAR.F5": 85.0, "PAR.F6": 75.0,
                 "PAR.F7": 65.0, "PAR.F8": 88.0}
NATIONAL_2024 = {"PAR.F1": 75.0, "PAR.F2": 78.0, "PAR.F3": 70.0}
CRITERIA_A3_2024 = [("1.1", "1", "Ban hành kế hoạch (giả lập)", 5, 4, 3), ("1.2", "1", "Kiểm tra (giả lập)", 5, 3, 3),
                    ("3.1", "3", "Dịch vụ công trực tuyến (giả lập)", 10, 7, 4),
                    ("3.2", "3", "Số hóa hồ sơ (giả lập)", 10, 6, 6)]


def source(year: int) -> str:
    return f"internal:results_{year}_{SET}_synthetic.csv"


def tables() -> dict[str, pd.DataFrame]:
    units = pd.DataFrame([dict(unit_set=SET, province_code=PROVINCE, unit_code=c, name_vi=n, name_en=e, group_code=g,
                               valid_from="", valid_to="", source_id=f"internal:units_{SET}_synthetic.csv",
                               raw_file=f"internal/units_{SET}_synthetic.csv", raw_line=k + 2)
                          for k, (c, n, e, g) in enumerate(UNITS)])
    groups = pd.DataFrame([dict(unit_set=SET, group_code=c, name_vi=n, name_en=e, position=p) for c, n, e, p in GROUPS])
    fields = pd.DataFrame([dict(unit_set=SET, year=y, field_code=c, name_vi=n, max_points=float(m), ministry_field=f,
                                position=k + 1, source_id=source(y), raw_file=source(y).removeprefix("internal:"),
                                raw_line=1) for y in POINTS for k, (c, n, m, f) in enumerate(FIELDS)])
    group_of = {c: g for c, _, _, g in UNITS}
    total_max = float(sum(m for _, _, m, _ in FIELDS))
    rows = []

    def add(year, unit, indicator, measure, value, max_points, derived):
        rows.append(dict(unit_set=SET, year=year, unit_code=unit, group_code=group_of[unit], indicator=indicator,
                         measure=measure, value=float(value), max_points=max_points, source_id=source(year),
                         is_official=True, is_derived=derived, raw_file=source(year).removeprefix("internal:"),
                         raw_line=3))

    for year, by_unit in POINTS.items():
        for unit, (points, place) in by_unit.items():
            for (code, _, maximum, _), value in zip(FIELDS, points):
                add(year, unit, code, "points", value, float(maximum), False)
                add(year, unit, code, "pct_of_max", round(100 * value / maximum, 4), 100.0, True)
            add(year, unit, "PAR", "points", sum(points), total_max, False)
            add(year, unit, "PAR", "pct_of_max", round(100 * sum(points) / total_max, 4), 100.0, False)
            add(year, unit, "PAR", "rank", place, np.nan, False)
    scores = pd.DataFrame(rows)
    sizes = pd.DataFrame([dict(unit_set=SET, year=y, indicator="PAR", group_code=g, group_size=2 if g == "B" else 3,
                               source_id=source(y)) for y in POINTS for g in ("A", "B")])
    coverage = pd.DataFrame([dict(unit_set=SET, year=y, indicator="PAR", group_code=g,
                                  units_known=sum(group_of[u] == g for u in POINTS[y]),
                                  group_size=2 if g == "B" else 3,
                                  is_complete=sum(group_of[u] == g for u in POINTS[y]) == (2 if g == "B" else 3))
                             for y in POINTS for g in ("A", "B")])
    criteria = pd.DataFrame([dict(unit_set=SET, year=2024, unit_code="A3", criterion_code=c, field_code=f, name_vi=n,
                                  max_points=float(m), self_assessed=float(s), points=float(p),
                                  source_id=f"internal:criteria_2024_{SET}_synthetic.csv",
                                  raw_file=f"internal/criteria_2024_{SET}_synthetic.csv", raw_line=k + 2)
                             for k, (c, f, n, m, s, p) in enumerate(CRITERIA_A3_2024)])
    par = pd.DataFrame([dict(year=2024, province_code=PROVINCE, indicator=i, measure="pct_of_max", value=v,
                             max_points=100.0, source_id="official:par_2024_synthetic.xlsx", is_official=True,
                             is_derived=True, raw_file="official/par_2024_synthetic.xlsx", raw_line=5)
                        for i, v in MINISTRY_2024.items()])
    summary = pd.DataFrame([dict(year=2024, area_code="VN", indicator=i, statistic="mean", value=v,
                                 source_id="official:par_2024_synthetic.xlsx", raw_file="official/par_2024_synthetic"
                                 ".xlsx", raw_line=70) for i, v in NATIONAL_2024.items()])
    sources = pd.DataFrame([dict(source_id=s, publisher="", url="", language="vi", kind=k) for s, k in
                            [(source(2023), "internal_file"), (source(2024), "internal_file"),
                             (f"internal:units_{SET}_synthetic.csv", "internal_file"),
                             (f"internal:criteria_2024_{SET}_synthetic.csv", "internal_file"),
                             ("official:par_2024_synthetic.xlsx", "official_file")]])
    conflicts = pd.DataFrame(columns=["unit_set", "year", "unit_code", "indicator", "measure", "value_kept",
                                      "sources_kept", "value_rejected", "sources_rejected", "rule"])
    return {"internal_units": units, "internal_groups": groups, "internal_fields": fields, "internal_scores": scores,
            "internal_group_sizes": sizes, "internal_criteria": criteria, "internal_coverage": coverage,
            "internal_conflicts": conflicts, "par_scores": par, "summary": summary, "sources": sources,
            **reference_tables.build()}  # the methodology and the provinces, as cleaning writes them
