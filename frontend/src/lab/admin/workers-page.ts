/**
 * Worker machines: the lab's other computers running analyses for this server. An administrator
 * makes a token for each (shown once, with the command to run there), sees each worker's host,
 * version, jobs done, current job and last contact, revokes a token, and sees the job queue.
 */
import { call } from "../../api/client";
import type { WorkersPage, Worker } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, confirmDialog, field, formatDate, input, MessageBox, queueName, table } from "../widgets";
import { adminPage } from "./frame";

const REFRESH_MILLISECONDS = 3000;

function workerRow(worker: Worker, revoke: (worker: Worker) => void): (Node | string)[] {
  const state = worker.revoked_at
    ? h("span", { class: "status status-failed" }, `revoked ${formatDate(worker.revoked_at)}`)
    : h("span", { class: "status status-completed" }, "allowed");
  const action = worker.revoked_at
    ? ""
    : h("button", { type: "button", "data-revoke": worker.name }, "Revoke");
  if (action) action.addEventListener("click", () => revoke(worker));
  return [
    h("span", {}, worker.name),
    state,
    [worker.host, worker.address].filter(Boolean).join(" / "),
    worker.version ?? "",
    worker.cores === null ? "" : String(worker.cores),
    String(worker.jobs_done),
    worker.current_jobs.map((id) => `#${id}`).join(", "),
    formatDate(worker.last_seen_at),
    action,
  ];
}

function command(page: WorkersPage, token: string): string {
  const server = page.network.url ?? "https://SERVER:8443";
  const fingerprint = page.network.certificate?.self_signed
    ? ` --fingerprint ${page.network.certificate.fingerprint_sha256}`
    : "";
  return `vidjil-local worker --server ${server} --token ${token}${fingerprint}`;
}

export const workersPage = adminPage("workers", "Worker machines", (content, _session, alive) => {
  const messages = new MessageBox();
  const body = h("div", { "aria-live": "polite" });
  const shown = h("div", { class: "worker-token" });
  let latest: WorkersPage | null = null;
  let timer = 0;

  const revoke = (worker: Worker) =>
    void (async () => {
      const sure = await confirmDialog(
        `Revoke the token of ${worker.name}? The worker stops at its next request; its job goes back to the queue.`,
        "Revoke",
      );
      if (!sure) return;
      try {
        await call("revokeWorker", { path: { worker_id: worker.id } });
        messages.show("notice", `${worker.name}'s token is revoked.`);
        await refresh();
      } catch (error) {
        messages.error(error);
      }
    })();

  const refresh = async () => {
    window.clearTimeout(timer);
    try {
      const page = await call("listWorkers");
      if (!alive()) return;
      latest = page;
      const queue = page.queue;
      body.replaceChildren(
        h(
          "p",
          { class: queue && !queue.answering ? "lab-message error queue-state" : "muted queue-state" },
          queue
            ? `Job queue (${queueName(queue.broker)}): ${queue.message}.`
            : "The job system is not running.",
        ),
        table(
          ["Name", "Token", "Host / address", "Version", "Cores", "Jobs done", "Running", "Last seen", ""],
          page.workers.map((worker) => workerRow(worker, revoke)),
          "Worker machines",
        ),
        h("h2", {}, "Queue"),
        table(
          ["Job", "Kind", "Status", "Progress", "Attempts", "Where", "Created"],
          page.jobs.map((job) => [
            String(job.id),
            job.kind,
            h("span", { class: `status status-${job.status}` }, job.status),
            `${Math.round(job.progress * 100)}%`,
            String(job.attempts),
            job.status === "running" ? (job.worker_name ?? "this server") : "",
            formatDate(job.created_at),
          ]),
          "Jobs waiting and running",
        ),
      );
      timer = window.setTimeout(() => void refresh(), REFRESH_MILLISECONDS);
    } catch (error) {
      messages.error(error);
    }
  };

  const name = input("name", { required: true, maxlength: "80", placeholder: "bench-pc-2" });
  const create = h("button", { type: "submit", class: "primary" }, "Make a worker token");
  const form = h("form", { class: "inline-form" }, field("Worker name", name), create);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(create, async () => {
      try {
        const made = await call("createWorker", { body: { name: name.value } });
        name.value = "";
        await refresh();
        shown.replaceChildren(
          h("p", {}, `Token of ${made.worker.name}, shown this once: run on that machine`),
          h("pre", { class: "token" }, latest ? command(latest, made.token) : made.token),
        );
      } catch (error) {
        messages.error(error);
      }
    });
  });
  content.append(messages.element, form, shown, body);
  void refresh();
  return () => window.clearTimeout(timer);
});
