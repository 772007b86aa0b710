"""Paired-end merging (`core.merging`, `core.merge_stats`) on pairs made here with known
fragments: offsets, the consensus, FLASH's settings, staggered pairs, statistics."""

from __future__ import annotations

import pickle
import random
from dataclasses import dataclass

import pytest

from vidjil_local.core import MergeFailure, MergeStatistics, PairMerger, Unmerged
from vidjil_local.core.merge_stats import merge_pairs
from vidjil_local.core.merging import MERGED

COMPLEMENT = str.maketrans("ACGTN", "TGCAN")
HIGH, LOW, MEDIUM = "I", "+", "5"  # Q40, Q10, Q20


def reverse_complement(sequence: str) -> str:
    return sequence.translate(COMPLEMENT)[::-1]


def random_dna(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(length))


@dataclass
class Mates:
    fragment: str
    read1: str
    quality1: str
    read2: str
    quality2: str

    def merge(self, merger: PairMerger | None = None) -> tuple[str, int, int, int]:
        merger = merger or PairMerger()
        return merger.merge(
            self.read1.encode(), self.quality1.encode(), self.read2.encode(), self.quality2.encode()
        )


def sequenced(rng: random.Random, sequence: str, error_rate: float) -> tuple[str, str]:
    """A mate with independent errors, flagged by a low quality most of the time (as the
    project's simulator does)."""
    bases = list(sequence)
    qualities = [HIGH] * len(bases)
    for position in range(len(bases)):
        if rng.random() < error_rate:
            bases[position] = rng.choice([b for b in "ACGT" if b != bases[position]])
            qualities[position] = LOW if rng.random() < 0.7 else HIGH
        elif rng.random() < 0.02:
            qualities[position] = MEDIUM
    return "".join(bases), "".join(qualities)


def mates(rng: random.Random, fragment: str, length: int, error_rate: float = 0.0) -> Mates:
    read1, quality1 = sequenced(rng, fragment[:length], error_rate)
    read2, quality2 = sequenced(rng, reverse_complement(fragment[-length:]), error_rate)
    return Mates(fragment, read1, quality1, read2, quality2)


def test_an_exact_overlap_gives_the_fragment() -> None:
    rng = random.Random(1)
    fragment = random_dna(rng, 250)
    merged, outcome, overlap, mismatches = mates(rng, fragment, 150).merge()
    assert (merged, outcome, overlap, mismatches) == (fragment, MERGED, 50, 0)


@pytest.mark.parametrize("length", [150, 151, 190, 289, 290])
def test_fragment_lengths_from_no_gap_to_the_minimum_overlap(length: int) -> None:
    rng = random.Random(length)
    fragment = random_dna(rng, length)
    merged, outcome, overlap, _ = mates(rng, fragment, 150).merge()
    assert (merged, outcome, overlap) == (fragment, MERGED, 300 - length)


def test_pairs_that_do_not_overlap_are_not_merged() -> None:
    rng = random.Random(2)
    fragment = random_dna(rng, 400)
    assert mates(rng, fragment, 150).merge()[1] == MergeFailure.NO_OVERLAP
    short_overlap = random_dna(rng, 295)  # 5 nt < min_overlap
    assert mates(rng, short_overlap, 150).merge()[1] == MergeFailure.NO_OVERLAP


def test_a_mismatch_takes_the_base_of_higher_quality() -> None:
    rng = random.Random(3)
    fragment = random_dna(rng, 200)
    pair = mates(rng, fragment, 150)
    wrong = "A" if fragment[120] != "A" else "C"
    pair.read1 = pair.read1[:120] + wrong + pair.read1[121:]
    pair.quality1 = pair.quality1[:120] + LOW + pair.quality1[121:]
    merged, _, _, mismatches = pair.merge()
    assert (merged, mismatches) == (fragment, 1)
    # the same error with a high quality, the true base in R2 with a low one: R1 wins
    pair.quality1 = HIGH * 150
    position2 = 149 - (120 - 50)  # the fragment's position 120 in R2 as sequenced
    pair.quality2 = pair.quality2[:position2] + LOW + pair.quality2[position2 + 1 :]
    assert pair.merge()[0] == fragment[:120] + wrong + fragment[121:]


