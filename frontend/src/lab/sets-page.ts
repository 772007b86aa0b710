/**
 * The patients, runs and other sets lists (`#/patients`, `#/runs`, `#/sets`): search box (words,
 * `-word` excludes, `#tag`), sort, paging, a create form, edit, delete after confirmation, and a
 * batch paste of rows copied from a spreadsheet, as in Vidjil.
 */
import { call } from "../api/client";
import type { SampleSetCreate } from "../api/schema";
import type { Page } from "../router";
import { h } from "../ui/dom";
import { shell } from "./layout";
import { signedIn } from "./session";
import { busy, button, confirmDialog, field, formatDate, input, MessageBox } from "./widgets";

type Kind = "patient" | "run" | "generic";
type SetRow = Record<string, unknown> & { id: number };

interface KindView {
  title: string;
  singular: string;
  fields: readonly (readonly [string, string, string])[]; // name, label, input type
  columns: readonly (readonly [string, string])[]; // field, heading
  batchColumns: string;
}

const VIEWS: Record<Kind, KindView> = {
  patient: {
    title: "Patients",
    singular: "patient",
    fields: [
      ["id_label", "Patient id", "text"],
      ["first_name", "First name", "text"],
      ["last_name", "Last name", "text"],
      ["birth", "Birth date", "date"],
      ["info", "Information (#tags)", "text"],
    ],
    columns: [
      ["id_label", "Id"],
      ["name", "Name"],
      ["birth", "Birth"],
      ["info", "Information"],
      ["samples", "Samples"],
      ["created_at", "Created"],
    ],
    batchColumns: "id, first name, last name, birth date (YYYY-MM-DD), information",
  },
  run: {
    title: "Runs",
    singular: "run",
    fields: [
      ["id_label", "Run id", "text"],
      ["name", "Name", "text"],
      ["run_date", "Run date", "date"],
      ["sequencer", "Sequencer", "text"],
      ["pcr", "PCR", "text"],
      ["info", "Information (#tags)", "text"],
    ],
    columns: [
      ["id_label", "Id"],
      ["name", "Name"],
      ["run_date", "Run date"],
      ["info", "Information"],
      ["samples", "Samples"],
      ["created_at", "Created"],
    ],
    batchColumns: "id, name, run date (YYYY-MM-DD), information",
  },
  generic: {
    title: "Sets",
    singular: "set",
    fields: [
      ["name", "Name", "text"],
      ["info", "Information (#tags)", "text"],
    ],
    columns: [
      ["name", "Name"],
      ["info", "Information"],
      ["samples", "Samples"],
      ["created_at", "Created"],
    ],
    batchColumns: "name, information",
  },
};

const PAGE_SIZE = 25;
const SORTS = [
  ["-id", "Newest first"],
  ["id", "Oldest first"],
  ["name", "Name"],
  ["id_label", "Id"],
  ["-samples", "Most samples"],
  ["-updated_at", "Recently changed"],
] as const;

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

/** The create or edit form of one set; `done` runs after a successful save. */
function setForm(kind: Kind, existing: SetRow | null, done: () => void, cancel: () => void): HTMLFormElement {
  const view = VIEWS[kind];
  const messages = new MessageBox();
  const inputs = view.fields.map(([name, label, type]) => {
    const control = input(name, { type });
    if (existing) control.value = text(existing[name]);
    return [name, field(label, control), control] as const;
  });
  const submit = h(
    "button",
    { type: "submit", class: "primary" },
    existing ? "Save" : `Create the ${view.singular}`,
  );
  const form = h(
    "form",
    {
      class: "lab-form inline-form",
      "aria-label": existing ? `Edit ${view.singular}` : `New ${view.singular}`,
    },
    messages.element,
    h("div", { class: "form-row" }, ...inputs.map(([, wrapper]) => wrapper)),
    h("div", { class: "lab-actions" }, submit, button("Cancel", cancel)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Empty fields are sent as "" only when editing (clearing a value); a new set leaves them out.
    const values: Record<string, string> = {};
    for (const [name, , control] of inputs) {
      if (control.value !== "" || existing) values[name] = control.value;
    }
    const request = existing
      ? call("updateSampleSet", { path: { set_id: existing.id }, body: values })
      : call("createSampleSet", { body: { ...values, kind } as SampleSetCreate });
    void busy(submit, () => request.then(done, (error: unknown) => messages.error(error)));
  });
  return form;
}

function batchForm(kind: Kind, done: (count: number) => void, cancel: () => void): HTMLFormElement {
  const messages = new MessageBox();
  const rows = h("textarea", { name: "rows", rows: 6, class: "batch-rows" });
  const submit = h("button", { type: "submit", class: "primary" }, "Create these rows");
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": "Batch creation" },
    messages.element,
    field(
      "Rows pasted from a spreadsheet",
      rows,
      `One ${VIEWS[kind].singular} per line, columns separated by tabs: ${VIEWS[kind].batchColumns}.`,
    ),
    h("div", { class: "lab-actions" }, submit, button("Cancel", cancel)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(submit, () =>
      call("createSampleSetsBatch", { body: { kind, rows: rows.value } }).then(
        (created) => done(created.ids?.length ?? 0),
        (error: unknown) => messages.error(error),
      ),
    );
  });
  return form;
}

