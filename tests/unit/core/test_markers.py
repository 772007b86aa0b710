"""Counting a known clone in a sample's window counts, down to one read."""

from __future__ import annotations

import random

from tests.unit.core.conftest import random_dna, substitute
from vidjil_local.core.clustering import ABSORB_RATIO
from vidjil_local.core.markers import (
    WindowReads,
    looked_up_windows,
    marker_reads,
    one_substitution_variants,
)

WINDOW = random_dna(random.Random(3), 50)


def test_a_marker_absent_from_the_clone_list_is_counted_from_its_window() -> None:
    windows: WindowReads = {WINDOW: ("IGH", 3), substitute(WINDOW, 20): ("IGH", 1)}
    assert marker_reads(WINDOW, windows) == 3  # 1 read is no error of 3 (ratio 5)
    assert marker_reads(WINDOW, {WINDOW: ("IGH", 1)}) == 1
    assert marker_reads(WINDOW, {}) == 0


def test_error_variants_small_enough_join_as_in_the_clustering() -> None:
    big = 10 * ABSORB_RATIO
    windows: WindowReads = {
        WINDOW: ("IGH", big),
        substitute(WINDOW, 3): ("IGH", 10),  # 50 >= 5 x 10: an error of the marker
        substitute(WINDOW, 40): ("IGH", 11),  # 11 x 5 > 50: another clone
        substitute(substitute(WINDOW, 3), 30): ("IGH", 2),  # two substitutions: not counted
    }
    assert marker_reads(WINDOW, windows) == big + 10


def test_variants_are_every_one_substitution_window() -> None:
    variants = one_substitution_variants("ACG")
    assert len(variants) == 9 and len(set(variants)) == 9
    assert "TCG" in variants and "ACG" not in variants
    assert looked_up_windows(["ACG"]) == {"ACG", *variants}
