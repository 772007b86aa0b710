/**
 * Resumable upload of one sample file: chunks are PUT with `Content-Range`, and after a dropped
 * connection or a server restart the upload asks the server how many bytes it kept
 * (`.../status`) and goes on from there, a few times with growing pauses, before giving up.
 * XMLHttpRequest rather than fetch: only it reports the progress of a request body.
 */
import { ApiError, call, csrfToken, errorOfBody, operationUrl } from "../../api/client";

const CHUNK_BYTES = 8 * 1024 * 1024;
const RETRIES = 6;

export type Progress = (sentBytes: number, totalBytes: number, note: string) => void;

function putChunk(url: string, chunk: Blob, range: string, onSent: (bytes: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("x-csrftoken", csrfToken());
    request.setRequestHeader("Content-Range", range);
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.addEventListener("progress", (event) => onSent(event.loaded));
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) return resolve();
      reject(errorOfBody(request.status, request.statusText, request.responseText));
    });
    request.addEventListener("error", () => reject(new ApiError("unreachable", "the connection dropped", 0)));
    request.addEventListener("abort", () => reject(new ApiError("aborted", "the upload was stopped", 0)));
    request.send(chunk);
  });
}

/** Worth another try: the network or a server that is restarting, not a refusal of the file. */
function retriable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 409);
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => window.setTimeout(resolve, milliseconds));
}

export async function uploadFile(
  sampleId: number,
  number: 1 | 2,
  file: File,
  progress: Progress,
): Promise<void> {
  const path = { sample_id: sampleId, number };
  const url = operationUrl("uploadSampleFile", { path });
  let failures = 0;
  let sent = 0;
  let resumedAt: number | null = null;
  const report = (bytes: number, note: string) => progress((sent = bytes), file.size, note);
  for (;;) {
    try {
      const status = await call("getUploadStatus", { path });
      if (status.complete) return report(file.size, "received");
      let offset = status.received;
      if (offset > 0 && resumedAt === null) resumedAt = offset; // bytes kept from an earlier try
      while (offset < file.size) {
        const end = Math.min(offset + CHUNK_BYTES, file.size);
        const start = offset;
        if (failures > 0) resumedAt = start;
        const note = resumedAt === null ? "" : `resumed at ${resumedAt} bytes`;
        report(start, note);
        await putChunk(url, file.slice(start, end), `bytes ${start}-${end - 1}/${file.size}`, (bytes) =>
          report(start + bytes, note),
        );
        offset = end;
        failures = 0;
      }
      return report(file.size, resumedAt === null ? "received" : `received (resumed at ${resumedAt} bytes)`);
    } catch (error) {
      failures += 1;
      if (!retriable(error) || failures > RETRIES) throw error;
      report(sent, `connection lost, retrying (${failures}/${RETRIES})`);
      await pause(Math.min(8000, 500 * 2 ** failures));
    }
  }
}
