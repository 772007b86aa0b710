"""What an analysis produces: samples, clones and their V(D)J designations, as plain values.

The pipeline fills these, `Designer` builds the `Designation`s, and `vidjil_local.results`
writes them as `.vidjil` JSON or AIRR TSV (and reads `.vidjil` back). All positions are 0-based
half-open on the clone's `sequence`; the writers convert them once, at export.
Per-sample lists (`reads`, `average_read_length`) follow the order of `AnalysisResult.samples`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vidjil_local.core.diversity import Diversity
from vidjil_local.core.merge_stats import MergeStatistics
from vidjil_local.core.spikes import LimitOfDetection, Normalization

# Warning codes of Vidjil's `.vidjil` format (stable across versions, see its doc/warnings.md).
W_SHORT_WINDOW = "W50"
W_DESIGNATION_FAILED = "W68"
W_EQUAL_GENES = "W69"


@dataclass(frozen=True)
class CloneWarning:
    """A warning attached to a clone, in Vidjil's `warn[]` shape."""

    code: str  # e.g. "W69"
    message: str
    level: str = "warn"  # "info" or "warn"


@dataclass(frozen=True)
class SegmentMatch:
    """One germline gene aligned on a clone sequence.

    `start`/`end` are on the clone sequence; `deleted_5`/`deleted_3` count the nucleotides of the
    germline gene trimmed at its 5' and 3' ends (Vidjil's `delLeft`/`delRight`).
    """

    name: str  # allele, e.g. "IGHV3-23*01"
    start: int
    end: int
    deleted_5: int = 0
    deleted_3: int = 0
    score: int = 0
    mismatches: int = 0
    equal_alleles: tuple[str, ...] = ()  # other alleles with the same score
    germline_start: int = -1  # the aligned part of the germline gene, 0-based half-open
    germline_end: int = -1

    @property
    def gene(self) -> str:
        return self.name.split("*", 1)[0]


@dataclass(frozen=True)
class Designation:
    """The V(D)J designation of one clone sequence."""

    locus: str
    v: SegmentMatch | None = None
    d: SegmentMatch | None = None
    j: SegmentMatch | None = None
    d2: SegmentMatch | None = None  # a second D (VDDJ), 3' of `d`
    insertion_1: str = ""  # N nucleotides between V and D (or V and J without D)
    insertion_2: str = ""  # N nucleotides between D and J (or D and D2)
    insertion_3: str = ""  # N nucleotides between D2 and J
    junction_start: int = -1  # first nt of the V Cys codon, -1 when not found
    junction_end: int = -1  # just past the J Phe/Trp codon
    junction: str = ""
    junction_aa: str = ""
    vj_in_frame: bool | None = None
    stop_codon: bool | None = None
    productive: bool | None = None
    warnings: tuple[CloneWarning, ...] = ()

    @property
    def has_junction(self) -> bool:
        return self.junction_start >= 0 and self.junction_end > self.junction_start

    @property
    def cdr3(self) -> str:
        """The junction without its two conserved codons."""
        return self.junction[3:-3] if len(self.junction) >= 6 else ""

    @property
    def cdr3_aa(self) -> str:
        return self.junction_aa[1:-1] if len(self.junction_aa) >= 2 else ""

    @property
    def cdr3_start(self) -> int:
        return self.junction_start + 3 if self.has_junction else -1

    @property
    def cdr3_end(self) -> int:
        return self.junction_end - 3 if self.has_junction else -1

    @property
    def name(self) -> str:
        """Vidjil's clone name, e.g. "IGHV3-23*01 2/TCCCGGA/8 IGHJ6*02".

        Between two genes: nt deleted from the left one / N nucleotides / nt deleted from the
        right one.
        """
        if self.v is None or self.j is None:
            return ""
        genes = [match for match in (self.v, self.d, self.d2, self.j) if match is not None]
        insertions = [self.insertion_1, self.insertion_2, self.insertion_3]
        parts = [self.v.name]
        for left, right, insertion in zip(genes, genes[1:], insertions, strict=False):
            parts += [f"{left.deleted_3}/{insertion}/{right.deleted_5}", right.name]
        return " ".join(parts)