function setsPage(kind: Kind): Page {
  return (root) => {
    let alive = true;
    void signedIn(root).then((session) => {
      if (!session || !alive) return;
      const view = VIEWS[kind];
      const content = shell(root, session, view.title);
      const messages = new MessageBox();
      const search = input("search", {
        type: "search",
        placeholder: "words, -excluded, #tag",
        "aria-label": `Search ${view.title.toLowerCase()}`,
      });
      const sort = h("select", { name: "sort", "aria-label": "Sort" });
      for (const [value, label] of SORTS) sort.append(h("option", { value }, label));
      const formSlot = h("div", { class: "form-slot" });
      const listSlot = h("div", { class: "list-slot" });
      const pager = h("div", { class: "pager" });
      let offset = 0;

      const closeForm = () => formSlot.replaceChildren();
      const refresh = async (): Promise<void> => {
        try {
          const page = await call("listSampleSets", {
            query: { kind, search: search.value, sort: sort.value, limit: PAGE_SIZE, offset },
          });
          if (!alive) return;
          listSlot.replaceChildren(setsTable(kind, page.items as SetRow[], rowActions, searchTag));
          const last = Math.min(offset + PAGE_SIZE, page.total);
          pager.replaceChildren(
            h("span", {}, page.total === 0 ? "Nothing found" : `${offset + 1}-${last} of ${page.total}`),
            button("Previous", () => ((offset = Math.max(0, offset - PAGE_SIZE)), void refresh()), {
              disabled: offset === 0,
            }),
            button("Next", () => ((offset += PAGE_SIZE), void refresh()), { disabled: last >= page.total }),
          );
        } catch (error) {
          messages.error(error);
        }
      };
      const saved = (message: string) => () => {
        closeForm();
        messages.show("notice", message);
        void refresh();
      };
      // Edit and Delete need the admin right on the set: a colleague who reads it is not offered them.
      const rowActions = (row: SetRow): HTMLElement | null =>
        !Array.isArray(row.rights) || !row.rights.includes("admin")
          ? null
          : h(
              "span",
              { class: "row-actions" },
              button("Edit", () => {
                formSlot.replaceChildren(
                  setForm(kind, row, saved(`Saved ${text(row.name) || row.id}.`), closeForm),
                );
                formSlot.querySelector("input")?.focus();
              }),
              button(
                "Delete",
                () =>
                  void (async () => {
                    const name = text(row.name) || text(row.id_label) || `#${row.id}`;
                    const sure = await confirmDialog(
                      `Delete ${view.singular} ${name} and its links to samples? This cannot be undone here.`,
                      "Delete",
                    );
                    if (!sure) return;
                    try {
                      await call("deleteSampleSet", { path: { set_id: row.id } });
                      messages.show("notice", `Deleted ${name}.`);
                      void refresh();
                    } catch (error) {
                      messages.error(error);
                    }
                  })(),
                { class: "danger" },
              ),
            );

      const searchTag = (tag: string) => {
        search.value = tag;
        offset = 0;
        void refresh();
      };
      let typing = 0;
      search.addEventListener("input", () => {
        window.clearTimeout(typing);
        typing = window.setTimeout(() => ((offset = 0), void refresh()), 250);
      });
      sort.addEventListener("change", () => ((offset = 0), void refresh()));
      const toolbar = h(
        "div",
        { class: "lab-toolbar" },
        search,
        sort,
        button(
          `New ${view.singular}`,
          () => {
            formSlot.replaceChildren(setForm(kind, null, saved(`Created the ${view.singular}.`), closeForm));
            formSlot.querySelector("input")?.focus();
          },
          { class: "primary" },
        ),
        button("Batch paste", () => {
          formSlot.replaceChildren(
            batchForm(kind, (count) => saved(`Created ${count} ${view.title.toLowerCase()}.`)(), closeForm),
          );
          formSlot.querySelector("textarea")?.focus();
        }),
      );
      content.append(toolbar, messages.element, formSlot, listSlot, pager);
      void refresh();
    });
    return () => {
      alive = false;
    };
  };
}

/** Information text with its #tags as buttons that search for the tag, as Vidjil's tags do. */
function withTags(info: string, onTag: (tag: string) => void): (Node | string)[] {
  return info.split(/(#[\w-]+)/).map((part) => {
    if (!part.startsWith("#")) return part;
    const tag = h("button", { type: "button", class: "tag", title: `Show only ${part}` }, part);
    tag.addEventListener("click", () => onTag(part));
    return tag;
  });
}

function setsTable(
  kind: Kind,
  rows: SetRow[],
  actions: (row: SetRow) => HTMLElement | null,
  onTag: (tag: string) => void,
): HTMLElement {
  const view = VIEWS[kind];
  if (rows.length === 0) return h("p", { class: "empty" }, `No ${view.title.toLowerCase()} to show.`);
  return h(
    "table",
    { class: "lab-table sets-table" },
    h(
      "thead",
      {},
      h("tr", {}, ...view.columns.map(([, heading]) => h("th", { scope: "col" }, heading)), h("th", {}, "")),
    ),
    h(
      "tbody",
      {},
      ...rows.map((row) =>
        h(
          "tr",
          { "data-set": row.id },
          ...view.columns.map(([name], index) => {
            const value = name === "created_at" ? formatDate(text(row[name])) : text(row[name]);
            // The first column and the name link to the set's page, so Tab + Enter opens it.
            if (index === 0 || name === "name") {
              return h("td", {}, h("a", { href: `#/set?id=${row.id}` }, value || `#${row.id}`));
            }
            return h("td", {}, ...(name === "info" ? withTags(value, onTag) : [value]));
          }),
          h("td", {}, actions(row)),
        ),
      ),
    ),
  );
}

export const patientsPage = setsPage("patient");
export const runsPage = setsPage("run");
export const genericSetsPage = setsPage("generic");
