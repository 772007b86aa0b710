/**
 * The "Add samples" section of a set page: FASTQ files dropped or picked make one sample each, or
 * one R1/R2 pair, created in name order then uploaded side by side with their progress; or files
 * ticked in the network folder the server reads. Results made elsewhere come the same way (the
 * server makes one sample per sample of a Vidjil file).
 */
import { call } from "../../api/client";
import type { Sample } from "../../api/schema";
import { h } from "../../ui/dom";
import { field, input } from "../widgets";
import type { SetContext } from "./context";
import { networkPicker } from "./network-picker";
import type { UploadList } from "./upload-list";

const IMPORTABLE = ".fastq,.fq,.gz,.fasta,.fa,.vidjil,.json,.tsv,.txt";

export function addSamplesPanel(
  context: SetContext,
  uploads: UploadList,
  samplesChanged: () => void,
): HTMLElement {
  const { setId, messages } = context;
  const paired = input("paired", { type: "checkbox" });
  const samplingDate = input("sampling_date", { type: "date" });
  // Reads files, or results made elsewhere for the import config (a Vidjil file of several
  // samples makes one sample each, said in its upload row and in the samples table).
  const picker = input("files", { type: "file", multiple: true, accept: IMPORTABLE });
  picker.hidden = true;

  const createSample = (files: readonly File[]): Promise<Sample> =>
    call("createSample", {
      path: { set_id: setId },
      body: {
        original_name: files[0]?.name ?? "",
        original_name2: files[1]?.name ?? null,
        sampling_date: samplingDate.value || null,
      },
    });

  async function addFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    if (paired.checked && files.length !== 2) {
      return messages.show("error", "A paired sample needs exactly two files: R1 then R2.");
    }
    messages.clear();
    const ordered = [...files].sort((a, b) => a.name.localeCompare(b.name));
    const groups = paired.checked ? [ordered] : ordered.map((file) => [file]);
    // Samples are created one by one, in name order (their order in the set and its
    // time-course); then their files upload side by side.
    const created: (() => Promise<void>)[] = [];
    for (const group of groups) {
      const rows = uploads.add(group);
      try {
        const sample = await createSample(group);
        created.push(() => uploads.send(sample.id, group, [1, 2], rows));
      } catch (error) {
        uploads.fail(group, rows, error);
      }
    }
    samplesChanged();
    await Promise.all(created.map((upload) => upload()));
    samplesChanged();
  }

  picker.addEventListener(
    "change",
    () => void addFiles([...(picker.files ?? [])]).then(() => (picker.value = "")),
  );
  return h(
    "section",
    { class: "add-samples", "aria-labelledby": "add-title" },
    h("h2", { id: "add-title" }, "Add samples"),
    h(
      "div",
      { class: "form-row" },
      field("Sampling date", samplingDate),
      h("label", { class: "check" }, paired, " Paired-end: two files (R1, R2) make one sample"),
    ),
    dropZone(
      () => picker.click(),
      (files) => void addFiles(files),
    ),
    picker,
    uploads.element,
    networkPicker(
      setId,
      () => ({ paired: paired.checked, sampling_date: samplingDate.value || null }),
      messages,
      samplesChanged,
    ),
  );
}

/** Where files can be dropped; Enter, Space or a click opens the file picker instead. */
function dropZone(choose: () => void, dropped: (files: File[]) => void): HTMLElement {
  const zone = h(
    "div",
    {
      class: "drop-zone",
      tabindex: 0,
      role: "button",
      "aria-label": "Add FASTQ files or results to import: drop them here or press Enter to choose",
    },
    h("strong", {}, "Drop FASTQ files here"),
    h("span", {}, " (or results to import: .vidjil, AIRR, MiXCR) or press Enter / click to choose them"),
  );
  zone.addEventListener("click", choose);
  zone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose();
    }
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    dropped([...(event.dataTransfer?.files ?? [])]);
  });
  return zone;
}
