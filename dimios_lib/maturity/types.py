"""Organisation types A-D from the 2x2 grid of digital capability against digital legacy.

=====  ===================  ==================  ==============================
type   capability           legacy              source
=====  ===================  ==================  ==============================
A      below cut-off        below (limiting)    published
B      at or above cut-off  below (limiting)    assumption
C      below cut-off        at or above         assumption
D      at or above cut-off  at or above         inferred
=====  ===================  ==================  ==============================

Cut-offs default to 50 % on both axes (``ModelConfig.capability_cutoff``/``legacy_cutoff``,
assumption). The provenance of each type is reference data (``data/types.csv``); its label and
description are in the message catalogs.
"""

from __future__ import annotations

import numpy as np

from ..config import ModelConfig


def classify(capability_pct, legacy_pct, *, config: ModelConfig | None = None) -> np.ndarray:
    """Organisation type for each pair of capability and legacy percentages.

    Parameters
    ----------
    capability_pct, legacy_pct : array-like of float
        Dimension percentages (0-100). Missing values give a missing type.
    config : ModelConfig, optional
        Supplies ``capability_cutoff`` and ``legacy_cutoff`` (default 50 each).

    Returns
    -------
    ndarray of object
        ``"A"``, ``"B"``, ``"C"``, ``"D"`` or ``None``.

    Notes
    -----
    A value equal to the cut-off counts as high capability / enabling legacy.

    Examples
    --------
    Karlskoga's published 2022 figures (capability 47 %, legacy 59 %) and 2023 (56 %, 71 %):

    >>> classify([47, 56, 49.9, 50], [59, 71, 49.9, 40]).tolist()
    ['C', 'D', 'A', 'B']
    """
    config = ModelConfig() if config is None else config
    cap = np.asarray(capability_pct, dtype=float)
    leg = np.asarray(legacy_pct, dtype=float)
    high = cap >= config.capability_cutoff
    enabling = leg >= config.legacy_cutoff
    out = np.where(high, np.where(enabling, "D", "B"), np.where(enabling, "C", "A")).astype(object)
    out[np.isnan(cap) | np.isnan(leg)] = None
    return out
