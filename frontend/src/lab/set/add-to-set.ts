/**
 * "Add to another set": a sample already uploaded joins one more patient, run or set (its files
 * and results are shared, not copied; the upload right is needed on both sets).
 */
import { call, messageOf } from "../../api/client";
import type { Sample } from "../../api/schema";
import { h } from "../../ui/dom";
import { setSearch } from "../set-search";
import { button, MessageBox } from "../widgets";
import type { SetContext } from "./context";

export function addToSetDialog(context: SetContext, sample: Sample): Promise<void> {
  return new Promise((resolve) => {
    const dialog = h("dialog", {
      class: "lab-dialog wide",
      "aria-label": `Add ${sample.original_name} to another set`,
    });
    const messages = new MessageBox();
    const close = () => {
      dialog.close();
      dialog.remove();
      resolve();
    };
    const search = setSearch(
      messages,
      (set) =>
        void call("addSampleToSet", { path: { sample_id: sample.id }, body: { set_id: set.id } })
          .then(() => {
            context.messages.show("notice", `${sample.original_name} is now also in ${set.label}.`);
            close();
          })
          .catch((error: unknown) => messages.show("error", messageOf(error))),
      { exclude: context.setId, action: "Add to this set", label: "Set to add the sample to" },
    );
    dialog.append(
      h("h2", {}, `Add ${sample.original_name} to another set`),
      h("p", { class: "muted" }, "The sample and its results are shared with that set, not copied."),
      search.element,
      messages.element,
      h("div", { class: "lab-actions" }, button("Close", close)),
    );
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close();
    });
    document.body.append(dialog);
    dialog.showModal();
    search.input.focus();
  });
}