def test_equal_qualities_take_the_base_nearer_its_read_start() -> None:
    rng = random.Random(4)
    fragment = random_dna(rng, 200)
    near_r1_start, near_r2_start = 60, 140  # overlap is [50, 150)
    for position in (near_r1_start, near_r2_start):
        pair = mates(rng, fragment, 150)
        pair.quality1 = pair.quality2 = HIGH * 150
        other = "A" if fragment[position] != "A" else "C"
        pair.read1 = pair.read1[:position] + other + pair.read1[position + 1 :]
        merged = pair.merge()[0]
        expected = other if position == near_r1_start else fragment[position]
        assert merged[position] == expected


def test_n_bases_take_the_other_mate_and_do_not_count() -> None:
    rng = random.Random(5)
    fragment = random_dna(rng, 200)
    pair = mates(rng, fragment, 150)
    pair.read1 = pair.read1[:100] + "N" * 5 + pair.read1[105:]
    pair.read2 = "N" + pair.read2[1:]  # the fragment's last base, R2 alone there
    merged, outcome, overlap, mismatches = pair.merge()
    assert outcome == MERGED and (overlap, mismatches) == (100, 0)
    assert merged == fragment[:-1] + "N"


def test_reads_without_qualities_merge_too() -> None:
    rng = random.Random(6)
    fragment = random_dna(rng, 220)
    pair = mates(rng, fragment, 150)
    assert PairMerger().merge(pair.read1.encode(), b"", pair.read2.encode(), b"")[0] == fragment


@pytest.mark.parametrize("length", [60, 100, 149])
def test_a_fragment_shorter_than_the_reads_drops_the_adapters(length: int) -> None:
    """Staggered pairs (FLASH's outies): each mate reads through into the adapter."""
    rng = random.Random(length)
    fragment = random_dna(rng, length)
    adapter1, adapter2 = random_dna(rng, 150), random_dna(rng, 150)
    read1 = (fragment + adapter1)[:150]
    read2 = (reverse_complement(fragment) + adapter2)[:150]
    pair = Mates(fragment, read1, HIGH * 150, read2, HIGH * 150)
    merged, outcome, overlap, _ = pair.merge()
    assert (merged, outcome, overlap) == (fragment, MERGED, length)
    _, statistics = merge_pairs(PairMerger(), [read1], [], [read2], [], Unmerged.R1)
    assert statistics.staggered == 1


def test_a_shorter_r2_inside_r1() -> None:
    rng = random.Random(7)
    fragment = random_dna(rng, 150)
    pair = Mates(fragment, fragment, HIGH * 150, reverse_complement(fragment[40:]), HIGH * 110)
    assert pair.merge()[:3] == (fragment, MERGED, 110)


def test_min_overlap_and_short_mates() -> None:
    rng = random.Random(8)
    fragment = random_dna(rng, 280)  # overlap 20
    pair = mates(rng, fragment, 150)
    assert pair.merge(PairMerger(min_overlap=20))[0] == fragment
    assert pair.merge(PairMerger(min_overlap=21))[1] == MergeFailure.NO_OVERLAP
    tiny = Mates("ACGT", "ACGT", "IIII", "ACGT", "IIII")
    assert tiny.merge()[1] == MergeFailure.SHORT_MATE


