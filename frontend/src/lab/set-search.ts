/**
 * Finding a set by typing (the same search as the lists: words, `-word`, `#tag`): a search box
 * and up to ten matching patients, runs and sets, each offered to `choose`.
 */
import { call } from "../api/client";
import { h } from "../ui/dom";
import { button, type MessageBox } from "./widgets";

export interface FoundSet {
  id: number;
  kind: string;
  label: string;
}

const KIND_NAMES: Record<string, string> = { patient: "Patient", run: "Run", generic: "Set" };

export function kindName(kind: string): string {
  return KIND_NAMES[kind] ?? "Set";
}

export function describeSet(row: Record<string, unknown>): FoundSet {
  const kind = String(row.kind ?? "generic");
  const name = String(row.name || row.id_label || `#${String(row.id)}`);
  const label = row.id_label && row.name ? `${name} (${String(row.id_label)})` : name;
  return { id: Number(row.id), kind, label: `${kindName(kind)} ${label}` };
}

export function setSearch(
  messages: MessageBox,
  choose: (set: FoundSet) => void,
  options: { exclude?: number; action?: string; label?: string } = {},
): { element: HTMLElement; input: HTMLInputElement } {
  const search = h("input", {
    type: "search",
    name: "set_search",
    "aria-label": options.label ?? "Search patients, runs and sets",
    placeholder: "name, id, #tag…",
    autocomplete: "off",
  });
  const found = h("ul", { class: "found-sets", "aria-live": "polite" });
  let asked = 0;
  const lookUp = async (): Promise<void> => {
    const ask = ++asked;
    try {
      const page = await call("listSampleSets", { query: { search: search.value, limit: 10 } });
      if (ask !== asked) return; // an answer to an older query: a newer one is on its way
      const sets = page.items.map(describeSet).filter((set) => set.id !== options.exclude);
      found.replaceChildren(
        ...(sets.length === 0
          ? [h("li", { class: "empty" }, "No set matches.")]
          : sets.map((set) =>
              h(
                "li",
                { "data-set": set.id },
                button(options.action ?? "Choose", () => choose(set)),
                ` ${set.label}`,
              ),
            )),
      );
    } catch (error) {
      messages.error(error);
    }
  };
  search.addEventListener("input", () => void lookUp());
  void lookUp();
  return { element: h("div", { class: "set-search" }, search, found), input: search };
}
