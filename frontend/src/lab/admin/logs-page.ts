/**
 * Logs: the app log and the request log (with their older files), their last lines or the lines
 * holding a text, and each file to download (audited: the request log names users).
 */
import { call, operationUrl } from "../../api/client";
import type { LogFile } from "../../api/schema";
import { h } from "../../ui/dom";
import { field, formatBytes, formatDate, input, MessageBox, table } from "../widgets";
import { adminPage } from "./frame";

const KINDS: Record<string, string> = { app: "what the app says", requests: "one line per request" };
const LINE_COUNTS = ["100", "500", "2000"];

function files(logs: LogFile[]): HTMLElement {
  return table(
    ["File", "Holds", "Size", "Last written", ""],
    logs.map((log) => [
      log.name,
      KINDS[log.kind] ?? log.kind,
      formatBytes(log.size),
      formatDate(log.modified_at),
      h(
        "a",
        { href: operationUrl("downloadLog", { path: { name: log.name } }), download: log.name },
        "Download",
      ),
    ]),
    "Log files",
  );
}

export const logsPage = adminPage("logs", "Logs", (content, _session, alive) => {
  const messages = new MessageBox();
  const listing = h("div", {});
  const chosen = h("select", { name: "log" });
  const search = input("search", { placeholder: "e.g. ERROR, an e-mail, /api/samples" });
  const count = h(
    "select",
    { name: "lines" },
    ...LINE_COUNTS.map((value) => h("option", { value, selected: value === "500" }, value)),
  );
  const lines = h("pre", { class: "log-lines mono", tabindex: "0", "aria-label": "Log lines" });
  const note = h("p", { class: "muted" });
  const show = async () => {
    if (!chosen.value) return;
    try {
      const read = await call("readLog", {
        path: { name: chosen.value },
        query: { limit: Number(count.value), search: search.value },
      });
      if (!alive()) return;
      lines.textContent = read.lines.join("\n") || "(no line)";
      note.textContent = read.earlier
        ? "Earlier lines are in the file (download it) or in its older files."
        : "";
      lines.scrollTop = lines.scrollHeight;
    } catch (error) {
      messages.error(error);
    }
  };
  const form = h(
    "form",
    { class: "lab-toolbar", "aria-label": "Read a log" },
    field("Log", chosen),
    field("Only lines holding", search),
    field("Lines", count),
    h("button", { type: "submit", class: "primary" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void show();
  });
  content.append(
    h(
      "p",
      { class: "muted" },
      "The server's logs, in the logs folder of the data folder. Passwords, tokens, codes, session ids and secret settings never appear in them.",
    ),
    messages.element,
    listing,
    form,
    note,
    lines,
  );
  call("listLogs")
    .then((logs) => {
      if (!alive()) return;
      listing.replaceChildren(
        logs.length
          ? files(logs)
          : h(
              "p",
              { class: "empty" },
              "No log yet: the logs are written by the server started from the desktop or with `serve`.",
            ),
      );
      chosen.replaceChildren(...logs.map((log) => h("option", { value: log.name }, log.name)));
      void show();
    })
    .catch((error: unknown) => messages.error(error));
});
