"""The clinical measures in `.vidjil` files, both ways: diversity, sample warnings, spike-in
normalisation (Vidjil's `mrd` block and `normalized_reads`), limits of detection, V identity.

Keys are Vidjil's where Vidjil has one; ours start with `_` (the client ignores them). Every
per-sample value is a list with one item per sample (null where a sample has none):

- `diversity`: `index_H_entropy`, `index_E_equitability`, `index_Ds_diversity` (Vidjil's),
  `_index_J_pielou`, `_clones`, and `_per_locus` {locus: the same keys};
- `warn` (top level): sample warnings (W20), each with `_sample`, its index;
- `samples._limit_of_detection`: {reads, fraction, basis}; `samples._spikes`: {name: reads};
  `reads._spikes`: the spike-in reads (not in `segmented`);
- `mrd` (samples normalised by spike-ins): `coefficients` {"UNI": [...]}, `UNI_COEFF`,
  `UNI_R2`, `ampl_coeff`, `prevalent`, `_spike_reads`, `_dna_cells`; per clone
  `normalized_reads` and `mrd` {`copy_number`, `norm_coeff`, `R2`, `family`};
- per clone, `seg.v_identity` {val (percent), start, stop (1-based, inclusive), info (the
  allele), mismatches, gaps} and `_coverage`.
"""

from __future__ import annotations

from typing import Any

from vidjil_local.core.checks import coverage
from vidjil_local.core.diversity import Diversity
from vidjil_local.core.result import CloneResult, CloneWarning, SampleResult, VIdentity
from vidjil_local.core.spikes import DNA_CELLS, UNIVERSAL, LimitOfDetection, Normalization
from vidjil_local.results.fields import MAX_WHOLE, items, mapping, optional, real, text, whole

DIVERSITY_KEYS = {
    "index_H_entropy": "shannon",
    "index_E_equitability": "equitability",
    "index_Ds_diversity": "simpson",
    "_index_J_pielou": "pielou",
    "_clones": "clones",
}


# -- writing ---------------------------------------------------------------------------------------
def document_measures(samples: list[SampleResult]) -> dict[str, Any]:
    """The top-level keys: `diversity`, `warn`, `mrd` (those that have something to say)."""
    measures: dict[str, Any] = {}
    if any(sample.diversity is not None for sample in samples):
        measures["diversity"] = _diversity(samples)
    warnings = [
        {**_warning(warning), "_sample": number}
        for number, sample in enumerate(samples)
        for warning in sample.warnings
    ]
    if warnings:
        measures["warn"] = warnings
    if any(sample.normalization is not None for sample in samples):
        measures["mrd"] = mrd_block([sample.normalization for sample in samples])
    return measures


def _diversity(samples: list[SampleResult]) -> dict[str, Any]:
    block: dict[str, Any] = _indices([sample.diversity for sample in samples])
    loci = sorted({locus for sample in samples for locus in sample.diversity_per_locus})
    block["_per_locus"] = {
        locus: _indices([sample.diversity_per_locus.get(locus) for sample in samples])
        for locus in loci
    }
    return block


def _indices(values: list[Diversity | None]) -> dict[str, list[Any]]:
    return {
        key: [getattr(value, name) if value is not None else None for value in values]
        for key, name in DIVERSITY_KEYS.items()
    }


def _warning(warning: CloneWarning) -> dict[str, str]:
    return {"code": warning.code, "level": warning.level, "msg": warning.message}


def mrd_block(factors: list[Normalization | None]) -> dict[str, Any]:
    """The top-level `mrd` block, one item per sample."""

    def each(name: str) -> list[Any]:
        return [getattr(factor, name) if factor is not None else None for factor in factors]

    return {
        "coefficients": {UNIVERSAL: each("coefficient")},
        "UNI_COEFF": each("coefficient"),
        "UNI_R2": each("r2"),
        "ampl_coeff": each("amplification"),
        "prevalent": each("prevalent"),
        "_spike_reads": each("spike_reads"),
        "_dna_cells": each("dna_cells"),
    }


def sample_measures(samples: list[SampleResult]) -> dict[str, Any]:
    """The keys of `samples`: `_limit_of_detection`, `_spikes`."""
    measures: dict[str, Any] = {}
    limits = [sample.limit_of_detection for sample in samples]
    if any(limit is not None for limit in limits):
        measures["_limit_of_detection"] = [
            {"reads": limit.reads, "fraction": limit.fraction, "basis": limit.basis}
            if limit is not None
            else None
            for limit in limits
        ]
    if any(sample.spike_reads for sample in samples):
        measures["_spikes"] = [dict(sample.spike_reads) for sample in samples]
    return measures


def spike_reads(samples: list[SampleResult]) -> dict[str, Any]:
    """The key of `reads`: `_spikes`, the reads of spike-ins per sample."""
    if not any(sample.spike_reads for sample in samples):
        return {}
    return {"_spikes": [sum(sample.spike_reads.values()) for sample in samples]}


def clone_measures(clone: CloneResult, samples: list[SampleResult]) -> dict[str, Any]:
    """A clone's `_coverage`, `normalized_reads` and `mrd`."""
    measures: dict[str, Any] = {}
    if clone.sequence and clone.average_read_length:
        measures["_coverage"] = [round(value, 3) for value in coverage(clone)]
    measures.update(clone_normalization(clone.reads, [s.normalization for s in samples]))
    return measures


