import { describe, expect, it } from "vitest";
import { apiUrl, ENDPOINTS } from "./api";

describe("apiUrl", () => {
  it("fills path parameters and adds the query", () => {
    expect(apiUrl("getFusedResult", { set_id: 3 }, { config_id: 2 })).toBe(
      "/api/sample-sets/3/results?config_id=2",
    );
    expect(apiUrl("saveAnalysis", { set_id: 12 })).toBe("/api/sample-sets/12/analysis");
  });

  it("escapes values and refuses a missing parameter", () => {
    expect(apiUrl("getAnalysis", { set_id: "a/b" })).toBe("/api/sample-sets/a%2Fb/analysis");
    expect(() => apiUrl("getAnalysis", {})).toThrow("getAnalysis needs set_id");
  });

  it("names only API paths", () => {
    for (const endpoint of Object.values(ENDPOINTS)) expect(endpoint.path.startsWith("/api/")).toBe(true);
  });
});
