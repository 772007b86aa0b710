from __future__ import annotations

import random

from tests.unit.core.conftest import random_dna, substitute
from vidjil_local.core.clustering import (
    ABSORB_RATIO,
    SHIFT_MIN_READS,
    SMALL_SHIFT,
    TWO_ERRORS_RATIO,
    cluster_windows,
    mismatches,
)

RANDOM = random.Random(11)
FLANK = random_dna(RANDOM, 80)  # a longer region the windows are cut from, to shift them
HEAD = FLANK[15:65]


def test_mismatches_count_substitutions_and_ignore_n() -> None:
    assert mismatches(HEAD, HEAD, 0, 2) == 0
    assert mismatches(substitute(HEAD, 3), HEAD, 0, 2) == 1
    assert mismatches(HEAD[:10] + "N" + HEAD[11:], HEAD, 0, 2) == 0
    shifted = FLANK[20:70]  # HEAD moved 5 nt right
    assert mismatches(shifted, HEAD, 5, 2) == 0


def test_error_variants_join_a_much_larger_clone() -> None:
    one_error = substitute(HEAD, 20)
    two_errors = substitute(substitute(HEAD, 5), 44)
    shifted = substitute(FLANK[22:72], 30)
    windows = {
        HEAD: ("IGH", 1000),
        one_error: ("IGH", 12),
        two_errors: ("IGH", 1),
        shifted: ("IGH", 3),
    }
    clusters = cluster_windows(windows)
    assert len(clusters) == 1
    assert clusters[0].head == HEAD
    assert sorted(clusters[0].members) == sorted(windows)


def test_distinct_junctions_and_comparable_clones_stay_apart() -> None:
    three_errors = substitute(substitute(substitute(HEAD, 5), 30), 44)
    close_but_big = substitute(HEAD, 25)
    other_locus = substitute(HEAD, 10)
    windows = {
        HEAD: ("IGH", 100),
        three_errors: ("IGH", 1),
        close_but_big: ("IGH", 100 // ABSORB_RATIO + 1),
        other_locus: ("TRG", 1),
        random_dna(RANDOM, 50): ("IGH", 1),
    }
    clusters = cluster_windows(windows)
    assert len(clusters) == 5
    assert [cluster.head for cluster in clusters][:2] == [HEAD, close_but_big]


def test_order_is_by_reads_then_window() -> None:
    windows = {random_dna(RANDOM, 50): ("IGH", count) for count in (1, 5, 5, 9)}
    clusters = cluster_windows(windows)
    assert [cluster.reads for cluster in clusters] == [9, 5, 5, 1]
    assert clusters[1].head < clusters[2].head


def test_small_clones_absorb_variants_shifted_by_an_error_next_to_the_junction() -> None:
    """A head of fewer than SHIFT_MIN_READS reads takes a window shifted by up to SMALL_SHIFT nt
    with one substitution (the error that moved it), not one with two (maybe another clone)."""
    shifted_one = substitute(FLANK[14:64], 8)  # HEAD moved 1 nt left, an error at its V end
    shifted_two = substitute(substitute(FLANK[17:67], 8), 44)  # moved 2 nt right
    assert SMALL_SHIFT >= 2 and SHIFT_MIN_READS > 9
    windows = {HEAD: ("TRB", 9), shifted_one: ("TRB", 1), shifted_two: ("TRB", 1)}
    clusters = cluster_windows(windows)
    assert [sorted(cluster.members) for cluster in clusters] == [
        sorted([HEAD, shifted_one]),
        [shifted_two],
    ]


def test_two_substitutions_join_only_a_far_larger_clone() -> None:
    """Two errors in one window are rare: a window two substitutions away is another clone
    unless the head has TWO_ERRORS_RATIO times its reads; one substitution needs ABSORB_RATIO."""
    two_away = substitute(substitute(HEAD, 12), 31)
    one_away = substitute(HEAD, 22)
    for head_reads, joined in ((TWO_ERRORS_RATIO - 1, False), (TWO_ERRORS_RATIO, True)):
        windows = {HEAD: ("IGL", head_reads), two_away: ("IGL", 1), one_away: ("IGL", 1)}
        clusters = cluster_windows(windows)
        assert one_away in clusters[0].members
        assert (two_away in clusters[0].members) is joined


def test_a_window_moved_to_fit_a_short_read_joins_its_clone_whatever_their_ratio() -> None:
    """A read too short for the window where its junction puts it gets the window moved: such
    copies of a clone come in a share set by the read lengths (not by errors), and a junction
    without N nucleotides is shared by many clones, so every seed of its window is too common
    to be looked up. A copy moved 5 nt whose overlap matches exactly joins the largest such head
    at any ratio; one with an error too stays apart (it could be another clone)."""
    relatives = [substitute(HEAD, position) for position in range(5)]
    relatives += [substitute(substitute(HEAD, a), b) for a, b in ((0, 1), (0, 2), (0, 3), (1, 2))]
    moved = FLANK[20:70]  # HEAD moved 5 nt right: its first 45 nt are HEAD's last 45
    moved_with_error = substitute(FLANK[21:71], 25)  # moved 6 nt, one error: no exact overlap
    assert ABSORB_RATIO * 400 > 1000
    windows = {HEAD: ("IGK", 1000), moved: ("IGK", 400), moved_with_error: ("IGK", 50)}
    windows.update({relative: ("IGK", 250) for relative in relatives})  # not absorbed: ratio 4
    clusters = cluster_windows(windows)
    assert len(clusters) == 1 + len(relatives) + 1
    assert sorted(clusters[0].members) == sorted([HEAD, moved])
    assert [moved_with_error] in [cluster.members for cluster in clusters]
