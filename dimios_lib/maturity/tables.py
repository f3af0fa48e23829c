"""Every shareable table at once (``dimios tables``): scores at every level, by unit and role,
benchmarks, changes between rounds and reliability, under disclosure control
(:mod:`dimios_lib.maturity.disclosure`): no group of fewer than ``min_group_size`` respondents
can be recovered from them, alone or by subtraction, and hidden groups carry no name or size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..errors import DimiosError
from ..reference.items import ItemBank
from ..reference.municipalities import Group, load_groups
from .benchmarks import county_means, group_means, national_means, national_weightings
from .change import round_changes
from .claims import claimed_changes, families
from .disclosure import (
    KINDS,
    CategoryProtection,
    Protection,
    group_key,
    mask_hidden,
    protect_breakdowns,
    protect_categories,
)
from .privacy import protect_values, suppress, value_columns
from .reliability import reliability
from .scoring import MEASURES, Model, Scores, score

LEVELS = ("municipality", "category", "capability")


@dataclass
class Release:
    """The scores and the disclosure decisions behind every shared table and report.

    ``scores`` are computed from every answer (internal); ``protected`` are the same with every
    value that may not be shared set missing (:func:`dimios_lib.maturity.privacy.protect_values`);
    ``protection`` says which unit and role groups may be shown; :meth:`category_protection`
    which category values by unit and role (decided when first asked for, per round).
    """

    responses: pd.DataFrame
    scores: Scores
    protected: Scores
    protection: Protection
    model: Model
    _categories: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, responses: pd.DataFrame, *, bank: ItemBank | None = None,
              config: ModelConfig | None = None, scores: Scores | None = None,
              ci: bool = True) -> Release:
        model = Model.build(bank, config)
        if scores is None:
            scores = score(responses, bank=model.bank, config=model.config, ci=ci)
        return cls(responses, scores, protect_values(scores, responses, model=model),
                   protect_breakdowns(responses, bank=model.bank, config=model.config), model)

    @property
    def config(self) -> ModelConfig:
        return self.model.config

    def shown_municipalities(self) -> pd.DataFrame:
        """The municipality x rounds shown (at least ``min_group_size`` respondents)."""
        o = self.protected.overall
        return o[o["n_respondents"] >= self.config.min_group_size]

    def category_protection(self, rounds: list[str] | None = None) -> CategoryProtection:
        """Which category values by unit and role may be shown, for ``rounds`` (default all):
        :func:`~dimios_lib.maturity.disclosure.protect_categories`, each round decided once."""
        rounds = (sorted(self.responses["round"].unique()) if rounds is None
                  else sorted(set(rounds)))
        todo = [r for r in rounds if r not in self._categories]
        if todo:
            data = self.responses[self.responses["round"].isin(todo)]
            found = protect_categories(data, self.protection, bank=self.model.bank,
                                       config=self.config)
            for r in todo:
                self._categories[r] = CategoryProtection(
                    cells=found.cells[found.cells["round"] == r],
                    pools=found.pools[found.pools["round"] == r])
        parts = [self._categories[r] for r in rounds]
        if not parts:
            return protect_categories(self.responses.iloc[:0], self.protection,
                                      bank=self.model.bank, config=self.config)
        return CategoryProtection(
            cells=pd.concat([p.cells for p in parts], ignore_index=True),
            pools=pd.concat([p.pools for p in parts], ignore_index=True))

    def breakdown(self, kind: str, *, national: bool = False, ci: bool = True,
                  responses: pd.DataFrame | None = None, level: str = "municipality"
                  ) -> pd.DataFrame:
        """Scores by unit or role inside each municipality and round (``national``: pooled
        over the municipalities shown, per round) with a boolean ``shown`` from the disclosure
        decisions. ``responses`` narrows the rows scored (one municipality, one round).

        ``level="category"`` gives the category values instead (one row per group x
        category), ``shown`` from :meth:`category_protection`: what the municipality report's
        heat map shows. They are not among the shared tables (docs/model.md, rule 7)."""
        if kind not in KINDS:
            raise DimiosError(f"expected 'unit' or 'role', not {kind!r}")
        if level not in ("municipality", "category"):
            raise DimiosError(f"expected level 'municipality' or 'category', not {level!r}")
        data = self.responses if responses is None else responses
        shown_m = self.shown_municipalities()[["municipality_code", "round"]]
        data = data.merge(shown_m, on=["municipality_code", "round"]) if national else data
        by = ("round", kind) if national else ("municipality_code", "round", kind)
        scored = score(data, by=by, bank=self.model.bank, config=self.config, ci=ci)
        keys: pd.DataFrame
        if level == "category":
            table = scored.categories
            prot = self.category_protection(sorted(table["round"].unique()))
            keys = prot.shown_pools(kind) if national else prot.shown_cells(kind)
            on = [*by[:-1], kind, "category"]
        else:
            table = scored.overall
            keys = (self.protection.shown_pools(kind) if national
                    else self.protection.shown_cells(kind))
            on = [*by[:-1], kind]
        keys = keys.assign(shown=True)
        keys[kind] = group_key(keys[kind])
        merged = table.assign(**{kind: group_key(table[kind])}).merge(
            keys, on=on, how="left")
        merged[kind] = table[kind].to_numpy()
        merged["shown"] = merged["shown"].astype("boolean").fillna(False).astype(bool)
        return merged


def shareable(table: pd.DataFrame, level: str = "municipality", *,
              config: ModelConfig | None = None, include_small: bool = False) -> pd.DataFrame:
    """A score table as it may be shared: groups below the minimum size suppressed (values and
    sizes blank).

    ``level`` is ``municipality`` (any overall table), ``category`` or ``capability`` (where an
    item answered by too few is suppressed too). This is primary suppression only: for the
    complementary suppression that also stops subtraction use :func:`shareable_tables` (or
    :class:`Release`). ``include_small`` keeps every value (internal use only) and marks no row
    suppressed.
    """
    if include_small:
        table = table.copy()
        table["suppressed"] = False
        return table
    count = ["n_respondents", "n_answers"] if level == "capability" else "n_respondents"
    return suppress(table, config=config, count=count)


def _groups_table(scores, groups: dict[str, Group]) -> pd.DataFrame:
    """Every group's benchmarks; the columns even when there are no groups (or no data)."""
    empty = group_means(scores, Group("", "", "", "", "", ()))
    return pd.concat([empty, *[group_means(scores, g) for g in groups.values()]],
                     ignore_index=True)


