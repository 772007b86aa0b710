import { describe, expect, it } from "vitest";
import { resultAnalysis, tagged } from "./analysis";
import { analysisDocument, parseAnalysis } from "./analysis-file";
import { parseVidjil } from "./vidjil";

// What a Vidjil user wrote into a .vidjil: a name, tags (a number, a number in a string, one
// our client does not know), a cluster of two clones.
const file = JSON.stringify({
  vidjil_json_version: "2016b",
  samples: { number: 1, original_names: ["diagnosis.fastq"] },
  reads: { total: [1000], segmented: [900], germline: { IGH: [900] } },
  clones: [
    { id: "lead", germline: "IGH", reads: [500], name: "leukemic clone", tag: 0 },
    { id: "sub", germline: "IGH", reads: [20], tag: "1" },
    { id: "odd", germline: "IGH", reads: [10], tag: 99 },
  ],
  clusters: [["lead", "sub"]],
});

describe("names, tags and clusters a .vidjil gives its clones", () => {
  const result = parseVidjil(file);

  it("start the viewer's layer, as Vidjil shows them", () => {
    const analysis = resultAnalysis(result);
    expect(result.clones[0]!.name).toBe("leukemic clone");
    expect([...analysis.tags]).toEqual([
      ["lead", 0],
      ["sub", 1],
    ]);
    expect(analysis.clusters).toEqual([["lead", "sub"]]);
  });

  it("stay when the analysis says nothing of them (none saved yet)", () => {
    const unsaved = parseAnalysis(JSON.stringify({ samples: { order: [] }, tags: {} }), result);
    expect(unsaved.tags.get("lead")).toBe(0);
    expect(unsaved.clusters).toEqual([["lead", "sub"]]);
  });

  it("give way to a saved analysis: a tag the user removed stays removed", () => {
    const edited = tagged(resultAnalysis(result), ["lead"], null);
    const saved = JSON.stringify(analysisDocument({ ...edited, clusters: [] }, result));
    const reopened = parseAnalysis(saved, result);
    expect([...reopened.tags]).toEqual([["sub", 1]]);
    expect(reopened.clusters).toEqual([]);
  });
});
