"""Linear disclosure audit: which sums over small groups follow from published sums.

The setting (Chin & Özsoyoğlu 1982, *Auditing and inference control in statistical databases*,
IEEE Trans. Software Eng. 8(6), the "audit expert"): respondents fall into **atoms**, the cells
that no published figure tells apart (in a municipality: the respondents sharing a unit and a
role). Every published figure is a mean over a union of atoms with its count, so an attacker
who knows which atoms each figure covers knows its *sum*, and every linear combination of the
published sums: the row space of the matrix ``A`` (figures x atoms, 1 where the figure covers
the atom). The sum over a union ``S`` of atoms, and with its count the mean of that group, is
disclosed exactly when the indicator of ``S`` lies in that row space, i.e. is orthogonal to
the null space of ``A``. A group of fewer than ``min_size`` respondents must never be disclosed:
:func:`determined_unions` finds every such union.

Many blocks (municipalities) are audited one at a time; a few figures that span blocks (the
national pools of a unit or role) **link** them. :func:`linked_audit` handles the links
exactly, without one huge matrix: it projects each link onto what its block already publishes,
and asks which combinations of the links' remainders vanish outside a small set of blocks
(only those can isolate a small group). See the module's tests for hand-made cases.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

TOL = 1e-9


class AuditLimit(Exception):
    """The audit would have to check more candidate groups than ``limit``."""


def row_space(a: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the row space of ``a`` (columns of the result: atoms x rank).

    >>> row_space(np.array([[1.0, 1.0], [2.0, 2.0]])).shape
    (2, 1)
    """
    a = np.atleast_2d(np.asarray(a, dtype=float))
    if a.size == 0:
        return np.zeros((a.shape[1] if a.ndim == 2 else 0, 0))
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    rank = int((s > TOL * max(1.0, s[0] if s.size else 0.0)).sum())
    return vt[:rank].T


def null_space(a: np.ndarray, n_columns: int) -> np.ndarray:
    """An orthonormal basis of the null space of ``a`` (``n_columns`` x nullity).

    >>> null_space(np.array([[1.0, 1.0, 1.0]]), 3).shape
    (3, 2)
    """
    a = np.asarray(a, dtype=float).reshape(-1, n_columns)
    if a.shape[0] == 0:
        return np.eye(n_columns)
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((s > TOL * max(1.0, s[0] if s.size else 0.0)).sum())
    return vt[rank:].T


def small_unions(sizes: Sequence[int] | np.ndarray, max_total: int, *, limit: int = 200_000
                 ) -> Iterator[np.ndarray]:
    """Every union of atoms whose sizes add up to 1 ... ``max_total``, as arrays of atom indices,
    one array (groups x atoms in the union) per number of atoms in the union.

    Raises :class:`AuditLimit` when there would be more than ``limit`` of them.

    Examples
    --------
    Atoms of 1, 2, 3 and 6 respondents; unions of at most 4: {0}, {1}, {2}, {0, 1}, {0, 2}.

    >>> [u.tolist() for u in small_unions([1, 2, 3, 6], 4)]
    [[[0], [1], [2]], [[0, 1], [0, 2]]]
    """
    s = np.asarray(sizes, dtype=np.int64)
    small = np.flatnonzero((s >= 1) & (s <= max_total))
    level = small[:, None]
    totals = s[small]
    count = 0
    while len(level):
        count += len(level)
        if count > limit:
            raise AuditLimit(f"more than {limit} candidate groups")
        yield level
        ok = (level[:, -1][:, None] < small[None, :]) & (
            totals[:, None] + s[small][None, :] <= max_total)
        row, col = np.nonzero(ok)
        level = np.column_stack([level[row], small[col]])
        totals = totals[row] + s[small[col]]


def determined_unions(published: np.ndarray, sizes: Sequence[int] | np.ndarray, max_total: int, *,
                      extra: np.ndarray | None = None, limit: int = 200_000
                      ) -> list[tuple[int, ...]]:
    """Unions of atoms with 1 ... ``max_total`` respondents whose sum the published figures
    determine.

    Parameters
    ----------
    published : ndarray
        Figures x atoms: the weight of each atom in each published sum (1 for a group it covers).
    sizes : sequence of int
        Respondents in each atom.
    max_total : int
        The largest group that must stay hidden (``min_group_size - 1``).
    extra : ndarray, optional
        More vectors (atoms x m) that the attacker also knows sums of (the links' part, see
        :func:`linked_audit`).

    Returns
    -------
    list of tuple
        Each disclosed union as a tuple of atom indices (empty when nothing is disclosed).

    Examples
    --------
    A municipality of 8 respondents in three units: A (5), B (2), C (1). Published: the total
    and unit A. Then B + C (3 respondents) is the total minus A: disclosed.

    >>> a = np.array([[1, 1, 1], [1, 0, 0]])
    >>> determined_unions(a, [5, 2, 1], 4)
    [(1, 2)]

    Also unit B published (complementary to nothing): C alone follows.

    >>> determined_unions(np.vstack([a, [0, 1, 0]]), [5, 2, 1], 4)
    [(1,), (2,), (1, 2)]
    """
    n = len(sizes)
    rows = np.asarray(published, dtype=float).reshape(-1, n)
    if extra is not None and extra.size:
        rows = np.vstack([rows, np.asarray(extra, dtype=float).T])
    if rows.shape[0] == 0:
        return []
    kernel = null_space(rows, n)  # atoms x k: a union is disclosed iff its indicator is orthogonal
    found: list[tuple[int, ...]] = []
    for level in small_unions(sizes, max_total, limit=limit):
        if kernel.shape[1] == 0:
            found += [tuple(int(i) for i in u) for u in level]
            continue
        proj = kernel[level].sum(axis=1)           # groups x k
        hit = np.abs(proj).max(axis=1) < 1e-7
        found += [tuple(int(i) for i in u) for u in level[hit]]
    return found


