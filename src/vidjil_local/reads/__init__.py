"""Reading FASTA/FASTQ reads files, plain or gzipped, robustly and fast.

Every problem in a reads file (malformed or truncated records, broken gzip, binary junk, absurdly
long lines) raises `vidjil_local.errors.InputFormatError` naming the file and, when known, the
line; memory stays flat whatever the file size. The format and the compression are told from the
content, never from the file name.
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