def test_max_mismatch_density_and_max_overlap() -> None:
    rng = random.Random(9)
    fragment = random_dna(rng, 200)  # overlap 100
    pair = mates(rng, fragment, 150)
    read1 = list(pair.read1)
    for position in range(55, 150, 10):  # 10 mismatches in the overlap
        read1[position] = "A" if read1[position] != "A" else "C"
    pair.read1 = "".join(read1)
    assert pair.merge(PairMerger(max_mismatch_density=0.1))[1] == MERGED
    assert pair.merge(PairMerger(max_mismatch_density=0.09))[1] == MergeFailure.NO_OVERLAP
    # FLASH's max_overlap: the density is measured over at most 50 positions, 10/50 > 0.1
    capped = PairMerger(max_overlap=50, max_mismatch_density=0.1)
    assert pair.merge(capped)[1] == MergeFailure.NO_OVERLAP


def test_a_noisy_overlap_without_any_exact_seed_is_found() -> None:
    rng = random.Random(10)
    fragment = random_dna(rng, 240)  # overlap 60, an error every 8 nt in R1
    pair = mates(rng, fragment, 150)
    read1 = list(pair.read1)
    for position in range(94, 150, 8):
        read1[position] = "A" if read1[position] != "A" else "C"
    pair.read1 = "".join(read1)
    pair.quality1 = "".join(LOW if i in range(94, 150, 8) else HIGH for i in range(150))
    merged, outcome, overlap, mismatches = pair.merge()
    assert (merged, outcome, overlap, mismatches) == (fragment, MERGED, 60, 7)


def test_a_true_long_overlap_beats_a_perfect_short_chance_one() -> None:
    """FLASH's lowest mismatch density would take a perfect 10-nt overlap over a 100-nt one
    with a sequencing error; the score does not."""
    rng = random.Random(11)
    fragment = random_dna(rng, 200)
    pair = mates(rng, fragment, 150)
    pair.read1 = pair.read1[:100] + ("A" if fragment[100] != "A" else "C") + pair.read1[101:]
    pair.quality1 = pair.quality1[:100] + LOW + pair.quality1[101:]
    # a chance 10-nt overlap: R1's last 10 nt equal R2's first 10 (reverse-complemented)
    mate2 = reverse_complement(pair.read2)
    pair.read1 = pair.read1[:140] + mate2[:10]
    assert pair.merge()[2] == 100


def test_repeats_that_fit_two_offsets_equally_are_ambiguous() -> None:
    """In a 4-nt repeat, offset 50 (overlap 100, one mismatch) and offset 54 (overlap 96,
    exact) score the same: without qualities to tell them apart, the pair is ambiguous."""
    rng = random.Random(16)
    read1 = random_dna(rng, 50) + "ACGG" * 25
    mate2 = list(read1[50:] + random_dna(rng, 50))
    mate2[97] = "T" if mate2[97] != "T" else "A"
    read2 = reverse_complement("".join(mate2))
    merger = PairMerger()
    merged = merger.merge(read1.encode(), b"", read2.encode(), b"")
    assert merged[1] == MergeFailure.AMBIGUOUS
    # with qualities, the mismatch weighs: the exact overlap wins
    merged = merger.merge(read1.encode(), b"I" * 150, read2.encode(), b"I" * 150)
    assert merged[1:3] == (MERGED, 96)


def test_reads_over_255_nt() -> None:
    rng = random.Random(12)
    fragment = random_dna(rng, 500)
    assert mates(rng, fragment, 300).merge()[:3] == (fragment, MERGED, 100)
    noisy = mates(rng, fragment, 300)
    noisy.read1 = noisy.read1[:200] + "".join(
        ("A" if base != "A" else "C") if i % 9 == 0 else base
        for i, base in enumerate(noisy.read1[200:])
    )
    assert noisy.merge()[:3] == (noisy.merge()[0], MERGED, 100)


