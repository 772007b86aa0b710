/** The list of keyboard shortcuts, opened with "?" or the toolbar's "?" button. */
import { h } from "../ui/dom";

const SHORTCUTS: [string, string][] = [
  ["↑ / ↓", "move in the clone list"],
  ["Enter or Space", "select the clone (with Ctrl or Shift: add it to the selection)"],
  ["Esc", "clear the selection"],
  ["← / →", "previous / next sample"],
  ["/", "search by name, CDR3 or DNA"],
  ["+", "merge the selected clones into the first one"],
  ["z / Shift+Z", "focus on / hide the selected clones"],
  ["Ctrl+S", "save the analysis"],
  ["?", "this list"],
];

export function shortcutsHelp(): { button: HTMLElement; open: () => void; remove: () => void } {
  const close = h("button", { type: "button", class: "button" }, "Close");
  const dialog = h(
    "dialog",
    { class: "shortcuts", "aria-labelledby": "shortcuts-title" },
    h("h2", { id: "shortcuts-title" }, "Keyboard shortcuts"),
    h(
      "table",
      {},
      h(
        "tbody",
        {},
        ...SHORTCUTS.map(([keys, action]) =>
          h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, keys)), h("td", {}, action)),
        ),
      ),
    ),
    close,
  );
  close.addEventListener("click", () => dialog.close());
  document.body.append(dialog);
  const open = () => {
    if (!dialog.open) dialog.showModal();
  };
  const button = h(
    "button",
    { type: "button", class: "button", title: "Keyboard shortcuts (?)", "aria-label": "Keyboard shortcuts" },
    "?",
  );
  button.addEventListener("click", open);
  return { button, open, remove: () => dialog.remove() };
}
