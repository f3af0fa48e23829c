"""Which claims a report may make, from the flags the statistics give.

Every statement a page makes about a difference ("above the national mean", "a change",
"a clear priority") goes through one of these small functions, so a change in the rules (other
intervals, another test of change, a correction for many comparisons) lands here and in the
statistics, not in the words or the HTML. Each takes a row (a named tuple or mapping) of a
report table and returns a code; no words.

**The family.** A report makes many comparisons at once; :func:`family` collects every one of
them with its p-value (the overall measures against the national and the peer average, the
categories' and the capabilities' gaps to the national average, the changes since the previous
and the first round) and :func:`decide` adjusts them together
(``ModelConfig.claims_adjustment``, Benjamini–Hochberg by default, at ``claims_alpha``). A
comparison is *claimed* only when its adjusted p-value is below ``claims_alpha``; the tables keep
the unadjusted flags beside it (``clear_unadjusted``, ``significant``) so that the old rule can
be measured against the new one (``bench/bench_claims.py``).

**The group comparison** states one kind of claim, "more alike than chance"; its family is every
likeness test it states (:func:`likeness_family`), decided by the same :func:`decide` and
settings.

The p-values and the adjustment are computed in :mod:`dimios_lib.maturity.claims` (and
:func:`dimios_lib.maturity.benchmarks.member_differences`), which also builds every
municipality x round's family at once for ``dimios tables``: the shared change table's
``*_significant`` is what the report calls a change.
"""

from __future__ import annotations

import math

import pandas as pd

from ..maturity.claims import decide as decide_families

#: The kinds of comparison in a report's family, in the order :func:`family` lists them.
KINDS = ("national", "peer", "category", "capability", "change")


def _get(row, name: str, default=float("nan")):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _num(x) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return x


def vs_reference(row, reference: str = "national") -> str:
    """``"above"``, ``"below"`` or ``"level"``: the row's claim against the reference
    (``{reference}_claim``, decided across the report's comparisons by :func:`decide`) when it
    has one; otherwise (a row no family decided) whether its interval (``ci_low``,
    ``ci_high``) lies wholly above / below the reference value.

    >>> vs_reference({"ci_low": 52, "ci_high": 60, "national": 50, "national_claim": "level"})
    'level'
    >>> vs_reference({"ci_low": 52, "ci_high": 60, "national": 50})
    'above'
    >>> vs_reference({"ci_low": 45, "ci_high": 60, "national": 50})
    'level'
    """
    claim = _get(row, f"{reference}_claim", None)
    if isinstance(claim, str):
        return claim
    ref = _num(_get(row, reference))
    lo, hi = _num(_get(row, "ci_low")), _num(_get(row, "ci_high"))
    if math.isnan(ref):
        return "level"
    if not math.isnan(lo) and lo > ref:
        return "above"
    if not math.isnan(hi) and hi < ref:
        return "below"
    return "level"


def change_direction(row) -> str:
    """``"up"``, ``"down"`` or ``"none"``: a change is called only when the report claims it
    (``claimed``: it holds across the report's comparisons, :func:`decide`), or, in a table no
    family decided, when the statistics flag it (``significant``: its interval excludes zero).

    >>> change_direction({"change": 3.1, "significant": True, "claimed": False})
    'none'
    >>> change_direction({"change": 3.1, "significant": True})
    'up'
    >>> change_direction({"change": 3.1, "significant": False})
    'none'
    """
    claimed = _get(row, "claimed", None)
    flag = _get(row, "significant", False) if claimed is None or _missing(claimed) else claimed
    if not bool(flag):
        return "none"
    ch = _num(_get(row, "change"))
    if math.isnan(ch) or ch == 0:
        return "none"
    return "up" if ch > 0 else "down"


def clear_gap(row) -> bool:
    """A capability's (or category's) gap to the national mean is *clear*: the ``clear`` flag
    of the report's table, which :func:`decide` sets across the report's comparisons."""
    return bool(_get(row, "clear", False))


