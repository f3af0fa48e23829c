"""Synthetic DiMiOS demo data: a documented, seeded simulation from the model. SYNTHETIC.

Nothing here is real data about any municipality. The simulation:

* **Municipalities and rounds**: all 290 municipalities, six rounds ``2021-11`` ... ``2024-05``
  (November and May, as Arvika measures). Each municipality has a participation propensity
  (Beta(6, 2.5), mean about 0.7); it takes part in a round with that probability.
* **Respondents**: a synthetic size per municipality (log-normal, median 9 respondents; the ten
  largest cities 40-60), drawn per round from a Poisson around it, at least 1: from under 5 to
  about 60. Each respondent has a unit (förvaltning) and a role.
* **Latent levels** in % of optimal conditions: a national baseline of capability 44 % and
  legacy 52 % (maturity 48 %, the SKR project baseline) rising by 1.4 points a round (to about
  55 % in 2024-05, the project goal); a municipality effect (capability sd 7, legacy sd 8,
  correlation 0.4) and trend (sd 0.6 points a round); unit effects (social services -6,
  education -5, urban planning +4, service +4, others 0 to +1); role effects (management +2, IT
  coordinators -1); a respondent effect (sd 7); item difficulties (sd 5, centred within each
  category).
* **Mora, Orsa and Älvdalen** share one IT department: one legacy effect and trend for the three.
* **Answers**: latent % + noise (sd 14) mapped to the 1-6 scale, rounded and clipped; written
  reversed for reverse-scored items; "vet ej" (missing) with probability 4 %, 9 % on legacy items
  for respondents outside IT roles.
* **Respondents** are new every round (fresh ids), unless ``panel`` asks for returning ones:
  then a share of each municipality's respondents answered its previous round too, with the same
  id, unit and role and a person effect correlated ``person_correlation`` with their earlier one.

The same seed gives byte-identical files. The calibration (national mean of municipality
maturity scores near 48 % in the first round and 55 % in the last) is checked by the test
suite. The truth of the simulation (the expected scores of a municipality's population of
respondents) is computed exactly in :mod:`dimios_lib.demo.known`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..io.files import write_frame, write_meta
from ..reference.items import ItemBank, load_item_bank
from ..reference.municipalities import municipalities
from . import FILES

DEFAULT_SEED = 20211101
ROUNDS = ("2021-11", "2022-05", "2022-11", "2023-05", "2023-11", "2024-05")
UNITS = {  # unit: (effect in points, share of respondents)
    "Kommunledning": (1.0, 0.20),
    "Socialtjänst": (-6.0, 0.18),
    "Utbildning": (-5.0, 0.18),
    "Samhällsbyggnad": (4.0, 0.16),
    "Service": (4.0, 0.14),
    "Kultur och fritid": (0.0, 0.14),
}
ROLES = {  # role: (effect, share); the respondents named in Arvika's description of the cycle
    "Ledning": (2.0, 0.30),
    "Systemägare": (0.0, 0.20),
    "Verksamhetsutvecklare": (0.0, 0.20),
    "Strateg": (0.0, 0.15),
    "IT-samordnare": (-1.0, 0.15),
}
PERSON_SD = 7.0       # respondent effect (points)
NOISE_SD = 14.0       # answer noise (points)
P_MISSING = 0.04      # "vet ej"
P_MISSING_LEGACY = 0.09   # on legacy items, respondents outside IT roles
BASE = (44.0, 52.0)   # national capability and legacy in the first round (points)
DRIFT = 1.4           # national rise per round (points)
LARGEST = ("0180", "1480", "1280", "0380", "0580", "1880", "0581", "1283", "0680", "2480")
SHARED_IT = ("2062", "2034", "2039")  # Mora, Orsa, Älvdalen
FILE_NAME = FILES["responses"]


def generate_demo(*, seed: int = DEFAULT_SEED, scale: float = 1.0, rounds=ROUNDS,
                  bank: ItemBank | None = None, panel: float = 0.0,
                  person_correlation: float = 0.7) -> pd.DataFrame:
    """Simulate synthetic responses in the canonical long format. SYNTHETIC.

    Parameters
    ----------
    seed : int
        Seed of the simulation; the same seed gives the same data.
    scale : float
        Multiplies every municipality's expected number of respondents (``scale=10`` gives the
        benchmark's ten-times-larger dataset).
    rounds : sequence of str
        Round labels, in time order.
    bank : ItemBank, optional
        Item bank (default: the packaged provisional bank).
    panel : float
        Share (0-1) of the respondents who could return that do: in a municipality that took
        part in the previous round too, the first ``round(panel x min(n_previous, n_now))``
        respondents are respondents of the previous round (same id, unit and role). 0 (the
        default) gives fresh respondents every round and the demo data byte for byte.
    person_correlation : float
        Correlation of a returning respondent's person effect with their previous one (0.7: a
        respondent's maturity then correlates about 0.7 between rounds).

    Examples
    --------
    With ``panel=1`` every respondent of 2024-05 whose municipality had at least as many
    respondents in 2023-11 answered then too:

    >>> d = generate_demo(rounds=("2023-11", "2024-05"), panel=1.0)
    >>> people = d.drop_duplicates(["round", "respondent_id"])
    >>> first = set(people.loc[people["round"] == "2023-11", "respondent_id"])
    >>> later = people.loc[people["round"] == "2024-05", "respondent_id"]
    >>> round(float(later.isin(first).mean()), 2)
    0.66
    """
    if not 0 <= panel <= 1 or not -1 <= person_correlation <= 1:
        raise ValueError("panel must lie in [0, 1] and person_correlation in [-1, 1]")
    bank = load_item_bank() if bank is None else bank
    rng = np.random.default_rng(seed)
    mun = municipalities()
    codes = mun["municipality_code"].to_numpy()
    n_mun = len(codes)
    items = bank.items
    n_items = len(items)
    is_legacy = (items["dimension"] == "legacy").to_numpy()
    reverse = items["reverse"].to_numpy(bool)
    effects = _municipality_effects(rng, codes, n_items, items)
    difficulty = effects.attrs["difficulty"]
    size = effects["size"].to_numpy() * scale
    propensity = effects["propensity"].to_numpy()
    z = effects[["capability_effect", "legacy_effect"]].to_numpy()
    trend = effects[["capability_trend", "legacy_trend"]].to_numpy()
    unit_names = list(UNITS)
    unit_eff = np.array([UNITS[u][0] for u in unit_names])
    unit_p = np.array([UNITS[u][1] for u in unit_names])
    role_names = list(ROLES)
    role_eff = np.array([ROLES[r][0] for r in role_names])
    role_p = np.array([ROLES[r][1] for r in role_names])
    it_role = role_names.index("IT-samordnare")
    frames = []
    previous = None
    for t, rnd in enumerate(rounds):
        takes_part = rng.random(n_mun) < propensity
        n_resp = np.maximum(1, rng.poisson(size)) * takes_part
        m_idx = np.repeat(np.arange(n_mun), n_resp)
        total = len(m_idx)
        unit = rng.choice(len(unit_names), total, p=unit_p / unit_p.sum())
        role = rng.choice(len(role_names), total, p=role_p / role_p.sum())
        person = rng.normal(0, PERSON_SD, total)
        within = np.arange(total) - np.repeat(np.cumsum(n_resp) - n_resp, n_resp)
        rid = np.char.add(f"{rnd}-r", np.char.zfill((within + 1).astype(str), 3))
        ids = np.char.add(np.char.add(codes[m_idx], "-"), rid)
        if panel > 0 and previous is not None:
            # returning respondents take no extra draws: the rest of the data stays the same
            unit, role, person, ids = _returning(previous, n_resp, m_idx, within, unit, role,
                                                 person, ids, panel, person_correlation)
        previous = (n_resp, unit, role, person, ids)
        base = np.array(BASE) + DRIFT * t
        level = base[None, :] + z[m_idx] + trend[m_idx] * t  # (total, 2)
        answer = _answers(rng, level, unit_eff[unit] + role_eff[role] + person, role,
                          difficulty, is_legacy, reverse, it_role)
        frames.append(pd.DataFrame({
            "municipality_code": np.repeat(codes[m_idx], n_items),
            "round": rnd,
            "respondent_id": np.repeat(ids, n_items),
            "unit": np.repeat(np.array(unit_names, dtype=object)[unit], n_items),
            "role": np.repeat(np.array(role_names, dtype=object)[role], n_items),
            "item_id": np.tile(items["item_id"].to_numpy(), total),
            "answer": answer.ravel(),
        }))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(source=FILE_NAME, notes=[], synthetic=True)
    return out


def _answers(rng, level, shift, role, difficulty, is_legacy, reverse, it_role,
             noise_sd=NOISE_SD) -> np.ndarray:
    """Answers (respondents x items) of respondents at latent ``level`` (respondents x 2:
    capability, legacy) shifted by their unit, role and person effects: latent + noise (sd
    ``noise_sd``, one or one per item) on the 1-6 scale (``1 + latent / 20``), rounded and
    clipped, written reversed for reverse-scored items, some missing."""
    total, n_items = len(level), len(difficulty)
    latent = (np.where(is_legacy[None, :], level[:, [1]], level[:, [0]])
              + shift[:, None]
              + difficulty[None, :]
              + rng.normal(0, noise_sd, (total, n_items)))
    answer = np.clip(np.rint(1 + latent / 100 * 5), 1, 6)
    answer = np.where(reverse[None, :], 7 - answer, answer)
    p_missing = np.where(is_legacy[None, :] & (role != it_role)[:, None], P_MISSING_LEGACY,
                         P_MISSING)
    answer[rng.random((total, n_items)) < p_missing] = np.nan
    return answer


def _returning(previous, n_resp, m_idx, within, unit, role, person, ids, panel, rho):
    """Make the first respondents of each municipality the previous round's: same id, unit and
    role, person effect ``rho x earlier + sqrt(1 - rho²) x this round's draw``."""
    n_prev, p_unit, p_role, p_person, p_ids = previous
    back = np.floor(panel * np.minimum(n_prev, n_resp) + 0.5).astype(np.int64)
    returning = within < back[m_idx]
    src = (np.cumsum(n_prev) - n_prev)[m_idx[returning]] + within[returning]
    unit, role, person, ids = unit.copy(), role.copy(), person.copy(), ids.astype(object)
    unit[returning], role[returning], ids[returning] = p_unit[src], p_role[src], p_ids[src]
    person[returning] = rho * p_person[src] + np.sqrt(1 - rho ** 2) * person[returning]
    return unit, role, person, ids


