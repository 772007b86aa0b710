/**
 * The "Add samples" section of a set page: FASTQ files dropped or picked make one sample each, or
 * in paired mode one per R1/R2 pair matched by name (`pairing.ts`, shown before anything is
 * sent), created in name order then uploaded side by side with their progress; or files
 * ticked in the network folder the server reads. Results made elsewhere come the same way (the
 * server makes one sample per sample of a Vidjil file).
 */
import { call } from "../../api/client";
import type { Sample } from "../../api/schema";
import { h } from "../../ui/dom";
import { button, field, input } from "../widgets";
import type { SetContext } from "./context";
import { networkPicker } from "./network-picker";
import { pairByName } from "./pairing";
import { pairsPreview } from "./pairs-preview";
import type { UploadList } from "./upload-list";

const IMPORTABLE = ".fastq,.fq,.gz,.fasta,.fa,.vidjil,.json,.tsv,.txt";

interface NamedFiles {
  name: string;
  files: readonly File[];
}

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
  const previewSlot = h("div", { class: "preview-slot" });
  paired.addEventListener("change", () => previewSlot.replaceChildren());

  const createSample = (name: string, files: readonly File[]): Promise<Sample> =>
    call("createSample", {
      path: { set_id: setId },
      body: {
        original_name: name,
        // A pair keeps its R1's own name when the sample is named otherwise.
        original_name1: files[1] ? (files[0]?.name ?? null) : null,
        original_name2: files[1]?.name ?? null,
        sampling_date: samplingDate.value || null,
      },
    });

  // Samples are created one by one, in name order (their order in the set and its
  // time-course); then their files upload side by side.
  async function uploadSamples(samples: readonly NamedFiles[]): Promise<void> {
    const created: (() => Promise<void>)[] = [];
    for (const { name, files } of samples) {
      const rows = uploads.add(files);
      try {
        const sample = await createSample(name, files);
        created.push(() => uploads.send(sample.id, files, [1, 2], rows));
      } catch (error) {
        uploads.fail(files, rows, error);
      }
    }
    samplesChanged();
    await Promise.all(created.map((upload) => upload()));
    samplesChanged();
  }

  // Paired mode: the files are matched by name and shown first; nothing is sent before the
  // lab confirms, and the files left out stay listed (failed rows) with the reason.
  function previewPairs(files: readonly File[]): void {
    const pairing = pairByName(files);
    const preview = pairsPreview(pairing, "not uploaded");
    const count = pairing.pairs.length;
    const upload = button(
      `Upload ${count} paired sample${count === 1 ? "" : "s"}`,
      () => {
        const chosen = preview.chosen();
        if (typeof chosen === "string") return messages.show("error", chosen);
        previewSlot.replaceChildren();
        for (const { file, reason } of pairing.refused)
          uploads.add([file])[0]?.fail(`not uploaded: ${reason}`);
        if (pairing.refused.length) {
          const names = pairing.refused.map((item) => item.file.name).join(", ");
          messages.show("error", `Not uploaded (no sure R1/R2 pair): ${names}. See the reasons below.`);
        }
        void uploadSamples(chosen.map((pair) => ({ name: pair.name, files: [pair.r1, pair.r2] })));
      },
      { class: "primary", disabled: count === 0 },
    );
    const cancel = button("Cancel", () => previewSlot.replaceChildren());
    preview.element.append(h("div", { class: "form-row" }, upload, cancel));
    previewSlot.replaceChildren(preview.element);
    (count ? upload : cancel).focus(); // Enter sends what the preview shows
  }

  async function addFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    messages.clear();
    if (paired.checked) return previewPairs(files);
    const ordered = [...files].sort((a, b) => a.name.localeCompare(b.name));
    await uploadSamples(ordered.map((file) => ({ name: file.name, files: [file] })));
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
      h(
        "label",
        { class: "check" },
        paired,
        " Paired-end: R1 and R2 files matched by name, one sample per pair",
      ),
    ),
    dropZone(
      () => picker.click(),
      (files) => void addFiles(files),
    ),
    picker,
    previewSlot,
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
