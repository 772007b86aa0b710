"""`vidjil-local analyze`: clonotype reads files headlessly, write `.vidjil` and AIRR TSV.

Each INPUT is one sample; the clones are shared across samples (as in a Vidjil comparison).
With `--paired`, the INPUTs are taken two by two, R1 then R2 of each sample, and the mates of
each pair are merged into one read before the analysis:

    vidjil-local analyze S1_R1.fastq.gz S1_R2.fastq.gz --paired -o out/
    vidjil-local analyze S1_R1.fq.gz S1_R2.fq.gz S2_R1.fq.gz S2_R2.fq.gz --paired -o out/

Progress goes to standard error when it is a terminal; the summary goes to standard output.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from vidjil_local.core.detection import DEFAULT_EVALUE, DEFAULT_WINDOW_LENGTH
from vidjil_local.core.kmers import SEED_SPAN
from vidjil_local.core.result import AnalysisResult, SampleResult
from vidjil_local.core.spikes import DNA_CELLS, LimitOfDetection
from vidjil_local.errors import UsageError
from vidjil_local.germline import load_germline
from vidjil_local.pipeline import (
    AnalysisOptions,
    MergeOptions,
    SampleInput,
    analyze,
    default_processes,
)
from vidjil_local.pipeline.clone_reads import write_clone_reads
from vidjil_local.pipeline.spike_config import read_spike_file
from vidjil_local.pipeline.units import UNMERGED_CHOICES
from vidjil_local.results import write_airr, write_vidjil, write_window_counts

READ_SUFFIXES = (".gz", ".fastq", ".fq", ".fasta", ".fa", ".fna")
SUMMARY_CLONES = 10


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="clonotype FASTA/FASTQ files and write .vidjil and AIRR TSV results",
        description="Detect V(D)J recombinations in each INPUT (one sample each; with --paired, "
        "each R1 R2 pair of INPUTs is one sample whose mates are merged first), cluster them "
        "into clones, designate the top clones, and write OUTDIR/BASE.vidjil, OUTDIR/BASE.tsv "
        "and OUTDIR/BASE.windows.tsv.gz (the reads of every window, to count any clone later).",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", type=Path, help="reads file")
    _add_paired_arguments(parser)
    parser.add_argument(
        "-g",
        "--germline",
        default="human",
        help="germline preset and systems (default: human, every system of the bundled set: "
        "the seven loci and the incomplete IGH+ and TRA+D; e.g. human:IGH,TRG, or a path to a "
        ".g file)",
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        required=True,
        type=Path,
        metavar="OUTDIR",
        help="folder the result files are written to (made if missing)",
    )
    parser.add_argument("-b", "--base", help="output base name (default: the first INPUT's)")
    parser.add_argument(
        "-w",
        "--window",
        type=int,
        default=DEFAULT_WINDOW_LENGTH,
        help="window length around the junction, the clone identity "
        f"(default {DEFAULT_WINDOW_LENGTH})",
    )
    parser.add_argument(
        "-e",
        "--max-evalue",
        type=float,
        default=DEFAULT_EVALUE,
        help=f"largest e-value of the V and J k-mer hits of a read (default {DEFAULT_EVALUE:g})",
    )
    parser.add_argument(
        "-2",
        "--unexpected",
        action="store_true",
        help="also look for unexpected recombinations between the 5' genes of one system and "
        "the 3' genes of another (trans-locus, such as a TRBV with an IGKJ), reported as "
        'system "xxx" (as vidjil-algo -2)',
    )
    parser.add_argument(
        "--top", type=int, default=100, help="clones designated, per sample (default 100)"
    )
    parser.add_argument(
        "--min-reads",
        type=int,
        default=5,
        help="also keep clones beyond the top with at least this many reads (default 5)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="processes detecting reads: this one plus a pool of N - 1 "
        "(default: CPUs - 1, at least 1; 1 = no pool)",
    )
    parser.add_argument(
        "--clone-reads",
        action="store_true",
        help="also write OUTDIR/BASE.clones.fa: every read of the designated clones "
        "(a second pass over the inputs)",
    )
    parser.add_argument(
        "--spikes",
        type=Path,
        metavar="JSON",
        help="spike-ins added in known copies: a JSON list of {name, sequence, copies, family} "
        "(or Vidjil's --label-json file); they are set apart and give each sample's "
        "reads-to-cells factor (normalized_reads)",
    )
    parser.add_argument(
        "--dna-cells",
        type=int,
        default=DNA_CELLS,
        help=f"cells in the amplified DNA (default {DNA_CELLS:,}, 600 ng): the MRD estimate is "
        "copies / cells, and one cell bounds the limit of detection",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    parser.set_defaults(handler=run)


def _add_paired_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("paired-end reads (FLASH's option names and defaults)")
    group.add_argument(
        "--paired",
        action="store_true",
        help="INPUTs are pairs of files, R1 then R2 of each sample: merge the mates of each pair",
    )
    group.add_argument(
        "--min-overlap",
        type=int,
        default=MergeOptions.min_overlap,
        help=f"fewest overlapping bases to merge a pair (default {MergeOptions.min_overlap})",
    )
    group.add_argument(
        "--max-overlap",
        type=int,
        default=MergeOptions.max_overlap,
        help="cap of the overlap length over which the mismatch density is measured, "
        "as in FLASH (default 0: no cap)",
    )
    group.add_argument(
        "--max-mismatch-density",
        type=float,
        default=MergeOptions.max_mismatch_density,
        help="most mismatches per overlapping base "
        f"(default {MergeOptions.max_mismatch_density:g})",
    )
    group.add_argument(
        "--unmerged",
        choices=UNMERGED_CHOICES,
        default=MergeOptions.unmerged,
        help="what to analyse of a pair that cannot be merged: its R1 (default), both reads, "
        "or nothing",
    )


def run(args: argparse.Namespace) -> int:
    options = _options(args)
    inputs = _inputs(args)
    loaded = load_germline(args.germline)
    show_progress = not args.quiet and sys.stderr.isatty()
    bar = ProgressBar(sys.stderr) if show_progress else None
    started = time.monotonic()
    result = analyze(
        inputs,
        loaded.germline_set,
        options,
        progress=bar.update if bar is not None else None,
        germline_label=loaded.provenance,
    )
    if bar is not None:
        bar.close()
    elapsed = time.monotonic() - started
    args.output_dir.mkdir(parents=True, exist_ok=True)
    base = args.base or base_name(args.inputs[0])
    write_vidjil(result, args.output_dir / f"{base}.vidjil")
    write_airr(result, args.output_dir / f"{base}.tsv")
    write_window_counts(result, args.output_dir / f"{base}.windows.tsv.gz")
    if args.clone_reads:
        output = args.output_dir / f"{base}.clones.fa"
        detection = options.detection
        written = write_clone_reads(
            inputs, loaded.germline_set, detection, result, output, options.merging
        )
        if not args.quiet:
            print(f"{written} reads of the designated clones written to {output}")
    if not args.quiet:
        print_summary(result, elapsed, sys.stdout)
    return 0


def _options(args: argparse.Namespace) -> AnalysisOptions:
    if args.window < SEED_SPAN:
        raise UsageError(f"--window must be at least {SEED_SPAN}, not {args.window}")
    if args.top < 0 or args.min_reads < 1:
        raise UsageError("--top must be >= 0 and --min-reads >= 1")
    if args.max_evalue <= 0:
        raise UsageError("--max-evalue must be positive")
    processes = default_processes() if args.processes is None else args.processes
    if processes < 1:
        raise UsageError(f"--processes must be at least 1, not {processes}")
    try:
        merging = MergeOptions(
            args.min_overlap, args.max_overlap, args.max_mismatch_density, args.unmerged
        )
    except ValueError as error:
        raise UsageError(f"paired-end options: {error}") from None
    if args.dna_cells < 1:
        raise UsageError(f"--dna-cells must be at least 1, not {args.dna_cells}")
    return AnalysisOptions(
        window_length=args.window,
        max_evalue=args.max_evalue,
        top=args.top,
        min_reads=args.min_reads,
        unexpected=args.unexpected,
        processes=processes,
        command_line=shlex.join(["vidjil-local", *sys.argv[1:]]),
        merging=merging,
        spikes=read_spike_file(args.spikes) if args.spikes is not None else (),
        dna_cells=args.dna_cells,
    )


def _inputs(args: argparse.Namespace) -> list[SampleInput]:
    """The samples: each INPUT, or with --paired each (R1, R2) of the INPUTs in order."""
    paths: list[Path] = list(args.inputs)
    if not args.paired:
        return list(paths)
    if len(paths) % 2:
        raise UsageError(f"--paired takes R1 R2 files two by two: {len(paths)} INPUTs given")
    pairs: list[SampleInput] = []
    for first, second in zip(paths[0::2], paths[1::2], strict=True):
        if first.resolve() == second.resolve():
            raise UsageError(f"--paired: {first} is given as both R1 and R2")
        pairs.append((first, second))
    return pairs


def base_name(path: Path) -> str:
    """`reads.fastq.gz` -> `reads`."""
    name = path.name
    while True:
        for suffix in READ_SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
        else:
            return name


class ProgressBar:
    """A one-line terminal bar, redrawn at most ten times a second."""

    width = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.last_drawn = 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last_drawn < 0.1 and done < total:
            return
        self.last_drawn = now
        fraction = done / total if total else 1.0
        filled = int(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        megabytes = done / 1e6
        self.stream.write(
            f"\r[{bar}] {fraction:6.1%} {megabytes:8.1f} MB {now - self.started:6.1f} s"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def print_summary(result: AnalysisResult, elapsed: float, out: TextIO) -> None:
    reads = sum(sample.total_reads for sample in result.samples)
    speed = reads / elapsed if elapsed > 0 else 0.0
    print(f"analysed {reads} reads in {elapsed:.1f} s ({speed:,.0f} reads/s)", file=out)
    for number, sample in enumerate(result.samples):
        total = sample.total_reads
        percent = 100.0 * sample.segmented_reads / total if total else 0.0
        print(f"sample {number + 1}: {sample.original_name}", file=out)
        if sample.merging is not None:
            merging = sample.merging
            share = 100.0 * merging.merged / merging.pairs if merging.pairs else 0.0
            print(f"  pairs: {merging.pairs}, merged: {merging.merged} ({share:.2f}%)", file=out)
            for reason, count in merging.unmerged().items():
                print(f"    not merged, {reason}: {count}", file=out)
        print(f"  reads: {total}", file=out)
        print(f"  segmented: {sample.segmented_reads} ({percent:.2f}%)", file=out)
        for locus, count in sample.reads_per_locus.items():
            print(f"    {locus}: {count} ({100.0 * count / total:.2f}%)", file=out)
        for reason, count in sample.unsegmented.items():
            print(f"  not segmented, {reason}: {count}", file=out)
        print_measures(sample, out)
    best = " (rank: the best in any sample)" if len(result.samples) > 1 else ""
    print(f"clones: {len(result.clones)}; top {SUMMARY_CLONES}{best}:", file=out)
    print(clones_header(len(result.samples)), file=out)
    for clone in result.clones[:SUMMARY_CLONES]:
        counts = " ".join(str(count) for count in clone.reads)
        junction = clone.designation.junction_aa if clone.designation is not None else ""
        name = clone.name or clone.clone_id
        identity = f"V {clone.v_identity.percent:5.1f}%" if clone.v_identity else " " * 8
        line = f"  #{clone.top:<3} {clone.locus:5} {counts:>10}  {identity} {junction:24} {name}"
        print(line, file=out)


def clones_header(samples: int) -> str:
    """Column names of the top clones' lines; a clone's rank is its best in any sample."""
    reads = "reads" if samples == 1 else f"reads 1..{samples}"
    return f"  {'rank':4} {'locus':5} {reads:>10}  {'V ident.':8} {'CDR3 (aa)':24} designation"


def limit_reads_text(limit: LimitOfDetection) -> str:
    """The limit in reads and why, as the viewer's read statistics say it: "4.2 reads, one cell
    of the amplified DNA" or "3 reads, the fewest counted: ..." (it said "3.0 reads (3 reads)")."""
    reads = f"{limit.reads:.0f}" if limit.reads.is_integer() else f"{limit.reads:.1f}"
    if limit.basis == "one cell":
        return f"{reads} reads, one cell of the amplified DNA"
    return f"{reads} reads, the fewest counted: one cell of the amplified DNA is fewer"


def print_measures(sample: SampleResult, out: TextIO) -> None:
    """Diversity, spike-ins, limit of detection and warnings of one sample."""
    if sample.diversity is not None:
        found = sample.diversity
        indices = f"H {found.shannon:.3f}, E {found.equitability:.3f}, Ds {found.simpson:.4f}"
        print(f"  diversity: {indices} ({found.clones} clones)", file=out)
    if sample.spike_reads:
        print(f"  spike-in reads: {sum(sample.spike_reads.values())}", file=out)
    factor = sample.normalization
    if factor is not None:
        print(f"  copies per read (spike-ins): {factor.coefficient:.4g}, r2 {factor.r2}", file=out)
    limit = sample.limit_of_detection
    if limit is not None:
        print(f"  limit of detection: {limit_reads_text(limit)}", file=out)
    for warning in sample.warnings:
        print(f"  {warning.code}: {warning.message}", file=out)
