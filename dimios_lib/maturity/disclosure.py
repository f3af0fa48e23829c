"""Disclosure control for what is shared: results by unit and role inside a municipality, the
national results by unit and role, and the values of every score table, so that no group of
fewer than ``ModelConfig.min_group_size`` respondents can be recovered by subtraction.

Hiding the small groups (primary suppression) is not enough. A municipality of 8 respondents
with unit A (5), B (2) and C (1) that shows its total and unit A gives away B and C together
(3 respondents) by subtraction; the unit table and the role table together can isolate the
one respondent who is in unit A but not in role X; a national result per unit minus every
municipality's shown cell of that unit is what the hidden cells hold together. The rules:

1. **Who counts.** Only municipalities shown (at least ``min_group_size`` respondents in the
   round) enter anything aggregated: benchmarks, and the national results by unit and role.
   A hidden municipality's respondents are in no shared figure at all.
2. **Primary suppression.** A unit or role group inside a municipality, or a national unit or
   role group, is hidden when fewer than ``min_group_size`` respondents answered (any item, or
   any item of one of the dimensions).
3. **Complementary suppression, audited.** Every figure shared about a round is a mean over a
   union of *atoms*: the respondents of one municipality sharing a unit and a role. With its
   count it gives the attacker the sum over that union, and so every linear combination of the
   shown sums. The audit (:mod:`dimios_lib.stats.audit`) finds every union of atoms with
   1 ... ``min_group_size - 1`` respondents whose sum those combinations determine: inside a
   municipality (total, unit table and role table together) and through the national unit and
   role results, which link municipalities. While it finds one, one more group is hidden: the
   smallest shown group whose hiding alone breaks the determination, else the smallest one the
   determination uses (a national group only when the municipality's own groups cannot help).
   Hiding only removes figures, so it can never create a new disclosure; the loop ends with at
   worst only the municipality totals shown. Each dimension is audited on its own answerers.
4. **Values inside a score table** (item → category → dimension → maturity) are protected the
   same way (:func:`dimios_lib.maturity.privacy.hierarchy_suppression`).
5. **Hidden groups are shown without name and size** (:func:`mask_hidden`).
6. **Category values by unit and role** (the municipality report's heat map) are audited per
   category on each category's own answerers, with the national values of the units and roles
   as links (:func:`protect_categories`): "vet ej" can leave a category remainder of a few
   answerers where the dimension's remainder was fine.

Rounds are audited one at a time: a round's figures concern that round's respondents only, and
a change between rounds is shared only when both rounds are shown, so it is the difference of
two shown figures and adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..reference.items import ItemBank
from ..stats.audit import Block, determined_unions, disclosed, linked_audit
from .scoring import Model, respondent_matrix

KINDS = ("unit", "role")
MISSING_GROUP = "\x00(missing)"  # a respondent without a unit or role forms a group of its own


@dataclass
class Protection:
    """Which unit and role groups may be shown (see the module docstring).

    Attributes
    ----------
    cells : DataFrame
        One row per municipality x round x kind (``unit``/``role``) x group: ``n_respondents``,
        ``shown`` and ``reason`` (``""``, ``"small"``, ``"complementary"`` or
        ``"municipality hidden"``; never shared: it would say a group is small).
    pools : DataFrame
        One row per round x kind x group of the national results (respondents of the
        municipalities shown): ``n_respondents``, ``shown``, ``reason``.
    """

    cells: pd.DataFrame
    pools: pd.DataFrame

    def shown_cells(self, kind: str) -> pd.DataFrame:
        """The keys (``municipality_code, round, <kind>``) of the groups that may be shown."""
        c = self.cells[(self.cells["kind"] == kind) & self.cells["shown"]]
        return c[["municipality_code", "round", "group"]].rename(columns={"group": kind})

    def shown_pools(self, kind: str) -> pd.DataFrame:
        """The keys (``round, <kind>``) of the national groups that may be shown."""
        p = self.pools[(self.pools["kind"] == kind) & self.pools["shown"]]
        return p[["round", "group"]].rename(columns={"group": kind})


def group_key(values: pd.Series) -> pd.Series:
    """Group labels with a missing label made a label of its own (for matching).

    >>> group_key(pd.Series(["A", None])).tolist() == ["A", MISSING_GROUP]
    True
    """
    return values.astype(object).where(values.notna(), MISSING_GROUP)


def protect_breakdowns(responses: pd.DataFrame, *, bank: ItemBank | None = None,
                       config: ModelConfig | None = None) -> Protection:
    """Decide which unit and role groups, and which national unit and role results, may be shown.

    Examples
    --------
    Karlskoga's 8 respondents: unit A 5, B 2, C 1, all in one role. Unit A alone is large
    enough, but shown with the total it would give away B and C together (3 respondents):
    A is hidden too (complementary), the role group (all 8, the total) stays.

    >>> from dimios_lib.reference.items import load_item_bank
    >>> bank = load_item_bank()
    >>> units = ["A"] * 5 + ["B"] * 2 + ["C"]
    >>> rows = [("1883", "2024-05", f"r{k}", u, "Chef", i, 4.0)
    ...         for k, u in enumerate(units) for i in bank.item_ids]
    >>> cols = ["municipality_code", "round", "respondent_id", "unit", "role", "item_id",
    ...         "answer"]
    >>> p = protect_breakdowns(pd.DataFrame(rows, columns=cols), bank=bank)
    >>> print(p.cells[["kind", "group", "n_respondents", "shown", "reason"]].to_string(
    ...     index=False))  # doctest: +NORMALIZE_WHITESPACE
    kind group  n_respondents  shown        reason
    role  Chef              8   True
    unit     A              5  False complementary
    unit     B              2  False         small
    unit     C              1  False         small
    """
    model = Model.build(bank, config)
    config = model.config
    min_n = config.min_group_size
    data = responses.copy()
    for kind in KINDS:
        data[kind] = group_key(data[kind])
    x, keys, starts, n_group = respondent_matrix(
        data, by=("round", "municipality_code", "unit", "role"), model=model)
    dim = model.bank.items["dimension"].to_numpy()
    answered = ~np.isnan(x)
    atoms = keys.copy()
    atoms["n"] = n_group
    for d in ("capability", "legacy"):
        flag = answered[:, dim == d].any(axis=1).astype(np.int64)
        atoms[f"n_{d}"] = np.add.reduceat(flag, starts) if len(flag) else np.zeros(0, np.int64)
    totals = atoms.groupby(["round", "municipality_code"])[["n", "n_capability", "n_legacy"]].sum()
    totals["shown"] = totals["n"] >= min_n
    atoms = atoms.join(totals["shown"].rename("municipality_shown"),
                       on=["round", "municipality_code"])
    cells = _groups(atoms, ["round", "municipality_code"], min_n)
    cells.loc[~cells["municipality_shown"], ["shown", "reason"]] = [False, "municipality hidden"]
    pools = _groups(atoms[atoms["municipality_shown"]], ["round"], min_n)
    state = _State(atoms[atoms["municipality_shown"]].reset_index(drop=True), totals, cells,
                   pools, min_n)
    state.run()
    cells["shown"], cells["reason"] = state.cell_shown, state.cell_reason
    pools["shown"], pools["reason"] = state.pool_shown, state.pool_reason
    order = ["municipality_code", "round", "kind", "group"]
    return Protection(cells=cells[order + ["n_respondents", "shown", "reason"]]
                      .sort_values(order).reset_index(drop=True),
                      pools=pools[["round", "kind", "group", "n_respondents", "shown", "reason"]]
                      .sort_values(["round", "kind", "group"]).reset_index(drop=True))


def _groups(atoms: pd.DataFrame, keys: list[str], min_n: int) -> pd.DataFrame:
    """Unit and role groups over ``keys`` with their sizes and primary suppression."""
    frames = []
    for kind in KINDS:
        g = atoms.groupby([*keys, kind], sort=True).agg(
            n_respondents=("n", "sum"), n_capability=("n_capability", "sum"),
            n_legacy=("n_legacy", "sum"),
            municipality_shown=("municipality_shown", "all")).reset_index()
        g = g.rename(columns={kind: "group"})
        g.insert(len(keys), "kind", kind)
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    out["n_min"] = out[["n_respondents", "n_capability", "n_legacy"]].min(axis=1)
    out["shown"] = out["n_min"] >= min_n
    out["reason"] = np.where(out["shown"], "", "small")
    return out.drop(columns=["n_capability", "n_legacy"])


class _State:
    """The decisions of one run of :func:`protect_breakdowns`, as arrays changed in place."""

    def __init__(self, atoms: pd.DataFrame, totals: pd.DataFrame, cells: pd.DataFrame,
                 pools: pd.DataFrame, min_n: int,
                 measures: tuple[str, ...] = ("capability", "legacy")):
        self.min_n = min_n
        self.measures = measures
        self.cell_shown = cells["shown"].to_numpy(bool).copy()
        self.cell_reason = cells["reason"].to_numpy(object).copy()
        self.cell_n = cells["n_respondents"].to_numpy()
        self.pool_shown = pools["shown"].to_numpy(bool).copy()
        self.pool_reason = pools["reason"].to_numpy(object).copy()
        self.pool_n = pools["n_respondents"].to_numpy()
        self.pool_kind = pools["kind"].to_numpy()
        cell_id = {k: i for i, k in enumerate(zip(cells["round"], cells["municipality_code"],
                                                   cells["kind"], cells["group"]))}
        pool_id = {k: i for i, k in enumerate(zip(pools["round"], pools["kind"], pools["group"]))}
        r, m = atoms["round"].to_numpy(), atoms["municipality_code"].to_numpy()
        self.atom_cell = {kind: np.array([cell_id[(a, b, kind, g)] for a, b, g in
                                          zip(r, m, atoms[kind])], dtype=np.int64)
                          for kind in KINDS}
        self.atom_pool = {kind: np.array([pool_id[(a, kind, g)] for a, g in zip(r, atoms[kind])],
                                         dtype=np.int64) for kind in KINDS}
        self.sizes = {d: atoms[f"n_{d}"].to_numpy() for d in measures}
        per_atom = atoms[["round", "municipality_code"]].join(
            totals, on=["round", "municipality_code"])
        self.total_ok = {d: (per_atom[f"n_{d}"] >= min_n).to_numpy() for d in measures}
        self.rounds: dict[str, list[np.ndarray]] = {}
        for (rnd, _), idx in atoms.groupby(["round", "municipality_code"], sort=True).indices.items():
            self.rounds.setdefault(rnd, []).append(np.asarray(idx))
        self.round_pools = {rnd: np.flatnonzero(pools["round"].to_numpy() == rnd)
                            for rnd in self.rounds}

    def run(self) -> None:
        for rnd in sorted(self.rounds):
            for dim in self.measures:
                blocks = [b[self.sizes[dim][b] > 0] for b in self.rounds[rnd]]
                blocks = [b for b in blocks if len(b)]
                for b in blocks:
                    self.protect_block(b, dim)
                while True:
                    audit, ids = self._linked(blocks, dim, rnd)
                    if audit.clean:
                        break
                    self._resolve(audit, ids, blocks, dim, rnd)

    # -- the figures of a block (a municipality in a round) for one dimension -----------------
    def _block(self, b: np.ndarray, dim: str) -> tuple[np.ndarray, np.ndarray, list]:
        """Published rows (figures x atoms), atom sizes, and each row's cell (``None``: total)."""
        rows: list[np.ndarray] = []
        ids: list[int | None] = []
        if self.total_ok[dim][b[0]]:
            rows.append(np.ones(len(b)))
            ids.append(None)
        for kind in KINDS:
            cells = self.atom_cell[kind][b]
            for c in np.unique(cells):
                if self.cell_shown[c]:
                    rows.append((cells == c).astype(float))
                    ids.append(int(c))
        return np.array(rows).reshape(-1, len(b)), self.sizes[dim][b], ids

    def _links(self, b: np.ndarray, rnd: str) -> tuple[np.ndarray, list]:
        rows: list[np.ndarray] = []
        ids: list[int] = []
        for p in self.round_pools[rnd]:
            if self.pool_shown[p]:
                rows.append((self.atom_pool[self.pool_kind[p]][b] == p).astype(float))
                ids.append(int(p))
        return np.array(rows).reshape(-1, len(b)), ids

    def _hide_cell(self, i: int) -> None:
        self.cell_shown[i], self.cell_reason[i] = False, "complementary"

    def _hide_pool(self, i: int) -> None:
        self.pool_shown[i], self.pool_reason[i] = False, "complementary"

    # -- phase 1: each municipality on its own ------------------------------------------------
    def protect_block(self, b: np.ndarray, dim: str) -> None:
        while True:
            rows, sizes, ids = self._block(b, dim)
            found = determined_unions(rows, sizes, self.min_n - 1)
            if not found:
                return
            target = np.zeros(len(b))
            target[list(found[0])] = 1
            self._hide_cell(self._choose(rows, ids, target))

    def _choose(self, rows: np.ndarray, ids: list, target: np.ndarray) -> int:
        """The smallest shown group whose hiding alone breaks the determination of ``target``,
        else the smallest one the determination uses."""
        cand = sorted((k for k, i in enumerate(ids) if i is not None),
                      key=lambda k: (self.cell_n[ids[k]], ids[k]))
        for k in cand:
            rest = np.delete(rows, k, axis=0)
            coef, *_ = np.linalg.lstsq(rest.T, target, rcond=None)
            if np.abs(rest.T @ coef - target).max() > 1e-8:
                return ids[k]
        coef, *_ = np.linalg.lstsq(rows.T, target, rcond=None)
        used = [k for k in cand if abs(coef[k]) > 1e-8]
        return ids[(used or cand)[0]]

    # -- phase 2: the national results link the municipalities --------------------------------
    def _audit_blocks(self, blocks, dim, rnd) -> tuple[list[Block], list]:
        audit_blocks, ids = [], []
        for b in blocks:
            rows, sizes, cell_ids = self._block(b, dim)
            links, pool_ids = self._links(b, rnd)
            audit_blocks.append(Block(rows, sizes, links))
            ids.append((cell_ids, pool_ids))
        return audit_blocks, ids

    def _linked(self, blocks, dim, rnd):
        audit_blocks, ids = self._audit_blocks(blocks, dim, rnd)
        return linked_audit(audit_blocks, self.min_n - 1, blocks_clean=True), ids

    def _resolve(self, audit, ids, blocks, dim, rnd) -> None:
        """Hide one more group for the first finding: the smallest group of the municipalities
        involved, else the smallest national group, whose hiding alone ends the disclosure;
        failing that the smallest national group (the smallest one when undecided)."""
        pools = sorted((int(p) for p in self.round_pools[rnd] if self.pool_shown[p]),
                       key=lambda p: (self.pool_n[p], p))
        finding = audit.findings[0] if audit.findings else None
        cells = [] if finding is None else sorted(
            {i for m in finding.blocks for i in ids[m][0] if i is not None},
            key=lambda i: (self.cell_n[i], i))
        if not cells and not pools:
            raise RuntimeError("disclosure audit: nothing left to hide")  # cannot happen
        if finding is None:
            self._hide_pool(pools[0])
            return
        for shown, i, hide in ([(self.cell_shown, i, self._hide_cell) for i in cells]
                               + [(self.pool_shown, p, self._hide_pool) for p in pools]):
            shown[i] = False
            still = disclosed(self._audit_blocks(blocks, dim, rnd)[0], finding)
            shown[i] = True
            if not still:
                hide(i)
                return
        if pools:
            self._hide_pool(pools[0])
        else:
            self._hide_cell(cells[0])


