/**
 * "My jobs" (`#/jobs`): the analyses and fuses I launched on every set I may read, newest first,
 * with their set, progress and errors; cancel and rerun as on the set's page. The list follows
 * running jobs by itself and stops when none is left.
 */
import { call } from "../api/client";
import type { Job } from "../api/schema";
import type { Page } from "../router";
import { h } from "../ui/dom";
import { shell } from "./layout";
import { signedIn } from "./session";
import { ACTIVE, jobsTable } from "./set/jobs-view";
import { MessageBox } from "./widgets";

const POLL_MILLISECONDS = 2000;

export const jobsPage: Page = (root) => {
  let open = true;
  let timer = 0;
  void signedIn(root).then((session) => {
    if (!session || !open) return;
    const content = shell(root, session, "My jobs");
    const messages = new MessageBox();
    const activeOnly = h("input", { type: "checkbox", name: "active" });
    const slot = h("div", { "aria-live": "polite" });

    let asked = 0; // the latest refresh: an answer to an earlier one (other filter) is dropped
    const refresh = async (): Promise<void> => {
      window.clearTimeout(timer);
      const ask = ++asked;
      try {
        const jobs = await call("listMyJobs", { query: { active: activeOnly.checked, limit: 200 } });
        if (!open || ask !== asked) return;
        const empty = activeOnly.checked ? "None of your jobs is running." : "You launched no job yet.";
        slot.replaceChildren(jobsTable(jobs, act, { withSet: true, empty }));
        if (jobs.some((job) => ACTIVE.has(job.status)))
          timer = window.setTimeout(() => void refresh(), POLL_MILLISECONDS);
      } catch (error) {
        messages.error(error);
      }
    };
    const act = (job: Job, action: "cancel" | "rerun"): void => {
      void call(action === "cancel" ? "cancelJob" : "rerunJob", { path: { job_id: job.id } })
        .then(() =>
          messages.show(
            "notice",
            action === "cancel" ? `Cancelling job ${job.id}.` : `Job ${job.id} queued again.`,
          ),
        )
        .catch((error: unknown) => messages.error(error))
        .finally(() => void refresh());
    };
    activeOnly.addEventListener("change", () => void refresh());
    content.append(
      h(
        "div",
        { class: "lab-toolbar" },
        h("label", { class: "check" }, activeOnly, " Only queued and running jobs"),
      ),
      messages.element,
      slot,
    );
    void refresh();
  });
  return () => {
    open = false;
    window.clearTimeout(timer);
  };
};