def _municipality_effects(rng, codes, n_items, items) -> pd.DataFrame:
    """The first draws of the simulation: item difficulties and municipality effects."""
    difficulty = rng.normal(0, 5, n_items)
    for cat in items["category"].unique():
        sel = (items["category"] == cat).to_numpy()
        difficulty[sel] -= difficulty[sel].mean()
    n_mun = len(codes)
    size = np.exp(rng.normal(np.log(9), 0.65, n_mun)).clip(2, 45)
    largest = np.isin(codes, LARGEST)
    size[largest] = rng.uniform(40, 60, largest.sum())
    propensity = rng.beta(6, 2.5, n_mun)
    z = rng.multivariate_normal([0, 0], [[49, 0.4 * 7 * 8], [0.4 * 7 * 8, 64]], n_mun)
    trend = rng.normal(0, 0.6, (n_mun, 2))
    shared = np.isin(codes, SHARED_IT)
    z[shared, 1] = z[shared, 1][0]
    trend[shared, 1] = trend[shared, 1][0]
    out = pd.DataFrame({"municipality_code": codes, "size": size, "propensity": propensity,
                        "capability_effect": z[:, 0], "legacy_effect": z[:, 1],
                        "capability_trend": trend[:, 0], "legacy_trend": trend[:, 1]})
    out.attrs["difficulty"] = difficulty
    return out


