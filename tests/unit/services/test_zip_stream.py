"""The streamed zip of a set's archive: valid, in pieces, compressed inputs stored as they are."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from vidjil_local.services.results.archive import PIECE, ZipStream


def test_a_streamed_zip_is_a_valid_zip_sent_in_pieces(tmp_path: Path) -> None:
    reads = tmp_path / "reads.fastq.gz"
    reads.write_bytes(os.urandom(3 * PIECE + 17))
    text = tmp_path / "result.vidjil"
    text.write_text('{"clones": []}\n' * 10_000)
    stream = ZipStream()
    pieces = [
        *stream.add_file("samples/reads.fastq.gz", reads),
        *stream.add_file("samples/result.vidjil", text),
        *stream.add_text("metadata.json", '{"é": 1}'),
        *stream.close(),
    ]
    assert max(len(piece) for piece in pieces) <= 2 * PIECE  # never the whole file at once
    assert sum(1 for piece in pieces if piece) >= 4
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert archive.testzip() is None
    assert archive.read("samples/reads.fastq.gz") == reads.read_bytes()
    assert archive.read("metadata.json").decode() == '{"é": 1}'
    assert archive.getinfo("samples/reads.fastq.gz").compress_type == zipfile.ZIP_STORED
    vidjil = archive.getinfo("samples/result.vidjil")
    assert vidjil.compress_type == zipfile.ZIP_DEFLATED and vidjil.compress_size < vidjil.file_size
