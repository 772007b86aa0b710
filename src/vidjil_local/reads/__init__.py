"""Reading FASTA/FASTQ reads files, plain or gzipped, robustly and fast.

Every problem in a reads file (malformed or truncated records, broken gzip, binary junk, absurdly
long lines) raises `vidjil_local.errors.InputFormatError` naming the file and, when known, the
line; memory stays flat whatever the file size.
"""

from vidjil_local.reads._chunks import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_MAX_READ_LENGTH,
    ReadChunk,
    iter_chunks,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_READ_LENGTH",
    "ReadChunk",
    "iter_chunks",
]