@dataclass
class CategoryProtection:
    """Which category values by unit and by role may be shown (:func:`protect_categories`).

    Attributes
    ----------
    cells : DataFrame
        One row per municipality x round x kind x group x category: ``n_answers`` (the
        group's respondents who answered at least one item of the category), ``shown`` and
        ``reason`` (``""``, ``"small"``, ``"complementary"``, ``"group hidden"`` or
        ``"municipality hidden"``; never shared).
    pools : DataFrame
        One row per round x kind x group x category of the national values (the respondents of
        the municipalities shown, pooled): ``n_answers``, ``shown``, ``reason``.
    """

    cells: pd.DataFrame
    pools: pd.DataFrame

    def shown_cells(self, kind: str) -> pd.DataFrame:
        """The keys (``municipality_code, round, <kind>, category``) of the values that may be
        shown."""
        c = self.cells[(self.cells["kind"] == kind) & self.cells["shown"]]
        return c[["municipality_code", "round", "group", "category"]].rename(
            columns={"group": kind})

    def shown_pools(self, kind: str) -> pd.DataFrame:
        """The keys (``round, <kind>, category``) of the national values that may be shown."""
        p = self.pools[(self.pools["kind"] == kind) & self.pools["shown"]]
        return p[["round", "group", "category"]].rename(columns={"group": kind})


