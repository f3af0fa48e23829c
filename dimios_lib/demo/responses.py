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

The same seed gives byte-identical files. The calibration (national mean of municipality maturity
scores near 48 % in the first round and 55 % in the last) is checked by the test suite.
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
LARGEST = ("0180", "1480", "1280", "0380", "0580", "1880", "0581", "1283", "0680", "2480")
SHARED_IT = ("2062", "2034", "2039")  # Mora, Orsa, Älvdalen
FILE_NAME = FILES["responses"]


def generate_demo(*, seed: int = DEFAULT_SEED, scale: float = 1.0, rounds=ROUNDS,
                  bank: ItemBank | None = None) -> pd.DataFrame:
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
    """
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
    for t, rnd in enumerate(rounds):
        takes_part = rng.random(n_mun) < propensity
        n_resp = np.maximum(1, rng.poisson(size)) * takes_part
        m_idx = np.repeat(np.arange(n_mun), n_resp)
        total = len(m_idx)
        unit = rng.choice(len(unit_names), total, p=unit_p / unit_p.sum())
        role = rng.choice(len(role_names), total, p=role_p / role_p.sum())
        person = rng.normal(0, 7, total)
        base = np.array([44.0, 52.0]) + 1.4 * t
        level = base[None, :] + z[m_idx] + trend[m_idx] * t  # (total, 2)
        latent = (np.where(is_legacy[None, :], level[:, [1]], level[:, [0]])
                  + (unit_eff[unit] + role_eff[role] + person)[:, None]
                  + difficulty[None, :]
                  + rng.normal(0, 14, (total, n_items)))
        answer = np.clip(np.rint(1 + latent / 100 * 5), 1, 6)
        answer = np.where(reverse[None, :], 7 - answer, answer)
        p_missing = np.where(is_legacy[None, :] & (role != it_role)[:, None], 0.09, 0.04)
        answer[rng.random((total, n_items)) < p_missing] = np.nan
        within = np.arange(total) - np.repeat(np.cumsum(n_resp) - n_resp, n_resp)
        rid = np.char.add(f"{rnd}-r", np.char.zfill((within + 1).astype(str), 3))
        frames.append(pd.DataFrame({
            "municipality_code": np.repeat(codes[m_idx], n_items),
            "round": rnd,
            "respondent_id": np.repeat(np.char.add(np.char.add(codes[m_idx], "-"), rid), n_items),
            "unit": np.repeat(np.array(unit_names, dtype=object)[unit], n_items),
            "role": np.repeat(np.array(role_names, dtype=object)[role], n_items),
            "item_id": np.tile(items["item_id"].to_numpy(), total),
            "answer": answer.ravel(),
        }))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(source=FILE_NAME, notes=[], synthetic=True)
    return out


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
