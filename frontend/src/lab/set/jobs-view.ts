/** The job list of a set (status, progress, cancel, rerun) and its "open results" links. */
import { operationUrl } from "../../api/client";
import type { Job } from "../../api/schema";
import { h } from "../../ui/dom";
import { button, progressBar } from "../widgets";

export const ACTIVE = new Set(["queued", "running"]);

function percent(progress: number): number {
  // Workers report a fraction; keep whole percents for display.
  return Math.round(Math.max(0, Math.min(1, progress > 1 ? progress / 100 : progress)) * 100);
}

/** The set of a job, as "my jobs" lists jobs of every set: a link to its page. */
function setCell(job: Job): HTMLElement {
  if (job.sample_set_id === null) return h("td", {}, "");
  const label = job.sample_set_name ?? `set ${job.sample_set_id}`;
  return h("td", {}, h("a", { href: `#/set?id=${job.sample_set_id}` }, label));
}

/** `act` null: the user may not run analyses here, the jobs are listed without their buttons. */
export function jobsTable(
  jobs: Job[],
  act: ((job: Job, action: "cancel" | "rerun") => void) | null,
  options: { withSet?: boolean; empty?: string } = {},
): HTMLElement {
  if (jobs.length === 0) return h("p", { class: "empty" }, options.empty ?? "No analysis yet.");
  const heads = ["Job", ...(options.withSet ? ["Set"] : []), "Sample", "Config", "Status", "Progress"];
  return h(
    "table",
    { class: "lab-table jobs-table" },
    h("thead", {}, h("tr", {}, ...[...heads, "Time", ""].map((text) => h("th", {}, text)))),
    h(
      "tbody",
      {},
      ...jobs.map((job) => {
        const active = ACTIVE.has(job.status);
        return h(
          "tr",
          { "data-job": job.id, "data-status": job.status },
          h("td", {}, `${job.id} · ${job.kind}`),
          options.withSet ? setCell(job) : null,
          h("td", {}, job.sample_name ?? (job.sample_id ? `#${job.sample_id}` : "all samples")),
          h("td", {}, job.config_name ?? ""),
          h(
            "td",
            {},
            h(
              "span",
              { class: `status status-${job.status}` },
              job.cancel_requested && active ? "cancelling" : job.status,
            ),
            job.error ? h("div", { class: "job-error", role: "note" }, job.error) : null,
          ),
          h("td", {}, progressBar(job.status === "completed" ? 100 : percent(job.progress), `Job ${job.id}`)),
          h("td", {}, job.seconds === null ? "" : `${job.seconds.toFixed(1)} s`),
          h(
            "td",
            {},
            act === null
              ? null
              : active
                ? button("Cancel", () => act(job, "cancel"), { disabled: job.cancel_requested })
                : job.kind === "analysis"
                  ? button("Rerun", () => act(job, "rerun"))
                  : null,
          ),
        );
      }),
    ),
  );
}

interface ConfigResults {
  name: string;
  /** A fused result exists (it may be older than the newest analyses). */
  fused: boolean;
  /** Analyses or a fuse still to come: the fused result is not final yet. */
  updating: boolean;
}

/** Per config: is there a fused result, and is it up to date with the finished analyses? */
export function resultsByConfig(jobs: Job[]): Map<number, ConfigResults> {
  const byConfig = new Map<number, Job[]>();
  for (const job of jobs) {
    if (job.config_id !== null && (job.kind === "analysis" || job.kind === "fuse")) {
      byConfig.set(job.config_id, [...(byConfig.get(job.config_id) ?? []), job]);
    }
  }
  const states = new Map<number, ConfigResults>();
  for (const [configId, configJobs] of byConfig) {
    const finished = (kind: string) =>
      configJobs
        .filter((job) => job.kind === kind && job.status === "completed")
        .map((job) => job.finished_at ?? "")
        .sort()
        .pop();
    const lastFuse = finished("fuse");
    const lastAnalysis = finished("analysis");
    if (lastAnalysis === undefined && lastFuse === undefined) continue;
    const active = configJobs.some((job) => ACTIVE.has(job.status));
    // A fuse follows each finished analysis within seconds: until then the result lags behind.
    const behind = lastAnalysis !== undefined && (lastFuse === undefined || lastFuse < lastAnalysis);
    const name = configJobs.find((job) => job.config_name)?.config_name ?? `config ${configId}`;
    states.set(configId, { name, fused: lastFuse !== undefined, updating: active || behind });
  }
  return states;
}

/** A link that downloads what an API route answers (the browser keeps the session cookie). */
export function downloadLink(href: string, label: string, title: string): HTMLAnchorElement {
  return h("a", { href, download: "", class: "download", title }, label);
}

/**
 * Per config with a fused result in this set: "open results", its QC table and its fused
 * `.vidjil` to download.
 */
export function resultLinks(setId: number, states: Map<number, ConfigResults>): HTMLElement {
  const shown = [...states].filter(([, state]) => state.fused || state.updating);
  if (shown.length === 0)
    return h("p", { class: "muted" }, "Results appear here once an analysis has finished.");
  return h(
    "ul",
    { class: "result-links" },
    ...shown.map(([configId, state]) =>
      h(
        "li",
        { "data-config": state.name },
        state.fused
          ? // The results viewer reads ?set=&config= from the page address, so this is a full page load.
            h(
              "a",
              { href: `./?set=${setId}&config=${configId}#/viewer`, class: "button primary" },
              `Open results (${state.name})`,
            )
          : h("span", { class: "muted" }, `${state.name}: results being prepared`),
        state.fused
          ? h(
              "span",
              { class: "result-tools" },
              h("a", { href: `#/qc?set=${setId}&config=${configId}` }, "QC table"),
              downloadLink(
                operationUrl("getFusedResult", { path: { set_id: setId }, query: { config_id: configId } }),
                "fused .vidjil",
                `The time-course .vidjil of every sample for ${state.name} (opens in Vidjil too)`,
              ),
            )
          : null,
        state.fused && state.updating
          ? h("span", { class: "muted updating" }, " being updated with the latest analyses…")
          : null,
      ),
    ),
  );
}
