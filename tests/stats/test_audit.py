"""The linear disclosure audit, against hand-worked cases and a brute-force check over one big
matrix."""

import numpy as np
import pytest

from dimios_lib.stats.audit import (
    AuditLimit,
    Block,
    determined_unions,
    linked_audit,
    small_unions,
)


def test_a_total_minus_a_shown_group_gives_away_the_rest():
    # 8 respondents: A 5, B 2, C 1; total and A published: B + C (3) is total - A.
    assert determined_unions(np.array([[1, 1, 1], [1, 0, 0]]), [5, 2, 1], 4) == [(1, 2)]
    # only the total: nothing small follows
    assert determined_unions(np.array([[1, 1, 1]]), [5, 2, 1], 4) == []
    # nothing published
    assert determined_unions(np.zeros((0, 3)), [5, 2, 1], 4) == []


def test_a_unit_minus_a_role_inside_it_gives_away_one_respondent():
    # atoms (unit, role): (A, X) 5, (A, Y) 1, (B, Y) 8; published: total 14, unit A 6, unit B 8,
    # role X 5, role Y 9, all at least 5. Unit A - role X = the one (A, Y) respondent.
    rows = np.array([[1, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 1]])
    assert (1,) in determined_unions(rows, [5, 1, 8], 4)
    # without role X: role Y (9) - unit B (8) is still that respondent (B lies inside Y)
    assert (1,) in determined_unions(np.delete(rows, 3, axis=0), [5, 1, 8], 4)
    # hiding both units instead: total, X and Y say nothing about a group below 5
    assert determined_unions(rows[[0, 3, 4]], [5, 1, 8], 4) == []


def test_small_unions_and_the_limit():
    assert [u.tolist() for u in small_unions([1, 1, 1], 2)] == [[[0], [1], [2]],
                                                                [[0, 1], [0, 2], [1, 2]]]
    assert list(small_unions([5, 7], 4)) == []
    with pytest.raises(AuditLimit):
        list(small_unions([1] * 40, 4, limit=1000))


def test_a_national_pool_links_two_municipalities():
    # municipality 1: unit R 6 and K 6, total and R shown; municipality 2: R 2, K 7, total shown.
    # The national R (8) minus municipality 1's R (6) is municipality 2's R: 2 respondents.
    one = Block(np.array([[1, 1], [1, 0]]), np.array([6, 6]), np.array([[1, 0]]))
    two = Block(np.array([[1, 1]]), np.array([2, 7]), np.array([[1, 0]]))
    res = linked_audit([one, two], 4)
    assert [(f.blocks, f.atoms, f.via_links) for f in res.findings] == [((1,), ((0,),), True)]
    # without the national R nothing follows
    assert linked_audit([Block(one.published, one.sizes, np.zeros((0, 2))),
                         Block(two.published, two.sizes, np.zeros((0, 2)))], 4).clean


def _brute_force(blocks, max_total):
    """Every small union disclosed, from one big matrix of all blocks and links."""
    sizes = np.concatenate([b.sizes for b in blocks])
    offsets = np.cumsum([0] + [len(b.sizes) for b in blocks])
    rows = []
    for j, b in enumerate(blocks):
        for r in np.atleast_2d(b.published):
            wide = np.zeros(len(sizes))
            wide[offsets[j]:offsets[j + 1]] = r
            rows.append(wide)
    links = np.hstack([np.atleast_2d(b.links) for b in blocks])
    rows = np.vstack([np.array(rows).reshape(-1, len(sizes)), links])
    return set(determined_unions(rows, sizes, max_total)), offsets


def _as_global(findings, offsets):
    return {tuple(sorted(int(offsets[m]) + a for m, atoms in zip(f.blocks, f.atoms) for a in atoms))
            for f in findings}


@pytest.mark.parametrize("seed", range(12))
def test_the_linked_audit_finds_what_one_big_matrix_finds(seed):
    rng = np.random.default_rng(seed)
    n_blocks = int(rng.integers(2, 6))
    n_links = 3
    blocks = []
    for _ in range(n_blocks):
        k = int(rng.integers(2, 5))
        sizes = rng.integers(1, 7, k)
        group = rng.integers(0, n_links, k)                     # each atom's national group
        published = [np.ones(k)] if sizes.sum() >= 5 else []
        for g in range(n_links):                                # some of the block's groups shown
            if (group == g).any() and rng.random() < 0.5:
                published.append((group == g).astype(float))
        links = np.array([(group == g).astype(float) for g in range(n_links)])
        blocks.append(Block(np.array(published).reshape(-1, k), sizes, links))
    expected, offsets = _brute_force(blocks, 4)
    res = linked_audit(blocks, 4)
    assert not res.undecided
    found = _as_global(res.findings, offsets)
    assert found <= expected                       # nothing reported that is not disclosed
    for union in expected - found:                 # the rest: sums of reported unions
        assert _split(union, found), union


def _split(union, found) -> bool:
    """Whether ``union`` is a disjoint union of several ``found`` unions."""
    if not union:
        return True
    first = union[0]
    return any(f[0] == first and set(f) <= set(union)
               and _split(tuple(a for a in union if a not in f), found) for f in found)


def test_many_blocks_are_cleared_by_the_partition_proof_without_enumeration():
    # 40 municipalities with units in 3 national groups, every municipality's cells hidden but
    # its total shown: the national groups only repeat what the totals say about large sets.
    rng = np.random.default_rng(7)
    blocks = []
    for _ in range(40):
        sizes = rng.integers(2, 5, 3)
        blocks.append(Block(np.ones((1, 3)), sizes, np.eye(3)))
    res = linked_audit(blocks, 4, max_block_sets=10)  # enumeration would exceed the limit
    assert res.clean
    # with three municipalities only, the enumeration runs and agrees with one big matrix
    few = linked_audit(blocks[:3], 4)
    assert few.clean == (not _brute_force(blocks[:3], 4)[0])
