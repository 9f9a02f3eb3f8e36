#!/usr/bin/env python
"""Produce the annual PAR INDEX / SIPAS improvement report: clean the data, run the notebooks, render HTML and PDF.

Examples:
  python pipeline.py                                   # Khánh Hòa, 2022 vs 2021, Vietnamese, HTML and PDF
  python pipeline.py --province "Ninh Thuận" --year 2022 --base-year 2021
  python pipeline.py --lang en --formats html

Exit codes: 0 success, 1 a step failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--province", default="Khánh Hòa", help="province name (any spelling) or 2-digit code")
    parser.add_argument("--year", type=int, default=2022, help="report year (default 2022)")
    parser.add_argument("--base-year", type=int, default=2021, help="year compared against (default 2021)")
    parser.add_argument("--target-rank", type=int, default=30, help="rank the province aims for (default 30)")
    parser.add_argument("--lang", default="vi", help="report language: vi or en (default vi)")
    parser.add_argument("--formats", default="html,pdf", help="comma-separated: html, pdf (default both)")
    parser.add_argument("--out", type=Path, default=None, help="reports folder (default reports/)")
    parser.add_argument("--quiet", action="store_true", help="only errors")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.ERROR if arguments.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("weasyprint", "fontTools", "papermill", "traitlets", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from parsipas import paths
    from parsipas.errors import InputError
    from parsipas.runner import RunParameters, StepFailed, run

    params = RunParameters(province=arguments.province, year=arguments.year, base_year=arguments.base_year,
                           target_rank=arguments.target_rank, lang=arguments.lang,
                           formats=tuple(f.strip() for f in arguments.formats.split(",") if f.strip()),
                           out=arguments.out or paths.REPORTS)
    try:
        run(params)
    except InputError as error:
        logging.error("bad input: %s", error)
        return 2
    except StepFailed as error:
        logging.error("failed: %s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
