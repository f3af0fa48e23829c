"""Synthetic DigiGrow-like study data: a documented, seeded simulation. SYNTHETIC.

Nothing here is real data about any municipality; DigiGrow's per-municipality figures are not
public. The simulation mirrors the study's *shape*:

* **Treated**: Alingsås (1489), Linköping (0580) and Umeå (2480), the three DigiGrow
  municipalities. **Comparison**: Lerum (1441), Örebro (1880) and Luleå (2580) — municipalities
  of a similar kind (see ``docs/study.md``: Lerum is, like Alingsås, a commuter municipality of
  about 40,000 inhabitants near Gothenburg; Örebro and Luleå are, like Linköping and Umeå,
  regional centres with a university). Both arms answered both waves.
* **Waves**: ``2019-10`` (before, autumn 2019) and ``2021-04`` (after, spring 2021).
* **Respondents** (fixed numbers, so that each design appears): Linköping's panel answered both
  waves (paired); Lerum's two waves have no respondent in common (independent); the others
  partly overlap. See :data:`RESPONDENTS`.
* **Latent level** of a respondent on a dimension, on the 1–7 answer scale: 4.1 + a dimension
  offset (purpose +0.3, potential 0, capacity −0.3, impact −0.2) + a municipality effect
  (sd 0.25 per dimension) + a person effect (sd 0.6, shared by the dimensions and kept by a
  respondent who answers both waves) + a person x dimension effect (sd 0.3) + a wave-specific
  person effect (sd 0.3); *after* adds a common trend of +0.15 (everyone: the pandemic's push to
  digital work) and, in treated municipalities, the **true effect** of :data:`TRUE_EFFECTS`
  times the municipality's multiplier in :data:`EFFECT_MULTIPLIER`.
* **Answers**: latent + an item difficulty (sd 0.3, centred within each dimension) + noise
  (sd 0.8), rounded and clipped to 1–7; written reversed (8 − x) for reverse-worded items;
  "vet ej" (missing) with probability 3 % (6 % on impact items, which ask about results).

The same seed gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..io.files import write_frame, write_meta
from ..reference.instrument import Instrument, load_instrument
from . import FILES

DEFAULT_SEED = 20210401
WAVES = ("2019-10", "2021-04")
FILE_NAME = FILES["study"]
TREATED = ("1489", "0580", "2480")  # Alingsås, Linköping, Umeå
COMPARISON = ("1441", "1880", "2580")  # Lerum, Örebro, Luleå
RESPONDENTS = {  # code: (n before, n after, n in both waves)
    "1489": (26, 24, 15),
    "0580": (32, 32, 32),
    "2480": (34, 30, 16),
    "1441": (22, 25, 0),
    "1880": (36, 33, 18),
    "2580": (30, 31, 14),
}
TRUE_EFFECTS = {"purpose": 0.5, "potential": 0.3, "capacity": 0.6, "impact": 0.1}
EFFECT_MULTIPLIER = {"1489": 1.0, "0580": 1.2, "2480": 0.7}
COMMON_TREND = 0.15
DIMENSION_OFFSET = {"purpose": 0.3, "potential": 0.0, "capacity": -0.3, "impact": -0.2}


def generate_study_demo(*, seed: int = DEFAULT_SEED, instrument: Instrument | None = None
                        ) -> pd.DataFrame:
    """Simulate the synthetic study in canonical long format. SYNTHETIC.

    Returns
    -------
    DataFrame
        ``municipality_code, arm, wave, respondent_id, item_id, answer`` (``wave`` holds the
        ``YYYY-MM`` labels; pass it through :func:`dimios_lib.contracts.study.validate_study` or write it
        with :func:`write_study_demo` and read it with :func:`~dimios_lib.contracts.study.read_study`).
        ``attrs["synthetic"]`` is True.

    The instrument must have the four OECD-lens dimensions (the default does).
    """
    instrument = load_instrument() if instrument is None else instrument
    rng = np.random.default_rng(seed)
    items = instrument.items
    dims = items["dimension"].to_numpy()
    dim_names = list(TRUE_EFFECTS)
    unknown = sorted(set(dims) - set(dim_names))
    if unknown:
        raise ValueError(f"the demo simulates the dimensions {dim_names}; the instrument has "
                         f"{unknown}")
    n_items = len(items)
    dim_index = np.array([dim_names.index(d) for d in dims])
    difficulty = rng.normal(0, 0.3, n_items)
    for j in range(len(dim_names)):
        difficulty[dim_index == j] -= difficulty[dim_index == j].mean()
    reverse = items["reverse"].to_numpy(bool)
    offset = np.array([DIMENSION_OFFSET[d] for d in dim_names])
    effect = np.array([TRUE_EFFECTS[d] for d in dim_names])
    p_missing = np.where(dims == "impact", 0.06, 0.03)
    frames = []
    for code in TREATED + COMPARISON:
        n_before, n_after, n_both = RESPONDENTS[code]
        treated = code in TREATED
        municipality = rng.normal(0, 0.25, len(dim_names))
        n_people = n_before + n_after - n_both
        person = rng.normal(0, 0.6, n_people)
        person_dim = rng.normal(0, 0.3, (n_people, len(dim_names)))
        # People 0..n_before-1 answer before; the first n_both of them and the new ones after.
        waves = {WAVES[0]: np.arange(n_before),
                 WAVES[1]: np.concatenate([np.arange(n_both), np.arange(n_before, n_people)])}
        for t, (wave, who) in enumerate(waves.items()):
            level = (4.1 + offset[None, :] + municipality[None, :] + person[who, None]
                     + person_dim[who] + rng.normal(0, 0.3, (len(who), len(dim_names))))
            if t == 1:
                level = level + COMMON_TREND
                if treated:
                    level = level + effect[None, :] * EFFECT_MULTIPLIER[code]
            latent = (level[:, dim_index] + difficulty[None, :]
                      + rng.normal(0, 0.8, (len(who), n_items)))
            answer = np.clip(np.rint(latent), 1, 7)
            answer = np.where(reverse[None, :], 8 - answer, answer)
            answer[rng.random((len(who), n_items)) < p_missing[None, :]] = np.nan
            ids = np.char.add(f"{code}-p", np.char.zfill((who + 1).astype(str), 3))
            frames.append(pd.DataFrame({
                "municipality_code": code,
                "arm": "treated" if treated else "comparison",
                "wave": wave,
                "respondent_id": np.repeat(ids, n_items),
                "item_id": np.tile(items["item_id"].to_numpy(), len(who)),
                "answer": answer.ravel(),
            }))
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(source=FILE_NAME, synthetic=True)
    return out


def write_study_demo(folder: str | Path, *, seed: int = DEFAULT_SEED) -> Path:
    """Write the synthetic study and its ``.meta.json`` sidecar; returns the CSV's path.

    Long CSV, comma-separated, UTF-8, LF; missing answers written as ``vet ej``. Both files
    are written atomically.
    """
    data = generate_study_demo(seed=seed)
    text = data.copy()
    text["answer"] = text["answer"].map(lambda x: "vet ej" if np.isnan(x) else str(int(x)))
    path = Path(folder) / FILE_NAME
    meta = {
        "synthetic": True,
        "label": "SYNTHETIC study data: simulated before/after answers, not real measurements",
        "description": "A DigiGrow-like before/after study of innovation capability: Alingsås, "
                       "Linköping and Umeå (treated) and Lerum, Örebro and Luleå (comparison), "
                       "autumn 2019 and spring 2021, on the OECD-lens instrument. Simulated; "
                       "see dimios_lib/demo/study.py for the model and the true effects.",
        "generator": "dimios_lib.demo.study.generate_study_demo",
        "seed": seed,
        "waves": list(WAVES),
        "true_effects": TRUE_EFFECTS,
        "effect_multiplier": EFFECT_MULTIPLIER,
        "common_trend": COMMON_TREND,
        "rows": int(len(data)),
    }
    write_frame(text, path)
    write_meta(path, meta)
    return path
