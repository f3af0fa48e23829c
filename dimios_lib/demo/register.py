"""A SYNTHETIC initiative register for the Modig municipalities: initiatives through Region
Västernorrland's development process, gate decisions, targeted capabilities and KPIs. SYNTHETIC.

:func:`generate_register_demo` returns the three tables; :func:`write_register_demo` writes them
as a register folder (``register_SYNTHETIC/``) that :func:`dimios_lib.contracts.register.read_register`
reads like any user's register.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..io.files import write_atomic, write_frame
from ..reference.items import ItemBank, load_item_bank
from ..reference.process import FINAL, GATES, STAGE_NAMES
from . import FILES

DEMO_FOLDER = FILES["register"]
DEMO_TITLES = (
    "Digitala signeringslistor", "Nattillsyn med kamera", "E-tjänst för bygglov",
    "Chattbot för kontaktcenter", "Digitala möten i hemtjänsten", "Robotiserad ekonomiadministration",
    "Öppna data om lediga lokaler", "Gemensam IT-plattform", "Schemaläggning med AI-stöd",
    "Digital fallprevention", "Självincheckning på biblioteket", "Sensorer för inomhusklimat",
    "E-arkiv", "Digital vårdplanering", "Läsplattor för boende", "Automatiserat försörjningsstöd",
)


def generate_register_demo(*, seed: int = 20211101, codes=None, bank: ItemBank | None = None,
                           start: str = "2021-09-01") -> tuple[pd.DataFrame, pd.DataFrame,
                                                                pd.DataFrame]:
    """Simulate a register (initiatives, stages, kpis tables as written to CSV). SYNTHETIC.

    Each municipality commits 4-7 initiatives after a DiMiOS round (commitment dates spread over
    2021-12 ... 2023-12); each walks the process with seeded stage durations of 20-150 days
    (12 % of spells stall for 200-420 days),
    gate decisions (continue 75 %, rework 10 %, stop 15 %), system management exits after dialog
    or prova (10 %), a portfolio share of 30 %, two or three targeted capabilities and one KPI
    each. Everything is invented; only the process follows seed 004.
    """
    from ..reference.municipalities import load_groups

    bank = load_item_bank() if bank is None else bank
    rng = np.random.default_rng(seed)
    codes = list(load_groups()["modig"].members) if codes is None else list(codes)
    ids = bank.item_ids
    t0 = _dt.date.fromisoformat(start)
    ini, st, kp = [], [], []
    k = 0
    for code in codes:
        for _ in range(int(rng.integers(4, 8))):
            k += 1
            iid = f"{code}-{k:03d}"
            committed = t0 + _dt.timedelta(days=int(rng.integers(90, 820)))
            port = bool(rng.random() < 0.3)
            targets = rng.choice(ids, size=int(rng.integers(2, 4)), replace=False)
            ini.append({"initiative_id": iid, "municipality_code": code,
                        "title": DEMO_TITLES[int(rng.integers(len(DEMO_TITLES)))],
                        "committed": committed.isoformat(), "portfolio": "ja" if port else "nej",
                        "targets": ";".join(targets)})
            day = committed + _dt.timedelta(days=int(rng.integers(0, 30)))
            path = ["dialog"]
            stage = "dialog"
            while True:
                st.append({"initiative_id": iid, "stage": STAGE_NAMES[stage],
                           "date": day.isoformat(), "decision": "", "decided_by": ""})
                slow = rng.random() < 0.12  # some initiatives stall
                day = day + _dt.timedelta(days=int(rng.integers(200, 420) if slow
                                                   else rng.integers(20, 150)))
                if day > _dt.date(2024, 6, 1):
                    if stage in GATES:
                        st[-1]["decision"] = ""  # still waiting for the decision
                    break
                if stage in ("dialog", "prova") and rng.random() < 0.1:
                    stage = "systemforvaltning"
                elif stage in GATES:
                    u = rng.random()
                    dec = "continue" if u < 0.75 else "rework" if u < 0.85 else "stop"
                    if path.count(stage) > 1 and dec == "rework":
                        dec = "continue"
                    st[-1]["decision"] = {"continue": "fortsätt", "rework": "omarbeta",
                                          "stop": "stoppa"}[dec]
                    st[-1]["decided_by"] = "Kommunledningsgruppen"
                    if dec == "stop":
                        break
                    if dec == "rework":
                        stage = "prova" if stage == "beslut_1" else "bereda"
                    elif stage == "beslut_1":
                        stage = "bereda" if port else "infora"
                    else:
                        stage = "infora"
                elif stage in FINAL:
                    break
                else:
                    stage = {"dialog": "utforska", "utforska": "ideskissa",
                             "ideskissa": "prova", "prova": "beslut_1", "bereda": "beslut_2",
                             "infora": "folja_upp"}[stage]
                path.append(stage)
                if stage in FINAL:
                    st.append({"initiative_id": iid, "stage": STAGE_NAMES[stage],
                               "date": day.isoformat(), "decision": "", "decided_by": ""})
                    break
            base = float(rng.integers(20, 80))
            target = base + float(rng.integers(5, 25))
            measured = "infora" in path or "folja_upp" in path
            value = base + (target - base) * rng.uniform(-0.2, 1.4) if measured else None
            kp.append({"initiative_id": iid, "kpi": "Andel ärenden digitalt (%)",
                       "baseline": base, "target": target,
                       "value": None if value is None else round(value, 1),
                       "date": day.isoformat() if measured else ""})
    return pd.DataFrame(ini), pd.DataFrame(st), pd.DataFrame(kp)


def write_register_demo(folder: str | os.PathLike, *, seed: int = 20211101) -> Path:
    """Write the SYNTHETIC demo register as ``folder/register_SYNTHETIC/`` (three CSV files,
    each written atomically) with its ``register.meta.json``."""
    out = Path(folder) / DEMO_FOLDER
    ini, st, kp = generate_register_demo(seed=seed)
    for name, frame in (("initiatives", ini), ("stages", st), ("kpis", kp)):
        write_frame(frame, out / f"{name}.csv")
    write_atomic(out / "register.meta.json", json.dumps({
        "synthetic": True, "seed": seed,
        "description": "SYNTHETIC initiative register for the Modig municipalities; invented "
                       "initiatives following Region Västernorrland's development process."},
        indent=1) + "\n")
    return out
