import { describe, expect, it } from "vitest";
import { namesResult } from "./loader";

describe("namesResult", () => {
  it("is true for links to a result, which the front door opens in the viewer", () => {
    expect(namesResult("?vidjil=/data/a.vidjil")).toBe(true);
    expect(namesResult("?vidjil=/data/a.vidjil&analysis=/data/a.analysis")).toBe(true);
    expect(namesResult("?set=3&config=2")).toBe(true);
  });

  it("is false for the bare address and the launcher's note", () => {
    expect(namesResult("")).toBe(false);
    expect(namesResult("?launch=expired")).toBe(false);
  });
});
