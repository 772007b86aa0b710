import { describe, expect, it } from "vitest";
import {
  movedBlock,
  newReport,
  parseReportSave,
  reportSaveDocument,
  withBlock,
  withComment,
  withoutBlock,
  withReport,
} from "./report-model";

const DATE = "2026-03-04";

describe("report templates", () => {
  it("a follow-up report has the graph, the clones, the set's log and a comment", () => {
    const report = newReport("follow-up", { date: DATE, author: "Dr Who" });
    expect(report.name).toBe("Follow-up (MRD) 2026-03-04");
    expect(report.blocks.map((block) => block.blockType)).toEqual([
      "file_info",
      "patient_info",
      "samples",
      "reads_stats",
      "monitor",
      "clones",
      "log_db",
      "comment",
    ]);
    expect(new Set(report.blocks.map((block) => block.id)).size).toBe(report.blocks.length);
  });

  it("a diagnosis report is about one sample", () => {
    const report = newReport("diagnosis", { date: DATE, sample: "diagnosis.fastq.gz" });
    expect(report.sample).toBe("diagnosis.fastq.gz");
    expect(report.blocks.find((block) => block.blockType === "sample_info")?.sample).toBe(
      "diagnosis.fastq.gz",
    );
    expect(report.blocks.some((block) => block.blockType === "monitor")).toBe(false);
  });

  it("a full report has a sample information block per sample", () => {
    const samples = ["diagnosis.fastq.gz", "day-30.fastq.gz", "day-90.fastq.gz"];
    const report = newReport("full", { date: DATE, samples });
    const about = report.blocks.filter((block) => block.blockType === "sample_info");
    expect(about.map((block) => block.sample)).toEqual(samples);
    expect(report.blocks.map((block) => block.blockType)).toContain("log_db");
    const one = newReport("full", { date: DATE, samples, sample: "day-30.fastq.gz" });
    expect(one.blocks.filter((block) => block.blockType === "sample_info")).toHaveLength(1);
  });
});

describe("editing a report", () => {
  const report = newReport("follow-up", { date: DATE });
  const comment = report.blocks.find((block) => block.blockType === "comment")!;

  it("moves, removes and adds blocks without changing the original", () => {
    const moved = movedBlock(report, comment.id, -1);
    expect(moved.blocks.at(-2)?.id).toBe(comment.id);
    expect(movedBlock(report, report.blocks[0]!.id, -1)).toBe(report);
    expect(withoutBlock(report, comment.id).blocks).toHaveLength(report.blocks.length - 1);
    const added = withBlock(report, { blockType: "comment", text: "second" }, report.blocks[0]!.id);
    expect(added.blocks[0]).toMatchObject({ blockType: "comment", text: "second" });
    expect(added.blocks[0]!.id).toBeGreaterThan(Math.max(...report.blocks.map((block) => block.id)));
    expect(report.blocks[0]!.blockType).toBe("file_info");
  });

  it("keeps a comment's text", () => {
    const edited = withComment(report, comment.id, "MRD negative at 10^-4.");
    expect(edited.blocks.find((block) => block.id === comment.id)?.text).toBe("MRD negative at 10^-4.");
  });
});

describe("report_save in the .analysis", () => {
  it("survives a save and a reload", () => {
    let report = newReport("follow-up", { date: DATE, author: "Dr Who" });
    report = withBlock(report, {
      blockType: "plot",
      svg: "<svg><rect/></svg>",
      title: "Grid",
      caption: "V x J",
    });
    const saved = reportSaveDocument(withReport({}, report));
    const again = parseReportSave(JSON.parse(JSON.stringify(saved)));
    expect(Object.keys(again)).toEqual([report.name]);
    expect(again[report.name]).toEqual(report);
    expect(JSON.stringify(saved)).not.toContain('"id"');
  });

  it("leaves out what it cannot read, and plots that are not SVG", () => {
    const reports = parseReportSave({
      good: {
        template: "diagnosis",
        blocks: [{ blockType: "comment", text: "ok" }, { blockType: "nonsense" }],
      },
      "no blocks": { template: "full" },
      script: {
        blocks: [
          { blockType: "plot", svg: "<script>alert(1)</script>" },
          { blockType: "plot", svg: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>' },
        ],
      },
      odd: "a string",
    });
    expect(Object.keys(reports).sort()).toEqual(["good", "script"]);
    expect(reports.good!.blocks).toEqual([{ blockType: "comment", id: 1, text: "ok" }]);
    expect(reports.script!.blocks.map((block) => block.id)).toEqual([2]);
    expect(parseReportSave(null)).toEqual({});
    expect(parseReportSave([1, 2])).toEqual({});
  });
});
