/**
 * Paired-end files matched by name, as labs name them: the R1 and R2 of a sample have the same
 * name once their mark is taken out. The mark is the last `R1`/`R2`, `read1`/`read2` or `1`/`2`
 * of the name (before its `.fastq`, `.fq`, `.fasta`, `.fa` and `.gz` endings) standing between
 * separators (`_`, `-`, `.`) or ending the name: `PAT12-diag_S3_L001_R1_001.fastq.gz`,
 * `x_1.fq.gz`, `x.R1.fastq`, `x-r2.fq`, `x_read1.fq`. `R1` pairs with `R2`, `read1` with `read2`,
 * `1` with `2` (not `1` with `R2`). The sample is named from the common part (Illumina's `_001`
 * chunk number after the mark left out: `PAT12-diag_S3_L001`); each file keeps its own name on
 * the server too. A file without a mark, without its mate, or one of two R1 (or R2) of
 * the same name is refused with the reason; the others pair. Two files without any mark make
 * one pair in name order, R1 first, as the form always did.
 */

export interface Named {
  /** The file's name, without its folder. */
  readonly name: string;
}

export interface MatePair<T extends Named> {
  /** The sample's name: the names' common part, with R1's endings (`x.fastq.gz`). */
  readonly sampleName: string;
  readonly r1: T;
  readonly r2: T;
}

export interface RefusedFile<T extends Named> {
  readonly file: T;
  readonly reason: string;
}

export interface Pairing<T extends Named> {
  /** In name order (the samples' order in the set). */
  readonly pairs: MatePair<T>[];
  readonly refused: RefusedFile<T>[];
}

/** What the name of a marked file says. */
export interface Mark {
  /** The same for both mates: the name with the mark's place kept and its style (`R` or not). */
  readonly key: string;
  readonly mate: 1 | 2;
  /** The common part: the name without the mark and its endings. */
  readonly common: string;
  /** The endings (`.fastq.gz`), kept for the sample's name. */
  readonly endings: string;
  /** The mate's file name (for messages). */
  readonly mateName: string;
}

const ENDINGS = /(\.(fastq|fq|fasta|fa))?(\.gz)?$/i;
const MARK = /[._-](r|read)?([12])(?=[._-]|$)/gi;
const ILLUMINA_CHUNK = /^_001$/;

export function readMark(fileName: string): Mark | null {
  const endings = ENDINGS.exec(fileName)?.[0] ?? "";
  const stem = fileName.slice(0, fileName.length - endings.length);
  const last = [...stem.matchAll(MARK)].at(-1);
  if (last === undefined) return null;
  const [token, letter = "", digit] = last;
  const start = last.index;
  const before = stem.slice(0, start);
  const after = stem.slice(start + token.length);
  const separator = token[0] ?? "_";
  const mate = digit === "1" ? 1 : 2;
  const common = before + (ILLUMINA_CHUNK.test(after) ? "" : after);
  return {
    key: `${before}${separator}${letter.toUpperCase()}#${after}`,
    mate,
    common: common || stem,
    endings,
    mateName: `${before}${separator}${letter}${mate === 1 ? "2" : "1"}${after}${endings}`,
  };
}

function markRules(): string {
  return "R1/R2 files need a mark such as _R1_001, _R1, .R1, _read1, _1 ending the name (before .fastq/.fq/.gz)";
}

function describe(files: readonly Named[]): string {
  return files.map((file) => file.name).join(", ");
}

/** Pairs `files` by name; `folderOf` keeps files of different folders apart. */
export function pairByName<T extends Named>(
  files: readonly T[],
  folderOf: (file: T) => string = () => "",
): Pairing<T> {
  const unmarked = files.filter((file) => readMark(file.name) === null);
  if (unmarked.length === 2 && files.length === 2) return pairInNameOrder(unmarked);
  const refused: RefusedFile<T>[] = unmarked.map((file) => ({
    file,
    reason: `no R1/R2 mark in its name (${markRules()})`,
  }));
  const groups = new Map<string, { mark: Mark; file: T }[]>();
  for (const file of files) {
    const mark = readMark(file.name);
    if (mark === null) continue;
    const key = `${folderOf(file)}/${mark.key}`;
    groups.set(key, [...(groups.get(key) ?? []), { mark, file }]);
  }
  const pairs: MatePair<T>[] = [];
  for (const group of groups.values()) {
    const r1 = group.filter((item) => item.mark.mate === 1);
    const r2 = group.filter((item) => item.mark.mate === 2);
    const [first] = r1;
    const [second] = r2;
    if (first !== undefined && second !== undefined && r1.length === 1 && r2.length === 1) {
      pairs.push({ sampleName: first.mark.common + first.mark.endings, r1: first.file, r2: second.file });
    } else {
      refused.push(...group.map((item) => ({ file: item.file, reason: groupProblem(item, r1, r2) })));
    }
  }
  pairs.sort((a, b) => a.sampleName.localeCompare(b.sampleName) || a.r1.name.localeCompare(b.r1.name));
  refused.sort((a, b) => a.file.name.localeCompare(b.file.name));
  return { pairs, refused };
}

function groupProblem<T extends Named>(
  item: { mark: Mark; file: T },
  r1: readonly { file: T }[],
  r2: readonly { file: T }[],
): string {
  const same = item.mark.mate === 1 ? r1 : r2;
  const mates = item.mark.mate === 1 ? r2 : r1;
  const which = `R${item.mark.mate}`;
  if (same.length > 1) {
    return `${same.length} files are the ${which} of ${item.mark.common} (${describe(same.map((x) => x.file))}): keep one`;
  }
  if (mates.length > 1) {
    return `its mate is ambiguous (${describe(mates.map((x) => x.file))}): keep one`;
  }
  return `no mate found (expected ${item.mark.mateName} with it)`;
}

function pairInNameOrder<T extends Named>(files: readonly T[]): Pairing<T> {
  const [r1, r2] = [...files].sort((a, b) => a.name.localeCompare(b.name));
  if (r1 === undefined || r2 === undefined) return { pairs: [], refused: [] };
  return { pairs: [{ sampleName: r1.name, r1, r2 }], refused: [] };
}

/** The names a sample keeps of its files: the R1's (or the only file's) and the R2's. */
export interface SampleFiles {
  readonly original_name1: string;
  readonly original_name2: string | null;
}

/** The files chosen to resume, in the order of `numbers` (1: R1 or the only file, 2: R2), when
 * they are the sample's by their own names; else null. */
export function resumeOrder<T extends Named>(
  sample: SampleFiles,
  numbers: readonly (1 | 2)[],
  chosen: readonly T[],
): T[] | null {
  if (chosen.length !== numbers.length) return null;
  const nameOf = (number: 1 | 2) => (number === 1 ? sample.original_name1 : sample.original_name2);
  const ordered: T[] = [];
  for (const number of numbers) {
    const file = chosen.find(
      (candidate) => !ordered.includes(candidate) && candidate.name === nameOf(number),
    );
    if (file === undefined) return null;
    ordered.push(file);
  }
  return ordered;
}
