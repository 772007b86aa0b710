/**
 * Every server setting, grouped by section, with its help text and an input fitting its type.
 * Saving one setting at a time shows the server's validation message beside it, and a notice when
 * the change only applies after a restart.
 */
import { call, messageOf } from "../../api/client";
import type { SettingView } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, MessageBox } from "../widgets";
import { adminPage } from "./frame";

function control(setting: SettingView): HTMLInputElement | HTMLSelectElement {
  const id = `setting-${setting.name}`;
  if (setting.type === "bool") {
    const select = h("select", { id, name: setting.name });
    for (const value of ["true", "false"])
      select.append(
        h("option", { value, selected: setting.value === value }, value === "true" ? "yes" : "no"),
      );
    return select;
  }
  const numeric = setting.type === "int" || setting.type === "float";
  const element = h("input", {
    id,
    name: setting.name,
    type: setting.secret ? "password" : numeric ? "number" : "text",
    step: setting.type === "float" ? "any" : numeric ? 1 : null,
    min: setting.minimum ?? null,
    autocomplete: setting.secret ? "new-password" : "off",
    placeholder: setting.type === "list" ? "comma-separated" : setting.secret ? "(unchanged)" : "",
  });
  if (!setting.secret) element.value = setting.value;
  return element;
}

/** One setting with its input, Save button and messages; `onSaved` runs after a change. */
export function settingRow(
  setting: SettingView,
  pageMessages: MessageBox,
  onSaved: () => void = () => undefined,
): HTMLElement {
  const input = control(setting);
  const message = new MessageBox();
  const save = h("button", { type: "button" }, "Save");
  const source = h("small", { class: "muted" }, `from ${setting.source}`);
  const restartNote = h(
    "small",
    { class: "restart-note", hidden: !setting.pending_restart },
    "restart needed",
  );
  save.addEventListener(
    "click",
    () =>
      void busy(save, async () => {
        message.clear();
        try {
          const changed = await call("changeSetting", {
            path: { name: setting.name },
            body: { value: input.value },
          });
          source.textContent = `from ${changed.setting.source}`;
          restartNote.hidden = !changed.restart_required && !changed.setting.pending_restart;
          message.show(
            "notice",
            changed.restart_required
              ? "Saved: applies after a restart of the server."
              : "Saved: applied now.",
          );
          if (changed.restart_required)
            pageMessages.show("notice", "Some changes need a restart of vidjil-local to apply.");
          onSaved();
        } catch (error) {
          message.show("error", messageOf(error));
        }
      }),
  );
  input.addEventListener("keydown", (event) => {
    if ((event as KeyboardEvent).key === "Enter") save.click();
  });
  return h(
    "div",
    { class: "setting", "data-setting": setting.name },
    h(
      "div",
      { class: "setting-label" },
      h("label", { for: input.id }, setting.name),
      h(
        "small",
        {},
        setting.type,
        setting.restart ? " · read at start" : "",
        " · default ",
        setting.default || "(empty)",
      ),
      source,
      restartNote,
    ),
    h("div", { class: "setting-input" }, input, save, message.element),
    h("p", { class: "help", id: `${input.id}-help` }, setting.help),
  );
}

/** Where the secret settings are kept: the OS keyring, or files (named), and why. */
function secretStoreNote(): HTMLElement {
  const note = h("p", { class: "secret-store muted", "aria-live": "polite" });
  call("getSecretStore")
    .then((store) => {
      const where =
        store.kind === "keyring"
          ? `the OS keyring (${store.backend}), ${store.location}`
          : `files: ${store.location}`;
      note.replaceChildren(
        h("strong", {}, "Where secrets are kept: "),
        `${where}. `,
        h("span", {}, `(${store.reason}.)`),
        " Secrets are never written to settings.toml.",
      );
    })
    .catch(() => note.remove());
  return note;
}

export const settingsPage = adminPage("settings", "Settings", (content) => {
  const messages = new MessageBox();
  content.append(
    h(
      "p",
      { class: "muted" },
      "Saved to settings.toml in the data folder. Environment variables and command-line options take precedence.",
    ),
    secretStoreNote(),
    messages.element,
  );
  call("listSettings")
    .then((settings) => {
      const sections = new Map<string, SettingView[]>();
      for (const setting of settings)
        sections.set(setting.section, [...(sections.get(setting.section) ?? []), setting]);
      for (const [section, items] of sections) {
        content.append(
          h(
            "section",
            { class: "settings-section", "aria-labelledby": `section-${section}` },
            h("h2", { id: `section-${section}` }, section),
            ...items.map((setting) => settingRow(setting, messages)),
          ),
        );
      }
    })
    .catch((error: unknown) => messages.error(error));
});
