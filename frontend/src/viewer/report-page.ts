/**
 * The report builder of the open result (`#/report`), as Vidjil's: a report starts from a template
 * (diagnosis of one sample, follow-up, full), its blocks can be moved, removed or added (patient
 * and samples, read statistics, the follow-up graph, clones, the set's log, comments, plots added
 * from the views with Export > "add to the report"), and it is saved in the set's `.analysis`
 * with the rest of the analysis, to reopen later. Printing (or saving as PDF) leaves the tools out.
 */
import "./report/report.css";
import { call, messageOf } from "../api/client";
import { h } from "../ui/dom";
import { blockContent, type ReportContext } from "./report/report-blocks";
import {
  BLOCK_LABELS,
  type BlockType,
  movedBlock,
  newReport,
  type Report,
  type ReportBlock,
  TEMPLATES,
  type TemplateId,
  withBlock,
  withComment,
  withFields,
  withoutBlock,
} from "./report/report-model";
import { completedAnalysis, keepReport, reportState, type ReportState } from "./report/report-store";
import { saveAnalysis } from "./save-analysis";
import { resultTitle, type Store } from "./state";
import { download, baseName } from "./export/download";
import { analysisDocument } from "../model/analysis-file";

const ADDABLE: BlockType[] = [
  "comment",
  "patient_info",
  "samples",
  "sample_info",
  "reads_stats",
  "monitor",
  "clones",
  "log_db",
  "file_info",
];
const LOG_ENTRIES = 200;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function defaultReport(store: Store): Report {
  const samples = store.state.result?.samples ?? [];
  return samples.length >= 2
    ? newReport("follow-up", { date: today() })
    : newReport("diagnosis", { date: today(), sample: samples[0]?.originalName ?? null });
}

type ServerContext = Pick<ReportContext, "set" | "samples" | "log">;

/** The set, its samples' metadata and its log from the server, when the server opened the result. */
async function serverContext(store: Store): Promise<ServerContext> {
  const server = store.state.server;
  if (server === null)
    return { set: null, samples: [], log: "Opened from a file: the set's log is on the server." };
  const path = { set_id: server.setId };
  const [set, samples, log] = await Promise.allSettled([
    call("getSampleSet", { path }),
    call("listSetSamples", { path }),
    call("listSampleSetAudit", { path, query: { limit: LOG_ENTRIES } }),
  ]);
  return {
    set: set.status === "fulfilled" ? set.value : null,
    samples: samples.status === "fulfilled" ? samples.value : [],
    log:
      log.status === "fulfilled"
        ? log.value.items
        : `The set's log is shown to those holding the admin right on the set (${messageOf(log.reason)}).`,
  };
}

class ReportBuilder {
  readonly element = h("main", { class: "report report-builder-page" });
  private readonly status = h("span", { class: "report-status", role: "status" });
  private extra: ServerContext = { set: null, samples: [], log: "" };

  constructor(
    private readonly store: Store,
    private readonly state: ReportState,
  ) {
    state.current ??= defaultReport(store);
  }

  get report(): Report {
    return this.state.current!;
  }

  async start(): Promise<void> {
    this.render();
    this.extra = await serverContext(this.store);
    this.render();
  }

  private change(report: Report, rerender = true): void {
    this.state.current = report;
    this.status.textContent = this.saved() ? "" : "Not saved yet.";
    if (rerender) this.render();
  }

  private saved(): boolean {
    const kept = this.state.reports[this.report.name];
    return kept !== undefined && JSON.stringify(kept) === JSON.stringify(this.report);
  }

  private async save(): Promise<void> {
    keepReport(this.state, this.report);
    if (this.store.state.server === null) {
      const result = this.store.state.result!;
      const document = completedAnalysis(this.store, analysisDocument(this.store.state.analysis, result));
      download(
        `${baseName(this.store.state.sourceName)}.analysis`,
        `${JSON.stringify(document, null, 2)}\n`,
        "application/json",
      );
      this.status.textContent =
        "Saved in the downloaded .analysis: open it with the result to find this report.";
      return;
    }
    await saveAnalysis(this.store);
    const { error, notice } = this.store.state;
    this.render();
    this.status.textContent = error ? error : `"${this.report.name}" saved in the analysis: ${notice}.`;
    this.status.classList.toggle("error", error !== "");
  }

  private render(): void {
    const result = this.store.state.result!;
    const context: ReportContext = { store: this.store, result, report: this.report, ...this.extra };
    const print = h("button", { type: "button", class: "button" }, "Print or save as PDF");
    print.addEventListener("click", () => window.print());
    this.element.replaceChildren(
      h(
        "nav",
        { class: "no-print report-actions" },
        h("a", { href: "#/viewer", class: "button" }, "← Back to the results"),
        print,
      ),
      this.tools(),
      h(
        "article",
        { class: "report-document" },
        h("h1", {}, this.report.title),
        h(
          "p",
          { class: "muted" },
          `${resultTitle(this.store.state)} · report of ${this.report.date}${this.report.author ? ` by ${this.report.author}` : ""}`,
        ),
        h("p", { class: "ruo" }, "Research use only unless validated by your laboratory."),
        ...this.report.blocks.map((block, index) => this.blockSection(context, block, index)),
      ),
    );
  }

  private tools(): HTMLElement {
    return h(
      "section",
      { class: "no-print report-tools", "aria-label": "Report builder" },
      this.chooser(),
      this.fields(),
      this.adder(),
    );
  }