def _level_table(raw: pd.DataFrame, protected: pd.DataFrame, min_n: int,
                 counts: tuple[str, ...]) -> pd.DataFrame:
    """A category or capability table: a row is suppressed when its value is withheld."""
    small = raw["n_respondents"].to_numpy() < min_n
    withheld = small | (raw["pct"].notna() & protected["pct"].isna()).to_numpy()
    out = protected.copy()
    for c in counts:
        out[c] = out[c].astype("Int64")
        out.loc[small if c == "n_respondents" else withheld, c] = pd.NA
    out["suppressed"] = withheld
    return out


def _changes(release: Release) -> pd.DataFrame:
    """Changes between rounds of municipalities shown in both rounds; a measure's change is
    blank when either round's value is withheld. ``{m}_significant`` is whether the
    municipality report of ``round_to`` (default peers: the county) calls the change: claimed
    across the report's comparisons (:func:`dimios_lib.maturity.claims.families`), false when
    that report makes no claims (too few respondents)."""
    cfg = release.config
    ch = round_changes(release.scores)
    if ch.empty:  # a single round: no columns either
        return ch.assign(suppressed=False)
    ch = suppress(ch, config=cfg, count=["n_from", "n_to"])
    for c in ("n_from", "n_to"):
        ch[c] = ch[c].astype("Int64")
        ch.loc[ch["suppressed"], c] = pd.NA
    if ch.empty:
        return ch
    values = release.protected.overall.set_index(["municipality_code", "round"])
    called = claimed_changes(ch, families(release.protected))
    for m in MEASURES:
        ok = values[f"{m}_pct"].notna()
        both = (ok.reindex(pd.MultiIndex.from_arrays([ch["municipality_code"], ch["round_from"]]))
                .fillna(False).to_numpy(bool)
                & ok.reindex(pd.MultiIndex.from_arrays([ch["municipality_code"], ch["round_to"]]))
                .fillna(False).to_numpy(bool))
        for c in (c for c in value_columns(ch)
                  if c.startswith(f"{m}_") and c != f"{m}_significant"):
            ch.loc[~both, c] = np.nan
        ch[f"{m}_significant"] = pd.Series(called[m].to_numpy(), index=ch.index, dtype=object)
        ch.loc[~both | ch["suppressed"].to_numpy(bool), f"{m}_significant"] = None
    return ch