def rank_claimed(row) -> bool:
    """Whether a rank interval tells the municipality apart from some other (narrower than 1
    to ``n_ranked``).

    >>> rank_claimed({"rank_low": 1, "rank_high": 290, "n_ranked": 290})
    False
    >>> rank_claimed({"rank_low": 3, "rank_high": 290, "n_ranked": 290})
    True
    """
    lo, hi, n = (_num(_get(row, k)) for k in ("rank_low", "rank_high", "n_ranked"))
    if math.isnan(lo) or math.isnan(hi) or math.isnan(n):
        return False
    return lo > 1 or hi < n


def _missing(x) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def family(headline: pd.DataFrame | None, categories: pd.DataFrame | None,
           capabilities: pd.DataFrame | None, changes: pd.DataFrame | None) -> pd.DataFrame:
    """Every comparison a municipality report makes, one row each: ``kind`` (:data:`KINDS`),
    ``key`` (measure, category, item id, or measure and base round), ``difference`` and
    ``p_value``. Comparisons without a p-value (no reference, no standard error) are left out:
    they are never claimed.

    The tables need ``p_national``/``p_peer`` (headline, with ``pct`` and the references),
    ``p_value`` and ``gap`` (categories, capabilities) and ``p_value``, ``change``,
    ``round_from`` (changes; a pair of rounds listed twice counts once).
    """
    rows = []
    if headline is not None and len(headline):
        for ref in ("national", "peer"):
            col = f"p_{ref}"
            if col not in headline:
                continue
            for r in headline.itertuples():
                rows.append((ref, r.measure, _num(r.pct) - _num(getattr(r, ref)),
                             _num(getattr(r, col))))
    for kind, frame, key in (("category", categories, "category"),
                             ("capability", capabilities, "item_id")):
        if frame is not None and len(frame) and "p_value" in frame:
            rows += [(kind, k, g, p) for k, g, p in zip(frame[key], frame["gap"],
                                                        frame["p_value"])]
    if changes is not None and len(changes):
        ch = changes.drop_duplicates(subset=["measure", "round_from"])
        rows += [("change", f"{m}:{f}", c, p) for m, f, c, p in zip(
            ch["measure"], ch["round_from"], ch["change"], ch["p_value"])]
    out = pd.DataFrame(rows, columns=["kind", "key", "difference", "p_value"])
    out["p_value"] = out["p_value"].astype(float)
    return out[out["p_value"].notna()].reset_index(drop=True)


def decide(fam: pd.DataFrame, *, method: str = "fdr_bh", alpha: float = 0.05) -> pd.DataFrame:
    """The family with ``p_adjusted`` (:func:`dimios_lib.stats.multiplicity.adjust_pvalues`
    over all its comparisons) and ``claimed`` (adjusted p-value below ``alpha``): the one
    family of :func:`dimios_lib.maturity.claims.decide`, which decides every municipality x
    round's family at once for the shared change table.

    Examples
    --------
    Four comparisons with p = 0.01, 0.04, 0.03 and 0.005: Benjamini–Hochberg multiplies the
    sorted p-values by 4/1, 4/2, 4/3 and 4/4 (0.02, 0.02, 0.04, 0.04), so all four are claimed
    at 0.05; Holm (0.02, 0.03, 0.06, 0.06) claims two; each alone, all four.

    >>> f = pd.DataFrame({"kind": "capability", "key": list("abcd"), "difference": -5.0,
    ...                   "p_value": [0.01, 0.04, 0.03, 0.005]})
    >>> decide(f)["claimed"].tolist(), decide(f, method="holm")["claimed"].tolist()
    ([True, True, True, True], [True, False, False, True])
    """
    return decide_families(fam, method=method, alpha=alpha)


