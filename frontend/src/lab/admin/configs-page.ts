/**
 * Analysis configs: the list, a form to create or edit one (options as JSON), and who may use
 * each: every user, or only the members of chosen groups (Vidjil's per-group configs;
 * administrators always see every config).
 */
import { call } from "../../api/client";
import type { Config, GroupSummary } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, button, confirmDialog, field, input, MessageBox } from "../widgets";
import { adminPage } from "./frame";

function configForm(
  existing: Config | null,
  germlines: string[],
  messages: MessageBox,
  done: () => void,
): HTMLElement {
  const name = input("name", { required: true });
  const germline = h("select", { name: "germline" });
  for (const set of new Set([...germlines, existing?.germline ?? "human"])) {
    germline.append(h("option", { value: set }, set));
  }
  const description = input("description");
  const classification = input("classification");
  const options = h("textarea", { name: "options", rows: 3, class: "mono" });
  name.value = existing?.name ?? "";
  germline.value = existing?.germline ?? "human";
  description.value = existing?.description ?? "";
  classification.value = existing?.classification ?? "";
  options.value = JSON.stringify(existing?.options ?? {}, null, 1);
  const spikes = spikeFileInput(options, messages);
  const submit = h(
    "button",
    { type: "submit", class: "primary" },
    existing ? `Save ${existing.name}` : "Create the config",
  );
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": existing ? `Edit ${existing.name}` : "New config" },
    h(
      "div",
      { class: "form-row" },
      field("Name", name),
      field("Germline", germline),
      field("Description", description),
      field("Classification", classification),
    ),
    field("Options (JSON)", options, 'For example {"top": 100, "min_reads": 1}.'),
    field(
      "Spike-ins file",
      spikes,
      'A JSON list of {name, sequence, copies, family}, or Vidjil\'s label file: put in the options as "spikes", checked when saved.',
    ),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(submit, async () => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(options.value || "{}") as Record<string, unknown>;
      } catch (error) {
        return messages.show("error", `The options are not valid JSON: ${(error as Error).message}`);
      }
      const body = {
        name: name.value,
        germline: germline.value,
        description: description.value,
        classification: classification.value,
        options: parsed,
      };
      try {
        if (existing) await call("updateConfig", { path: { config_id: existing.id }, body });
        else await call("createConfig", { body });
        messages.show("notice", `Saved the config ${name.value}.`);
        done();
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return form;
}

function offeredTo(config: Config, groups: Map<number, string>): string {
  if (config.everyone) return "every user";
  if (config.group_ids.length === 0) return "administrators only";
  return config.group_ids.map((id) => groups.get(id) ?? `group ${id}`).join(", ");
}

function offerForm(
  config: Config,
  groups: GroupSummary[],
  messages: MessageBox,
  done: () => void,
): HTMLElement {
  const everyone = h("input", { type: "radio", name: "offer", value: "everyone", checked: config.everyone });
  const some = h("input", { type: "radio", name: "offer", value: "groups", checked: !config.everyone });
  const boxes = groups
    .filter((group) => group.personal_user_id === null)
    .map(
      (group) =>
        [
          group,
          h("input", { type: "checkbox", value: group.id, checked: config.group_ids.includes(group.id) }),
        ] as const,
    );
  const submit = h("button", { type: "submit", class: "primary" }, `Save who may use ${config.name}`);
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": `Who may use ${config.name}` },
    h("label", { class: "check" }, everyone, " Every user"),
    h("label", { class: "check" }, some, " Only the members of these groups:"),
    h(
      "fieldset",
      { class: "group-choices" },
      h("legend", {}, "Groups"),
      ...boxes.map(([group, box]) => h("label", { class: "check" }, box, ` ${group.name}`)),
    ),
    submit,
  );
  for (const [, box] of boxes) box.addEventListener("change", () => (some.checked = true));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(submit, async () => {
      try {
        const groupIds = boxes.filter(([, box]) => box.checked).map(([group]) => group.id);
        await call("offerConfig", {
          path: { config_id: config.id },
          body: { everyone: everyone.checked, group_ids: everyone.checked ? [] : groupIds },
        });
        messages.show("notice", `Saved who may use ${config.name}.`);
        done();
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return form;
}

/** A file input putting the spike-ins of a JSON file into the options' `spikes`. */
function spikeFileInput(options: HTMLTextAreaElement, messages: MessageBox): HTMLInputElement {
  const picker = h("input", { type: "file", name: "spikes", accept: ".json,application/json" });
  picker.addEventListener("change", () => {
    const file = picker.files?.[0];
    if (!file) return;
    void file.text().then((text) => {
      try {
        const current = JSON.parse(options.value || "{}") as Record<string, unknown>;
        options.value = JSON.stringify({ ...current, spikes: JSON.parse(text) as unknown }, null, 1);
        messages.show("notice", `Spike-ins of ${file.name} put in the options: save to check them.`);
      } catch (error) {
        messages.show("error", `${file.name} or the options are not valid JSON: ${(error as Error).message}`);
      }
    });
  });
  return picker;
}

export const configsPage = adminPage("configs", "Analysis configs", (content, _session, alive) => {
  const messages = new MessageBox();
  const list = h("div", {});
  const formSlot = h("div", {});
  let germlines: string[] = [];
  let groups: GroupSummary[] = [];
  const showOffer = (config: Config) => {
    formSlot.replaceChildren(
      h("h2", {}, `Who may use ${config.name}`),
      offerForm(config, groups, messages, () => void refresh()),
    );
    formSlot.querySelector("input")?.focus();
  };
  call("listGermlines")
    .then((sets) => (germlines = sets.map((set) => String(set.name))))
    .catch((error: unknown) => messages.error(error));
  const showForm = (config: Config | null) => {
    formSlot.replaceChildren(
      h("h2", {}, config ? `Edit ${config.name}` : "New config"),
      configForm(config, germlines, messages, () => void refresh()),
    );
    formSlot.querySelector("input")?.focus();
  };
  const refresh = async () => {
    try {
      const [configs, allGroups] = await Promise.all([call("listConfigs"), call("listGroups")]);
      if (!alive()) return;
      groups = allGroups;
      const groupNames = new Map(allGroups.map((group) => [group.id, group.name]));
      formSlot.replaceChildren();
      list.replaceChildren(
        h(
          "table",
          { class: "lab-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["Name", "Germline", "Options", "Description", "Offered to", ""].map((text) =>
                h("th", {}, text),
              ),
            ),
          ),
          h(
            "tbody",
            {},
            ...configs.map((config) =>
              h(
                "tr",
                { "data-config": config.name },
                h("td", {}, config.name),
                h("td", {}, config.germline),
                h("td", { class: "mono options" }, JSON.stringify(config.options)),
                h("td", {}, config.description),
                h("td", { class: config.everyone ? null : "restricted" }, offeredTo(config, groupNames)),
                h(
                  "td",
                  { class: "row-actions" },
                  button("Edit", () => showForm(config)),
                  button("Groups", () => showOffer(config), { "aria-label": `Who may use ${config.name}` }),
                  button(
                    "Delete",
                    () =>
                      void (async () => {
                        if (!(await confirmDialog(`Delete the analysis config ${config.name}?`, "Delete")))
                          return;
                        try {
                          await call("deleteConfig", { path: { config_id: config.id } });
                          messages.show("notice", `Deleted ${config.name}.`);
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
  content.append(
    h(
      "div",
      { class: "lab-toolbar" },
      button("New config", () => showForm(null), { class: "primary" }),
    ),
    messages.element,
    list,
    formSlot,
  );
  void refresh();
});
