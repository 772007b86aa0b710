import { describe, expect, it } from "vitest";
import { unsegmentedNote } from "./read-stats";

describe("unsegmentedNote", () => {
  it("says every read was segmented rather than that a log is missing", () => {
    expect(unsegmentedNote(0)).toBe("Every read was segmented.");
  });

  it("counts the reads left unexplained", () => {
    expect(unsegmentedNote(1234)).toBe("Not segmented: 1,234 reads (this result's log gives no reasons).");
  });
});