def municipality_effects(*, seed: int = DEFAULT_SEED, bank: ItemBank | None = None
                         ) -> pd.DataFrame:
    """The simulation's true municipality effects (points) and sizes: the demo data's ground
    truth, for checking methods against. SYNTHETIC."""
    bank = load_item_bank() if bank is None else bank
    mun = municipalities()["municipality_code"].to_numpy()
    out = _municipality_effects(np.random.default_rng(seed), mun, len(bank.items), bank.items)
    out.attrs = {}
    return out


def write_demo(folder: str | Path, *, seed: int = DEFAULT_SEED, scale: float = 1.0) -> Path:
    """Write the demo data and its metadata sidecar (``.meta.json``); returns the CSV's path.

    The CSV is canonical long format (comma-separated, UTF-8, LF); missing answers are empty.
    Both files are written atomically (:func:`dimios_lib.io.files.atomic_path`).
    """
    data = generate_demo(seed=seed, scale=scale)
    path = Path(folder) / FILE_NAME
    meta = {
        "synthetic": True,
        "label": "SYNTHETIC demo data: simulated from the DiMiOS model, not real answers",
        "generator": "dimios_lib.demo.responses.generate_demo",
        "seed": seed,
        "scale": scale,
        "rounds": list(ROUNDS),
        "rows": int(len(data)),
        "respondents": int(data.groupby(["municipality_code", "round", "respondent_id"]).ngroups),
    }
    write_frame(data, path, float_format="%.0f")
    write_meta(path, meta)
    return path
