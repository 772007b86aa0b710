"""Crafted result files made elsewhere (.vidjil, AIRR TSV): each breaks one field of a valid file
in a way that once crashed the reader or left a sample stuck, with the field the error must name.

Shared by the readers' unit tests and the upload tests through the API.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

VALID_VIDJIL = Path(__file__).parent / "data" / "vidjil" / "one-sample.vidjil"
HUGE = "@HUGE@"  # replaced by the number literal 1e400 (JSON has no infinity; Python reads inf)
NOT_A_NUMBER = "@NAN@"  # replaced by NaN, which Python's json reads although JSON has none
AIRR_HEADER = "sequence_id\tsequence\tlocus\tv_call\tj_call\tjunction_aa\tduplicate_count\n"
AIRR_ROW = "c1\tACGTACGTAC\tIGH\tIGHV3-23*01\tIGHJ4*02\tCARDYW\t{count}\n"


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _repeat_first_clone(document: dict[str, Any]) -> None:
    document["clones"].append(copy.deepcopy(document["clones"][0]))


VIDJIL_CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "reads-total-1e400": (_set(["reads", "total"], [HUGE]), "reads.total[0]"),
    "reads-total-nan": (_set(["reads", "total"], [NOT_A_NUMBER]), "reads.total[0]"),
    "reads-segmented-text": (_set(["reads", "segmented"], ["many"]), "reads.segmented[0]"),
    "clone-reads-1e400": (_set(["clones", 0, "reads"], [HUGE]), "clones[0].reads[0]"),
    "clone-reads-negative": (_set(["clones", 0, "reads"], [-5]), "clones[0].reads[0]"),
    "clone-top-1e400": (_set(["clones", 0, "top"], HUGE), "clones[0].top"),
    "seg-5-a-number": (_set(["clones", 0, "seg", "5"], 7), "clones[0].seg.5"),
    "seg-junction-start-text": (
        _set(["clones", 0, "seg", "junction", "start"], "x"),
        "clones[0].seg.junction.start",
    ),
    "clone-id-null": (_set(["clones", 0, "id"], None), "clones[0].id"),
    "clone-id-repeated": (_repeat_first_clone, "clones[6].id"),
    "clones-an-object": (_set(["clones"], {"a": 1}), "clones"),
    "samples-number-a-billion": (_set(["samples", "number"], 10**9), "samples.number"),
    "samples-number-negative": (_set(["samples", "number"], -1), "samples.number"),
    "original-names-text": (_set(["samples", "original_names"], "abc"), "samples.original_names"),
    "warn-not-objects": (_set(["clones", 0, "warn"], [3]), "clones[0].warn[0]"),
    "germline-counts-1e400": (_set(["reads", "germline", "IGH"], [HUGE]), "reads.germline.IGH[0]"),
    "merging-unknown-reason": (
        _set(["samples", "_merging"], [{"pairs": 3, "unmerged": {"bogus": 1}}]),
        "samples._merging[0].unmerged.bogus",
    ),
    "merging-pairs-1e400": (
        _set(["samples", "_merging"], [{"pairs": HUGE}]),
        "samples._merging[0].pairs",
    ),
    # the clinical measures
    "diversity-1e400": (
        _set(["diversity"], {"index_H_entropy": [HUGE]}),
        "diversity.index_H_entropy[0]",
    ),
    "diversity-per-locus-a-list": (
        _set(["diversity"], {"index_H_entropy": [1.0], "_per_locus": [1]}),
        "diversity._per_locus",
    ),
    "sample-warnings-a-number": (_set(["warn"], 3), "warn"),
    "limit-of-detection-without-reads": (
        _set(["samples", "_limit_of_detection"], [{"fraction": 0.1, "basis": "one cell"}]),
        "samples._limit_of_detection[0].reads",
    ),
    "spike-reads-text": (
        _set(["samples", "_spikes"], [{"spike-1": "many"}]),
        "samples._spikes[0].spike-1",
    ),
    "mrd-coefficient-text": (_set(["mrd"], {"UNI_COEFF": ["x"]}), "mrd.UNI_COEFF[0]"),
    "mrd-dna-cells-nan": (
        _set(["mrd"], {"UNI_COEFF": [0.5], "_dna_cells": [NOT_A_NUMBER]}),
        "mrd._dna_cells[0]",
    ),
    "v-identity-compared-text": (
        _set(["clones", 0, "seg", "v_identity"], {"val": 98.5, "compared": "x"}),
        "clones[0].seg.v_identity.compared",
    ),
}


def crafted_vidjil(name: str) -> bytes:
    change, _ = VIDJIL_CASES[name]
    document = copy.deepcopy(json.loads(VALID_VIDJIL.read_text(encoding="utf-8")))
    change(document)
    text = json.dumps(document)
    return text.replace(f'"{HUGE}"', "1e400").replace(f'"{NOT_A_NUMBER}"', "NaN").encode()


def deep_vidjil(depth: int = 100_000) -> bytes:
    """A .vidjil whose clones nest `depth` lists deep (Python's JSON reader recursed into it)."""
    return b'{"vidjil_json_version": "2016b", "clones": ' + b"[" * depth + b"]" * depth + b"}"


AIRR_CASES: dict[str, tuple[str, str]] = {
    "airr-count-1e400": (AIRR_HEADER + AIRR_ROW.format(count="1e400"), "duplicate_count"),
    "airr-count-negative": (AIRR_HEADER + AIRR_ROW.format(count="-3"), "duplicate_count"),
    "airr-count-nan": (AIRR_HEADER + AIRR_ROW.format(count="nan"), "duplicate_count"),
    "airr-count-fraction": (AIRR_HEADER + AIRR_ROW.format(count="2.5"), "duplicate_count"),
    "airr-only-sequence-id": ("sequence_id\nc1\nc2\n", "locus"),
    "airr-empty-locus": (AIRR_HEADER + "c1\tACGT\t\tIGHV1\tIGHJ4\tCAR\t3\n", "locus"),
    "airr-short-row": (AIRR_HEADER + "c1\tACGT\n", "locus"),
}


def crafted_airr(name: str) -> bytes:
    return AIRR_CASES[name][0].encode()


AIRR_NOT_UTF8 = (AIRR_HEADER + AIRR_ROW.format(count="3")).encode().replace(b"CARDYW", b"CAR\xff")