@dataclass(frozen=True)
class VIdentity:
    """A clone's identity to its closest V allele over the V region (`core.identity`)."""

    allele: str
    percent: float  # identical / compared nucleotides x 100
    compared: int  # nucleotides compared (an inserted or deleted one counts)
    mismatches: int
    gaps: int  # nucleotides inserted or deleted
    start: int  # the compared region of the clone sequence, 0-based half-open
    end: int


@dataclass
class CloneResult:
    """One clonotype across the samples of an analysis."""

    clone_id: str  # the window around the junction: the clone's identity across samples
    locus: str
    reads: list[int]  # per sample
    sequence: str  # representative (consensus) sequence, strand-corrected
    top: int  # best rank over the samples, 1 = most abundant
    window_start: int = -1  # where `clone_id` starts in `sequence`
    average_read_length: list[float] = field(default_factory=list)  # per sample
    designation: Designation | None = None
    warnings: list[CloneWarning] = field(default_factory=list)
    # the windows clustered into this clone (its head `clone_id` first), when analysed here
    members: list[str] = field(default_factory=list)
    v_identity: VIdentity | None = None
    # what an imported `.vidjil` gave the clone: its name (a lab's own, kept as Vidjil shows it)
    # and its tag (the index `.analysis` files use)
    given_name: str = ""
    tag: int | None = None

    @property
    def name(self) -> str:
        if self.given_name:
            return self.given_name
        return self.designation.name if self.designation is not None else ""

    def all_warnings(self) -> list[CloneWarning]:
        """The clone's own warnings followed by those of its designation."""
        extra = list(self.designation.warnings) if self.designation is not None else []
        return self.warnings + extra


@dataclass
class SampleResult:
    """The read counts of one input file."""

    original_name: str  # the file name as given by the user
    total_reads: int = 0
    segmented_reads: int = 0
    reads_per_locus: dict[str, int] = field(default_factory=dict)  # segmented reads by locus
    unsegmented: dict[str, int] = field(default_factory=dict)  # reason -> reads
    producer: str = ""  # e.g. "vidjil-local 0.1.0"
    command_line: str = ""
    timestamp: str = ""  # "YYYY-MM-DD HH:MM:SS"
    log: str = ""  # human-readable statistics, shown by the web client
    # reads of every window before clustering, window -> (locus, reads); empty when unknown
    # (imported results): written apart from the `.vidjil`, to count markers down to one read
    windows: dict[str, tuple[str, int]] = field(default_factory=dict)
    merging: MergeStatistics | None = None  # paired-end samples: how the pairs became reads
    unmerged_reads: str = ""  # paired-end samples: what of an unmerged pair is analysed
    # indices over the sample's clones, all loci together and per locus (`core.diversity`)
    diversity: Diversity | None = None
    diversity_per_locus: dict[str, Diversity] = field(default_factory=dict)
    warnings: list[CloneWarning] = field(default_factory=list)  # about the sample (W20)
    spike_reads: dict[str, int] = field(default_factory=dict)  # spike-in name -> reads
    normalization: Normalization | None = None  # from the spike-ins, when they allow it
    limit_of_detection: LimitOfDetection | None = None


@dataclass
class AnalysisResult:
    """Samples and clones of one analysis; clone `reads` lists follow `samples`."""

    samples: list[SampleResult]
    clones: list[CloneResult]
    producer: str = ""
    timestamp: str = ""
    germline: str = ""  # provenance of the germline set used
    # clones merged by a user of Vidjil (an imported `.vidjil`): ids, the representative first
    clusters: list[list[str]] = field(default_factory=list)

    def loci(self) -> list[str]:
        """The loci seen, in order of first appearance over samples then clones."""
        seen: dict[str, None] = {}
        for sample in self.samples:
            for locus in sample.reads_per_locus:
                seen[locus] = None
        for clone in self.clones:
            seen[clone.locus] = None
        return list(seen)
