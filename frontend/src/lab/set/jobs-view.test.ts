import { describe, expect, it } from "vitest";
import type { Job } from "../../api/schema";
import { resultsByConfig } from "./jobs-view";

function job(id: number, kind: string, status: string, finished: string | null, configId = 2): Job {
  return {
    id,
    kind,
    status,
    progress: status === "completed" ? 1 : 0,
    attempts: 1,
    cancel_requested: false,
    created_at: "2026-03-02T10:00:00",
    started_at: null,
    finished_at: finished,
    seconds: null,
    error: null,
    result: null,
    sample_id: kind === "analysis" ? id : null,
    sample_name: null,
    config_id: configId,
    config_name: "IGH",
    sample_set_id: 1,
    user_id: 1,
  };
}

describe("resultsByConfig", () => {
  it("waits for the fuse that follows the last analysis", () => {
    const analysesDone = [job(2, "analysis", "completed", "10:02"), job(1, "analysis", "completed", "10:01")];
    expect(resultsByConfig(analysesDone).get(2)).toEqual({ name: "IGH", fused: false, updating: true });
    const oldFuse = [job(3, "fuse", "completed", "10:01.5"), ...analysesDone];
    expect(resultsByConfig(oldFuse).get(2)).toEqual({ name: "IGH", fused: true, updating: true });
    const fresh = [job(4, "fuse", "completed", "10:03"), ...oldFuse];
    expect(resultsByConfig(fresh).get(2)).toEqual({ name: "IGH", fused: true, updating: false });
  });

  it("is updating while a job of the config runs, and ignores other kinds", () => {
    const jobs = [
      job(5, "analysis", "running", null),
      job(4, "fuse", "completed", "10:03"),
      job(9, "diagnostics", "completed", "10:04"),
    ];
    expect(resultsByConfig(jobs).get(2)?.updating).toBe(true);
    expect(resultsByConfig([job(9, "diagnostics", "completed", "10:04")]).size).toBe(0);
  });
});
