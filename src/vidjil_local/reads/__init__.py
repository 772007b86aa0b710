"""Reading FASTA/FASTQ reads files, plain or gzipped, robustly and fast.

- `iter_chunks(paths, chunk_size)`: the reads of one or more files as picklable `ReadChunk`s
  (names, normalised sequences, file index, first record, progress in stored bytes);
- `iter_pairs(r1, r2)` / `check_pair(r1, r2)`: paired files, read by read mates;
- `check_reads_file(path)`: the upload check, a `ReadsFileInfo` or an error (`grows_to=`: of a
  file still being written, waiting for its bytes).

Every problem in a reads file (malformed or truncated records, broken gzip, binary junk, absurdly
long lines) raises `vidjil_local.errors.InputFormatError` naming the file and, when known, the
line; the reads before it are yielded first. Memory stays flat whatever the file size. The format
and the compression are told from the content, never from the file name. Sequences come out in
upper case, `U` as `T`, anything else than ACGT as `N`.
"""

from vidjil_local.reads._check import ReadsFileInfo, check_reads_file
from vidjil_local.reads._chunks import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_READ_LENGTH,
    ReadChunk,
    iter_chunks,
)
from vidjil_local.reads._pairs import check_pair, iter_pairs, mate_id

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_READ_LENGTH",
    "ReadChunk",
    "ReadsFileInfo",
    "check_pair",
    "check_reads_file",
    "iter_chunks",
    "iter_pairs",
    "mate_id",
]
