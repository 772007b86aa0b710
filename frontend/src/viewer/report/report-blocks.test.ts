import { describe, expect, it } from "vitest";
import { analysedBy } from "./report-blocks";

describe("analysedBy", () => {
  it("names the programs that analysed the samples, not the fuse that combined them", () => {
    const fused = {
      producer: "vidjil-local 0.1.0 fuse -t 100",
      samples: [{ producer: "vidjil-local 0.1.0" }, { producer: "vidjil-local 0.1.0" }],
    };
    expect(analysedBy(fused)).toBe("vidjil-local 0.1.0");
  });

  it("lists each program once when samples come from several", () => {
    const mixed = {
      producer: "vidjil-local 0.1.0 fuse -t 100",
      samples: [{ producer: "vidjil-local 0.1.0" }, { producer: "vidjil-algo 2024.02" }],
    };
    expect(analysedBy(mixed)).toBe("vidjil-local 0.1.0; vidjil-algo 2024.02");
  });

  it("falls back to the file's producer when samples name none", () => {
    expect(analysedBy({ producer: "vidjil-algo 2024.02", samples: [{ producer: "" }] })).toBe(
      "vidjil-algo 2024.02",
    );
  });
});
