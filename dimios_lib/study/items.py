"""Checks beside the main analysis: a proportional-odds model per item (Benjamini–Hochberg across
items) and the reliability of each dimension per wave.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import StudyConfig
from ..reference.instrument import Instrument, load_instrument
from ..stats.models import proportional_odds
from ..stats.multiplicity import adjust_pvalues
from ..stats.reliability import cronbach_alpha, mcdonald_omega
from .scores import _flipped


def ordinal_item_check(data: pd.DataFrame, instrument: Instrument | None = None, *,
                       config: StudyConfig | None = None) -> pd.DataFrame:
    """Item-level check: a proportional-odds model per item, Benjamini–Hochberg across items.

    For each item, on the treated municipalities' answers (reverse-worded items flipped):
    ``answer ~ post + municipality`` (ordered logit); with comparison municipalities also
    ``answer ~ post + treated:post + municipality`` on all answers. Answers of one respondent in
    both waves are treated as independent here (a check, not the main inference).

    Returns
    -------
    DataFrame
        One row per item: ``item_id, dimension, label_sv, label_en, n_before, n_after,
        log_odds, odds_ratio, ci_low, ci_high, p_value, p_adjusted, converged`` and, with
        comparison municipalities, ``did_log_odds, did_ci_low, did_ci_high, did_p_value,
        did_p_adjusted``.
    """
    instrument = load_instrument() if instrument is None else instrument
    config = StudyConfig() if config is None else config
    work = _flipped(data, instrument)
    work["post"] = (work["wave"] == "after").astype(float)
    work["treated"] = (work["arm"] == "treated").astype(float)
    has_comparison = (work["arm"] == "comparison").any()
    rows = []
    for rec in instrument.items.itertuples(index=False):
        block = work.loc[work["item_id"] == rec.item_id]
        treated = block.loc[block["treated"] == 1]
        row = {"item_id": rec.item_id, "dimension": rec.dimension, "label_sv": rec.label_sv,
               "label_en": rec.label_en, "n_before": int((treated["post"] == 0).sum()),
               "n_after": int((treated["post"] == 1).sum())}
        exog = _dummies(treated)
        res = proportional_odds(treated["answer"], exog, "post", ci_level=config.ci_level)
        row.update({k: res[k] for k in ("log_odds", "odds_ratio", "ci_low", "ci_high",
                                        "p_value", "converged")})
        if has_comparison:
            exog = _dummies(block)
            exog["treated_post"] = (block["treated"] * block["post"]).to_numpy()
            did = proportional_odds(block["answer"], exog, "treated_post",
                                    ci_level=config.ci_level)
            row.update(did_log_odds=did["log_odds"], did_ci_low=did["ci_low"],
                       did_ci_high=did["ci_high"], did_p_value=did["p_value"],
                       did_converged=did["converged"])
        rows.append(row)
    out = pd.DataFrame(rows)
    out["p_adjusted"] = adjust_pvalues(out["p_value"], method="fdr_bh")
    if has_comparison:
        out["did_p_adjusted"] = adjust_pvalues(out["did_p_value"], method="fdr_bh")
    return out


def _dummies(block: pd.DataFrame) -> pd.DataFrame:
    exog = pd.DataFrame({"post": block["post"].to_numpy()})
    codes = sorted(block["municipality_code"].unique())
    for code in codes[1:]:
        exog[f"m_{code}"] = (block["municipality_code"] == code).to_numpy(dtype=float)
    return exog


def study_reliability(data: pd.DataFrame, instrument: Instrument | None = None, *,
                      by: Sequence[str] = ("wave",)) -> pd.DataFrame:
    """Cronbach's alpha and McDonald's omega per dimension and wave (reverse items flipped).

    Uses :func:`dimios_lib.stats.reliability.cronbach_alpha` and
    :func:`~dimios_lib.stats.reliability.mcdonald_omega` on the respondents who answered every item of
    the dimension. Returns ``<by...>, dimension, k_items, n_complete, alpha, omega``.
    """
    instrument = load_instrument() if instrument is None else instrument
    work = _flipped(data, instrument)
    rows = []
    for key, block in work.groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        wide = block.pivot_table(index=["municipality_code", "respondent_id"],
                                 columns="item_id", values="answer", aggfunc="first")
        for dim in instrument.dimension_ids:
            cols = [i for i in instrument.items_of(dim)]
            x = wide.reindex(columns=cols).to_numpy(dtype=float)
            rows.append({**dict(zip(by, key)), "dimension": dim, "k_items": len(cols),
                         "n_complete": int((~np.isnan(x).any(axis=1)).sum()),
                         "alpha": cronbach_alpha(x, missing="listwise"),
                         "omega": mcdonald_omega(x, missing="listwise")})
    out = pd.DataFrame(rows)
    if "wave" in by:
        out["_w"] = out["wave"].map({"before": 0, "after": 1})
        out = out.sort_values(["_w"], kind="stable").drop(columns="_w").reset_index(drop=True)
    return out
