/**
 * The progress list under "Add samples": one row per file being sent, for new samples and for
 * uploads resumed from the samples table alike.
 */
import { call, messageOf } from "../../api/client";
import { h } from "../../ui/dom";
import { formatBytes, type MessageBox, progressBar } from "../widgets";
import { uploadFile } from "./upload";

export interface UploadRow {
  element: HTMLElement;
  update(sent: number, total: number, note: string): void;
  /** What the server said of the received file (e.g. the samples a Vidjil file became). */
  said(message: string): void;
  fail(message: string): void;
}

function uploadRow(name: string): UploadRow {
  const bar = progressBar(0, `Upload of ${name}`);
  const note = h("span", { class: "upload-note" }, "waiting");
  const element = h("li", { class: "upload" }, h("span", { class: "upload-name" }, name), bar, note);
  return {
    element,
    update(sent, total, text) {
      const value = total === 0 ? 100 : Math.floor((sent / total) * 100);
      bar.value = value;
      note.textContent = `${value}% of ${formatBytes(total)}${text ? ` · ${text}` : ""}`;
    },
    said(message) {
      note.textContent = `${note.textContent ?? ""} · ${message}`;
    },
    fail(message) {
      element.classList.add("failed");
      note.textContent = message;
    },
  };
}

export class UploadList {
  readonly element = h("ul", { class: "uploads" });

  constructor(private readonly messages: MessageBox) {}

  /** Shows a waiting row for each file. */
  add(files: readonly File[]): UploadRow[] {
    const rows = files.map((file) => uploadRow(file.name));
    this.element.append(...rows.map((row) => row.element));
    return rows;
  }

  /** Marks the rows failed and says why above the page. */
  fail(files: readonly File[], rows: readonly UploadRow[], error: unknown): void {
    const message = messageOf(error);
    for (const row of rows) row.fail(`failed: ${message}`);
    // The server names the file (and its line) when the file itself is wrong: say it once.
    const named = files.some((file) => message.startsWith(`${file.name}:`));
    this.messages.show(
      "error",
      named ? message : `${files.map((file) => file.name).join(" + ")}: ${message}`,
    );
  }

  /** Sends the files of one sample in turn (`numbers[i]` is file i's number: 1, or 2 for R2). */
  async send(
    sampleId: number,
    files: readonly File[],
    numbers: readonly (1 | 2)[],
    rows: readonly UploadRow[],
  ): Promise<void> {
    try {
      for (const [index, file] of files.entries()) {
        await uploadFile(sampleId, numbers[index] ?? 1, file, (sent, total, note) =>
          rows[index]?.update(sent, total, note),
        );
      }
      // The file is in: what the server said of it is worth showing, not worth failing over.
      const sample = await call("getSample", { path: { sample_id: sampleId } }).catch(() => null);
      if (sample?.status_message) rows[0]?.said(sample.status_message);
    } catch (error) {
      this.fail(files, rows, error);
    }
  }
}
