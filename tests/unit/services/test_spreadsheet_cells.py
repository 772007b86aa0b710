"""Exports opened in a spreadsheet run no formula: the QC table's sample and config names (from
users, from files made elsewhere) are written as text; numbers stay numbers."""

from __future__ import annotations

import csv
import io

from vidjil_local.services.results.qc import QualityRow, SetQuality
from vidjil_local.services.results.qc_tsv import quality_tsv
from vidjil_local.services.spreadsheet import spreadsheet_text


def test_formula_starts_become_text_and_numbers_do_not() -> None:
    cells = ["=1+1", "+x", "-2+3", "@SUM(A1)", "\tx", "\rx", "-1.5", "12", "name", ""]
    assert [spreadsheet_text(cell) for cell in cells] == [
        "'=1+1", "'+x", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-1.5", "12", "name", "",
    ]  # fmt: skip


def row(sample_name: str, config_name: str) -> QualityRow:
    return QualityRow(
        sample_id=1, sample_name=sample_name, sampling_date=None, config_id=1,
        config_name=config_name, result_id=1, analysed_at=None, total_reads=3000,
        analysed_reads=2900, analysed_share=2900 / 3000, reads_per_locus={"IGH": 2900},
        clones=12, major_clones_per_locus={}, main_clone=None, diversity={},
        diversity_per_locus={}, merged_pairs=None, mean_read_length=None, read_lengths=None,
        shared=None,
    )  # fmt: skip


def test_the_qc_tsv_writes_a_formula_named_sample_as_text() -> None:
    table = SetQuality(
        sample_set_id=1, config_id=1, configs=[], rows=[row('=HYPERLINK("x")', "@IGH")]
    )
    written = next(csv.DictReader(io.StringIO(quality_tsv(table)), delimiter="\t"))
    assert written["sample"] == '\'=HYPERLINK("x")' and written["config"] == "'@IGH"
    assert written["reads"] == "3000" and written["clones"] == "12"
