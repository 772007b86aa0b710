"""The quality figures of one sample's result, read from its `.vidjil` document (Vidjil's QC
"preview" table per set and config): reads analysed, reads per locus, clones of 5% or more per
locus, the main clone, the diversity indices when the result has them, the merging of a
paired-end sample, and the ids of the clones of 0.01% or more (to find them in other samples: a
contamination hint). Pure: a parsed document in, plain values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

MAJOR_CLONE_SHARE = 0.05  # Vidjil's "clonotypes >= 5%" (`reads.distribution`)
SHARED_CLONE_SHARE = 0.0001  # Vidjil's "common clonotypes >= 0.01%"
# The `.vidjil` keys of the diversity indices (docs/analysis.md): Shannon's H, Vidjil's
# equitability E (H / ln reads), Simpson's Ds, Pielou's J (H / ln clones), the clones counted.
DIVERSITY_INDICES = {
    "index_H_entropy": "shannon",
    "index_E_equitability": "equitability",
    "index_Ds_diversity": "simpson",
    "_index_J_pielou": "pielou",
    "_clones": "clones",
}


@dataclass(frozen=True)
class MainClone:
    id: str
    label: str  # V gene, junction (amino acids) and J gene, else the clone's name
    locus: str
    reads: int
    share: float  # of the analysed reads


@dataclass(frozen=True)
class SampleQuality:
    """One sample of one result, as the QC table shows it."""

    total_reads: int
    analysed_reads: int  # segmented: a V(D)J recombination was found
    reads_per_locus: dict[str, int]
    clones: int
    major_clones_per_locus: dict[str, int]  # clones of at least 5% of the analysed reads
    main_clone: MainClone | None
    diversity: dict[str, float]  # DIVERSITY_INDICES' names, those the result gives
    merged_pairs: tuple[int, int] | None  # (merged, pairs) for a paired-end sample
    mean_clone_read_length: float | None  # over the clones' reads (no reads file: imports)
    shared_ids: tuple[str, ...] = field(default=())  # clones of at least 0.01%
    diversity_per_locus: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SampleQuality:
        main = data.get("main_clone")
        merged = data.get("merged_pairs")
        return cls(
            **{
                **data,
                "main_clone": MainClone(**main) if main else None,
                "merged_pairs": (int(merged[0]), int(merged[1])) if merged else None,
                "shared_ids": tuple(data.get("shared_ids") or ()),
            }
        )


def _first(values: Any, default: Any = 0) -> Any:
    return values[0] if isinstance(values, list) and values else default


def clone_label(clone: Mapping[str, Any]) -> str:
    """The V gene, junction (amino acids) and J gene from the clone's designation, else its
    name, else its id (window)."""
    seg = clone.get("seg") or {}
    parts = [
        str((seg.get("5") or {}).get("name") or ""),
        str((seg.get("junction") or {}).get("aa") or (seg.get("cdr3") or {}).get("aa") or ""),
        str((seg.get("3") or {}).get("name") or ""),
    ]
    label = " ".join(part for part in parts if part)
    return label or str(clone.get("name") or clone.get("id", ""))


def _diversity_per_locus(document: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Our per-locus indices (`diversity._per_locus`), the loci with at least one index."""
    given = document.get("diversity")
    per_locus = given.get("_per_locus") if isinstance(given, Mapping) else None
    if not isinstance(per_locus, Mapping):
        return {}
    found = {str(locus): _diversity({"diversity": block}) for locus, block in per_locus.items()}
    return {locus: indices for locus, indices in sorted(found.items()) if indices}


def _diversity(document: Mapping[str, Any]) -> dict[str, float]:
    """Diversity indices as Vidjil writes them: a number, a list per sample or a dict per locus
    (its "all" entry)."""
    given = document.get("diversity")
    found: dict[str, float] = {}
    for key, name in DIVERSITY_INDICES.items():
        value = given.get(key) if isinstance(given, Mapping) else None
        if isinstance(value, Mapping):
            value = value.get("all")
        value = _first(value, None) if isinstance(value, list) else value
        if isinstance(value, int | float) and not isinstance(value, bool):
            found[name] = float(value)
    return found


def _merged_pairs(samples: Mapping[str, Any]) -> tuple[int, int] | None:
    merging = _first(samples.get("_merging"), None)
    if not isinstance(merging, Mapping) or not merging.get("pairs"):
        return None
    return int(merging.get("merged", 0)), int(merging["pairs"])


def _mean_clone_length(clones: list[Mapping[str, Any]]) -> float | None:
    weighted = total = 0.0
    for clone in clones:
        reads = int(_first(clone.get("reads")))
        length = float(_first(clone.get("_average_read_length"), 0.0))
        if reads > 0 and length > 0:
            weighted += reads * length
            total += reads
    return round(weighted / total, 1) if total else None


def sample_quality(document: Mapping[str, Any]) -> SampleQuality:
    """The quality figures of the first sample of a `.vidjil` document (a one-sample result)."""
    reads = document.get("reads") or {}
    analysed = int(_first(reads.get("segmented")))
    clones = [c for c in document.get("clones") or [] if int(_first(c.get("reads"))) > 0]
    clones.sort(key=lambda clone: -int(_first(clone.get("reads"))))
    major: dict[str, int] = {}
    for clone in clones:
        if analysed and int(_first(clone["reads"])) >= MAJOR_CLONE_SHARE * analysed:
            locus = str(clone.get("germline", "?"))
            major[locus] = major.get(locus, 0) + 1
    main = None
    if clones:
        top = clones[0]
        top_reads = int(_first(top["reads"]))
        share = top_reads / analysed if analysed else 0.0
        main = MainClone(
            str(top["id"]),
            clone_label(top),
            str(top.get("germline", "")),
            top_reads,
            round(share, 6),
        )
    threshold = SHARED_CLONE_SHARE * analysed
    return SampleQuality(
        total_reads=int(_first(reads.get("total"))),
        analysed_reads=analysed,
        reads_per_locus={
            str(locus): int(_first(values))
            for locus, values in (reads.get("germline") or {}).items()
        },
        clones=len(clones),
        major_clones_per_locus=major,
        main_clone=main,
        diversity=_diversity(document),
        diversity_per_locus=_diversity_per_locus(document),
        merged_pairs=_merged_pairs(document.get("samples") or {}),
        mean_clone_read_length=_mean_clone_length(clones),
        shared_ids=tuple(
            str(c["id"]) for c in clones if analysed and int(_first(c["reads"])) >= threshold
        ),
    )


@dataclass(frozen=True)
class LengthHistogram:
    """Read lengths of a reads file: count per length, over its first `reads` reads."""

    counts: dict[int, int]
    reads: int
    complete: bool  # every read of the file was counted

    def mean(self) -> float | None:
        total = sum(self.counts.values())
        return round(sum(k * v for k, v in self.counts.items()) / total, 1) if total else None

    def binned(self, width: int) -> dict[int, int]:
        """Counts per bin of `width` bp, keyed by the bin's first length."""
        bins: dict[int, int] = {}
        for length, count in self.counts.items():
            start = length - length % width
            bins[start] = bins.get(start, 0) + count
        return dict(sorted(bins.items()))