def shared_table(release: Release, level: str = "municipality", by: tuple[str, ...] = (), *,
                 ci: bool = True) -> pd.DataFrame:
    """One table as ``dimios tables`` shares it: a score table at ``level`` (``municipality``,
    ``category`` or ``capability``), by municipality and round, or by unit or role inside them
    (``by=("unit",)``, municipality level only).

    Tables by unit or role at the category or capability level, or by unit *and* role, are not
    part of the shared set: their remainders (a municipality's item minus its units' items, on
    each item's own answerers) are not audited, so they are refused
    (:class:`~dimios_lib.errors.DimiosError`); ``dimios score --include-small-groups`` writes
    them for internal analysis.
    """
    min_n = release.config.min_group_size
    raw, prot = release.scores, release.protected
    if level not in LEVELS:
        raise DimiosError(f"unknown level {level!r}; expected one of {LEVELS}")
    if not by:
        if level == "municipality":
            shown = pd.Series(raw.overall["n_respondents"].to_numpy() >= min_n)
            return mask_hidden(prot.overall, shown, reorder=False)
        if level == "category":
            return _level_table(raw.categories, prot.categories, min_n, ("n_respondents",))
        return _level_table(raw.capabilities, prot.capabilities, min_n,
                            ("n_respondents", "n_answers"))
    if len(by) == 1 and by[0] in KINDS and level == "municipality":
        cells = release.breakdown(by[0], ci=ci)
        return mask_hidden(cells.drop(columns="shown"), cells["shown"], names=(by[0],))
    raise DimiosError(
        f"a {level} table by {' and '.join(by)} cannot be shared: its small groups could be "
        "recovered by subtraction (only the municipality level by unit or by role is "
        "protected); use --include-small-groups for internal analysis and never share it")


def shareable_tables(responses: pd.DataFrame, *, bank: ItemBank | None = None,
                     config: ModelConfig | None = None,
                     groups: dict[str, Group] | None = None,
                     release: Release | None = None) -> dict[str, pd.DataFrame]:
    """Every table meant to be shared, by file name, each with a ``synthetic`` column.

    Tables: municipality × round scores at the three levels and by unit and by role; national
    scores by unit and by role (pooled over the municipalities shown); national, county and
    group benchmarks (every group of ``groups``, default the packaged groups, even one without
    data in the file), weighted as ``ModelConfig.benchmark_weights`` says, and both national
    estimands side by side (``national_round_weighting.csv``); changes between rounds
    (``municipality_changes.csv``, whose ``*_significant`` is the call of the municipality
    report of ``round_to`` with its default peers, the county: :mod:`.claims`); reliability per
    round. Every figure is under the disclosure control of
    :mod:`dimios_lib.maturity.disclosure`; a withheld row has ``suppressed = True``, no values,
    and (for unit and role groups) no name and no size.
    """
    release = Release.build(responses, bank=bank, config=config) if release is None else release
    config = release.config
    groups = load_groups() if groups is None else groups
    prot = release.protected
    out = {
        "municipality_round.csv": shared_table(release),
        "municipality_round_category.csv": shared_table(release, "category"),
        "municipality_round_capability.csv": shared_table(release, "capability"),
        "national_round.csv": national_means(prot),
        "national_round_weighting.csv": national_weightings(prot),
        "county_round.csv": county_means(prot),
        "groups_round.csv": _groups_table(prot, groups),
        "municipality_changes.csv": _changes(release),
        "reliability_round.csv": reliability(responses, bank=release.model.bank, config=config),
    }
    for kind in KINDS:
        out[f"municipality_round_{kind}.csv"] = shared_table(release, by=(kind,))
        pools = release.breakdown(kind, national=True, ci=False)
        out[f"national_round_{kind}.csv"] = mask_hidden(
            pools.drop(columns="shown"), pools["shown"], names=(kind,)).assign(
            basis="all respondents of the group in the municipalities shown, pooled")
    synthetic = bool(responses.attrs.get("synthetic"))
    return {name: table.assign(synthetic=synthetic) for name, table in out.items()}
