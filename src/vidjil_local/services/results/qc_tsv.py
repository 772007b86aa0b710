"""The QC table as a TSV file (one row per sample and config, a header row), for a spreadsheet or
a lab's quality records. Percentages are numbers (e.g. 97.52), counts are plain integers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from vidjil_local.services.results.qc import QualityRow, SetQuality
from vidjil_local.services.spreadsheet import spreadsheet_text


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.2f}"


def _per_locus(values: dict[str, int]) -> str:
    return " ".join(f"{locus}:{count}" for locus, count in values.items())


def _lengths(row: QualityRow) -> str:
    lengths = row.read_lengths
    if lengths is None:
        return ""
    return " ".join(
        f"{start}-{start + lengths.bin_width - 1}:{count}"
        for start, count in zip(lengths.bin_starts, lengths.counts, strict=True)
    )


def _shared_with(row: QualityRow) -> str:
    if row.shared is None:
        return ""
    return "; ".join(
        f"{other.sample_name} (set {other.sample_set_id}): {other.clones}"
        for other in row.shared.samples
    )


def _merged(row: QualityRow) -> str:
    if not row.merged_pairs or not row.merged_pairs[1]:
        return ""
    return _percent(row.merged_pairs[0] / row.merged_pairs[1])


def _number(value: float | int | None) -> str:
    return "" if value is None else str(value)


INDEX_LETTERS = {"shannon": "H", "equitability": "E", "simpson": "Ds", "pielou": "J"}


def _per_locus_diversity(row: QualityRow) -> str:
    """ "IGH H=3.2 E=0.41 Ds=0.9 J=0.8; TRG ...": one spreadsheet cell."""
    return "; ".join(
        " ".join(
            [locus]
            + [
                f"{letter}={indices[name]:.4g}"
                for name, letter in INDEX_LETTERS.items()
                if name in indices
            ]
        )
        for locus, indices in row.diversity_per_locus.items()
    )


COLUMNS: tuple[tuple[str, Callable[[QualityRow], str]], ...] = (
    ("sample", lambda row: row.sample_name),
    ("sampling date", lambda row: row.sampling_date or ""),
    ("config", lambda row: row.config_name),
    ("analysed at", lambda row: row.analysed_at or ""),
    ("reads", lambda row: _number(row.total_reads)),
    ("analysed reads", lambda row: _number(row.analysed_reads)),
    ("analysed %", lambda row: _percent(row.analysed_share)),
    ("mean read length", lambda row: _number(row.mean_read_length)),
    ("read lengths (reads per 10 bp)", _lengths),
    ("reads per locus", lambda row: _per_locus(row.reads_per_locus)),
    ("clones", lambda row: _number(row.clones)),
    ("clones >= 5% per locus", lambda row: _per_locus(row.major_clones_per_locus)),
    ("main clone", lambda row: row.main_clone.label if row.main_clone else ""),
    ("main clone %", lambda row: _percent(row.main_clone.share) if row.main_clone else ""),
    ("clones in other sets", lambda row: _number(row.shared.clones) if row.shared else ""),
    ("other samples sharing clones", _shared_with),
    ("merged pairs %", _merged),
    ("shannon H", lambda row: _number(row.diversity.get("shannon"))),
    ("equitability E", lambda row: _number(row.diversity.get("equitability"))),
    ("simpson Ds", lambda row: _number(row.diversity.get("simpson"))),
    ("pielou J", lambda row: _number(row.diversity.get("pielou"))),
    ("diversity per locus", _per_locus_diversity),
)


def quality_tsv(table: SetQuality) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    for row in table.rows:
        writer.writerow([spreadsheet_text(value(row)) for _, value in COLUMNS])
    return buffer.getvalue()
