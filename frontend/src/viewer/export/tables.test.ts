import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emptyAnalysis, renamed } from "../../model/analysis";
import { buildEntries } from "../../model/entries";
import { parseVidjil } from "../../model/vidjil";
import { clonesAirr, clonesCsv, clonesFasta, csvCell, readStatisticsCsv } from "./tables";

const result = parseVidjil(
  readFileSync(new URL("../../../../tests/data/vidjil/two-samples-mrd.vidjil", import.meta.url), "utf8"),
);
const entries = buildEntries(result, emptyAnalysis());
const pick = (...ids: string[]) => entries.filter((entry) => ids.includes(entry.id));

describe("exports", () => {
  it("writes AIRR rows per clone and sample with 1-based closed positions", () => {
    const [header, ...rows] = clonesAirr(pick("igh-dominant", "igh-5"), result).trimEnd().split("\n");
    const fields = header!.split("\t");
    const records = rows.map((row) =>
      Object.fromEntries(row.split("\t").map((value, i) => [fields[i], value])),
    );
    // igh-5 is absent at diagnosis: no row for it there.
    expect(records.map((record) => `${record.clone_id}:${record.duplicate_count}`)).toEqual([
      "igh-dominant:10000",
      "igh-dominant:80",
      "igh-5:400",
    ]);
    const first = records[0]!;
    expect([first.v_sequence_start, first.v_sequence_end, first.cdr3_start, first.cdr3_end]).toEqual([
      "1",
      "66",
      "61",
      "105",
    ]);
    expect(first.productive).toBe("T");
    expect(first.junction_aa).toBe("CAKPGYYGSGSYSFDYW");
  });

  it("gives AIRR's v_identity as a fraction and every equally likely gene in the calls", () => {
    const document = JSON.parse(
      readFileSync(new URL("../../../../tests/data/vidjil/two-samples-mrd.vidjil", import.meta.url), "utf8"),
    );
    const dominant = document.clones.find((clone: { id: string }) => clone.id === "igh-dominant");
    dominant.seg.v_identity = { val: 97.12, info: "IGHV3-23*01" };
    const measured = parseVidjil(JSON.stringify(document));
    const chosen = buildEntries(measured, emptyAnalysis()).filter((entry) =>
      ["igh-dominant", "igh-2"].includes(entry.id),
    );
    const [header, ...rows] = clonesAirr(chosen, measured).trimEnd().split("\n");
    const fields = header!.split("\t");
    const records = rows.map((row) =>
      Object.fromEntries(row.split("\t").map((value, i) => [fields[i], value])),
    );
    const identities = records.map((record) => `${record.clone_id}:${record.v_identity}`);
    expect(identities).toContain("igh-dominant:0.9712");
    expect(identities).toContain("igh-2:");
    const w69 = records.find((record) => record.clone_id === "igh-2")!;
    expect(w69.v_call).toBe("IGHV1-69*01,IGHV1-69D*01");
  });

  it("writes CSV with one column pair per sample, quoting commas", () => {
    const [header, first] = clonesCsv(pick("igh-dominant"), result).split("\n");
    expect(header).toContain("reads Diagnosis,percent Diagnosis,reads Day 35 MRD,percent Day 35 MRD");
    expect(first).toContain(",10000,20.00,80,0.1000");
    const named = buildEntries(result, renamed(emptyAnalysis(), "igh-dominant", 'Clone, "A"'));
    const line = clonesCsv(
      named.filter((entry) => entry.id === "igh-dominant"),
      result,
    ).split("\n")[1];
    expect(line?.startsWith('1,"Clone, ""A""",igh-dominant,')).toBe(true);
  });

  it("keeps names a spreadsheet would run as formulas as text", () => {
    const named = buildEntries(result, renamed(emptyAnalysis(), "igh-dominant", '=HYPERLINK("x")'));
    const line = clonesCsv(
      named.filter((entry) => entry.id === "igh-dominant"),
      result,
    ).split("\n")[1];
    expect(line?.startsWith(`1,"'=HYPERLINK(""x"")",igh-dominant,`)).toBe(true);
    expect(["@cmd", "+x", "-2+3", "\tx", "-1.5", "12", "name"].map(csvCell)).toEqual([
      "'@cmd",
      "'+x",
      "'-2+3",
      "'\tx",
      "-1.5",
      "12",
      "name",
    ]);
  });

  it("writes FASTA wrapped at 60 columns", () => {
    const lines = clonesFasta(pick("igh-dominant"), result, 0).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^>IGHV3-23\*01 .* \| igh-dominant \| IGH \| 20.0% in Diagnosis$/);
    expect(lines.slice(1).join("")).toBe(result.clones[0]!.sequence);
    expect(Math.max(...lines.slice(1).map((line) => line.length))).toBe(60);
  });
});

describe("read statistics export", () => {
  it("writes one row per sample with loci and unsegmented causes", () => {
    const [header, diagnosis, followUp] = readStatisticsCsv(result).trimEnd().split("\n");
    expect(header).toBe(
      "sample,file,date,total reads,segmented reads,percent segmented,IGH reads,IGK reads,TRB reads,TRG reads," +
        "not segmented: too short,not segmented: strand,not segmented: too few V/J,not segmented: only V/5'," +
        "not segmented: only J/3',not segmented: < delta_min,not segmented: ambiguous,not segmented: too short w",
    );
    expect(diagnosis).toBe(
      "Diagnosis,P042-diagnosis.fastq.gz,2026-01-12 08:00:00,52000,50000,96.15,30000,6000,2000,12000,310,95,980,420,150,25,12,8",
    );
    expect(followUp?.startsWith("Day 35 MRD,P042-day35-MRD.fastq.gz,")).toBe(true);
  });
});
