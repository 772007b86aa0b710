import { describe, expect, it } from "vitest";
import { ApiError, errorOf, operationUrl } from "./client";

describe("operationUrl", () => {
  it("fills path parameters and leaves out empty query values", () => {
    const url = operationUrl("listSampleSets", {
      query: { kind: "patient", search: "", sort: "-id", limit: 25 },
    });
    expect(url).toBe("/api/sample-sets?kind=patient&sort=-id&limit=25");
    expect(operationUrl("getUploadStatus", { path: { sample_id: 3, number: 2 } })).toBe(
      "/api/samples/3/files/2/status",
    );
  });

  it("refuses a missing path parameter", () => {
    expect(() => operationUrl("getSampleSet", {})).toThrow("getSampleSet needs set_id");
  });
});

describe("errorOf", () => {
  it("reads the error envelope", async () => {
    const body = {
      error: { code: "account_locked", message: "this account is locked", details: {} },
      status: 403,
    };
    const error = await errorOf(new Response(JSON.stringify(body), { status: 403 }));
    expect(error).toBeInstanceOf(ApiError);
    expect([error.code, error.message, error.status]).toEqual([
      "account_locked",
      "this account is locked",
      403,
    ]);
  });

  it("says what it can of an answer that is not the envelope", async () => {
    const error = await errorOf(
      new Response("<html>proxy error</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    expect([error.code, error.message, error.status]).toEqual([
      "error",
      "the server answered 502 Bad Gateway",
      502,
    ]);
  });
});