def test_simulated_pairs_accuracy() -> None:
    """No merged base differs from a base both mates agree on, the offset is right whenever
    the true overlap reaches min_overlap, and mismatches are resolved by quality."""
    rng = random.Random(13)
    merger = PairMerger()
    resolved = wrong = 0
    for _ in range(1500):
        fragment = random_dna(rng, rng.randint(120, 300))
        pair = mates(rng, fragment, 150, error_rate=0.01)
        merged, outcome, _, _ = pair.merge(merger)
        true_overlap = min(300 - len(fragment), 150)
        assert outcome == MERGED or true_overlap < 12, (len(fragment), outcome)
        if outcome != MERGED:
            continue
        assert len(merged) == len(fragment)
        offset = len(fragment) - len(pair.read2)
        mate2 = reverse_complement(pair.read2)
        mate_quality2 = pair.quality2[::-1]
        for position in range(max(offset, 0), len(pair.read1)):
            base1, base2 = pair.read1[position], mate2[position - offset]
            if base1 == base2:
                assert merged[position] == base1
                continue
            quality1, quality2 = pair.quality1[position], mate_quality2[position - offset]
            if quality1 != quality2:
                assert merged[position] == (base1 if quality1 > quality2 else base2)
                resolved += 1
                wrong += merged[position] != fragment[position]
    assert resolved > 100 and wrong / resolved < 0.05


def test_merge_pairs_keeps_what_the_setting_says() -> None:
    rng = random.Random(14)
    pairs = [mates(rng, random_dna(rng, length), 150) for length in (200, 250, 400, 500)]
    reads1 = [pair.read1 for pair in pairs]
    reads2 = [pair.read2 for pair in pairs]
    qualities1 = [pair.quality1.encode() for pair in pairs]
    qualities2 = [pair.quality2.encode() for pair in pairs]
    expected = {
        Unmerged.R1: [pairs[0].fragment, pairs[1].fragment, reads1[2], reads1[3]],
        Unmerged.BOTH: [
            pairs[0].fragment,
            pairs[1].fragment,
            reads1[2],
            reads2[2],
            reads1[3],
            reads2[3],
        ],
        Unmerged.DROP: [pairs[0].fragment, pairs[1].fragment],
    }
    for unmerged, reads in expected.items():
        origins: list[int] = []
        got, statistics = merge_pairs(
            PairMerger(), reads1, qualities1, reads2, qualities2, unmerged, origins
        )
        assert got == reads
        assert len(origins) == len(reads) and origins[:2] == [0, 1]
        assert (statistics.pairs, statistics.merged, statistics.kept) == (
            4,
            2,
            len(reads) - 2,
        )
        assert statistics.unmerged() == {"no_overlap": 2}
        assert statistics.overlaps == {100: 1, 50: 1}
    # FASTA: no qualities at all
    got, _ = merge_pairs(PairMerger(), reads1, [], reads2, [], Unmerged.DROP)
    assert got == expected[Unmerged.DROP]


def test_statistics_add_up_and_pickle() -> None:
    rng = random.Random(15)
    pairs = [mates(rng, random_dna(rng, rng.randint(100, 320)), 150, 0.01) for _ in range(60)]

    def statistics_of(chosen: list[Mates]) -> MergeStatistics:
        return merge_pairs(
            PairMerger(),
            [pair.read1 for pair in chosen],
            [pair.quality1.encode() for pair in chosen],
            [pair.read2 for pair in chosen],
            [pair.quality2.encode() for pair in chosen],
            Unmerged.R1,
        )[1]

    whole = statistics_of(pairs)
    summed = statistics_of(pairs[:25])
    summed += pickle.loads(pickle.dumps(statistics_of(pairs[25:])))
    for name in ("pairs", "merged", "failures", "kept", "staggered", "mismatches", "overlaps"):
        assert getattr(summed, name) == getattr(whole, name), name
    assert whole.staggered == 0  # short fragments give whole mates here: no adapter
    assert sum(whole.overlaps.values()) == whole.merged


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="min_overlap"):
        PairMerger(min_overlap=0)
    with pytest.raises(ValueError, match="max_mismatch_density"):
        PairMerger(max_mismatch_density=1.5)
    with pytest.raises(ValueError, match="max_overlap"):
        PairMerger(max_overlap=-1)
