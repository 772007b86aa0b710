"""The clinical measures of an analysis, taken after clustering (see `pipeline.analysis`).

Order: `split_spikes` first, before clones are ranked and kept, since a spike-in is never a clone
of the sample; then `measure_samples` (spike-in reads set apart, reads-to-cells factor, limit of
detection, diversity over the clones, W20); then `measure_clones` on the kept clones once they
are designated (V identity, W51, W53, W61).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from vidjil_local.core.checks import add_clone_warnings, sample_warnings
from vidjil_local.core.clustering import Cluster
from vidjil_local.core.diversity import diversity
from vidjil_local.core.identity import IdentityMeter
from vidjil_local.core.result import CloneResult, SampleResult
from vidjil_local.core.spikes import Spike, SpikeFinder, limit_of_detection, normalize

Counts = list[list[tuple[int, int]]]  # per cluster, per sample: (reads, summed read length)


@dataclass
class SpikeSplit:
    """The clusters that are clones of the samples, and the reads of the spike-ins."""

    clusters: list[Cluster]
    counts: Counts
    spike_reads: list[dict[str, int]] = field(default_factory=list)  # per sample, name -> reads
    spike_loci: list[dict[str, int]] = field(default_factory=list)  # per sample, locus -> reads


def split_spikes(
    clusters: list[Cluster], counts: Counts, spikes: Sequence[Spike], samples: int
) -> SpikeSplit:
    """Clusters whose head window lies in a spike-in sequence are that spike-in."""
    split = SpikeSplit([], [], [{} for _ in range(samples)], [{} for _ in range(samples)])
    finder = SpikeFinder(list(spikes))
    for cluster, per_sample in zip(clusters, counts, strict=True):
        spike = finder.spike_of(cluster.head) if spikes else -1
        if spike < 0:
            split.clusters.append(cluster)
            split.counts.append(per_sample)
            continue
        name = spikes[spike].name
        for sample, (reads, _) in enumerate(per_sample):
            spike_reads, loci = split.spike_reads[sample], split.spike_loci[sample]
            spike_reads[name] = spike_reads.get(name, 0) + reads
            loci[cluster.locus] = loci.get(cluster.locus, 0) + reads
    return split


def measure_samples(
    samples: list[SampleResult], split: SpikeSplit, spikes: Sequence[Spike], dna_cells: int
) -> None:
    """Per sample: spike-in reads out of the segmented ones, factor, limit, diversity, W20."""
    for number, sample in enumerate(samples):
        if spikes:
            _set_spikes_apart(sample, split, number, spikes)
            reads = [sample.spike_reads[spike.name] for spike in spikes]
            sample.normalization = normalize(list(spikes), reads, sample.reads_per_locus, dna_cells)
        sample.limit_of_detection = limit_of_detection(
            sample.segmented_reads, sample.normalization, dna_cells
        )
        _diversity(sample, split, number)
        sample.warnings = sample_warnings(sample)


def _set_spikes_apart(
    sample: SampleResult, split: SpikeSplit, number: int, spikes: Sequence[Spike]
) -> None:
    sample.spike_reads = {
        spike.name: split.spike_reads[number].get(spike.name, 0) for spike in spikes
    }
    for locus, reads in split.spike_loci[number].items():
        sample.reads_per_locus[locus] = sample.reads_per_locus.get(locus, 0) - reads
        sample.segmented_reads -= reads
    sample.reads_per_locus = {
        locus: reads for locus, reads in sample.reads_per_locus.items() if reads > 0
    }


def _diversity(sample: SampleResult, split: SpikeSplit, number: int) -> None:
    per_locus: dict[str, list[int]] = {}
    for cluster, per_sample in zip(split.clusters, split.counts, strict=True):
        reads = per_sample[number][0]
        if reads:
            per_locus.setdefault(cluster.locus, []).append(reads)
    sample.diversity = diversity(reads for counts in per_locus.values() for reads in counts)
    sample.diversity_per_locus = {
        locus: diversity(counts) for locus, counts in sorted(per_locus.items())
    }


def measure_clones(clones: list[CloneResult], meter: IdentityMeter) -> None:
    """V identity of the designated clones, then the clone warnings (clones best rank first)."""
    for clone in clones:
        if clone.designation is not None:
            clone.v_identity = meter.v_identity(clone.sequence, clone.designation)
    add_clone_warnings(clones)
