"""What a run does when nothing is said: Khánh Hòa's report for 2022 against 2021, aiming at the rank its 2022
plan set ("rank 30 or better"), as HTML and PDF, one report process, not waiting for another run's lock. Written
once; the command line, the runner and the notebooks read it from here (a test keeps the notebooks' parameters
cells equal to it)."""

PROVINCE = "Khánh Hòa"
YEAR = 2022
BASE_YEAR = 2021  # the notebooks' default; a run without --base-year takes the latest earlier year with figures
TARGET_RANK = 30
LANG = "vi"
FORMATS = ("html", "pdf")  # the Word draft only when asked for
WORKERS = 1
WAIT = 0
UNIT_SET = None  # the explorer (notebook 04) explores the Ministry's index of a province unless a unit set is named
REPORT_UNIT_SET = "khanh-hoa"  # the unit set notebook 05 opens on (the province's own index in the public record)
