"""Results of the other tools Vidjil's fuse reads: an AIRR file written by IgBLAST (one row per
read, T/F booleans, comma-separated calls, reads without any hit) and MiXCR clone tables (3.x
and 4.x column names), from `tests/data/foreign` (see `make_foreign.py` there)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from vidjil_local.core.result import AnalysisResult
from vidjil_local.errors import InputFormatError
from vidjil_local.results.imports import import_result
from vidjil_local.results.sniff import ResultFormat, sniff_result

FOREIGN = Path(__file__).parents[2] / "data" / "foreign"
MIXCR = ["mixcr.clones.tsv", "mixcr4.clones.tsv"]


def table(result: AnalysisResult) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for clone in result.clones:
        design = clone.designation
        assert design is not None
        genes = [s.name if s else None for s in (design.v, design.d, design.j)]
        rows.append((clone.top, clone.locus, clone.reads, *genes, design.junction_aa,
                     design.productive))  # fmt: skip
    return rows


def test_igblast_reads_become_clones_and_no_hit_reads_unsegmented() -> None:
    path = FOREIGN / "igblast.airr.tsv"
    assert sniff_result(path).format is ResultFormat.AIRR
    result = import_result(path)
    assert table(result) == [
        (1, "IGH", [5], "IGHV4-4*02", None, "IGHJ4*02", "CARDISCYTHRW", True),
        (2, "IGK", [3], "IGKV3-20*01", None, "IGKJ1*01", "CQQYGSSPPLTF", True),
        (3, "IGL", [2], "IGLV3-27*01", None, "IGLJ2*01", "CYSAADNNQEVF", True),
        (4, "TRA", [1], "TRAV12-1*02", None, "TRAJ18*01", "CVEDRGSTLGRLYF", True),
    ]
    sample = result.samples[0]
    assert (sample.total_reads, sample.segmented_reads) == (12, 11)
    assert sample.unsegmented == {"too_few_kmers": 1}
    assert sample.reads_per_locus == {"IGH": 5, "IGK": 3, "IGL": 2, "TRA": 1}
    clone = result.clones[0]
    assert clone.sequence[clone.window_start :].startswith("TGTGCGAGGGACATCAGC")


def test_igblast_summary_lines_end_the_table(tmp_path: Path) -> None:
    path = tmp_path / "igblast.tsv"
    content = (FOREIGN / "igblast.airr.tsv").read_text()
    path.write_text(content + "Total queries = 12\nTotal identifiable CDR3 = 11\n")
    assert table(import_result(path)) == table(import_result(FOREIGN / "igblast.airr.tsv"))


@pytest.mark.parametrize("name", MIXCR)
def test_mixcr_clone_tables(name: str, tmp_path: Path) -> None:
    path = FOREIGN / name
    sniffed = sniff_result(path)
    assert (sniffed.format, sniffed.suffix) == (ResultFormat.MIXCR, ".mixcr.tsv")
    result = import_result(path)
    assert table(result) == [
        (1, "IGH", [83], "IGHV4-4*02", None, "IGHJ4*02", "CARDISCYTHRW", True),  # 80 + 3
        (2, "IGK", [40], "IGKV3-20*01", None, "IGKJ1*01", "CQQYGSSPPLTF", True),
        (3, "IGL", [40], "IGLV3-27*01", None, "IGLJ2*01", "CYSAADNNQEVF", True),
        (4, "TRA", [20], "TRAV12-1*02", None, "TRAJ18*01", "CVEDRGSTLGRLYF", True),
        (5, "TRA", [2], "TRAV12-1*02", "TRBD1*01", "TRAJ18*01", "CVEDRG_STLGRLY", False),
    ]
    assert result.samples[0].segmented_reads == 185
    odd = result.clones[4]
    assert odd.window_start >= 0 and odd.clone_id in odd.sequence  # the mate holding it
    gzipped = tmp_path / "clones.gz"
    gzipped.write_bytes(gzip.compress(path.read_bytes()))
    assert sniff_result(gzipped).suffix == ".mixcr.tsv.gz"
    assert table(import_result(gzipped)) == table(result)


@pytest.mark.parametrize("count", ["many", "-3", "2.5", "nan", ""])
def test_a_bad_mixcr_count_names_its_line(tmp_path: Path, count: str) -> None:
    lines = (FOREIGN / "mixcr4.clones.tsv").read_text().splitlines(True)
    cells = lines[2].split("\t")
    cells[1] = count
    path = tmp_path / "clones.tsv"
    path.write_text("".join([lines[0], lines[1], "\t".join(cells), *lines[3:]]))
    with pytest.raises(InputFormatError, match=r"clones.tsv:3: readCount .* is not a count"):
        import_result(path)