def clone_normalization(reads: list[int], factors: list[Normalization | None]) -> dict[str, Any]:
    """A clone's `normalized_reads` and `mrd`, when a sample is normalised."""
    if all(factor is None for factor in factors):
        return {}
    pairs = list(zip(reads, factors, strict=True))
    return {
        "normalized_reads": [f.normalized(r) if f else None for r, f in pairs],
        "mrd": {
            "copy_number": [f.copies(r) if f else None for r, f in pairs],
            "norm_coeff": [f.coefficient if f else None for _, f in pairs],
            "R2": [f.r2 if f else None for _, f in pairs],
            "family": [UNIVERSAL if f else None for _, f in pairs],
        },
    }


def identity_feature(identity: VIdentity) -> dict[str, Any]:
    """`seg.v_identity`: a numerical sequence feature, as the format has them."""
    return {
        "val": round(identity.percent, 2),
        "start": identity.start + 1,
        "stop": identity.end,
        "info": identity.allele,
        "compared": identity.compared,
        "mismatches": identity.mismatches,
        "gaps": identity.gaps,
    }


# -- reading ---------------------------------------------------------------------------------------
# A file made elsewhere may hold anything: every value is read with `fields.py`, and a wrong one
# is a FieldError naming it (the reader's InputFormatError), never a crash further on.
def parse_identity(feature: Any, field: str) -> VIdentity | None:
    """`seg.v_identity`; none unless it is an object with a numeric `val`."""
    if not isinstance(feature, dict) or not isinstance(feature.get("val"), int | float):
        return None

    def position(key: str, default: int) -> int:
        return whole(optional(feature, key, default), f"{field}.{key}", -MAX_WHOLE)

    return VIdentity(
        allele=str(feature.get("info", "")),
        percent=real(feature["val"], f"{field}.val"),
        compared=whole(optional(feature, "compared", 0), f"{field}.compared"),
        mismatches=whole(optional(feature, "mismatches", 0), f"{field}.mismatches"),
        gaps=whole(optional(feature, "gaps", 0), f"{field}.gaps"),
        start=position("start", 0) - 1,
        end=position("stop", -1),
    )


def parse_sample_measures(document: dict[str, Any], sample: SampleResult, index: int) -> None:
    """Fill `sample` (the `index`-th) with the measures the document holds for it."""
    block = document.get("diversity")
    sample.diversity = _parse_indices(block, index, "diversity")
    per_locus = block.get("_per_locus") if isinstance(block, dict) else None
    found = {
        str(locus): _parse_indices(indices, index, f"diversity._per_locus.{locus}")
        for locus, indices in mapping(per_locus or {}, "diversity._per_locus").items()
    }
    sample.diversity_per_locus = {locus: value for locus, value in found.items() if value}
    sample.warnings = [
        CloneWarning(str(w.get("code", "")), str(w.get("msg", "")), str(w.get("level", "warn")))
        for w in items(optional(document, "warn", []), "warn")
        if isinstance(w, dict) and w.get("_sample", 0) == index
    ]
    samples = mapping(optional(document, "samples", {}), "samples")
    sample.limit_of_detection = _parse_limit(
        _item(samples.get("_limit_of_detection"), index),
        f"samples._limit_of_detection[{index}]",
    )
    spikes = f"samples._spikes[{index}]"
    sample.spike_reads = {
        str(name): whole(reads, f"{spikes}.{name}")
        for name, reads in mapping(_item(samples.get("_spikes"), index) or {}, spikes).items()
    }
    sample.normalization = _parse_normalization(document.get("mrd"), index)


def _item(values: Any, index: int) -> Any:
    return values[index] if isinstance(values, list) and index < len(values) else None


def _parse_indices(block: Any, index: int, field: str) -> Diversity | None:
    """One sample's indices; vidjil-algo writes numbers, not lists, for its one sample."""
    if not isinstance(block, dict):
        return None
    values = {
        key: block.get(key)
        if isinstance(block.get(key), int | float) and index == 0
        else _item(block.get(key), index)
        for key in DIVERSITY_KEYS
    }
    if values["index_H_entropy"] is None:
        return None

    def index_value(key: str) -> float:
        return real(values[key] or 0.0, f"{field}.{key}[{index}]")

    return Diversity(
        shannon=index_value("index_H_entropy"),
        equitability=index_value("index_E_equitability"),
        simpson=index_value("index_Ds_diversity"),
        pielou=index_value("_index_J_pielou"),
        clones=whole(values["_clones"] or 0, f"{field}._clones[{index}]"),
    )


def _parse_limit(value: Any, field: str) -> LimitOfDetection | None:
    if value is None:
        return None
    limit = mapping(value, field)
    return LimitOfDetection(
        real(limit.get("reads"), f"{field}.reads"),
        real(limit.get("fraction"), f"{field}.fraction"),
        text(limit.get("basis"), f"{field}.basis"),
    )


def _parse_normalization(block: Any, index: int) -> Normalization | None:
    if not isinstance(block, dict) or _item(block.get("UNI_COEFF"), index) is None:
        return None

    def value(key: str) -> Any:
        return _item(block.get(key), index)

    r2 = value("UNI_R2")
    return Normalization(
        coefficient=real(value("UNI_COEFF"), f"mrd.UNI_COEFF[{index}]"),
        r2=None if r2 is None else real(r2, f"mrd.UNI_R2[{index}]"),
        spike_reads=whole(value("_spike_reads") or 0, f"mrd._spike_reads[{index}]"),
        amplification=real(value("ampl_coeff") or 0.0, f"mrd.ampl_coeff[{index}]"),
        prevalent=str(value("prevalent") or ""),
        dna_cells=whole(value("_dna_cells") or DNA_CELLS, f"mrd._dna_cells[{index}]"),
    )
