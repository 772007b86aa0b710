import { describe, expect, it } from "vitest";
import { type Named, pairByName, readMark, resumeOrder } from "./pairing";

const files = (...names: string[]): Named[] => names.map((name) => ({ name }));

function summary(names: string[], folderOf?: (file: Named) => string) {
  const { pairs, refused } = pairByName(files(...names), folderOf);
  return {
    pairs: pairs.map((pair) => [pair.sampleName, pair.r1.name, pair.r2.name]),
    refused: refused.map((item) => item.file.name),
  };
}

describe("readMark", () => {
  it.each([
    ["PAT12-diag_S3_L001_R1_001.fastq.gz", 1, "PAT12-diag_S3_L001", ".fastq.gz"],
    ["PAT12-diag_S3_L001_R2_001.fastq.gz", 2, "PAT12-diag_S3_L001", ".fastq.gz"],
    ["x_1.fq.gz", 1, "x", ".fq.gz"],
    ["x_2.fq.gz", 2, "x", ".fq.gz"],
    ["x.R1.fastq", 1, "x", ".fastq"],
    ["x-r2.fq", 2, "x", ".fq"],
    ["sample_2_R1.fastq", 1, "sample_2", ".fastq"],
    ["run_R1_002.fastq.gz", 1, "run_002", ".fastq.gz"],
    ["reads_R2", 2, "reads", ""],
    ["P-1.R2.fasta.gz", 2, "P-1", ".fasta.gz"],
    ["PAT4_read1.fastq.gz", 1, "PAT4", ".fastq.gz"],
    ["PAT4.Read2.fq", 2, "PAT4", ".fq"],
  ])("%s is the R%i of %s", (name, mate, common, endings) => {
    expect(readMark(name)).toMatchObject({ mate, common, endings });
  });

  it.each(["x.fastq", "xR1.fastq", "x_R12.fq", "x_R3.fq", "L001.fq.gz", "x_R1x.fq", "x_S1.fq"])(
    "%s has no mark",
    (name) => expect(readMark(name)).toBeNull(),
  );

  it("names the mate expected", () => {
    expect(readMark("PAT12_S3_L001_R1_001.fastq.gz")?.mateName).toBe("PAT12_S3_L001_R2_001.fastq.gz");
    expect(readMark("x.r2.fq")?.mateName).toBe("x.r1.fq");
    expect(readMark("x_read1.fq")?.mateName).toBe("x_read2.fq");
  });
});

