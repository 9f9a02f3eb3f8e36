"""What a run does when nothing is said: Khánh Hòa's report for 2022 against 2021, as HTML and PDF, one report
process, not waiting for another run's lock. No target rank is a default: a report takes the target on record for
its province and year (data/reference/targets.csv: Khánh Hòa's 2022 plan, rank 30 or better) or the analyst's
--target-rank, else it shows reference points. Written once; the command line, the runner and the notebooks read it
from here (a test keeps the notebooks' parameters cells equal to it)."""

PROVINCE = "Khánh Hòa"
YEAR = 2022
BASE_YEAR = 2021  # the notebooks' default; a run without --base-year takes the latest earlier year with figures
TARGET_RANK = None  # no target unless given (--target-rank) or on record for the province and year
LANG = "vi"
FORMATS = ("html", "pdf")  # the Word draft only when asked for
WORKERS = 1
WAIT = 0
UNIT_SET = None  # the explorer (notebook 04) explores the Ministry's index of a province unless a unit set is named
REPORT_UNIT_SET = "khanh-hoa"  # the unit set notebook 05 opens on (the province's own index in the public record)