def protect_categories(responses: pd.DataFrame, protection: Protection, *,
                       bank: ItemBank | None = None, config: ModelConfig | None = None
                       ) -> CategoryProtection:
    """Decide which category values by unit and by role, inside a municipality and nationally,
    may be shown (the heat map of the municipality report).

    A unit's category value rests on the unit's respondents who answered the category, which
    with "vet ej" can be fewer than those who answered its dimension. The dimension-level
    decisions (``protection``, :func:`protect_breakdowns`) do not cover it: the municipality's
    category value x answerers minus its shown units' category sums leaves the other units'
    category sum, and a national value of a unit minus every municipality's shown cell of it
    leaves the hidden cells. So each category is audited on its own answerers, with the same
    audit as the dimensions (:class:`~dimios_lib.stats.audit` through the links of the national
    values): a value is a candidate only when its group is shown at the dimension level (a
    national value: its national group), the group has a name, and at least ``min_group_size``
    of it answered the category (*primary*); the municipality's category value counts as
    published when at least ``min_group_size`` of its respondents answered the category. While
    some union of 1 ... ``min_group_size - 1`` answerers (the remainder of a municipality
    after its shown units, or after its shown roles; unit table and role table together; or
    the hidden cells of a unit across municipalities through its national value) follows from
    what is shown, one more value is hidden: the smallest shown one whose hiding alone ends it,
    else the smallest one it uses; a national value only when the municipalities' own cells
    cannot help. Only municipalities shown in the round count (a hidden municipality's
    respondents are in no national value).

    Parameters
    ----------
    responses : DataFrame
        Canonical answers (any rounds; each round is decided on its own).
    protection : Protection
        The dimension-level decisions for the same answers.

    Returns
    -------
    CategoryProtection

    Examples
    --------
    Karlskoga's 17 respondents, all managers, in units A (6), B (6) and C (5): every unit is
    shown at the dimension level (the remainder is 0). Three in C answer "vet ej" to both
    Organisation items, so only 2 of C answered that category: C's Organisation value is
    hidden, and then the municipality's Organisation value (14 answerers) minus A and B (12)
    would be those 2. One more value is hidden, the smallest shown (A, 6 answerers; a tie
    goes to the first), which leaves A and C together, 8 answerers. Every other category
    shows all three units.

    >>> from dimios_lib.reference.items import load_item_bank
    >>> bank = load_item_bank()
    >>> units = ["A"] * 6 + ["B"] * 6 + ["C"] * 5
    >>> rows = [("1883", "2024-05", f"r{k:02d}", u, "Chef", i,
    ...          None if k >= 14 and i.startswith("ORG") else 4.0)
    ...         for k, u in enumerate(units) for i in bank.item_ids]
    >>> cols = ["municipality_code", "round", "respondent_id", "unit", "role", "item_id",
    ...         "answer"]
    >>> data = pd.DataFrame(rows, columns=cols).astype({"answer": float})
    >>> p = protect_categories(data, protect_breakdowns(data, bank=bank), bank=bank)
    >>> c = p.cells[p.cells["kind"] == "unit"]
    >>> print(c.loc[c["category"] == "Organisation", ["group", "n_answers", "shown", "reason"]
    ...       ].to_string(index=False))  # doctest: +NORMALIZE_WHITESPACE
    group  n_answers  shown        reason
        A          6  False complementary
        B          6   True
        C          2  False         small
    >>> int((~c["shown"]).sum()), int(c["shown"].sum())  # unit values hidden, shown
    (2, 16)

    The national value of unit A's Organisation (here the same 6 answerers) would give A's
    cell back, so it is hidden too:

    >>> q = p.pools[(p.pools["kind"] == "unit") & (p.pools["category"] == "Organisation")]
    >>> q[["group", "shown"]].values.tolist()
    [['A', False], ['B', True], ['C', False]]
    """
    model = Model.build(bank, config)
    min_n = model.config.min_group_size
    cats = list(model.bank.categories["category"])
    if responses.empty:
        empty = pd.DataFrame(columns=["municipality_code", "round", "kind", "group", "category",
                                      "n_answers", "shown", "reason"])
        return CategoryProtection(cells=empty, pools=empty.drop(columns="municipality_code"))
    data = responses.copy()
    for kind in KINDS:
        data[kind] = group_key(data[kind])
    x, keys, starts, n_group = respondent_matrix(
        data, by=("round", "municipality_code", "unit", "role"), model=model)
    answered = ~np.isnan(x)
    cat_of = model.bank.item_category_index
    atoms = keys.copy()
    atoms["n"] = n_group
    measures = tuple(f"c{j}" for j in range(len(cats)))  # column-safe names of the categories
    for j, m in enumerate(measures):
        flag = answered[:, cat_of == j].any(axis=1).astype(np.int64)
        atoms[f"n_{m}"] = np.add.reduceat(flag, starts) if len(flag) else np.zeros(0, np.int64)
    totals = atoms.groupby(["round", "municipality_code"])[
        ["n", *(f"n_{m}" for m in measures)]].sum()
    totals["shown"] = totals["n"] >= min_n
    atoms = atoms.join(totals["shown"].rename("municipality_shown"),
                       on=["round", "municipality_code"])
    shown_atoms = atoms[atoms["municipality_shown"]].reset_index(drop=True)
    cell_ok = {(m, r, k, g) for m, r, k, g, s in protection.cells[
        ["municipality_code", "round", "kind", "group", "shown"]].itertuples(index=False) if s}
    pool_ok = {(r, k, g) for r, k, g, s in protection.pools[
        ["round", "kind", "group", "shown"]].itertuples(index=False) if s}
    cell_frames, pool_frames = [], []
    for cat, m in zip(cats, measures):
        cells = _category_groups(atoms, ["round", "municipality_code"], m, min_n,
                                 lambda r: (r.municipality_code, r.round, r.kind, r.group)
                                 in cell_ok)
        pools = _category_groups(shown_atoms, ["round"], m, min_n,
                                 lambda r: (r.round, r.kind, r.group) in pool_ok)
        state = _State(shown_atoms, totals, cells, pools, min_n, measures=(m,))
        state.run()
        for frame, shown, reason in ((cells, state.cell_shown, state.cell_reason),
                                     (pools, state.pool_shown, state.pool_reason)):
            frame["shown"], frame["reason"] = shown, reason
            frame["category"] = cat
        cell_frames.append(cells.rename(columns={"n_respondents": "n_answers"}))
        pool_frames.append(pools.rename(columns={"n_respondents": "n_answers"}))
    cols = ["kind", "group", "category", "n_answers", "shown", "reason"]
    order = ["municipality_code", "round", "kind", "group", "category"]
    rank = {c: i for i, c in enumerate(cats)}
    cells = pd.concat(cell_frames, ignore_index=True)[["municipality_code", "round", *cols]]
    pools = pd.concat(pool_frames, ignore_index=True)[["round", *cols]]
    return CategoryProtection(
        cells=cells.sort_values(order, key=lambda s: s.map(rank) if s.name == "category" else s)
        .reset_index(drop=True),
        pools=pools.sort_values(order[1:],
                                key=lambda s: s.map(rank) if s.name == "category" else s)
        .reset_index(drop=True))


