/**
 * The "History" section of a set page (Vidjil's per-set log): what was done to the set and its
 * samples, by whom and when, newest first and paged. Shown to the users holding the `admin` right
 * on the set, who alone may read it.
 */
import { call } from "../../api/client";
import type { AuditEntry } from "../../api/schema";
import { h } from "../../ui/dom";
import { button, formatDate } from "../widgets";
import type { SetContext } from "./context";

const PAGE_SIZE = 25;

/** "launch_analysis" -> "launch analysis"; the details in words, not JSON. */
function describe(entry: AuditEntry): string {
  const details = Object.entries(entry.details)
    .filter(([, value]) => value !== null && value !== "")
    .map(
      ([key, value]) =>
        `${key.replace(/_/g, " ")}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    )
    .join(", ");
  return details;
}

function entriesTable(entries: AuditEntry[]): HTMLElement {
  return h(
    "table",
    { class: "lab-table history-table" },
    h("thead", {}, h("tr", {}, ...["When", "Who", "What", "On", "Details"].map((text) => h("th", {}, text)))),
    h(
      "tbody",
      {},
      ...entries.map((entry) =>
        h(
          "tr",
          { "data-action": entry.action },
          h("td", {}, formatDate(entry.at)),
          h("td", {}, entry.user_email),
          h("td", {}, entry.action.replace(/_/g, " ")),
          h(
            "td",
            {},
            entry.table_name.replace(/_/g, " "),
            entry.record_id === null ? "" : ` #${entry.record_id}`,
          ),
          h("td", {}, describe(entry)),
        ),
      ),
    ),
  );
}

export function historyPanel(context: SetContext): { element: HTMLElement; refresh(): Promise<void> } {
  const slot = h("div", {});
  const pager = h("div", { class: "pager" });
  let offset = 0;

  async function refresh(): Promise<void> {
    try {
      const page = await call("listSampleSetAudit", {
        path: { set_id: context.setId },
        query: { limit: PAGE_SIZE, offset },
      });
      if (!context.isOpen()) return;
      slot.replaceChildren(
        page.items.length === 0
          ? h("p", { class: "empty" }, "Nothing recorded yet.")
          : entriesTable(page.items),
      );
      const last = Math.min(offset + PAGE_SIZE, page.total);
      pager.replaceChildren(
        h("span", {}, page.total ? `${offset + 1}-${last} of ${page.total}` : ""),
        button("Newer", () => ((offset = Math.max(0, offset - PAGE_SIZE)), void refresh()), {
          disabled: offset === 0,
        }),
        button("Older", () => ((offset += PAGE_SIZE), void refresh()), { disabled: last >= page.total }),
      );
    } catch (error) {
      context.messages.error(error);
    }
  }

  const element = h(
    "section",
    { "aria-labelledby": "history-title" },
    h("h2", { id: "history-title" }, "History of this set"),
    slot,
    pager,
  );
  return { element, refresh };
}
