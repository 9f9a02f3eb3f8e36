"""A year's methodology as the processed tables give it: which fields the PAR INDEX has, in order. The fields are
data (processed `indicators`, from data/reference/indicators.csv), never a list in code."""

from __future__ import annotations

import pandas as pd


def par_fields(indicators: pd.DataFrame) -> tuple[str, ...]:
    """The PAR INDEX's fields in their order: the indicators of level 'field' under the index PAR."""
    fields = indicators[(indicators["level"] == "field") & (indicators["index"] == "PAR")]
    return tuple(fields.sort_values("sort").index)
