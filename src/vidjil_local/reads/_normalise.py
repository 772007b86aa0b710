"""How sequences are normalised: upper case, `U` read as `T`, anything else than ACGT as `N`.

IUPAC ambiguity codes, gaps and junk all become `N`: the clonotyping core only knows ACGTN.
"""

from __future__ import annotations

# (names, sequences, qualities): one batch of parsed records; qualities are the FASTQ quality
# lines as stored (Phred+33), an empty list for FASTA.
Batch = tuple[list[str], list[str], list[bytes]]


def _text_table() -> dict[int, str]:
    table = {code: "N" for code in range(128)}
    for base in "ACGT":
        table[ord(base)] = table[ord(base.lower())] = base
    table[ord("U")] = table[ord("u")] = "T"
    return table


# For `str.translate` on sequences that are already text (dnaio's records).
BASES_TEXT = _text_table()
# For `bytes.translate` on raw bytes, any byte value (non-ASCII too) included.
BASES_BYTES = bytes(ord(BASES_TEXT.get(code, "N")) for code in range(256))
# The same, keeping line breaks, to translate many sequences joined by `\n` at once.
BASES_BYTES_KEEPING_BREAKS = BASES_BYTES[:10] + b"\n" + BASES_BYTES[11:]
