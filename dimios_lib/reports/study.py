"""The before/after study report, computed: the chosen treated municipalities with every
comparison municipality, and the before/after profile.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import DimiosError


def study_report(frame: pd.DataFrame, instrument, municipalities: Sequence[str] | None = None):
    """Analyse the study for the report: the chosen treated municipalities and every comparison.

    ``municipalities`` (codes) restricts the *treated* municipalities reported; comparison
    municipalities always stay in, since the difference-in-differences needs them. A code not
    among the treated municipalities of the data is an error naming those there are.
    """
    from ..study.analysis import analyse_study

    if municipalities:
        treated = sorted(frame.loc[frame["arm"] == "treated", "municipality_code"].unique())
        unknown = [c for c in municipalities if c not in treated]
        if unknown:
            raise DimiosError(f"municipalities {unknown} are not treated municipalities in the "
                              f"study; expected some of {', '.join(treated)}")
        keep = (frame["arm"] != "treated") | frame["municipality_code"].isin(list(municipalities))
        sub = frame[keep].copy()
        sub.attrs = dict(frame.attrs)
        frame = sub
    return analyse_study(frame, instrument)


def study_profile(results) -> pd.DataFrame:
    """Mean dimension score before and after per municipality (and arm), from the results'
    aggregates; rows of groups below the minimum size are left out."""
    m = results.municipalities
    keep = m[["n_before", "n_after"]].min(axis=1) >= results.config.min_group_size
    return m.loc[keep, ["municipality_code", "municipality_name", "arm", "dimension",
                        "n_before", "n_after", "mean_before", "mean_after", "mean_diff",
                        "mean_diff_ci_low", "mean_diff_ci_high"]].reset_index(drop=True)
