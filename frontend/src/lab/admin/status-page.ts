/**
 * Server status: version, workers, queue, disk, counts, last jobs, the worker self-test, and
 * the lab network's address with the certificate fingerprint colleagues compare.
 */
import { call } from "../../api/client";
import type { BackupHealth, Health, NetworkStatus, ServerStatus } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, formatBytes, formatDate, MessageBox, queueName, table } from "../widgets";
import { adminPage } from "./frame";

const REFRESH_MILLISECONDS = 2000;

function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours ? `${hours} h ${minutes} min` : `${minutes} min ${Math.floor(seconds % 60)} s`;
}

/** The backups' state; a failed, interrupted or missed backup as an alert linking to its page. */
function backupLine(health: BackupHealth | null): HTMLElement | null {
  if (!health) return null;
  return h(
    "p",
    {
      class: `lab-message ${health.alert ? "error" : "notice"} backup-health`,
      role: health.alert ? "alert" : null, // refreshed every 2 s: announced only when it alerts
    },
    h("strong", {}, "Backups: "),
    `${health.message} `,
    h("a", { href: "#/admin/backups" }, "Backups page"),
  );
}

/** What keeps the lab from working (a data disk under min_free_disk_percent...), as alerts. */
function problemLines(health: Health): HTMLElement[] {
  return health.problems.map((problem) =>
    h(
      "p",
      { class: "lab-message error health-problem", role: "alert" },
      h("strong", {}, "Needs an administrator: "),
      problem,
    ),
  );
}

function facts(status: ServerStatus): HTMLElement {
  const health = status.health;
  const rows: [string, string][] = [
    ["Health", health.status],
    ["Version", `${health.version} (core: ${health.core}, database schema ${health.schema_version})`],
    ["Workers", `${status.workers} (${queueName(status.broker)})`],
    [
      "Queue",
      Object.entries(health.queue)
        .map(([name, count]) => `${name}: ${count}`)
        .join(", ") || "empty",
    ],
    [
      "Jobs",
      Object.entries(status.jobs_by_status)
        .map(([name, count]) => `${name}: ${count}`)
        .join(", ") || "none",
    ],
    [
      "Disk",
      `${formatBytes(status.disk_free_bytes)} free of ${formatBytes(status.disk_total_bytes)} (${health.disk_free_percent.toFixed(1)}%)`,
    ],
    ["Database", formatBytes(status.database_bytes)],
    ["Data folder", status.data_dir],
    ["Up since", `${formatDate(status.started_at)} (${duration(status.uptime_seconds)})`],
    [
      "Counts",
      Object.entries(status.counts)
        .map(([name, count]) => `${name}: ${count}`)
        .join(", "),
    ],
    ["Locked users", String(status.locked_users)],
  ];
  return h(
    "dl",
    { class: "facts" },
    ...rows.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]),
  );
}

function network(status: NetworkStatus): HTMLElement {
  if (!status.network_access)
    return h(
      "p",
      { class: "network-status" },
      "Only this computer can use the app (network_access is off, in Settings).",
    );
  const certificate = status.certificate;
  const rows: [string, string][] = [["Address", status.url ?? ""]];
  if (certificate) {
    rows.push(
      ["SHA-256 fingerprint", certificate.fingerprint_sha256],
      [
        "Certificate",
        `${certificate.self_signed ? "self-signed" : certificate.subject}, valid until ${formatDate(certificate.not_after)}`,
      ],
      ["Names", certificate.names.join(", ")],
    );
  } else rows.push(["Certificate", status.problem]);
  return h(
    "dl",
    { class: "facts network-status" },
    ...rows.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]),
  );
}

export const statusPage = adminPage("status", "Server status", (content, _session, alive) => {
  const messages = new MessageBox();
  const body = h("div", { "aria-live": "polite" });
  let timer = 0;
  const refresh = async () => {
    window.clearTimeout(timer);
    try {
      const [status, backups, lab] = await Promise.all([
        call("getServerStatus"),
        call("getBackupHealth").catch(() => null),
        call("getNetworkStatus"),
      ]);
      if (!alive()) return;
      body.replaceChildren(
        ...problemLines(status.health),
        ...[backupLine(backups)].filter((line) => line !== null),
        facts(status),
        h("h2", {}, "Lab network"),
        network(lab),
        h("h2", {}, "Last jobs"),
        table(
          ["Job", "Kind", "Status", "Progress", "Set", "Created", "Finished"],
          status.last_jobs.map((job) => [
            String(job.id),
            job.kind,
            h("span", { class: `status status-${job.status}` }, job.status),
            `${Math.round(job.progress * 100)}%`,
            job.sample_set_id === null
              ? ""
              : h("a", { href: `#/set?id=${job.sample_set_id}` }, `#${job.sample_set_id}`),
            formatDate(job.created_at),
            formatDate(job.finished_at),
          ]),
        ),
      );
      timer = window.setTimeout(() => void refresh(), REFRESH_MILLISECONDS);
    } catch (error) {
      messages.error(error);
    }
  };
  const selfTest = h("button", { type: "button", class: "primary" }, "Run the worker self-test");
  selfTest.addEventListener(
    "click",
    () =>
      void busy(selfTest, async () => {
        try {
          const job = await call("runDiagnostics", { body: { seconds: 1 } });
          messages.show(
            "notice",
            `Self-test queued (job ${String(job.id)}): it appears under "Last jobs" and should complete in a few seconds.`,
          );
          await refresh();
        } catch (error) {
          messages.error(error);
        }
      }),
  );
  content.append(h("div", { class: "lab-toolbar" }, selfTest), messages.element, body);
  void refresh();
  return () => window.clearTimeout(timer);
});