@dataclass
class Block:
    """One block of a linked audit: its published figures (figures x atoms), the atoms' sizes,
    and the links' weights on its atoms (links x atoms)."""

    published: np.ndarray
    sizes: np.ndarray
    links: np.ndarray


@dataclass
class Finding:
    """A disclosed union: the blocks it spans and, per block, the atom indices."""

    blocks: tuple[int, ...]
    atoms: tuple[tuple[int, ...], ...]
    via_links: bool = False


@dataclass
class AuditResult:
    """What :func:`linked_audit` found; ``undecided`` when the links could not be checked within
    the limits (then the caller must withhold a link and try again)."""

    findings: list[Finding] = field(default_factory=list)
    undecided: bool = False

    @property
    def clean(self) -> bool:
        return not self.findings and not self.undecided


def _residual(block: Block) -> np.ndarray:
    """The links' part that the block's own figures do not explain (atoms x links)."""
    links = np.asarray(block.links, dtype=float).reshape(-1, len(block.sizes)).T
    if links.size == 0:
        return links
    q = row_space(block.published) if np.asarray(block.published).size else np.zeros(
        (len(block.sizes), 0))
    return links - q @ (q.T @ links)


def linked_audit(blocks: Sequence[Block], max_total: int, *, limit: int = 200_000,
                 max_block_sets: int = 20_000, blocks_clean: bool = False) -> AuditResult:
    """Audit blocks joined by a few linking figures: every union of atoms with 1 ... ``max_total``
    respondents, inside one block or spanning up to ``max_total`` blocks, whose sum follows
    from the blocks' own figures together with the links.

    Notes
    -----
    Let :math:`B` be the span of the blocks' own figures, :math:`G_m` the part of the links in
    block :math:`m` that :math:`B` does not explain, and :math:`M = \\sum_m G_m^T G_m`. A union
    inside the blocks :math:`P` is disclosed iff its indicator lies in :math:`B` plus
    :math:`\\{G z : G_m z = 0 \\text{ for } m \\notin P\\}`, i.e. ``z`` in the null space of
    :math:`M - \\sum_{m \\in P} G_m^T G_m`. If that null space is the null space of :math:`M`
    for every small :math:`P`, the links add nothing a small group could be recovered from.
    This is proved without enumerating the sets when the linked blocks split into
    ``max_total + 1`` groups each of which alone has the rank of :math:`M` (any :math:`P` of at
    most ``max_total`` blocks misses one group). Otherwise the sets of blocks are enumerated
    (up to ``max_block_sets``); beyond that the result is ``undecided``.

    ``blocks_clean`` says that each block on its own has been audited already (no union is
    disclosed by its own figures): then only what the links add is checked.

    Examples
    --------
    Municipality 0 shows its total and unit R (6 of its 12); municipality 1 only its total
    (R 2, K 7). The national R (8) minus municipality 0's R is municipality 1's R, 2 respondents:

    >>> one = Block(np.array([[1, 1], [1, 0]]), np.array([6, 6]), np.array([[1, 0]]))
    >>> two = Block(np.array([[1, 1]]), np.array([2, 7]), np.array([[1, 0]]))
    >>> [(f.blocks, f.atoms, f.via_links) for f in linked_audit([one, two], 4).findings]
    [((1,), ((0,),), True)]
    """
    result = AuditResult()
    resid = [_residual(b) for b in blocks]
    n_links = max((r.shape[1] for r in resid), default=0)
    grams = [r.T @ r if r.size else np.zeros((n_links, n_links)) for r in resid]
    total = sum(grams, np.zeros((n_links, n_links)))
    base = null_space(total, n_links).shape[1] if n_links else 0
    linked = [m for m, r in enumerate(resid) if r.size and np.abs(r).max() > 1e-9]
    proven = _partition_proof(linked, grams, total, max_total)
    for m, b in enumerate(blocks):
        extra = None
        if not proven and m in linked:
            z = null_space(total - grams[m], n_links)
            if z.shape[1] > base:
                extra = resid[m] @ z
        if blocks_clean and extra is None:
            continue
        try:
            found = determined_unions(b.published, b.sizes, max_total, extra=extra, limit=limit)
        except AuditLimit:
            result.undecided = True
            continue
        result.findings += [Finding((m,), (u,), extra is not None) for u in found]
    if proven or len(linked) < 2:
        return result
    smallest = {m: int(np.min(blocks[m].sizes[blocks[m].sizes > 0], initial=max_total + 1))
                for m in linked}
    sets = [p for k in range(2, max_total + 1) for p in combinations(linked, k)
            if sum(smallest[m] for m in p) <= max_total]  # a union needs an atom of each block
    if len(sets) > max_block_sets:
        result.undecided = True
        return result
    for p in sets:
        z = null_space(total - sum(grams[m] for m in p), n_links)
        if z.shape[1] <= base:
            continue
        joint = _joint(blocks, resid, p, z, max_total, limit)
        if joint is None:
            result.undecided = True
        else:
            result.findings += joint
    return result


