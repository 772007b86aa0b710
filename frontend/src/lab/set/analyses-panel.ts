/**
 * The "Analyses" section of a set page: launching an analysis config, the live job list (polled
 * while something runs or a fuse is due) with cancel and rerun, and the "open results" links
 * derived from the same jobs, which the page shows above everything else.
 */
import { call } from "../../api/client";
import type { Config, Job } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, field } from "../widgets";
import { may, type SetContext } from "./context";
import { ACTIVE, jobsTable, resultLinks, resultsByConfig } from "./jobs-view";

const POLL_MILLISECONDS = 1500;

export interface AnalysesPanel {
  element: HTMLElement;
  /** The "open results" links, one per config with a fused result. */
  results: HTMLElement;
  refresh(): Promise<void>;
  /** Stops polling (the page is left). */
  stop(): void;
}

/** `afterPoll` runs after each polled refresh: jobs change the samples' statuses too. */
export function analysesPanel(context: SetContext, afterPoll: () => Promise<void>): AnalysesPanel {
  const { setId, messages } = context;
  const jobsSlot = h("div", { "aria-live": "polite" });
  const results = h("div", {});
  let timer = 0;

  async function refresh(): Promise<void> {
    window.clearTimeout(timer);
    try {
      const jobs = await call("listSetJobs", { path: { set_id: setId } });
      if (!context.isOpen()) return;
      jobsSlot.replaceChildren(jobsTable(jobs, may(context, "run") ? act : null));
      const states = resultsByConfig(jobs);
      results.replaceChildren(resultLinks(setId, states));
      // Poll only while something runs or a fuse is due; a launch or rerun starts polling again.
      if (
        [...states.values()].some((state) => state.updating) ||
        jobs.some((job) => ACTIVE.has(job.status))
      ) {
        timer = window.setTimeout(() => void refresh().then(afterPoll), POLL_MILLISECONDS);
      }
    } catch (error) {
      messages.error(error);
    }
  }

  function act(job: Job, action: "cancel" | "rerun"): void {
    void call(action === "cancel" ? "cancelJob" : "rerunJob", { path: { job_id: job.id } })
      .then(() =>
        messages.show(
          "notice",
          action === "cancel" ? `Cancelling job ${job.id}.` : `Job ${job.id} queued again.`,
        ),
      )
      .catch((error: unknown) => messages.error(error))
      .finally(() => void refresh());
  }

  const element = h(
    "section",
    { "aria-labelledby": "analysis-title" },
    h("h2", { id: "analysis-title" }, "Analyses"),
    may(context, "run") ? launcher(context, refresh) : null,
    jobsSlot,
  );
  return { element, results, refresh, stop: () => window.clearTimeout(timer) };
}

/** What a launch did; a launch that queued nothing says why it may have. */
export function launchedNote(jobs: number): string {
  if (jobs === 0) {
    return (
      "Nothing to launch with this config: every ready sample already has a result or a job " +
      "with it, or does not fit it (reads need an analysis config, results made elsewhere an " +
      "import config)."
    );
  }
  return jobs === 1 ? "1 analysis job queued." : `${jobs} analysis jobs queued.`;
}

/** The config choice and the "Launch analysis" button; `launched` refreshes the job list. */
function launcher(context: SetContext, launched: () => Promise<void>): HTMLElement {
  const { setId, messages } = context;
  const configSelect = h("select", { name: "config" });
  const launch = h("button", { type: "button", class: "primary" }, "Launch analysis");
  launch.addEventListener(
    "click",
    () =>
      void busy(launch, async () => {
        try {
          const jobs = await call("launchAnalyses", {
            path: { set_id: setId },
            body: { config_id: Number(configSelect.value) },
          });
          messages.show("notice", launchedNote(jobs.length));
        } catch (error) {
          messages.error(error);
        }
        await launched();
      }),
  );
  call("listConfigs")
    .then((configs: Config[]) => {
      configSelect.replaceChildren(
        ...configs.map((config) =>
          h(
            "option",
            { value: config.id },
            config.description ? `${config.name} - ${config.description}` : config.name,
          ),
        ),
      );
    })
    .catch((error: unknown) => messages.error(error));
  return h("div", { class: "lab-toolbar" }, field("Analysis config", configSelect), launch);
}
