"""Derive the N-bases, long and tiny golden inputs from igh.fastq (deterministic; run once).

python3 make_derived.py   # writes n-bases, long and tiny .fastq next to this file
"""

import random
from pathlib import Path

HERE = Path(__file__).parent


def records(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text().splitlines()
    return [(lines[i][1:], lines[i + 1]) for i in range(0, len(lines), 4)]


def write(path: Path, reads: list[tuple[str, str]]) -> None:
    path.write_text(
        "".join(f"@{name}\n{sequence}\n+\n{'I' * len(sequence)}\n" for name, sequence in reads)
    )


def main() -> None:
    rng = random.Random(17)
    source = records(HERE / "igh.fastq")[:200]
    with_n = []
    for name, sequence in source:
        bases = list(sequence)
        for _ in range(rng.randint(1, 4)):  # 1-4 N anywhere, junction included
            bases[rng.randrange(len(bases))] = "N"
        with_n.append((name, "".join(bases)))
    write(HERE / "n-bases.fastq", with_n)
    long_reads = []
    for name, sequence in source[:40]:
        left = "".join(rng.choice("ACGT") for _ in range(rng.randint(500, 3000)))
        right = "".join(rng.choice("ACGT") for _ in range(rng.randint(500, 3000)))
        long_reads.append((name, left + sequence + right))
    write(HERE / "long.fastq", long_reads)
    tiny = []
    for name, sequence in source[:60]:
        length = rng.randint(1, 60)
        start = rng.randrange(len(sequence) - length + 1)
        tiny.append((name, sequence[start : start + length]))
    write(HERE / "tiny.fastq", tiny)


if __name__ == "__main__":
    main()
