/** The list of keyboard shortcuts, opened with "?" or the toolbar's "?" button. */
import { h } from "../ui/dom";

const SHORTCUTS: [string, string][] = [
  ["↑ / ↓", "move in the clone list"],
  ["→ / ← in the list", "open / close a cluster to see its clones"],
  ["Enter or Space", "select the clone (with Ctrl or Shift: add it to the selection)"],
  ["Esc", "clear the selection"],
  ["← / →", "previous / next sample"],
  ["Shift+← / Shift+→", "fewer / more clones in the top"],
  ["/", "search by name, CDR3 or DNA"],
  ["+", "merge the selected clones into the first one"],
  ["Ctrl+Z, Backspace", "undo the last change (merge, cluster, tag, name…)"],
  ["Ctrl+Shift+Z, Ctrl+Y", "redo"],
  ["z / Shift+Z", "focus on / hide the selected clones (with none selected: show all again)"],
  ["1 … 9, 0", "grid presets (1 V/J genes … 9 J distribution, 0 compare two samples)"],
  ["#", "grid or bar plot"],
  ["a b g d h k l", "show or hide TRA, TRB, TRG, TRD, IGH, IGK, IGL (with Shift: that locus alone)"],
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