describe("pairByName", () => {
  it("pairs the R1 and R2 of several samples, in name order, whatever the order given", () => {
    const result = summary([
      "PAT2_2.fq.gz",
      "PAT12-diag_S3_L001_R2_001.fastq.gz",
      "PAT2_1.fq.gz",
      "PAT12-diag_S3_L001_R1_001.fastq.gz",
      "c.R2.fastq",
      "c.R1.fastq",
    ]);
    expect(result.pairs).toEqual([
      ["c.fastq", "c.R1.fastq", "c.R2.fastq"],
      [
        "PAT12-diag_S3_L001.fastq.gz",
        "PAT12-diag_S3_L001_R1_001.fastq.gz",
        "PAT12-diag_S3_L001_R2_001.fastq.gz",
      ],
      ["PAT2.fq.gz", "PAT2_1.fq.gz", "PAT2_2.fq.gz"],
    ]);
    expect(result.refused).toEqual([]);
  });

  it("the mark's case and endings may differ between mates, its style may not", () => {
    expect(summary(["x_r1.fq", "x_R2.fq.gz"]).pairs).toEqual([["x.fq", "x_r1.fq", "x_R2.fq.gz"]]);
    expect(summary(["x_1.fq", "x_R2.fq", "y.fq"])).toEqual({
      pairs: [],
      refused: ["x_1.fq", "x_R2.fq", "y.fq"],
    });
  });

  it("pairs read1 with read2 (as some sequencing centres name them), not with R2", () => {
    expect(summary(["PAT4_read2.fq.gz", "PAT4_Read1.fq.gz"]).pairs).toEqual([
      ["PAT4.fq.gz", "PAT4_Read1.fq.gz", "PAT4_read2.fq.gz"],
    ]);
    expect(summary(["x_read1.fq", "x_R2.fq", "y.fq"]).pairs).toEqual([]);
  });

  it("refuses a file without its mate, and one without a mark, saying why", () => {
    const { pairs, refused } = pairByName(files("a_R1.fq", "a_R2.fq", "b_R1.fq", "notes.fastq"));
    expect(pairs.map((pair) => pair.sampleName)).toEqual(["a.fq"]);
    expect(refused).toEqual([
      { file: { name: "b_R1.fq" }, reason: "no mate found (expected b_R2.fq with it)" },
      {
        file: { name: "notes.fastq" },
        reason: expect.stringMatching(/^no R1\/R2 mark in its name/),
      },
    ]);
  });

  it("refuses every file of a sample with two R1: which one is meant is not for us to guess", () => {
    const { pairs, refused } = pairByName(
      files("s_R1.fastq", "s_R1.fastq.gz", "s_R2.fastq", "t_R1.fq", "t_R2.fq"),
    );
    expect(pairs.map((pair) => pair.sampleName)).toEqual(["t.fq"]);
    expect(refused.map((item) => [item.file.name, item.reason])).toEqual([
      ["s_R1.fastq", "2 files are the R1 of s (s_R1.fastq, s_R1.fastq.gz): keep one"],
      ["s_R1.fastq.gz", "2 files are the R1 of s (s_R1.fastq, s_R1.fastq.gz): keep one"],
      ["s_R2.fastq", "its mate is ambiguous (s_R1.fastq, s_R1.fastq.gz): keep one"],
    ]);
  });

  it("refuses the same file dropped twice with its mate", () => {
    expect(summary(["d_R1.fq", "d_R1.fq", "d_R2.fq"])).toEqual({
      pairs: [],
      refused: ["d_R1.fq", "d_R1.fq", "d_R2.fq"],
    });
  });

  it("keeps Illumina lanes and chunks apart", () => {
    const result = summary(["s_L001_R1_001.fq", "s_L002_R1_001.fq", "s_L001_R2_001.fq", "s_L002_R2_001.fq"]);
    expect(result.pairs.map((pair) => pair[0])).toEqual(["s_L001.fq", "s_L002.fq"]);
    expect(summary(["s_R1_001.fq", "s_R2_002.fq"]).refused).toEqual(["s_R1_001.fq", "s_R2_002.fq"]);
  });

  it("two files without a mark make one pair in name order, as the form always did", () => {
    expect(summary(["follow-up.fastq.gz", "diagnosis.fastq.gz"]).pairs).toEqual([
      ["diagnosis.fastq.gz", "diagnosis.fastq.gz", "follow-up.fastq.gz"],
    ]);
    expect(summary(["a.fq", "b.fq", "c.fq"]).refused).toEqual(["a.fq", "b.fq", "c.fq"]);
    expect(summary(["a.fq", "b_R1.fq"]).refused).toEqual(["a.fq", "b_R1.fq"]);
    expect(summary(["only.fq"]).refused).toEqual(["only.fq"]);
  });

  it("does not pair files of different folders", () => {
    const folderOf = (file: Named & { folder?: string }) => file.folder ?? "";
    const picked = [
      { name: "x_R1.fq", folder: "run1" },
      { name: "x_R2.fq", folder: "run2" },
      { name: "y_R1.fq", folder: "run1" },
      { name: "y_R2.fq", folder: "run1" },
    ];
    const { pairs, refused } = pairByName(picked, folderOf);
    expect(pairs.map((pair) => pair.sampleName)).toEqual(["y.fq"]);
    expect(refused.map((item) => item.file.folder)).toEqual(["run1", "run2"]);
  });
});

describe("resumeOrder", () => {
  const pair = {
    original_name1: "PAT1_S1_L001_R1_001.fastq.gz",
    original_name2: "PAT1_S1_L001_R2_001.fastq.gz",
  };
  const r1 = { name: "PAT1_S1_L001_R1_001.fastq.gz" };
  const r2 = { name: "PAT1_S1_L001_R2_001.fastq.gz" };

  it("takes a pair's files by their own names, in the order asked", () => {
    expect(resumeOrder(pair, [1, 2], [r2, r1])).toEqual([r1, r2]);
    expect(resumeOrder(pair, [1], [r1])).toEqual([r1]);
    expect(resumeOrder(pair, [2], [r2])).toEqual([r2]);
  });

  it("refuses other files, or a count that is not the one missing", () => {
    expect(resumeOrder(pair, [1, 2], [r2, { name: "PAT2_S1_L001_R1_001.fastq.gz" }])).toBeNull();
    expect(resumeOrder(pair, [1, 2], [r2, r2])).toBeNull();
    expect(resumeOrder(pair, [2], [r1])).toBeNull();
    expect(resumeOrder(pair, [1, 2], [r1])).toBeNull();
    expect(resumeOrder(pair, [1], [{ name: "PAT1_S1_L001.fastq.gz" }])).toBeNull(); // the sample's name
  });

  it("takes a single sample's file by its name", () => {
    const single = { original_name1: "diagnosis.fastq.gz", original_name2: null };
    expect(resumeOrder(single, [1], [{ name: "diagnosis.fastq.gz" }])).toEqual([
      { name: "diagnosis.fastq.gz" },
    ]);
    expect(resumeOrder(single, [1], [{ name: "other.fastq.gz" }])).toBeNull();
  });
});
