"""Helpers of the study tests."""

import numpy as np
import pandas as pd

from dimios_lib.contracts.study import validate_study
from dimios_lib.reference.instrument import load_instrument


def small_study(n_after_small=6, comparison=False, seed=0):
    """Three treated municipalities (and three comparison ones), scores rising by 1 point."""
    rng = np.random.default_rng(seed)
    rows = []
    codes = [("1489", "treated"), ("0580", "treated"), ("2480", "treated")]
    if comparison:
        codes += [("1441", "comparison"), ("1880", "comparison"), ("2580", "comparison")]
    items = load_instrument().item_ids
    for code, arm in codes:
        for wave, shift in (("2019-10", 0), ("2021-04", 1 if arm == "treated" else 0)):
            n = n_after_small if (code == "2480" and wave == "2021-04") else 20
            for r in range(n):
                person = rng.normal(0, 0.8)
                for item in items:
                    x = np.clip(np.rint(4 + shift + person + rng.normal(0, 0.4)), 1, 7)
                    x = 8 - x if item in ("PUR4", "POT4") else x
                    rows.append((code, arm, wave, f"{code}-{wave}-{r}", item, x))
    frame = pd.DataFrame(rows, columns=["municipality_code", "arm", "wave", "respondent_id",
                                        "item_id", "answer"])
    return validate_study(frame)


def two_arm_study(k, *, effect=1.0, n=20, seed=0):
    """k treated and k comparison municipalities (the first 2k SCB codes), n respondents per
    wave, independent waves; the treated rise by ``effect`` on every dimension."""
    from dimios_lib.reference.municipalities import municipalities

    rng = np.random.default_rng(seed)
    codes = municipalities()["municipality_code"].tolist()[:2 * k]
    items = load_instrument().item_ids
    rows = []
    for i, code in enumerate(codes):
        arm = "treated" if i < k else "comparison"
        for wave, shift in (("2019-10", 0.0), ("2021-04", effect if arm == "treated" else 0.0)):
            for r in range(n):
                person = rng.normal(0, 0.8)
                x = np.clip(np.rint(4 + shift + person + rng.normal(0, 0.4, len(items))), 1, 7)
                x = np.where(np.isin(items, ["PUR4", "POT4"]), 8 - x, x)
                rows += [(code, arm, wave, f"{code}-{wave}-{r}", item, v)
                         for item, v in zip(items, x)]
    frame = pd.DataFrame(rows, columns=["municipality_code", "arm", "wave", "respondent_id",
                                        "item_id", "answer"])
    return validate_study(frame)
