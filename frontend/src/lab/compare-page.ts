/**
 * "Compare samples" (`#/compare?results=&from=`, Vidjil's "compare some samples"): results chosen
 * from any patients, runs and sets, then shown on one time-course graph in the results viewer. The
 * server fuses them on the fly (nothing is stored). Results of configs with other window lengths
 * share no clone: the page says so when the chosen configs differ.
 */
import { call, operationUrl } from "../api/client";
import type { Page } from "../router";
import { h } from "../ui/dom";
import { shell } from "./layout";
import { signedIn } from "./session";
import { describeSet, type FoundSet, setSearch } from "./set-search";
import { button, formatDate, hashQuery, MessageBox } from "./widgets";

const MAX_COMPARED = 20; // the server's limit

interface Choice {
  id: number;
  label: string;
  configName: string;
}

interface ResultFile {
  id: number;
  sample_id: number;
  sample_name: string;
  config_id: number;
  config_name: string;
  created_at: string;
}

async function setResults(setId: number): Promise<ResultFile[]> {
  return (await call("listSetResults", { path: { set_id: setId } })) as unknown as ResultFile[];
}

/** The viewer's address for the comparison: a full page load, as the viewer reads `?vidjil=`. */
export function comparisonAddress(resultIds: number[]): string {
  const url = operationUrl("compareResults", { query: { results: resultIds.join(",") } });
  return `./?vidjil=${encodeURIComponent(url)}#/viewer`;
}

class Chosen {
  readonly element = h("div", { class: "chosen-results" });
  private readonly items = new Map<number, Choice>();

  constructor(private readonly changed: () => void) {}

  ids(): number[] {
    return [...this.items.keys()];
  }

  has(id: number): boolean {
    return this.items.has(id);
  }

  add(choice: Choice): void {
    if (this.items.size >= MAX_COMPARED) return;
    this.items.set(choice.id, choice);
    this.render();
  }

  remove(id: number): void {
    this.items.delete(id);
    this.render();
  }

  render(): void {
    const items = [...this.items.values()];
    const configs = new Set(items.map((item) => item.configName));
    const open = h(
      "a",
      { class: "button primary", href: comparisonAddress(this.ids()) },
      "Compare on one graph",
    );
    const warning =
      configs.size > 1
        ? h(
            "p",
            { class: "lab-message error", role: "note" },
            "These results come from different configs: clones are matched by their window, so configs with other window lengths share no clone.",
          )
        : "";
    this.element.replaceChildren(
      h("h2", {}, `Chosen results (${items.length} of at most ${MAX_COMPARED})`),
      items.length === 0
        ? h("p", { class: "empty" }, "None yet: find a patient, run or set, then add its samples.")
        : h(
            "ol",
            {},
            ...items.map((item) =>
              h(
                "li",
                { "data-result": item.id },
                `${item.label} · ${item.configName} `,
                button("Remove", () => this.remove(item.id), {
                  class: "link-button",
                  "aria-label": `Remove ${item.label}`,
                }),
              ),
            ),
          ),
      warning,
      items.length >= 2 ? open : h("p", { class: "muted" }, "Choose at least two results."),
    );
    this.changed();
  }
}

function resultsOf(set: FoundSet, files: ResultFile[], chosen: Chosen): HTMLElement {
  const seen = new Set<string>();
  const latest = files.filter((file) => {
    const key = `${file.sample_id}/${file.config_id}`;
    const first = !seen.has(key);
    seen.add(key);
    return first;
  });
  return h(
    "section",
    { class: "set-results", "aria-label": `Results of ${set.label}` },
    h("h3", {}, set.label),
    latest.length === 0
      ? h("p", { class: "empty" }, "No result in this set.")
      : h(
          "ul",
          {},
          ...latest.map((file) => {
            const label = `${set.label} · ${file.sample_name}`;
            const add = button(
              "Add",
              () => {
                chosen.add({ id: file.id, label, configName: file.config_name });
                add.disabled = true;
              },
              {
                disabled: chosen.has(file.id),
                "aria-label": `Add ${file.sample_name} (${file.config_name})`,
              },
            );
            return h(
              "li",
              {},
              add,
              ` ${file.sample_name} · ${file.config_name} · ${formatDate(file.created_at)}`,
            );
          }),
        ),
  );
}

export const comparePage: Page = (root) => {
  let open = true;
  const query = hashQuery();
  void signedIn(root).then(async (session) => {
    if (!session || !open) return;
    const content = shell(root, session, "Compare samples");
    const messages = new MessageBox();
    const chosen = new Chosen(() => {
      const ids = chosen.ids().join(",");
      window.history.replaceState(null, "", ids ? `#/compare?results=${ids}` : "#/compare");
    });
    const browsing = h("div", {});
    const search = setSearch(
      messages,
      (set) =>
        void setResults(set.id)
          .then((files) => browsing.replaceChildren(resultsOf(set, files, chosen)))
          .catch((error: unknown) => messages.error(error)),
      { action: "Show its samples" },
    );
    content.append(
      h(
        "p",
        { class: "muted" },
        "Put samples of different patients, runs or sets on one graph: find a set, add its samples, then compare. Nothing is saved; open it again from this page.",
      ),
      messages.element,
      h(
        "div",
        { class: "compare-layout" },
        h("div", {}, h("h2", {}, "Find samples"), search.element, browsing),
        chosen.element,
      ),
    );
    chosen.render();
    // Results named by the address (from a set page: `from` is that set, which labels them).
    const wanted = (query.get("results") ?? "")
      .split(",")
      .map(Number)
      .filter((id) => id > 0);
    const from = Number(query.get("from"));
    if (wanted.length > 0 && from > 0) {
      try {
        const [set, files] = await Promise.all([
          call("getSampleSet", { path: { set_id: from } }),
          setResults(from),
        ]);
        const label = describeSet(set).label;
        for (const file of files.filter((item) => wanted.includes(item.id)))
          chosen.add({ id: file.id, label: `${label} · ${file.sample_name}`, configName: file.config_name });
        browsing.replaceChildren(resultsOf({ id: from, kind: String(set.kind), label }, files, chosen));
      } catch (error) {
        messages.error(error);
      }
    }
  });
  return () => {
    open = false;
  };
};