def _category_groups(atoms: pd.DataFrame, keys: list[str], measure: str, min_n: int,
                     eligible) -> pd.DataFrame:
    """Unit and role groups over ``keys`` with their answerers of one category and the
    primary decision: shown when ``eligible`` (shown at the dimension level) and answered by at
    least ``min_n``."""
    frames = []
    for kind in KINDS:
        g = atoms.groupby([*keys, kind], sort=True).agg(
            n_respondents=(f"n_{measure}", "sum"),
            municipality_shown=("municipality_shown", "all")).reset_index()
        g = g.rename(columns={kind: "group"})
        g.insert(len(keys), "kind", kind)
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    ok = np.array([bool(eligible(r)) for r in out.itertuples(index=False)], dtype=bool)
    named = (out["group"] != MISSING_GROUP).to_numpy()
    big = (out["n_respondents"] >= min_n).to_numpy()
    out["shown"] = ok & named & big
    out["reason"] = np.where(~out["municipality_shown"].to_numpy(bool), "municipality hidden",
                             np.where(~(ok & named), "group hidden",
                                      np.where(~big, "small", "")))
    return out.drop(columns="municipality_shown")


def mask_hidden(table: pd.DataFrame, shown: pd.Series, *, names: tuple[str, ...] = (),
                counts: tuple[str, ...] = ("n_respondents",), values: list[str] | None = None,
                reorder: bool = True) -> pd.DataFrame:
    """A table as it may be shared: rows not ``shown`` lose their values, their group names
    (``names``) and their sizes (``counts``), get ``suppressed = True``, and (``reorder``)
    move to the end of the table, so that their place does not tell their name either.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A", "B", "C"], "n_respondents": [7, 2, 9],
    ...                   "maturity_pct": [50.0, 60.0, 70.0]})
    >>> shown = pd.Series([True, False, True])
    >>> print(mask_hidden(t, shown, names=("unit",)).to_string(index=False))
    unit  n_respondents  maturity_pct  suppressed
       A              7          50.0       False
       C              9          70.0       False
    None           <NA>           NaN        True
    """
    from .privacy import value_columns

    hidden = ~shown.to_numpy(bool)
    out = table.copy()
    for c in (value_columns(table) if values is None else values):
        if out[c].dtype.kind in "fc":
            out.loc[hidden, c] = np.nan
        else:
            out[c] = out[c].astype(object)
            out.loc[hidden, c] = None
    for c in names:
        out[c] = out[c].astype(object)
        out.loc[hidden, c] = None
    for c in counts:
        out[c] = out[c].astype("Int64")
        out.loc[hidden, c] = pd.NA
    out["suppressed"] = hidden
    if not reorder:
        return out
    return pd.concat([out[~hidden], out[hidden]], ignore_index=True)