  private chooser(): HTMLElement {
    const template = h("select", { "aria-label": "Template" });
    for (const [id, chosen] of Object.entries(TEMPLATES))
      template.append(h("option", { value: id }, chosen.label));
    const sample = h("select", { "aria-label": "Sample of the report" });
    sample.append(h("option", { value: "" }, "every sample"));
    for (const item of this.store.state.result!.samples)
      sample.append(h("option", { value: item.originalName }, item.name));
    template.value = this.report.template;
    sample.value = this.report.sample ?? "";
    const create = h("button", { type: "button" }, "New report");
    create.addEventListener("click", () => {
      const chosen = template.value as TemplateId;
      const firstSample = this.store.state.result!.samples[0]?.originalName ?? null;
      const sampleName = sample.value || (chosen === "diagnosis" ? firstSample : null);
      const samples = this.store.state.result!.samples.map((item) => item.originalName);
      this.change(
        newReport(chosen, { date: today(), sample: sampleName, author: this.report.author, samples }),
      );
    });
    const saved = h("select", { "aria-label": "Saved reports" });
    const names = Object.keys(this.state.reports);
    saved.append(
      h("option", { value: "" }, names.length ? `${names.length} saved report(s)…` : "no saved report"),
    );
    for (const name of names) saved.append(h("option", { value: name }, name));
    saved.disabled = names.length === 0;
    if (this.state.reports[this.report.name] !== undefined) saved.value = this.report.name;
    saved.addEventListener("change", () => {
      const chosen = this.state.reports[saved.value];
      if (chosen) this.change(chosen);
    });
    return h(
      "div",
      { class: "report-row" },
      saved,
      h("span", { class: "muted" }, "or from the template"),
      template,
      sample,
      create,
    );
  }

  private fields(): HTMLElement {
    const input = (label: string, value: string, type: string, set: (value: string) => Report) => {
      const field = h("input", { type, value, "aria-label": label, placeholder: label });
      field.addEventListener("change", () => this.change(set(field.value)));
      return h("label", { class: "report-field" }, h("span", {}, label), field);
    };
    const save = h("button", { type: "button", class: "button primary" }, "Save the report");
    save.addEventListener("click", () => void this.save());
    this.status.textContent = this.saved() ? "" : "Not saved yet.";
    return h(
      "div",
      { class: "report-row" },
      input("Report name", this.report.name, "text", (name) => withFields(this.report, { name })),
      input("Title", this.report.title, "text", (title) => withFields(this.report, { title })),
      input("Author", this.report.author, "text", (author) => withFields(this.report, { author })),
      input("Date", this.report.date, "date", (date) => withFields(this.report, { date })),
      save,
      this.status,
    );
  }

  private adder(): HTMLElement {
    const kind = h("select", { "aria-label": "Block to add" });
    for (const type of ADDABLE) kind.append(h("option", { value: type }, BLOCK_LABELS[type]));
    const add = h("button", { type: "button" }, "Add the block");
    add.addEventListener("click", () => {
      const blockType = kind.value as BlockType;
      const sample =
        this.report.sample ?? this.store.state.result!.samples[this.store.state.sample]?.originalName;
      const extra = blockType === "comment" ? { text: "" } : blockType === "sample_info" ? { sample } : {};
      this.change(withBlock(this.report, { blockType, ...extra }));
    });
    return h(
      "div",
      { class: "report-row" },
      kind,
      add,
      h(
        "span",
        { class: "muted" },
        "Plots: in the results, Export ▸ add the grid or the graph to the report.",
      ),
    );
  }

  private blockSection(context: ReportContext, block: ReportBlock, index: number): HTMLElement {
    const title = block.blockType === "plot" ? (block.title ?? "Plot") : BLOCK_LABELS[block.blockType];
    const tool = (label: string, name: string, action: () => Report, disabled = false) => {
      const button = h(
        "button",
        { type: "button", "aria-label": `${name} ${title} (block ${index + 1})`, disabled },
        label,
      );
      button.addEventListener("click", () => this.change(action()));
      return button;
    };
    const last = this.report.blocks.length - 1;
    return h(
      "section",
      { class: "report-block", "data-block": block.blockType },
      h(
        "div",
        { class: "no-print block-tools" },
        tool("↑", "Move up", () => movedBlock(this.report, block.id, -1), index === 0),
        tool("↓", "Move down", () => movedBlock(this.report, block.id, 1), index === last),
        tool("✕", "Remove", () => withoutBlock(this.report, block.id)),
      ),
      h("h2", {}, title),
      block.blockType === "comment" ? this.comment(block, index) : blockContent(context, block),
    );
  }

  private comment(block: ReportBlock, index: number): HTMLElement {
    const area = h("textarea", {
      class: "no-print",
      rows: 4,
      "aria-label": `Comment (block ${index + 1})`,
      placeholder: "Interpretation, conclusion, remarks…",
    });
    area.value = block.text ?? "";
    const printed = h("p", { class: "report-comment print-only" }, area.value);
    area.addEventListener("input", () => {
      printed.textContent = area.value;
      this.change(withComment(this.report, block.id, area.value), false);
    });
    return h("div", {}, area, printed);
  }
}

export function reportPage(store: Store): (root: HTMLElement) => () => void {
  return (root) => {
    document.body.classList.add("printable");
    const state = reportState(store);
    if (state === null) {
      root.append(
        h(
          "main",
          { class: "report" },
          h("p", {}, "Open a result first. "),
          h("a", { href: "#/viewer" }, "Back to the results"),
        ),
      );
    } else {
      const builder = new ReportBuilder(store, state);
      root.append(builder.element);
      void builder.start();
    }
    return () => document.body.classList.remove("printable");
  };
}
