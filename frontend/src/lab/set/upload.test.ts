import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { type Transport, uploadFile } from "./upload";

/** A server in memory, as uploads.py keeps a file: the bytes of its part, complete once the
 * finish (the last byte, or the empty finish by offset) has checked and recorded it. The
 * requests listed in `failing` fail once each, in the ways a network or a server does. */
class Server implements Transport {
  bytes = 0;
  complete = false;
  requests: string[] = [];

  constructor(
    readonly size: number,
    readonly failing: Map<string, "drop" | "bytes-kept-no-finish" | "finished-answer-lost">,
  ) {}

  async status(): Promise<{ received: number; complete: boolean }> {
    this.requests.push("status");
    return { received: this.bytes, complete: this.complete };
  }

  async put(
    _id: number,
    _n: 1 | 2,
    chunk: Blob,
    start: number,
    range: string | null,
  ): Promise<{ received: number; complete: boolean }> {
    const name = range === null ? `finish@${start}` : `put@${start}`;
    this.requests.push(name);
    const failure = this.failing.get(name);
    this.failing.delete(name);
    if (failure === "drop") throw new ApiError("unreachable", "the connection dropped", 0);
    if (start !== this.bytes) throw new ApiError("conflict", "send from there", 409);
    if (this.complete) return { received: this.size, complete: true }; // a repeated finish
    this.bytes += chunk.size;
    if (failure === "bytes-kept-no-finish") throw new ApiError("error", "recording failed", 503);
    if (this.bytes === this.size) this.complete = true;
    if (failure === "finished-answer-lost") throw new ApiError("unreachable", "the connection dropped", 0);
    return { received: this.bytes, complete: this.complete };
  }

  async pause(): Promise<void> {}
}

const MB = 1024 * 1024;
const file = new File([new Uint8Array(20 * MB)], "diagnosis.fastq");
const last = `put@${16 * MB}`;

async function upload(server: Server): Promise<string[]> {
  const notes: string[] = [];
  await uploadFile(4, 1, file, (_sent, _total, note) => notes.push(note), server);
  return notes;
}

describe("uploadFile", () => {
  it("sends the chunks; the last one finishes", async () => {
    const server = new Server(file.size, new Map());
    await upload(server);
    expect(server.requests).toEqual(["status", "put@0", `put@${8 * MB}`, last]);
    expect(server.complete).toBe(true);
  });

  it("asks for the finish alone when the last chunk's bytes were kept but its finish failed", async () => {
    const server = new Server(file.size, new Map([[last, "bytes-kept-no-finish"]]));
    const notes = await upload(server);
    expect(server.complete).toBe(true);
    expect(server.requests.slice(-3)).toEqual([last, "status", `finish@${file.size}`]);
    expect(notes).toContain("checking the file");
  });

  it("asks again when the finish itself fails, until the server says complete", async () => {
    const failing = new Map([
      [last, "bytes-kept-no-finish" as const],
      [`finish@${file.size}`, "drop" as const],
    ]);
    const server = new Server(file.size, failing);
    await upload(server);
    expect(server.complete).toBe(true);
    expect(server.requests.filter((name) => name.startsWith("finish"))).toHaveLength(2);
  });

  it("a finish whose answer was lost is not sent again: the status says complete", async () => {
    const server = new Server(file.size, new Map([[last, "finished-answer-lost"]]));
    await upload(server);
    expect(server.requests.slice(-2)).toEqual([last, "status"]);
  });

  it("a dropped chunk is sent again from what the server kept", async () => {
    const server = new Server(file.size, new Map([[`put@${8 * MB}`, "drop"]]));
    const notes = await upload(server);
    expect(server.requests).toEqual(["status", "put@0", `put@${8 * MB}`, "status", `put@${8 * MB}`, last]);
    expect(notes.at(-1)).toBe(`received (resumed at ${8 * MB} bytes)`);
  });
});
