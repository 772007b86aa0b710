/**
 * The samples table of a set: editable sampling dates, the reads files to download, resume of a
 * cut upload, adding a sample to another set, delete.
 */
import { call, operationUrl } from "../../api/client";
import type { Sample } from "../../api/schema";
import { h } from "../../ui/dom";
import { button, formatBytes, formatDate, input, type MessageBox } from "../widgets";
import { downloadLink } from "./jobs-view";

/** The sampling date, editable in place: follow-up samples each have their own. */
function samplingDateInput(sample: Sample, messages: MessageBox): HTMLInputElement {
  const date = input("sampling_date", {
    type: "date",
    "aria-label": `Sampling date of ${sample.original_name}`,
  });
  date.value = sample.sampling_date ?? "";
  date.addEventListener(
    "change",
    () =>
      void call("updateSample", { path: { sample_id: sample.id }, body: { sampling_date: date.value } })
        .then(() => messages.show("notice", `Sampling date of ${sample.original_name} saved.`))
        .catch((error: unknown) => messages.error(error)),
  );
  return date;
}

/** Files still expected for a sample: none once received, or for a network sample. */
export function missingFiles(sample: Sample): (1 | 2)[] {
  if (sample.network || sample.status === "deleted") return [];
  const missing: (1 | 2)[] = sample.received ? [] : [1];
  if (sample.paired && !sample.received2) missing.push(2);
  return missing;
}

/** The reads file(s) as uploaded, to download (a deleted sample has none left). */
function fileLinks(sample: Sample): (HTMLElement | null)[] {
  const link = (number: 1 | 2, name: string) =>
    downloadLink(
      operationUrl("downloadSampleFile", { path: { sample_id: sample.id, number } }),
      sample.paired ? `R${number}` : "reads",
      `Download ${name}`,
    );
  if (sample.status === "deleted") return [];
  return [
    sample.received ? link(1, sample.original_name1) : null,
    sample.paired && sample.received2 ? link(2, sample.original_name2 ?? "R2") : null,
  ];
}

/** What the user may do to a sample here: absent, the button is not offered (no right). */
export interface SampleActions {
  /** Sending a file again (`upload`). */
  resume?(sample: Sample): void;
  /** Into another set (`upload`). */
  addToSet?(sample: Sample): void;
  /** Delete, and change the sampling date (`admin`). */
  remove?(sample: Sample): void;
}

export function samplesTable(samples: Sample[], messages: MessageBox, actions: SampleActions): HTMLElement {
  if (samples.length === 0) return h("p", { class: "empty" }, "No sample yet: add FASTQ files below.");
  return h(
    "table",
    { class: "lab-table samples-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Sample", "Sampling date", "Status", "Size", "Added", ""].map((text) => h("th", {}, text)),
      ),
    ),
    h(
      "tbody",
      {},
      ...samples.map((sample) =>
        h(
          "tr",
          { "data-sample": sample.id },
          h(
            "td",
            {},
            sample.original_name,
            // A pair's files as the sequencer named them (run, lane, index), under the sample's name.
            sample.paired
              ? h(
                  "div",
                  { class: "muted files" },
                  h("div", {}, `R1: ${sample.original_name1}`),
                  h("div", {}, `R2: ${sample.original_name2 ?? ""}`),
                )
              : null,
            sample.network ? h("div", { class: "muted" }, "network folder") : null,
          ),
          h("td", {}, actions.remove ? samplingDateInput(sample, messages) : (sample.sampling_date ?? "")),
          h(
            "td",
            {},
            h("span", { class: `status status-${sample.status}` }, sample.status),
            sample.status_message ? h("div", { class: "muted" }, sample.status_message) : null,
          ),
          h("td", {}, formatBytes(sample.size + (sample.size2 ?? 0))),
          h("td", {}, formatDate(sample.created_at)),
          h(
            "td",
            { class: "row-actions" },
            ...fileLinks(sample),
            missingFiles(sample).length > 0 && actions.resume
              ? // A refused file was removed: the lab sends a corrected one, from its start.
                button(sample.status === "invalid" ? "Upload again" : "Resume upload", () =>
                  actions.resume?.(sample),
                )
              : null,
            sample.status === "deleted" || !actions.addToSet
              ? null
              : button("Add to another set", () => actions.addToSet?.(sample)),
            sample.status === "deleted" || !actions.remove
              ? null
              : button("Delete", () => actions.remove?.(sample), { class: "danger" }),
          ),
        ),
      ),
    ),
  );
}
