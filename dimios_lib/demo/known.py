"""Simulations with a known truth, for checking methods against: the exact true scores of the
demo's latent model, the demo's own truth per municipality and round, and groups of respondents
at given true levels (one round, or two rounds as fresh samples, a panel or a partial panel).
SYNTHETIC.

**The truth.** A group's true score is the score of its *population* of respondents: the same
function of item means as the direct estimate (:mod:`dimios_lib.maturity.scoring`), applied to
the population's expected answers among those who answer. In the demo's latent model
(:mod:`dimios_lib.demo.responses`) an answer is ``clip(rint(1 + latent / 20), 1, 6)`` with
``latent = level + unit + role + difficulty + person + noise``, person ~ N(0, 7²) and noise ~
N(0, 14²) independent, so given the unit and role

.. math:: E[x] = 1 + \\sum_{k=2}^{6} \\Phi\\left(\\frac{m - 20(k - 1.5)}{\\sqrt{7^2 + 14^2}}\\right)

with *m* the latent mean; averaged over units and roles (their shares) weighted by the chance
of answering ("vet ej" depends on the role for legacy items), it is
:math:`E[x_j \\mid \\text{answered}]`, exactly. Item % = (E - 1) / 5 x 100; categories,
dimensions and maturity follow by the model's weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ..config import ModelConfig
from ..maturity.scoring import Model
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities
from .responses import (
    BASE,
    DEFAULT_SEED,
    DRIFT,
    NOISE_SD,
    P_MISSING,
    P_MISSING_LEGACY,
    PERSON_SD,
    ROLES,
    ROUNDS,
    UNITS,
    _answers,
    _municipality_effects,
    _returning,
)


def item_difficulty(bank: ItemBank | None = None, *, seed: int = DEFAULT_SEED) -> np.ndarray:
    """The item difficulties (points) the demo draws first from ``seed``."""
    bank = load_item_bank() if bank is None else bank
    codes = municipalities()["municipality_code"].to_numpy()
    effects = _municipality_effects(np.random.default_rng(seed), codes, len(bank.items),
                                    bank.items)
    return effects.attrs["difficulty"]


def true_scores(capability, legacy, *, difficulty: np.ndarray, bank: ItemBank | None = None,
                config: ModelConfig | None = None, unit: str | None = None,
                role: str | None = None, noise_sd=NOISE_SD) -> pd.DataFrame:
    """The true scores of populations of respondents at latent levels ``capability`` and
    ``legacy`` (points, one pair per population), exactly.

    ``unit`` or ``role`` restrict the population to the respondents of one unit or role (the
    truth of a score by unit or role); ``noise_sd`` is the answer noise (one, or one per item)
    the answers were simulated with.

    Returns
    -------
    DataFrame
        One row per population: every item (``item_id`` columns), every category, then
        ``capability``, ``legacy`` and ``maturity``, in %.

    Examples
    --------
    A population at latent 50/50 with no item difficulties: the rounding thresholds and the
    clipping at 1 and 6 are symmetric about 50, and the unit and role effects average -0.58 +
    0.45 = -0.13 points, so every score is just below 50 %.

    >>> bank = load_item_bank()
    >>> t = true_scores([50.0], [50.0], difficulty=np.zeros(len(bank.items)), bank=bank)
    >>> round(float(t["maturity"].iloc[0]), 2)
    49.86
    """
    bank = load_item_bank() if bank is None else bank
    model = Model.build(bank, config)
    items = bank.items
    is_legacy = (items["dimension"] == "legacy").to_numpy()
    cap = np.atleast_1d(np.asarray(capability, float))
    leg = np.atleast_1d(np.asarray(legacy, float))
    mean = np.where(is_legacy[None, :], leg[:, None], cap[:, None]) + difficulty[None, :]
    unit_eff = np.array([u[0] for u in UNITS.values()])
    unit_p = np.array([u[1] for u in UNITS.values()])
    role_eff = np.array([r[0] for r in ROLES.values()])
    role_p = np.array([r[1] for r in ROLES.values()])
    if unit is not None:
        unit_p = (np.array(list(UNITS)) == unit).astype(float)
    if role is not None:
        role_p = (np.array(list(ROLES)) == role).astype(float)
    unit_p, role_p = unit_p / unit_p.sum(), role_p / role_p.sum()
    it_role = list(ROLES).index("IT-samordnare")
    sd = np.hypot(PERSON_SD, np.broadcast_to(np.asarray(noise_sd, float), mean.shape[1:]))
    cuts = 20.0 * (np.arange(2, 7) - 1.5)          # latent thresholds of answers 2..6
    num = np.zeros_like(mean)
    den = np.zeros_like(mean)
    for ue, up in zip(unit_eff, unit_p):
        for r, (re, rp) in enumerate(zip(role_eff, role_p)):
            m = mean + ue + re
            expected = 1 + special.ndtr((m[..., None] - cuts) / sd[:, None]).sum(axis=-1)
            answers = 1 - np.where(is_legacy & (r != it_role), P_MISSING_LEGACY, P_MISSING)
            w = up * rp * answers[None, :]
            num += w * expected
            den += w
    ipct = model.to_pct(num / den)
    cat, dim, mat = model.aggregate(ipct)
    out = pd.DataFrame(ipct, columns=items["item_id"].tolist())
    for k, c in enumerate(bank.categories["category"]):
        out[c] = cat[:, k]
    out["capability"], out["legacy"], out["maturity"] = dim[:, 0], dim[:, 1], mat
    return out


def demo_truth(*, seed: int = DEFAULT_SEED, rounds=ROUNDS, bank: ItemBank | None = None
               ) -> pd.DataFrame:
    """The true capability, legacy and maturity of every municipality and round of
    :func:`~dimios_lib.demo.responses.generate_demo` with ``seed``: ``municipality_code,
    round, capability, legacy, maturity`` (% of the municipality's population of
    respondents)."""
    bank = load_item_bank() if bank is None else bank
    codes = municipalities()["municipality_code"].to_numpy()
    effects = _municipality_effects(np.random.default_rng(seed), codes, len(bank.items),
                                    bank.items)
    frames = []
    for t, rnd in enumerate(rounds):
        level = (np.array(BASE) + DRIFT * t
                 + effects[["capability_effect", "legacy_effect"]].to_numpy()
                 + effects[["capability_trend", "legacy_trend"]].to_numpy() * t)
        truth = true_scores(level[:, 0], level[:, 1], difficulty=effects.attrs["difficulty"],
                            bank=bank)
        frames.append(pd.DataFrame({"municipality_code": codes, "round": rnd,
                                    **{m: truth[m].to_numpy()
                                       for m in ("capability", "legacy", "maturity")}}))
    return pd.concat(frames, ignore_index=True)


def simulate_groups(capability, legacy, n, *, seed: int, difficulty: np.ndarray,
                    change: tuple[float, float] = (0.0, 0.0), rounds: int = 1,
                    panel: float = 0.0, person_correlation: float = 0.7,
                    noise_sd=NOISE_SD, bank: ItemBank | None = None) -> pd.DataFrame:
    """Answers of groups of respondents at known latent levels, in the canonical long format.
    SYNTHETIC.

    Parameters
    ----------
    capability, legacy : array_like
        Latent levels (points) of each group's population in the first round.
    n : int or array_like
        Respondents per group (and round).
    seed : int
    difficulty : ndarray
        Item difficulties (:func:`item_difficulty`).
    change : (float, float)
        Change of the latent capability and legacy levels from round 1 to round 2.
    rounds : {1, 2}
        Rounds ``"1"`` and ``"2"``.
    panel : float
        Share of each group's respondents in round 2 who answered round 1 (same id, unit and
        role; person effect correlated ``person_correlation``): 0 fresh samples, 1 a panel.
    noise_sd : float or array
        Answer noise (points), one or one per item (the demo's 14 by default).

    Returns
    -------
    DataFrame
        ``municipality_code`` (``g00000``, ... : the group), ``round``, ``respondent_id``,
        ``unit``, ``role``, ``item_id``, ``answer``. The truth is :func:`true_scores` of the
        levels (plus ``change`` in round 2).

    Examples
    --------
    >>> d = simulate_groups([50, 40], [55, 45], 5, seed=1, difficulty=item_difficulty(),
    ...                     rounds=2, panel=1.0)
    >>> d.groupby("round")["respondent_id"].nunique().tolist(), d["respondent_id"].nunique()
    ([10, 10], 10)
    """
    bank = load_item_bank() if bank is None else bank
    rng = np.random.default_rng(seed)
    items = bank.items
    is_legacy = (items["dimension"] == "legacy").to_numpy()
    reverse = items["reverse"].to_numpy(bool)
    cap = np.atleast_1d(np.asarray(capability, float))
    leg = np.atleast_1d(np.asarray(legacy, float))
    n_groups = len(cap)
    sizes = np.broadcast_to(np.asarray(n, dtype=np.int64), (n_groups,)).copy()
    unit_names, role_names = list(UNITS), list(ROLES)
    unit_eff = np.array([UNITS[u][0] for u in unit_names])
    unit_p = np.array([UNITS[u][1] for u in unit_names])
    role_eff = np.array([ROLES[r][0] for r in role_names])
    role_p = np.array([ROLES[r][1] for r in role_names])
    it_role = role_names.index("IT-samordnare")
    codes = np.array([f"g{g:05d}" for g in range(n_groups)], dtype=object)
    g_idx = np.repeat(np.arange(n_groups), sizes)
    total = len(g_idx)
    within = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    frames, previous = [], None
    for t in range(rounds):
        unit = rng.choice(len(unit_names), total, p=unit_p / unit_p.sum())
        role = rng.choice(len(role_names), total, p=role_p / role_p.sum())
        person = rng.normal(0, PERSON_SD, total)
        ids = np.char.add(np.char.add(codes[g_idx].astype(str), f"-{t + 1}-"),
                          within.astype(str)).astype(object)
        if previous is not None and panel > 0:
            unit, role, person, ids = _returning(previous, sizes, g_idx, within, unit, role,
                                                 person, ids, panel, person_correlation)
        previous = (sizes, unit, role, person, ids)
        level = np.column_stack([cap, leg])[g_idx] + (np.asarray(change) if t else 0.0)
        answer = _answers(rng, level, unit_eff[unit] + role_eff[role] + person, role,
                          difficulty, is_legacy, reverse, it_role, noise_sd)
        n_items = len(items)
        frames.append(pd.DataFrame({
            "municipality_code": np.repeat(codes[g_idx], n_items), "round": str(t + 1),
            "respondent_id": np.repeat(ids, n_items),
            "unit": np.repeat(np.array(unit_names, dtype=object)[unit], n_items),
            "role": np.repeat(np.array(role_names, dtype=object)[role], n_items),
            "item_id": np.tile(items["item_id"].to_numpy(), total),
            "answer": answer.ravel()}))
    return pd.concat(frames, ignore_index=True)
