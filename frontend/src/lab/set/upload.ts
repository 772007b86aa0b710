/**
 * Resumable upload of one sample file: chunks are PUT with `Content-Range`, and after a dropped
 * connection or a server restart the upload asks the server how many bytes it kept
 * (`.../status`) and goes on from there, a few times with growing pauses, before giving up.
 * The last chunk makes the server check and record the file (the finish). When that failed
 * (the connection dropped, a 5xx) after every byte was kept, the resume has nothing to send:
 * it asks for the finish alone (`?offset=<size>`, an empty body), which the server answers
 * the same way however often it is asked. The upload ends only once the server says the file
 * is complete. XMLHttpRequest rather than fetch: only it reports the progress of a request body.
 */
import { ApiError, call, csrfToken, errorOfBody, operationUrl } from "../../api/client";
import type { UploadStatus } from "../../api/schema";

const CHUNK_BYTES = 8 * 1024 * 1024;
const RETRIES = 6;

export type Progress = (sentBytes: number, totalBytes: number, note: string) => void;

type Known = Pick<UploadStatus, "received" | "complete">;

/** How the upload talks to the server (a stand-in in the unit tests). */
export interface Transport {
  status(sampleId: number, number: 1 | 2): Promise<Known>;
  /** PUT `chunk` at `start` (`range`: its Content-Range; null for the finish, by offset). */
  put(
    sampleId: number,
    number: 1 | 2,
    chunk: Blob,
    start: number,
    range: string | null,
    onSent: (bytes: number) => void,
  ): Promise<Known>;
  pause(milliseconds: number): Promise<void>;
}

function putRequest(
  url: string,
  chunk: Blob,
  range: string | null,
  onSent: (bytes: number) => void,
): Promise<Known> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("x-csrftoken", csrfToken());
    if (range !== null) request.setRequestHeader("Content-Range", range);
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.addEventListener("progress", (event) => onSent(event.loaded));
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300)
        return resolve(JSON.parse(request.responseText) as Known);
      reject(errorOfBody(request.status, request.statusText, request.responseText));
    });
    request.addEventListener("error", () => reject(new ApiError("unreachable", "the connection dropped", 0)));
    request.addEventListener("abort", () => reject(new ApiError("aborted", "the upload was stopped", 0)));
    request.send(chunk);
  });
}

export const browserTransport: Transport = {
  status: (sampleId, number) => call("getUploadStatus", { path: { sample_id: sampleId, number } }),
  put: (sampleId, number, chunk, start, range, onSent) => {
    const path = { sample_id: sampleId, number };
    const url = operationUrl(
      "uploadSampleFile",
      range === null ? { path, query: { offset: start } } : { path },
    );
    return putRequest(url, chunk, range, onSent);
  },
  pause: (milliseconds) => new Promise((resolve) => window.setTimeout(resolve, milliseconds)),
};

/** Worth another try: the network or a server that is restarting, not a refusal of the file. */
function retriable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 409);
}

export async function uploadFile(
  sampleId: number,
  number: 1 | 2,
  file: File,
  progress: Progress,
  transport: Transport = browserTransport,
): Promise<void> {
  let failures = 0;
  let sent = 0;
  let resumedAt: number | null = null;
  const report = (bytes: number, note: string) => progress((sent = bytes), file.size, note);
  for (;;) {
    try {
      let known = await transport.status(sampleId, number);
      if (known.complete) return report(file.size, "received");
      let offset = known.received;
      if (offset > 0 && resumedAt === null) resumedAt = offset; // bytes kept from an earlier try
      while (offset < file.size) {
        const end = Math.min(offset + CHUNK_BYTES, file.size);
        const start = offset;
        if (failures > 0) resumedAt = start;
        const note = resumedAt === null ? "" : `resumed at ${resumedAt} bytes`;
        report(start, note);
        const range = `bytes ${start}-${end - 1}/${file.size}`;
        known = await transport.put(sampleId, number, file.slice(start, end), start, range, (bytes) =>
          report(start + bytes, note),
        );
        offset = end;
        failures = 0;
      }
      if (!known.complete) {
        report(file.size, "checking the file");
        known = await transport.put(sampleId, number, new Blob([]), file.size, null, () => undefined);
        if (!known.complete) throw new ApiError("not_finished", "the server did not finish the file", 503);
      }
      return report(file.size, resumedAt === null ? "received" : `received (resumed at ${resumedAt} bytes)`);
    } catch (error) {
      failures += 1;
      if (!retriable(error) || failures > RETRIES) throw error;
      report(sent, `connection lost, retrying (${failures}/${RETRIES})`);
      await transport.pause(Math.min(8000, 500 * 2 ** failures));
    }
  }
}
