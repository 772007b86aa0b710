"""What a result file made elsewhere is, told from its content, never its name."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from vidjil_local.results import ResultFormat, Sniffed, sniff_result

AIRR_HEAD = b"sequence_id\tlocus\tjunction\nr1\tIGH\tTGT\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'  {"vidjil_json_version": "2016b"}', Sniffed(ResultFormat.VIDJIL, gzipped=False)),
        (AIRR_HEAD, Sniffed(ResultFormat.AIRR, gzipped=False)),
        (AIRR_HEAD.replace(b"\n", b"\r\n"), Sniffed(ResultFormat.AIRR, gzipped=False)),
        (gzip.compress(AIRR_HEAD), Sniffed(ResultFormat.AIRR, gzipped=True)),
        # a UTF-8 BOM, as Excel saves "Unicode text"
        (b"\xef\xbb\xbf" + AIRR_HEAD, Sniffed(ResultFormat.AIRR, gzipped=False)),
        (b'\xef\xbb\xbf{"vidjil_json_version": "2016b"}', Sniffed(ResultFormat.VIDJIL, False)),
        (gzip.compress(b'{"clones": []}'), Sniffed(None, gzipped=True)),  # never a .vidjil
        (gzip.compress(AIRR_HEAD)[:12], Sniffed(None, gzipped=True)),  # broken gzip
        (b"@read1\nACGT\n+\nIIII\n", Sniffed(None, gzipped=False)),
        (b"", Sniffed(None, gzipped=False)),
    ],
)
def test_sniffing(tmp_path: Path, content: bytes, expected: Sniffed) -> None:
    path = tmp_path / "anything.fastq"  # the name says nothing
    path.write_bytes(content)
    assert sniff_result(path) == expected


def test_the_suffix_a_sniffed_file_is_stored_under() -> None:
    assert Sniffed(ResultFormat.VIDJIL, gzipped=False).suffix == ".vidjil"
    assert Sniffed(ResultFormat.AIRR, gzipped=True).suffix == ".tsv.gz"
    assert Sniffed(ResultFormat.AIRR, gzipped=False).suffix == ".tsv"
    assert Sniffed(None, gzipped=True).suffix == ""
