/** The audit log: who did what and when, filtered, paged, and downloadable as CSV. */
import { call, operationUrl } from "../../api/client";
import { h } from "../../ui/dom";
import { button, field, formatDate, input, MessageBox } from "../widgets";
import { adminPage } from "./frame";

const PAGE_SIZE = 50;

export const auditPage = adminPage("audit", "Audit log", (content, _session, alive) => {
  const messages = new MessageBox();
  const action = input("action", { placeholder: "e.g. login_failed" });
  const table = input("table", { placeholder: "e.g. users" });
  const since = input("since", { type: "date" });
  const list = h("div", {});
  const pager = h("div", { class: "pager" });
  const download = h("a", { class: "button", download: "audit.csv" }, "Download CSV");
  let offset = 0;
  const filters = () => ({
    action: action.value || null,
    table: table.value || null,
    since: since.value || null,
  });
  const refresh = async () => {
    download.setAttribute("href", operationUrl("exportAuditCsv", { query: filters() }));
    try {
      const page = await call("listAudit", { query: { ...filters(), limit: PAGE_SIZE, offset } });
      if (!alive()) return;
      list.replaceChildren(
        page.items.length === 0
          ? h("p", { class: "empty" }, "No entry matches.")
          : h(
              "table",
              { class: "lab-table audit-table" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ...["When", "Who", "Action", "On", "Details", "From"].map((text) => h("th", {}, text)),
                ),
              ),
              h(
                "tbody",
                {},
                ...page.items.map((entry) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, formatDate(entry.at)),
                    h("td", {}, entry.user_email),
                    h("td", {}, entry.action),
                    h("td", {}, entry.table_name, entry.record_id === null ? "" : ` #${entry.record_id}`),
                    h(
                      "td",
                      { class: "mono" },
                      Object.keys(entry.details).length ? JSON.stringify(entry.details) : "",
                    ),
                    h("td", {}, entry.client_address),
                  ),
                ),
              ),
            ),
      );
      const last = Math.min(offset + PAGE_SIZE, page.total);
      pager.replaceChildren(
        h("span", {}, page.total ? `${offset + 1}-${last} of ${page.total}` : ""),
        button("Previous", () => ((offset = Math.max(0, offset - PAGE_SIZE)), void refresh()), {
          disabled: offset === 0,
        }),
        button("Next", () => ((offset += PAGE_SIZE), void refresh()), { disabled: last >= page.total }),
      );
    } catch (error) {
      messages.error(error);
    }
  };
  const form = h(
    "form",
    { class: "lab-toolbar", "aria-label": "Filters" },
    field("Action", action),
    field("Table", table),
    field("Since", since),
    h("button", { type: "submit", class: "primary" }, "Filter"),
    download,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    void refresh();
  });
  content.append(form, messages.element, list, pager);
  void refresh();
});
