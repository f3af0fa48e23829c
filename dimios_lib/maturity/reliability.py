"""Reliability of the DiMiOS scales: Cronbach's alpha and McDonald's omega for every category and
both dimensions, per group (default: per round), from :mod:`dimios_lib.stats.reliability`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..reference.items import ItemBank
from ..stats.reliability import cronbach_alpha, mcdonald_omega


def reliability(
    responses: pd.DataFrame,
    *,
    by: Sequence[str] = ("round",),
    bank: ItemBank | None = None,
    config: ModelConfig | None = None,
) -> pd.DataFrame:
    """Alpha and omega for every category (and each dimension) per group (default: per round).

    Reverse-scored items are flipped first. Returns one row per group x scale with ``scale``
    (category or dimension name), ``level``, ``k_items``, ``n_complete`` (respondents with every
    item answered), ``alpha`` and ``omega``.
    """
    from .scoring import Model, respondent_matrix

    model = Model.build(bank, config)
    bank = model.bank
    x, group_keys, starts, n_group = respondent_matrix(responses, by=by, model=model)
    items = bank.items
    scales = [("category", c, np.flatnonzero((items["category"] == c).to_numpy()))
              for c in bank.categories["category"]]
    scales += [("dimension", d, np.flatnonzero((items["dimension"] == d).to_numpy()))
               for d in ("capability", "legacy")]
    rows = []
    for g, key in enumerate(group_keys.itertuples(index=False, name=None)):
        block = x[starts[g]:starts[g] + n_group[g]]
        for level, name, cols in scales:
            sub = block[:, cols]
            rows.append({**dict(zip(group_keys.columns, key)), "level": level, "scale": name,
                         "k_items": len(cols),
                         "n_complete": int((~np.isnan(sub).any(axis=1)).sum()),
                         "alpha": cronbach_alpha(sub), "omega": mcdonald_omega(sub)})
    return pd.DataFrame(rows)
