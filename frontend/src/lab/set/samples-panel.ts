/**
 * The "Samples" section of a set page: the samples table, redrawn on demand (after uploads and
 * while jobs are polled), with deletion, adding a sample to another set and the resume of an
 * upload cut off earlier.
 */
import { call } from "../../api/client";
import type { Sample } from "../../api/schema";
import { h } from "../../ui/dom";
import { confirmDialog, input } from "../widgets";
import { addToSetDialog } from "./add-to-set";
import { resumeOrder } from "./pairing";
import { may, type SetContext } from "./context";
import { missingFiles, samplesTable } from "./samples-view";
import type { UploadList } from "./upload-list";

export interface SamplesPanel {
  element: HTMLElement;
  refresh(): Promise<void>;
}

export function samplesPanel(context: SetContext, uploads: UploadList): SamplesPanel {
  const { setId, messages } = context;
  const slot = h("div", {});

  async function refresh(): Promise<void> {
    try {
      const samples = await call("listSetSamples", { path: { set_id: setId } });
      // Polling must not pull a date field from under the user's fingers.
      const editing =
        document.activeElement instanceof HTMLInputElement && slot.contains(document.activeElement);
      if (context.isOpen() && !editing) {
        slot.replaceChildren(
          samplesTable(samples, messages, {
            ...(may(context, "upload")
              ? { resume, addToSet: (sample: Sample) => void addToSetDialog(context, sample) }
              : {}),
            ...(may(context, "admin") ? { remove: (sample: Sample) => void remove(sample) } : {}),
          }),
        );
      }
    } catch (error) {
      messages.error(error);
    }
  }

  async function remove(sample: Sample): Promise<void> {
    if (!(await confirmDialog(`Delete the sample ${sample.original_name} and its files?`, "Delete"))) return;
    try {
      await call("deleteSample", { path: { sample_id: sample.id } });
      messages.show("notice", `Deleted ${sample.original_name}.`);
      void refresh();
    } catch (error) {
      messages.error(error);
    }
  }

  // An upload cut off earlier (closed page, lost network): the same file(s) picked again go on
  // from the bytes the server kept.
  function resume(sample: Sample): void {
    const numbers = missingFiles(sample);
    const names = numbers.map((number) =>
      number === 1 ? sample.original_name1 : (sample.original_name2 ?? ""),
    );
    const chooser = input("resume", { type: "file", multiple: numbers.length > 1 });
    chooser.addEventListener("change", () => {
      const chosen = resumeOrder(sample, numbers, [...(chooser.files ?? [])]);
      if (chosen === null) return messages.show("error", `To resume, choose ${names.join(" and ")} again.`);
      const rows = uploads.add(chosen);
      void uploads.send(sample.id, chosen, numbers, rows).then(refresh);
    });
    chooser.click();
  }

  const element = h(
    "section",
    { "aria-labelledby": "samples-title" },
    h("h2", { id: "samples-title" }, "Samples"),
    slot,
  );
  return { element, refresh };
}
