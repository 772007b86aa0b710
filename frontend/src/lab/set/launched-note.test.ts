import { describe, expect, it } from "vitest";
import { launchedNote } from "./analyses-panel";

describe("launchedNote", () => {
  it("counts the queued jobs in words", () => {
    expect(launchedNote(1)).toBe("1 analysis job queued.");
    expect(launchedNote(4)).toBe("4 analysis jobs queued.");
  });

  it("says why a launch may have queued nothing", () => {
    expect(launchedNote(0)).toMatch(/^Nothing to launch with this config: every ready sample/);
  });
});
