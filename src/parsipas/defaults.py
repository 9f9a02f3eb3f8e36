"""What a run does when nothing is said: Khánh Hòa's report for 2022 against 2021, aiming at the rank its 2022
plan set ("rank 30 or better"). Written once; the command line, the runner and the notebooks read it from here."""

PROVINCE = "Khánh Hòa"
YEAR = 2022
BASE_YEAR = 2021
TARGET_RANK = 30
LANG = "vi"