def disclosed(blocks: Sequence[Block], finding: Finding) -> bool:
    """Whether the union of ``finding`` is still disclosed by the blocks' figures and the links
    (a membership test for one union, without enumerating others).

    Examples
    --------
    >>> one = Block(np.array([[1, 1], [1, 0]]), np.array([6, 6]), np.array([[1, 0]]))
    >>> two = Block(np.array([[1, 1]]), np.array([2, 7]), np.array([[1, 0]]))
    >>> f = Finding((1,), ((0,),), True)
    >>> unlinked = [Block(b.published, b.sizes, np.zeros((0, 2))) for b in (one, two)]
    >>> disclosed([one, two], f), disclosed(unlinked, f)
    (True, False)
    """
    resid = [_residual(b) for b in blocks]
    n_links = max((r.shape[1] for r in resid), default=0)
    grams = [r.T @ r if r.size else np.zeros((n_links, n_links)) for r in resid]
    total = sum(grams, np.zeros((n_links, n_links)))
    p = finding.blocks
    z = (null_space(total - sum(grams[m] for m in p), n_links) if n_links
         else np.zeros((0, 0)))
    widths = [len(blocks[m].sizes) for m in p]
    offsets = np.cumsum([0, *widths])
    rows = []
    for j, m in enumerate(p):
        a = np.asarray(blocks[m].published, dtype=float).reshape(-1, widths[j])
        wide = np.zeros((a.shape[0], offsets[-1]))
        wide[:, offsets[j]:offsets[j + 1]] = a
        rows.append(wide)
    if z.size:
        rows.append((np.vstack([resid[m] for m in p]) @ z).T)
    a = np.vstack(rows) if rows else np.zeros((0, offsets[-1]))
    target = np.zeros(offsets[-1])
    for j, atoms in enumerate(finding.atoms):
        target[[offsets[j] + i for i in atoms]] = 1
    if a.shape[0] == 0:
        return False
    coef, *_ = np.linalg.lstsq(a.T, target, rcond=None)
    return bool(np.abs(a.T @ coef - target).max() < 1e-7)


def _partition_proof(linked: list[int], grams: list[np.ndarray], total: np.ndarray,
                     max_total: int) -> bool:
    """Whether the linked blocks split into ``max_total + 1`` groups of full rank each."""
    if not linked:
        return True
    rank = np.linalg.matrix_rank(total, tol=1e-8)
    order = sorted(linked, key=lambda m: -float(np.trace(grams[m])))
    parts = [order[i::max_total + 1] for i in range(max_total + 1)]
    return all(part and np.linalg.matrix_rank(sum(grams[m] for m in part), tol=1e-8) == rank
               for part in parts)


def _joint(blocks, resid, p, z, max_total, limit) -> list[Finding] | None:
    """Unions spanning every block of ``p`` disclosed through the links (``None``: too many)."""
    sizes = np.concatenate([blocks[m].sizes for m in p])
    offsets = np.cumsum([0] + [len(blocks[m].sizes) for m in p])
    owner = np.repeat(np.arange(len(p)), np.diff(offsets))
    published = np.zeros((0, len(sizes)))
    for j, m in enumerate(p):
        a = np.asarray(blocks[m].published, dtype=float).reshape(-1, len(blocks[m].sizes))
        wide = np.zeros((a.shape[0], len(sizes)))
        wide[:, offsets[j]:offsets[j + 1]] = a
        published = np.vstack([published, wide])
    extra = np.vstack([resid[m] for m in p]) @ z
    try:
        found = determined_unions(published, sizes, max_total, extra=extra, limit=limit)
    except AuditLimit:
        return None
    out = []
    for u in found:
        spans = {int(owner[i]) for i in u}
        if len(spans) == len(p):  # smaller spans are another set's (or a block's) finding
            atoms = tuple(tuple(int(i - offsets[j]) for i in u if owner[i] == j)
                          for j in range(len(p)))
            out.append(Finding(tuple(p), atoms, True))
    return out
