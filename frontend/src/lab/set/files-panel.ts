/**
 * The "Result files" section of a set page: every analysis result of the set's samples (re-runs
 * included, newest first) with its `.vidjil`, AIRR TSV and log to download, the zip of the whole
 * set (optionally with the reads files), and ticking results to compare them on one graph with
 * samples of other sets.
 */
import { call, operationUrl } from "../../api/client";
import { h } from "../../ui/dom";
import { formatDate } from "../widgets";
import type { SetContext } from "./context";
import { downloadLink } from "./jobs-view";

interface ResultFile {
  id: number;
  sample_id: number;
  sample_name: string;
  config_id: number;
  config_name: string;
  created_at: string;
  summary: { reads?: number; segmented?: number; clones?: number };
}

export interface FilesPanel {
  element: HTMLElement;
  refresh(): Promise<void>;
}

function resultRow(result: ResultFile, latest: boolean): HTMLElement {
  const configName = result.config_name;
  const path = { result_id: result.id };
  const choose = h("input", {
    type: "checkbox",
    name: "compare",
    value: result.id,
    "aria-label": `Compare ${result.sample_name} (${configName})`,
  });
  const reads = result.summary.reads;
  const analysed = result.summary.segmented;
  return h(
    "tr",
    { "data-result": result.id, class: latest ? null : "earlier" },
    h("td", {}, choose),
    h("td", {}, result.sample_name, latest ? null : h("div", { class: "muted" }, "earlier run")),
    h("td", {}, configName),
    h("td", {}, formatDate(result.created_at)),
    h("td", { class: "numeric" }, reads === undefined ? "" : `${analysed ?? 0} / ${reads}`),
    h(
      "td",
      { class: "row-actions" },
      downloadLink(operationUrl("downloadResultVidjil", { path }), ".vidjil", "The sample's .vidjil result"),
      downloadLink(operationUrl("downloadResultAirr", { path }), "AIRR", "The clones as an AIRR TSV file"),
      downloadLink(operationUrl("downloadResultLog", { path }), "log", "The analysis log"),
    ),
  );
}

function resultsTable(results: ResultFile[]): HTMLElement {
  const seen = new Set<string>();
  return h(
    "table",
    { class: "lab-table files-table" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Compare", "Sample", "Config", "Analysed", "Reads analysed / total", "Download"].map((text) =>
          h("th", {}, text),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      ...results.map((result) => {
        const key = `${result.sample_id}/${result.config_id}`;
        const latest = !seen.has(key);
        seen.add(key);
        return resultRow(result, latest);
      }),
    ),
  );
}

function archiveTools(setId: number): HTMLElement {
  const withReads = h("input", { type: "checkbox", name: "with_reads" });
  const zip = downloadLink(
    operationUrl("downloadSetArchive", { path: { set_id: setId } }),
    "Download the whole set (zip)",
    "The fused results, each sample's results and logs, the saved analysis and metadata.json",
  );
  zip.classList.add("button");
  withReads.addEventListener("change", () => {
    zip.href = operationUrl("downloadSetArchive", {
      path: { set_id: setId },
      query: withReads.checked ? { reads: true } : {},
    });
  });
  return h(
    "div",
    { class: "lab-toolbar" },
    zip,
    h("label", { class: "check" }, withReads, " with the reads files (large)"),
  );
}

export function filesPanel(context: SetContext): FilesPanel {
  const slot = h("div", {});
  const compare = h("button", { type: "button", disabled: true }, "Compare the ticked results…");
  compare.addEventListener("click", () => {
    const ticked = [...slot.querySelectorAll<HTMLInputElement>("input[name=compare]:checked")];
    window.location.hash = `#/compare?from=${context.setId}&results=${ticked.map((box) => box.value).join(",")}`;
  });
  slot.addEventListener("change", () => {
    compare.disabled = slot.querySelector("input[name=compare]:checked") === null;
  });

  async function refresh(): Promise<void> {
    try {
      const results = await call("listSetResults", { path: { set_id: context.setId } });
      if (!context.isOpen()) return;
      slot.replaceChildren(
        results.length === 0
          ? h("p", { class: "empty" }, "No result yet.")
          : resultsTable(results as unknown as ResultFile[]),
      );
      compare.disabled = true;
    } catch (error) {
      context.messages.error(error);
    }
  }

  const element = h(
    "section",
    { "aria-labelledby": "files-title" },
    h("h2", { id: "files-title" }, "Result files"),
    archiveTools(context.setId),
    slot,
    h(
      "div",
      { class: "lab-toolbar" },
      compare,
      h("span", { class: "muted" }, "with samples of other sets too"),
    ),
  );
  return { element, refresh };
}
