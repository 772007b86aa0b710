/**
 * Export / import between installs (Vidjil's migrator, `vidjil-local export` and `import` on a
 * page): export a group's sets or chosen patients, runs and sets (sequence files or not) to an
 * archive to download, with its fingerprint; upload an archive, read its manifest, map its
 * configs, give its sets to a group and import, or see why a damaged or changed archive is refused.
 */
import { call, operationUrl, send } from "../../api/client";
import type {
  ArchivedConfig,
  Config,
  ExportDone,
  GroupSummary,
  ImportDone,
  ImportPreview,
} from "../../api/schema";
import { h } from "../../ui/dom";
import { type FoundSet, kindName, setSearch } from "../set-search";
import { busy, button, field, formatBytes, formatDate, input, MessageBox, table } from "../widgets";
import { adminPage } from "./frame";

/** "1 set", "2 sets". */
function count(number: number, noun: string, plural = `${noun}s`): string {
  return `${String(number)} ${number === 1 ? noun : plural}`;
}

function groupSelect(name: string, groups: GroupSummary[]): HTMLSelectElement {
  return h(
    "select",
    { name },
    ...groups.map((group) => h("option", { value: String(group.id) }, group.name)),
  );
}

function exportSection(groups: GroupSummary[]): HTMLElement {
  const messages = new MessageBox();
  const chosen = new Map<number, FoundSet>();
  const byGroup = h("input", { type: "radio", name: "export_scope", value: "group", checked: true });
  const bySets = h("input", { type: "radio", name: "export_scope", value: "sets" });
  const group = groupSelect("export_group", groups);
  const chosenList = h("ul", { class: "chosen-sets", "aria-label": "Sets to export" });
  const drawChosen = () =>
    chosenList.replaceChildren(
      ...[...chosen.values()].map((set) =>
        h(
          "li",
          { "data-set": set.id },
          `${set.label} `,
          button("Remove", () => {
            chosen.delete(set.id);
            drawChosen();
          }),
        ),
      ),
    );
  const search = setSearch(
    messages,
    (set) => {
      chosen.set(set.id, set);
      bySets.checked = true;
      drawChosen();
    },
    { action: "Add", label: "Find patients, runs and sets to export" },
  );
  const sequences = h("input", { type: "checkbox", name: "with_sequences" });
  const submit = h("button", { type: "submit", class: "primary" }, "Export");
  const outcome = h("div", { class: "export-outcome", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "lab-form", "aria-label": "Export" },
    h(
      "fieldset",
      {},
      h("legend", {}, "What to export"),
      h("label", {}, byGroup, " Every set a group may read: "),
      group,
      h("br", {}),
      h("label", {}, bySets, " Chosen patients, runs and sets:"),
      search.element,
      chosenList,
    ),
    h(
      "label",
      {},
      sequences,
      " Include the sequence files (large; without them the results and analyses still open, and the samples wait for their reads)",
    ),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = byGroup.checked
      ? { group: group.value, with_sequences: sequences.checked }
      : { set_ids: [...chosen.keys()], with_sequences: sequences.checked };
    if (!byGroup.checked && chosen.size === 0)
      return messages.show("error", "Add at least one set to export.");
    messages.clear();
    outcome.replaceChildren();
    void busy(submit, async () => {
      try {
        outcome.replaceChildren(exported(await call("exportSets", { body })));
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return h(
    "section",
    { "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, "Export"),
    h(
      "p",
      {},
      "An archive holds the sets with their samples, results, fused results, saved analyses and audit rows; another vidjil-local imports it below (or with vidjil-local import).",
    ),
    form,
    messages.element,
    outcome,
  );
}

function exported(done: ExportDone): HTMLElement {
  const link = h(
    "a",
    {
      href: operationUrl("downloadExport", { path: { token: done.token } }),
      download: done.file_name,
      class: "button primary",
    },
    `Download ${done.file_name}`,
  );
  return h(
    "div",
    { class: "lab-message notice", role: "status" },
    h(
      "p",
      {},
      `Exported ${count(done.sets, "set")}, ${count(done.samples, "sample")} and ${count(done.results, "result")}: ` +
        `an archive of ${count(done.files, "file")}, ${formatBytes(done.size)}.`,
    ),
    h(
      "p",
      {},
      "Fingerprint (send it to the importer another way than the archive: a phone call, an e-mail): ",
      h("code", { class: "fingerprint" }, done.fingerprint),
    ),
    link,
  );
}

function configRow(config: ArchivedConfig, configs: Config[]): [HTMLElement, HTMLSelectElement] {
  const select = h(
    "select",
    { name: `config-${String(config.archived_id)}`, "aria-label": `Config here for ${config.name}` },
    h("option", { value: "" }, "choose a config…"),
    ...configs.map((here) =>
      h(
        "option",
        { value: String(here.id), selected: here.id === config.local_id },
        `${here.name} (${here.program}, ${here.germline})`,
      ),
    ),
  );
  return [h("span", {}, `${config.name} (${config.program}, ${config.germline})`), select];
}

function previewView(
  preview: ImportPreview,
  groups: GroupSummary[],
  configs: Config[],
  imported: (done: ImportDone) => void,
): HTMLElement {
  const messages = new MessageBox();
  const group = groupSelect("import_group", groups);
  const fingerprint = input("fingerprint", { placeholder: "optional: the fingerprint told by the exporter" });
  const rows = preview.configs.map((config) => configRow(config, configs));
  const submit = h("button", { type: "submit", class: "primary" }, "Import");
  const form = h(
    "form",
    { class: "lab-form", "aria-label": "Import the archive" },
    field("Group that gets the sets", group),
    rows.length
      ? table(
          ["Config in the archive", "Config here"],
          rows.map(([name, select]) => [name, select]),
          "Configs",
        )
      : h("p", { class: "empty" }, "The archive holds no result: no config to map."),
    field("Expected fingerprint", fingerprint, "Given, the import refuses any other archive."),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const mapping: Record<string, string> = {};
    preview.configs.forEach((config, index) => {
      const value = rows[index]?.[1].value;
      if (value) mapping[String(config.archived_id)] = value;
    });
    messages.clear();
    void busy(submit, async () => {
      try {
        const body = { group: group.value, configs: mapping, fingerprint: fingerprint.value.trim() || null };
        imported(await call("runImport", { path: { token: preview.token }, body }));
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return h(
    "div",
    { class: "import-preview" },
    h(
      "p",
      { class: "archive-manifest" },
      `Archive of ${preview.scope}, written ${formatDate(preview.created_at)} by vidjil-local ${preview.app_version}: ` +
        `${count(preview.sets.length, "set")}, ${count(preview.samples, "sample")}, ${count(preview.results, "result")}, ` +
        `${count(preview.analyses, "saved analysis", "saved analyses")}, ${count(preview.files, "file")} (${formatBytes(preview.size)} unpacked); ` +
        `sequence files ${preview.with_sequences ? "included" : "not included"}; ` +
        `users matched by e-mail: ${String(preview.users_matched)} of ${String(preview.users)}. Every file checked.`,
    ),
    h("p", {}, "Fingerprint: ", h("code", { class: "fingerprint" }, preview.fingerprint)),
    table(
      ["In the archive", "Samples"],
      preview.sets.map((set) => [`${kindName(set.kind)} ${set.label}`, String(set.samples)]),
      "Sets in the archive",
    ),
    form,
    messages.element,
  );
}

function importedView(done: ImportDone): HTMLElement {
  const links = Object.values(done.set_ids).map((id) =>
    h("li", {}, h("a", { href: `#/sets/${String(id)}` }, `set ${String(id)}`)),
  );
  return h(
    "div",
    { class: "lab-message notice import-outcome", role: "status" },
    h(
      "p",
      {},
      `Imported ${count(Object.keys(done.set_ids).length, "set")}, ${count(done.samples, "sample")}, ` +
        `${count(done.results, "result")} and ${count(done.analyses, "saved analysis", "saved analyses")} ` +
        `(${count(done.files, "file")}) for the group ${done.group_name}.`,
    ),
    h("ul", {}, ...links),
  );
}

function importSection(groups: GroupSummary[], configs: Config[]): HTMLElement {
  const messages = new MessageBox();
  const archive = input("archive", { type: "file", accept: ".zip,application/zip", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Check the archive");
  const step = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": "Upload an archive" },
    field("Archive (.zip)", archive, "Written by vidjil-local export or by the Export above."),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = archive.files?.[0];
    if (!file) return messages.show("error", "Choose a .zip archive.");
    messages.clear();
    step.replaceChildren();
    void busy(submit, async () => {
      try {
        // the archive goes as the raw body, streamed to disk by the server
        const response = await send(operationUrl("uploadImport"), {
          method: "POST",
          headers: { "Content-Type": "application/zip" },
          body: file,
        });
        const preview = (await response.json()) as ImportPreview;
        step.replaceChildren(
          previewView(preview, groups, configs, (done) => {
            step.replaceChildren(importedView(done));
            form.reset();
          }),
        );
      } catch (error) {
        messages.show(
          "error",
          `The archive is refused: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
  });
  return h(
    "section",
    { "aria-labelledby": "import-title" },
    h("h2", { id: "import-title" }, "Import"),
    h(
      "p",
      {},
      "The whole archive is checked before anything is written: a damaged or changed archive is refused and nothing is imported.",
    ),
    form,
    messages.element,
    step,
  );
}

export const exchangePage = adminPage("exchange", "Export / import", (content, _session, alive) => {
  const messages = new MessageBox();
  content.append(messages.element);
  Promise.all([call("listGroups"), call("listConfigs")])
    .then(([groups, configs]) => {
      if (!alive()) return;
      content.append(exportSection(groups), importSection(groups, configs));
    })
    .catch((error: unknown) => messages.error(error));
});
