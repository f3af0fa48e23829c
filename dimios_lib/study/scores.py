"""Respondents' dimension scores, and each municipality's design (paired, independent or partial
overlap) from who answered in which wave.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import StudyConfig
from ..reference.instrument import Instrument, load_instrument

#: How many respondents answered both waves (:func:`choose_design`).
OVERLAPS = ("full", "none", "partial")


#: The analysis a municipality's overlap leads to (:func:`choose_design`).
DESIGNS = ("paired", "independent")


def dimension_scores(data: pd.DataFrame, instrument: Instrument | None = None, *,
                     config: StudyConfig | None = None) -> pd.DataFrame:
    """Each respondent's score on each dimension: the mean of the dimension's answered items.

    Parameters
    ----------
    data : DataFrame
        A canonical study frame (:func:`read_study`).
    instrument : Instrument, optional
        Default: the packaged instrument.
    config : StudyConfig, optional
        ``min_item_share``.

    Returns
    -------
    DataFrame
        One row per municipality x wave x respondent x dimension: ``municipality_code, arm,
        wave, respondent_id, person, dimension, score, n_items, k_items``. ``person`` is an
        integer that is the same for one respondent id in both waves of a municipality;
        ``score`` is missing when fewer than ``ceil(min_item_share x k_items)`` items were
        answered.

    Notes
    -----
    Reverse-worded items are flipped first: :math:`x \\mapsto \\min + \\max - x`.

    Examples
    --------
    Four items, one reverse-worded, on 1-7: answers 5, 6, (2 → 6), missing give (5 + 6 + 6) / 3:

    >>> from dimios_lib.reference.instrument import load_instrument
    >>> d = pd.DataFrame({"municipality_code": "1489", "arm": "treated", "wave": "before",
    ...                   "wave_label": "2019-10", "respondent_id": "r1",
    ...                   "item_id": ["PUR1", "PUR2", "PUR4", "PUR3"],
    ...                   "answer": [5, 6, 2, np.nan]})
    >>> dimension_scores(d)[["dimension", "score", "n_items"]].to_numpy().tolist()
    [['purpose', 5.666666666666667, 3]]
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    items = instrument.items.set_index("item_id")
    work = data[["municipality_code", "arm", "wave", "respondent_id", "item_id", "answer"]].copy()
    rev = work["item_id"].map(items["reverse"]).fillna(False).astype(bool).to_numpy()
    lo = work["item_id"].map(items["scale_min"]).to_numpy(dtype=float)
    hi = work["item_id"].map(items["scale_max"]).to_numpy(dtype=float)
    answer = work["answer"].to_numpy(dtype=float)
    work["value"] = np.where(rev, lo + hi - answer, answer)
    work["dimension"] = work["item_id"].map(items["dimension"])
    keys = ["municipality_code", "arm", "wave", "respondent_id", "dimension"]
    out = (work.groupby(keys, sort=False, observed=True)["value"]
           .agg(score="mean", n_items="count").reset_index())
    k = instrument.dimensions.set_index("dimension")["n_items"]
    out["k_items"] = out["dimension"].map(k).astype(int)
    need = np.ceil(config.min_item_share * out["k_items"].to_numpy() - 1e-9)
    out.loc[out["n_items"].to_numpy() < need, "score"] = np.nan
    out["person"] = pd.factorize(out["municipality_code"] + "\x1f"
                                 + out["respondent_id"].astype(str))[0]
    order = {d: i for i, d in enumerate(instrument.dimension_ids)}
    out["_w"] = out["wave"].map({"before": 0, "after": 1})
    out["_d"] = out["dimension"].map(order)
    out = out.sort_values(["municipality_code", "_d", "_w", "person"], kind="stable")
    cols = ["municipality_code", "arm", "wave", "respondent_id", "person", "dimension", "score",
            "n_items", "k_items"]
    return out[cols].reset_index(drop=True)


def choose_design(scores: pd.DataFrame) -> pd.DataFrame:
    """The design of each municipality's comparison, from who answered in which wave.

    A respondent *took part* in a wave if they have at least one dimension score there.

    Rules
    -----
    * everyone who took part did so in both waves → ``design = "paired"``, ``overlap = "full"``;
    * nobody took part in both → ``"independent"``, ``overlap = "none"``;
    * some did → ``"independent"`` on everyone, ``overlap = "partial"``; the ``n_matched``
      respondents in both waves are analysed paired as a sensitivity check.

    Returns
    -------
    DataFrame
        One row per municipality: ``municipality_code, arm, n_before, n_after, n_matched,
        overlap, design``.

    Examples
    --------
    >>> s = pd.DataFrame({"municipality_code": "0580", "arm": "treated",
    ...                   "wave": ["before", "before", "after", "after"],
    ...                   "person": [1, 2, 1, 3], "score": 4.0})
    >>> choose_design(s)[["n_matched", "overlap", "design"]].to_numpy().tolist()
    [[1, 'partial', 'independent']]
    """
    took_part = scores.loc[scores["score"].notna()]
    rows = []
    for code, block in took_part.groupby("municipality_code", sort=True):
        before = set(block.loc[block["wave"] == "before", "person"])
        after = set(block.loc[block["wave"] == "after", "person"])
        matched = before & after
        if before and before == after:
            overlap, design = "full", "paired"
        elif not matched:
            overlap, design = "none", "independent"
        else:
            overlap, design = "partial", "independent"
        rows.append({"municipality_code": code, "arm": block["arm"].iloc[0],
                     "n_before": len(before), "n_after": len(after), "n_matched": len(matched),
                     "overlap": overlap, "design": design})
    return pd.DataFrame(rows, columns=["municipality_code", "arm", "n_before", "n_after",
                                       "n_matched", "overlap", "design"])


def _flipped(data: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    items = instrument.items.set_index("item_id")
    work = data.loc[data["answer"].notna()].copy()
    rev = work["item_id"].map(items["reverse"]).astype(bool).to_numpy()
    lo = work["item_id"].map(items["scale_min"]).to_numpy(dtype=float)
    hi = work["item_id"].map(items["scale_max"]).to_numpy(dtype=float)
    work["answer"] = np.where(rev, lo + hi - work["answer"].to_numpy(), work["answer"].to_numpy())
    work["dimension"] = work["item_id"].map(items["dimension"])
    return work
