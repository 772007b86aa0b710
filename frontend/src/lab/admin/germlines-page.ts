/** Germline sets: the bundled one and those imported from a zipped Vidjil germline folder. */
import { call, operationUrl, send } from "../../api/client";
import { h } from "../../ui/dom";
import { busy, button, confirmDialog, field, input, MessageBox } from "../widgets";
import { adminPage } from "./frame";

interface GermlineSet {
  name: string;
  bundled: boolean;
  loci: string[];
  genes: Record<string, number>;
  provenance: string;
  warnings: string[];
}

export const germlinesPage = adminPage("germlines", "Germline sets", (content, _session, alive) => {
  const messages = new MessageBox();
  const list = h("div", {});
  const refresh = async () => {
    try {
      const sets = (await call("listGermlines")) as unknown as GermlineSet[];
      if (!alive()) return;
      list.replaceChildren(
        h(
          "table",
          { class: "lab-table" },
          h(
            "thead",
            {},
            h("tr", {}, ...["Name", "Loci (alleles)", "Origin", ""].map((text) => h("th", {}, text))),
          ),
          h(
            "tbody",
            {},
            ...sets.map((set) =>
              h(
                "tr",
                { "data-germline": set.name },
                h("td", {}, set.name, set.bundled ? h("span", { class: "badge" }, "bundled") : null),
                h("td", {}, set.loci.map((locus) => `${locus} (${set.genes[locus] ?? 0})`).join(", ")),
                h(
                  "td",
                  {},
                  set.provenance,
                  ...set.warnings.map((warning) => h("div", { class: "job-error" }, warning)),
                ),
                h(
                  "td",
                  {},
                  set.bundled
                    ? null
                    : button(
                        "Delete",
                        () =>
                          void (async () => {
                            if (!(await confirmDialog(`Delete the germline set ${set.name}?`, "Delete")))
                              return;
                            try {
                              await call("deleteGermline", { path: { name: set.name } });
                              messages.show("notice", `Deleted ${set.name}.`);
                              void refresh();
                            } catch (error) {
                              messages.error(error);
                            }
                          })(),
                        { class: "danger" },
                      ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  };
  const name = input("name", { required: true });
  const archive = input("archive", { type: "file", accept: ".zip,application/zip", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Import");
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": "Import a germline set" },
    h(
      "div",
      { class: "form-row" },
      field("Name", name),
      field("Zipped germline folder", archive, "A Vidjil germline folder: its .g preset and FASTA files."),
    ),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = archive.files?.[0];
    if (!file) return messages.show("error", "Choose a .zip file.");
    void busy(submit, async () => {
      try {
        // The archive goes as the raw body, not as JSON.
        await send(operationUrl("importGermline", { query: { name: name.value } }), {
          method: "POST",
          headers: { "Content-Type": "application/zip" },
          body: file,
        });
        messages.show("notice", `Imported ${name.value}.`);
        form.reset();
        await refresh();
      } catch (error) {
        messages.error(error);
      }
    });
  });
  content.append(messages.element, list, h("h2", {}, "Import"), form);
  void refresh();
});
