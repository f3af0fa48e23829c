"""Synthetic Modig demo data, calibrated to the published totals. SYNTHETIC apart from those totals.

Modig (Göteborgsregionen, 2019–2021) published programme totals only (:func:`published_modig`):
3,513 people trained, 30,605 training hours, two to ten ambassadors per municipality and just
over 30 in all, and the shares 70 % (managers who changed at least one routine), 75 % (managers
who say they lead a digital workplace better) and 60 % (staff with better digital skills). The
demo files hit those figures **exactly**; everything below them — municipalities, roles, months,
respondents, answers — is a documented, seeded simulation.

Training log (:func:`generate_training_log`)
    Seven municipalities × 22 months (``2019-09`` … ``2021-06``: kick-off to the end of the
    project) × six roles, one row each (zeros included). Totals are split top-down with the
    largest-remainder method (:func:`largest_remainder`), so every level sums exactly:

    * people: 3,513 over municipalities by :data:`POPULATION` (approximate, as weights only) ×
      a participation factor (log-normal, sd 0.15); within a municipality over roles by
      :data:`ROLES` shares × log-normal noise (sd 0.2); within a role over months by
      :data:`MONTH_PROFILE` (a dip at Christmas, in spring 2020 when the pandemic closed care
      homes to visitors, and in July) × log-normal noise (sd 0.35);
    * hours: 30,605 over municipalities by people × an intensity factor (log-normal, sd 0.1);
      over roles by people × the role's hours per person (:data:`ROLES`); within a role each
      newly trained person's first session gets :data:`FIRST_SESSION_HOURS` in that month, and
      the rest goes over months by the month profile × (new trainees + 0.15 × people trained
      before: follow-up sessions). So hours are never zero where people were trained, and some
      months have hours without new trainees;
    * ambassadors: :data:`AMBASSADORS` per municipality (2–10, 33 in all; assumption), each with
      a role drawn from :data:`AMBASSADOR_ROLES`, active from ``2019-09`` (three in ten from
      ``2019-10``) to the end.

Outcome survey (:func:`generate_outcomes`)
    :data:`OUTCOME_SIZES` respondents (managers answer the two manager questions, staff the
    skills question), spread over municipalities by the people of that group trained there.
    In each question a fixed number of respondents answers "vet ej"; of the rest exactly the
    published share answers yes (84 of 120, 90 of 120, 468 of 780), drawn with municipality
    propensities (log-normal, sd 0.3) and, for the leadership question, more likely yes for a
    manager who changed a routine.

Self-rated competence (:func:`generate_competence`)
    A before/after study (format of :mod:`dimios_lib.study`) on the competence instrument, waves
    ``2019-09`` and ``2021-03``, :data:`COMPETENCE_RESPONDENTS` per municipality (Härryda's panel
    answered both waves, Stenungsund's waves share nobody, the others partly overlap). Latent
    level 2.8 on the 1–5 scale + municipality (sd 0.2) + person (sd 0.6, kept across waves)
    + wave-specific person effect (sd 0.3); *after* adds :data:`COMMON_TREND` (0.2: the
    pandemic's push to digital work, which a design without comparison municipalities cannot
    separate) and :data:`TRUE_EFFECT` (0.4, municipality sd 0.1). Answers: latent + item
    difficulty (sd 0.25) + noise (sd 0.7), rounded and clipped to 1–5, written reversed for
    ``DC4``; "vet ej" with probability 3 %.

The same seed gives byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io.files import write_frame, write_meta
from ..reference.instrument import Instrument, load_competence_instrument
from ..reference.municipalities import load_groups
from ..reference.published import published_modig
from . import FILES

DEFAULT_SEED = 20190905  # Modig's kick-off conference
MONTHS = tuple(pd.period_range("2019-09", "2021-06", freq="M").strftime("%Y-%m"))
TRAINING_FILE = FILES["training_log"]
OUTCOMES_FILE = FILES["outcomes"]
COMPETENCE_FILE = FILES["competence"]
FILE_NAMES = (TRAINING_FILE, OUTCOMES_FILE, COMPETENCE_FILE)
COMPETENCE_WAVES = ("2019-09", "2021-03")
#: Approximate population about 2020, rounded to the thousand: allocation weights only.
POPULATION = {"1440": 32_000, "1401": 38_000, "1482": 46_000, "1481": 69_000, "1402": 39_000,
              "1415": 27_000, "1419": 16_000}


#: Ambassadors per municipality (assumption within the published 2–10 and "just over 30").
AMBASSADORS = {"1440": 4, "1401": 5, "1482": 6, "1481": 8, "1402": 5, "1415": 3, "1419": 2}
#: Role: (share of the people trained, hours per person); assumption.
ROLES = {
    "Undersköterska": (0.47, 9.5),
    "Vårdbiträde": (0.16, 10.0),
    "Stödassistent": (0.14, 8.5),
    "Boendestödjare": (0.10, 8.0),
    "Sjuksköterska": (0.06, 6.0),
    "Enhetschef": (0.07, 7.0),
}
MANAGER_ROLES = ("Enhetschef",)
AMBASSADOR_ROLES = {"Undersköterska": 0.6, "Stödassistent": 0.15, "Boendestödjare": 0.1,
                    "Vårdbiträde": 0.1, "Sjuksköterska": 0.05}


#: Relative training activity per month (assumption).
MONTH_PROFILE = dict(zip(MONTHS, (
    0.6, 1.0, 1.1, 0.5,                                  # 2019-09 ... 2019-12
    0.9, 1.0, 0.6, 0.5, 0.8, 0.7, 0.1, 0.4, 1.2, 1.3, 1.2, 0.6,   # 2020
    1.0, 1.1, 1.1, 1.0, 0.8, 0.4,                        # 2021-01 ... 2021-06
)))


FIRST_SESSION_HOURS = 2
FOLLOW_UP_WEIGHT = 0.15
#: Group: (respondents, of whom "vet ej" per question); answered = respondents − missing.
OUTCOME_SIZES = {"manager": (124, 4), "staff": (792, 12)}
#: Municipality: (n before, n after, n in both waves) of the competence survey.
COMPETENCE_RESPONDENTS = {
    "1440": (24, 22, 12),
    "1401": (26, 26, 26),
    "1482": (30, 28, 15),
    "1481": (44, 40, 22),
    "1402": (27, 25, 13),
    "1415": (20, 22, 0),
    "1419": (12, 11, 7),
}
COMMON_TREND = 0.2
TRUE_EFFECT = 0.4


@dataclass(frozen=True)
class ModigDemo:
    """The three synthetic Modig tables (canonical formats). SYNTHETIC."""

    training_log: pd.DataFrame
    outcomes: pd.DataFrame
    competence: pd.DataFrame


def largest_remainder(total: int, weights) -> np.ndarray:
    """Split a whole number in proportion to weights, exactly (Hamilton's method).

    Each part gets the floor of its quota ``total × w / Σw``; the units left over go to the
    largest fractional remainders (ties: the earlier part). The parts sum to ``total`` and a
    part of weight 0 gets 0.

    Examples
    --------
    >>> largest_remainder(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    >>> largest_remainder(7, [0.5, 0, 0.25, 0.25]).tolist()
    [3, 0, 2, 2]
    """
    w = np.asarray(weights, dtype=float)
    if total < 0 or int(total) != total:
        raise ValueError("total must be a whole number of at least 0")
    if w.size == 0 or (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("weights must be finite, at least 0, and not empty")
    if total == 0:
        return np.zeros(w.size, dtype=np.int64)
    if w.sum() <= 0:
        raise ValueError("weights must not all be 0 when the total is above 0")
    quota = total * w / w.sum()
    base = np.floor(quota).astype(np.int64)
    left = int(total - base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:left]] += 1
    return base


def modig_codes() -> tuple[str, ...]:
    """The seven Modig municipalities, from the ``modig`` group of ``data/groups.yaml``."""
    return load_groups()["modig"].members


def generate_training_log(*, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The synthetic training log in canonical format, summing to the published totals.

    Returns
    -------
    DataFrame
        :data:`~dimios_lib.contracts.training.LOG_COLUMNS`, one row per municipality × month × role
        (7 × 22 × 6 = 924 rows); ``trainees`` sums to 3,513 and ``hours`` to 30,605.
        ``attrs["synthetic"]`` is True.
    """
    rng = np.random.default_rng([seed, 1])
    pub = published_modig()
    codes = modig_codes()
    roles = list(ROLES)
    share = np.array([ROLES[r][0] for r in roles])
    per_person = np.array([ROLES[r][1] for r in roles])
    profile = np.array([MONTH_PROFILE[m] for m in MONTHS])
    n_m, n_r, n_t = len(codes), len(roles), len(MONTHS)
    population = np.array([POPULATION[c] for c in codes], dtype=float)
    people_m = largest_remainder(pub["people_trained"],
                                 population * rng.lognormal(0, 0.15, n_m))
    people = np.zeros((n_m, n_r, n_t), dtype=np.int64)
    for i in range(n_m):
        people_mr = largest_remainder(people_m[i], share * rng.lognormal(0, 0.2, n_r))
        for j in range(n_r):
            people[i, j] = largest_remainder(people_mr[j], profile * rng.lognormal(0, 0.35, n_t))
    hours_m = largest_remainder(pub["training_hours"],
                                people_m * rng.lognormal(0, 0.1, n_m))
    hours = np.zeros((n_m, n_r, n_t), dtype=np.int64)
    for i in range(n_m):
        hours_mr = largest_remainder(hours_m[i], people[i].sum(axis=1) * per_person)
        for j in range(n_r):
            new = people[i, j]
            rest = int(hours_mr[j] - FIRST_SESSION_HOURS * new.sum())
            if rest < 0:
                raise ValueError("calibration failed: fewer hours than first sessions")
            before = np.concatenate([[0], np.cumsum(new)[:-1]])
            weight = profile * (new + FOLLOW_UP_WEIGHT * before)
            hours[i, j] = FIRST_SESSION_HOURS * new + largest_remainder(rest, weight)
    ambassadors = np.zeros((n_m, n_r, n_t), dtype=np.int64)
    amb_roles, amb_p = list(AMBASSADOR_ROLES), np.array(list(AMBASSADOR_ROLES.values()))
    for i, code in enumerate(codes):
        for _ in range(AMBASSADORS[code]):
            j = roles.index(amb_roles[rng.choice(len(amb_roles), p=amb_p / amb_p.sum())])
            start = 1 if rng.random() < 0.3 else 0
            ambassadors[i, j, start:] += 1
    out = pd.DataFrame({
        "municipality_code": np.repeat(np.array(codes, dtype=object), n_r * n_t),
        "month": np.tile(np.array(MONTHS, dtype=object), n_m * n_r),
        "role": np.tile(np.repeat(np.array(roles, dtype=object), n_t), n_m),
        "ambassadors": ambassadors.ravel(),
        "trainees": people.ravel(),
        "hours": hours.ravel().astype(float),
    })
    out = out.sort_values(["municipality_code", "month"], kind="stable").reset_index(drop=True)
    out.attrs.update(source=TRAINING_FILE, synthetic=True)
    return out


def generate_outcomes(log: pd.DataFrame | None = None, *, seed: int = DEFAULT_SEED
                      ) -> pd.DataFrame:
    """The synthetic outcome survey, with exactly the published shares overall.

    Parameters
    ----------
    log : DataFrame, optional
        The training log whose people per municipality and group spread the respondents
        (default: :func:`generate_training_log` with the same seed).

    Returns
    -------
    DataFrame
        :data:`~dimios_lib.contracts.training.OUTCOME_COLUMNS`, ``answer`` nullable boolean.
    """
    log = generate_training_log(seed=seed) if log is None else log
    rng = np.random.default_rng([seed, 2])
    pub = published_modig()["shares"]
    codes = modig_codes()
    is_manager = log["role"].isin(MANAGER_ROLES)
    frames = []
    for group, (n_resp, n_missing) in OUTCOME_SIZES.items():
        trained = (log.loc[is_manager == (group == "manager")]
                   .groupby("municipality_code")["trainees"].sum().reindex(codes).to_numpy())
        per_muni = largest_remainder(n_resp, trained)
        muni = np.repeat(np.array(codes, dtype=object), per_muni)
        letter = "c" if group == "manager" else "m"
        ids = np.array([f"{c}-{letter}{k + 1:04d}" for c, n in zip(codes, per_muni)
                        for k in range(n)], dtype=object)
        questions = [q for q, spec in pub.items() if spec["group"] == group]
        previous = np.zeros(n_resp, dtype=bool)
        for q in questions:
            answered = n_resp - n_missing
            yes_n = int(round(pub[q]["share"] * answered))
            if yes_n != pub[q]["share"] * answered:
                raise ValueError(f"{answered} answers cannot give {pub[q]['share']:.0%} exactly")
            missing = rng.choice(n_resp, n_missing, replace=False)
            candidates = np.setdiff1d(np.arange(n_resp), missing)
            propensity = dict(zip(codes, rng.lognormal(0, 0.3, len(codes))))
            w = np.array([propensity[c] for c in muni[candidates]])
            w = w * np.where(previous[candidates], 1.8, 1.0)
            yes = rng.choice(candidates, yes_n, replace=False, p=w / w.sum())
            answer = pd.array([False] * n_resp, dtype="boolean")
            answer[yes] = True
            answer[missing] = pd.NA
            previous = answer.fillna(False).to_numpy(dtype=bool)
            frames.append(pd.DataFrame({"municipality_code": muni, "respondent_id": ids,
                                        "group": group, "question": q, "answer": answer}))
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["municipality_code", "respondent_id"], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(source=OUTCOMES_FILE, synthetic=True)
    return out


def generate_competence(*, seed: int = DEFAULT_SEED, instrument: Instrument | None = None
                        ) -> pd.DataFrame:
    """The synthetic self-rated competence study (study long format, ``YYYY-MM`` waves).

    Returns
    -------
    DataFrame
        ``municipality_code, wave, respondent_id, item_id, answer`` (NaN = "vet ej"); pass it
        through :func:`dimios_lib.contracts.study.validate_study` with
        :func:`~dimios_lib.reference.instrument.load_competence_instrument`.
    """
    instrument = load_competence_instrument() if instrument is None else instrument
    rng = np.random.default_rng([seed, 3])
    items = instrument.items
    n_items = len(items)
    lo, hi = int(items["scale_min"].iloc[0]), int(items["scale_max"].iloc[0])
    difficulty = rng.normal(0, 0.25, n_items)
    difficulty -= difficulty.mean()
    reverse = items["reverse"].to_numpy(bool)
    frames = []
    for code in modig_codes():
        n_before, n_after, n_both = COMPETENCE_RESPONDENTS[code]
        municipality = rng.normal(0, 0.2)
        effect = TRUE_EFFECT + rng.normal(0, 0.1)
        n_people = n_before + n_after - n_both
        person = rng.normal(0, 0.6, n_people)
        waves = {COMPETENCE_WAVES[0]: np.arange(n_before),
                 COMPETENCE_WAVES[1]: np.concatenate([np.arange(n_both),
                                                      np.arange(n_before, n_people)])}
        for t, (wave, who) in enumerate(waves.items()):
            level = 2.8 + municipality + person[who] + rng.normal(0, 0.3, len(who))
            if t == 1:
                level = level + COMMON_TREND + effect
            latent = level[:, None] + difficulty[None, :] + rng.normal(0, 0.7, (len(who), n_items))
            answer = np.clip(np.rint(latent), lo, hi)
            answer = np.where(reverse[None, :], lo + hi - answer, answer)
            answer[rng.random((len(who), n_items)) < 0.03] = np.nan
            ids = [f"{code}-k{k + 1:03d}" for k in who]
            frames.append(pd.DataFrame({
                "municipality_code": code, "wave": wave,
                "respondent_id": np.repeat(np.array(ids, dtype=object), n_items),
                "item_id": np.tile(items["item_id"].to_numpy(), len(who)),
                "answer": answer.ravel(),
            }))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(source=COMPETENCE_FILE, synthetic=True)
    return out


def generate_modig_demo(seed: int = DEFAULT_SEED) -> ModigDemo:
    """All three synthetic Modig tables from one seed. SYNTHETIC apart from the published totals.

    Examples
    --------
    >>> demo = generate_modig_demo()
    >>> int(demo.training_log["trainees"].sum()), float(demo.training_log["hours"].sum())
    (3513, 30605.0)
    """
    log = generate_training_log(seed=seed)
    return ModigDemo(log, generate_outcomes(log, seed=seed), generate_competence(seed=seed))


def write_modig_demo(folder: str | Path, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the three synthetic Modig files, each with a ``.meta.json`` sidecar.

    Files (comma-separated, UTF-8, LF): :data:`TRAINING_FILE`, :data:`OUTCOMES_FILE` (answers
    ja/nej/vet ej) and :data:`COMPETENCE_FILE` (study format, answers 1–5 or vet ej). Each is
    written atomically.

    Returns
    -------
    dict
        ``{"training_log": path, "outcomes": path, "competence": path}``.
    """
    folder = Path(folder)
    demo = generate_modig_demo(seed)
    pub = published_modig()
    log = demo.training_log.copy()
    log["hours"] = log["hours"].map(lambda h: str(int(h)) if float(h).is_integer() else str(h))
    outcomes = demo.outcomes.copy()
    outcomes["answer"] = outcomes["answer"].map(
        lambda a: "vet ej" if pd.isna(a) else ("ja" if a else "nej")).astype(object)
    competence = demo.competence.copy()
    competence["answer"] = competence["answer"].map(
        lambda x: "vet ej" if np.isnan(x) else str(int(x)))
    common = {
        "synthetic": True,
        "generator": "dimios_lib.demo.modig.generate_modig_demo",
        "seed": seed,
        "municipalities": list(modig_codes()),
        "published_source": pub["sources"][0]["title"],
    }
    files: dict[str, tuple[str, pd.DataFrame, dict[str, Any]]] = {
        "training_log": (TRAINING_FILE, log, {
            "label": "SYNTHETIC training log: simulated per municipality, role and month; only "
                     "the grand totals are published figures",
            "published": {"people_trained": pub["people_trained"],
                          "training_hours": pub["training_hours"]},
            "calibrated_exactly_to_published": ["sum of trainees = people_trained",
                                                "sum of hours = training_hours"],
            "synthetic_parts": "the split over municipalities, roles and months; the "
                               "ambassadors (2-10 per municipality and over 30 in all are "
                               "published; the numbers per municipality are not)",
            "months": [MONTHS[0], MONTHS[-1]],
            "ambassadors": AMBASSADORS,
        }),
        "outcomes": (OUTCOMES_FILE, outcomes, {
            "label": "SYNTHETIC outcome survey: simulated respondents and answers; only the "
                     "overall shares are published figures",
            "published": {q: {"group": s["group"], "share": s["share"]}
                          for q, s in pub["shares"].items()},
            "calibrated_exactly_to_published": ["overall share of yes among answers, per "
                                                "question"],
            "synthetic_parts": "every respondent, the number of respondents, the missing "
                               "answers and the shares per municipality",
            "sizes": {g: {"respondents": n, "missing_per_question": m}
                      for g, (n, m) in OUTCOME_SIZES.items()},
        }),
        "competence": (COMPETENCE_FILE, competence, {
            "label": "SYNTHETIC self-rated competence before/after: nothing here is published",
            "published": {},
            "instrument": "dimios_lib/data/instrument_digital_competence_v0.1.csv (assumption)",
            "waves": list(COMPETENCE_WAVES),
            "respondents": {c: list(v) for c, v in COMPETENCE_RESPONDENTS.items()},
            "common_trend": COMMON_TREND,
            "true_effect": TRUE_EFFECT,
        }),
    }
    written: dict[str, Path] = {}
    for key, (name, frame, meta) in files.items():
        path = write_frame(frame, folder / name)
        write_meta(path, {**common, **meta, "rows": int(len(frame))})
        written[key] = path
    return written