def likeness_family(alike: pd.DataFrame, pooled: pd.DataFrame) -> pd.DataFrame:
    """Every "more alike than chance" test a group comparison states, one row each: ``kind``
    (``"alike"`` per round and measure, ``"alike_pooled"`` per measure over the rounds),
    ``key`` (``measure:round`` or the measure), ``difference`` (the members' spread minus the
    median spread of random sets) and ``p_value``. Every round's test is in the family, not
    only the latest round's: the page's table shows them all. A pooled test over fewer than two
    rounds is the one round's test again and is not stated, so it is left out, as are tests
    without a p-value (fewer than two members with values).

    >>> a = pd.DataFrame({"round": ["1", "2"], "measure": "maturity", "sd": [2.0, 3.0],
    ...                   "random_median_sd": [6.0, 6.0], "p_value": [0.01, float("nan")]})
    >>> p = pd.DataFrame({"measure": ["maturity"], "rounds": [1], "mean_sd": [2.0],
    ...                   "random_median_sd": [6.0], "p_value": [0.01]})
    >>> likeness_family(a, p)[["kind", "key", "p_value"]].values.tolist()
    [['alike', 'maturity:1', 0.01]]
    """
    rows = []
    if alike is not None and len(alike):
        rows += [("alike", f"{m}:{r}", _num(sd) - _num(rs), _num(p)) for m, r, sd, rs, p in zip(
            alike["measure"], alike["round"], alike["sd"], alike["random_median_sd"],
            alike["p_value"])]
    if pooled is not None and len(pooled):
        rows += [("alike_pooled", m, _num(sd) - _num(rs), _num(p)) for m, k, sd, rs, p in zip(
            pooled["measure"], pooled["rounds"], pooled["mean_sd"], pooled["random_median_sd"],
            pooled["p_value"]) if k >= 2]
    out = pd.DataFrame(rows, columns=["kind", "key", "difference", "p_value"])
    out["p_value"] = out["p_value"].astype(float)
    return out[out["p_value"].notna()].reset_index(drop=True)


def alike_claimed(row) -> bool:
    """Whether the group comparison says the members are more alike than chance: the
    ``claimed`` flag :func:`decide` set across the report's likeness tests (never the p-value
    alone).

    >>> alike_claimed({"p_value": 0.01, "claimed": False}), alike_claimed({"claimed": True})
    (False, True)
    """
    claimed = _get(row, "claimed", False)
    return False if _missing(claimed) else bool(claimed)


def claim_counts(rep) -> dict[str, int]:
    """How many claims of each kind a municipality report makes, by the report's rule and by
    the old rule (each comparison alone, at ``ci_level``), for the benchmark and the recorded
    figures: ``{kind: n, "old_<kind>": n, ..., "rank": 0/1}``; ``rank`` is 1 when the maturity
    rank interval (the one a page shows) tells the municipality apart from another. The old
    report made no claim about categories; ``old_category`` counts what the old rule would
    have said."""
    out = {k: 0 for k in KINDS} | {f"old_{k}": 0 for k in KINDS} | {"rank": 0}
    if rep.headline is None:
        return out
    h = rep.headline
    for ref in ("national", "peer"):
        if f"{ref}_claim" in h:
            out[ref] = int((h[f"{ref}_claim"] != "level").sum())
            old = [vs_reference({k: v for k, v in r.items() if k != f"{ref}_claim"}, ref)
                   for r in h.to_dict("records")]
            out[f"old_{ref}"] = int(sum(v != "level" for v in old))
    for kind, frame in (("category", rep.categories), ("capability", rep.capabilities)):
        if frame is not None and "clear" in frame:
            out[kind] = int(frame["clear"].fillna(False).astype(bool).sum())
            out[f"old_{kind}"] = int(frame["clear_unadjusted"].fillna(False).astype(bool).sum())
    ch = rep.changes()
    if len(ch):
        out["change"] = int(sum(change_direction(r) != "none" for r in ch.to_dict("records")))
        out["old_change"] = int(ch["significant"].astype(bool).sum())
    shown = h[h["measure"] == "maturity"]  # the rank a page shows
    out["rank"] = int(any(rank_claimed(r) for r in shown.to_dict("records")))
    return out


def type_uncertain(headline, capability_cut: float, legacy_cut: float) -> bool:
    """The type placement is uncertain when the capability or legacy interval crosses its
    cut-off (``headline``: the report's headline table indexed by measure)."""
    def crosses(m: str, cut: float) -> bool:
        lo, hi = _num(headline.at[m, "ci_low"]), _num(headline.at[m, "ci_high"])
        return not (math.isnan(lo) or math.isnan(hi)) and lo < cut <= hi

    return crosses("capability", capability_cut) or crosses("legacy", legacy_cut)
