/**
 * Backups: whether the data is backed up (a failed, interrupted or missed backup said plainly), the
 * folder, schedule and retention (the "backups" settings), "Back up now", what a backup holds and
 * not, the history of runs, the backups kept in the folder, and how to restore one.
 */
import { ApiError, call } from "../../api/client";
import type { BackupOverview, BackupRun, SettingView } from "../../api/schema";
import { h } from "../../ui/dom";
import { formatBytes, formatDate, MessageBox, table } from "../widgets";
import { adminPage } from "./frame";
import { settingRow } from "./settings-page";

const REFRESH_MILLISECONDS = 1500;
const TRIGGERS: Record<string, string> = {
  schedule: "scheduled",
  catch_up: "made up after a stop",
  manual: "by hand",
  command: "command line",
  before_restore: "before a restore",
  before_upgrade: "before an upgrade",
};

function seconds(value: number | null): string {
  return value === null ? "" : value < 60 ? `${value.toFixed(1)} s` : `${Math.round(value / 60)} min`;
}

const PHASES: Record<string, string> = {
  waiting: "About to start",
  database: "Copying the database",
  files: "Storing the files",
  checking: "Checking the backup",
  retention: "Applying the retention rules",
};

/** How far the running backup has gone (known for the app's own runs, not a command line's). */
function progressLine(run: BackupRun | null): HTMLElement | null {
  const progress = run?.status === "running" ? run.progress : null;
  if (!progress) return null;
  const files =
    progress.files_total > 0
      ? `: ${String(progress.files_done)} of ${String(progress.files_total)} files (${formatBytes(progress.bytes_done)})`
      : "";
  return h("span", { class: "backup-progress" }, ` ${PHASES[progress.phase] ?? progress.phase}${files}.`);
}

function state(overview: BackupOverview): HTMLElement {
  const health = overview.health;
  const next = health.next_run_at ? `Next backup: ${formatDate(health.next_run_at)}.` : "";
  return h(
    "div",
    {
      class: `backup-state backup-${health.state} ${health.alert ? "lab-message error" : "lab-message notice"}`,
      role: health.alert ? "alert" : "status",
    },
    h("strong", {}, health.message),
    health.state === "running" ? progressLine(health.last_run) : null,
    " ",
    next,
  );
}

function runStatus(run: BackupRun): HTMLElement {
  const problems = [run.error, ...run.warnings].filter(Boolean).join(" ");
  return h(
    "span",
    {},
    h("span", { class: `status status-${run.status}` }, run.status),
    problems ? h("small", { class: "run-problem" }, ` ${problems}`) : null,
  );
}

function history(runs: BackupRun[]): HTMLElement {
  if (runs.length === 0) return h("p", { class: "empty" }, "No backup has been made yet.");
  return table(
    ["Started", "How", "Status", "Backup", "Files", "Size", "New", "Time", "Removed by retention"],
    runs.map((run) => [
      formatDate(run.started_at),
      TRIGGERS[run.trigger] ?? run.trigger,
      runStatus(run),
      run.snapshot ?? "",
      run.files === null ? "" : String(run.files),
      formatBytes(run.bytes),
      formatBytes(run.new_bytes),
      seconds(run.seconds),
      run.deleted.join(", "),
    ]),
    "Last runs",
  );
}

function kept(overview: BackupOverview): HTMLElement {
  if (overview.snapshots_problem)
    return h("p", { class: "lab-message error", role: "alert" }, overview.snapshots_problem);
  if (overview.snapshots.length === 0)
    return h("p", { class: "empty" }, "The backup folder holds no backup.");
  return table(
    ["Backup", "Taken", "How", "Files", "Size", "New then", "Sequences"],
    overview.snapshots.map((snapshot) => [
      snapshot.name,
      formatDate(snapshot.created_at),
      TRIGGERS[snapshot.trigger] ?? snapshot.trigger,
      String(snapshot.files),
      formatBytes(snapshot.bytes),
      formatBytes(snapshot.new_bytes),
      snapshot.sequences_included ? "yes" : "no",
    ]),
    "Backups in the folder",
  );
}

function contents(overview: BackupOverview): HTMLElement {
  const list = (lines: { what: string; why: string }[]) =>
    h("ul", {}, ...lines.map((line) => h("li", {}, h("strong", {}, line.what), `: ${line.why}`)));
  return h(
    "div",
    { class: "backup-contents" },
    h(
      "section",
      { "aria-labelledby": "backup-in" },
      h("h3", { id: "backup-in" }, "In a backup"),
      list(overview.contents.included),
    ),
    h(
      "section",
      { "aria-labelledby": "backup-out" },
      h("h3", { id: "backup-out" }, "Not in a backup"),
      list(overview.contents.excluded),
    ),
  );
}

function restoreHelp(overview: BackupOverview): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "restore-title" },
    h("h2", { id: "restore-title" }, "Restore"),
    h(
      "p",
      {},
      "Stop vidjil-local, then run this on this computer (a backup's name instead of 'latest' for an older one). " +
        "The backup is checked whole first, the current state is backed up before anything changes, and everyone logs in again afterwards.",
    ),
    h("pre", { class: "mono restore-command" }, overview.restore_command),
  );
}

export const backupsPage = adminPage("backups", "Backups", (content, _session, alive) => {
  const messages = new MessageBox();
  const top = h("div", { "aria-live": "polite" });
  const body = h("div", {});
  const settingsBox = h("section", { class: "settings-section", "aria-labelledby": "backup-settings" });
  const now = h("button", { type: "button", class: "primary" }, "Back up now");
  let timer = 0;
  const refresh = async () => {
    window.clearTimeout(timer);
    try {
      const overview = await call("getBackups");
      if (!alive()) return;
      top.replaceChildren(state(overview));
      const running = overview.health.state === "running";
      now.disabled = running;
      now.title = running ? "A backup is running: back up again once it has ended." : "";
      body.replaceChildren(
        h("h2", {}, "What a backup holds"),
        contents(overview),
        h("h2", {}, "History"),
        history(overview.runs),
        h("h2", {}, "Kept backups"),
        kept(overview),
        restoreHelp(overview),
      );
      if (overview.runs.some((run) => run.status === "running"))
        timer = window.setTimeout(() => void refresh(), REFRESH_MILLISECONDS);
    } catch (error) {
      now.disabled = false;
      messages.error(error);
    }
  };
  now.addEventListener("click", () => {
    now.disabled = true; // until the refresh says whether a backup runs
    void (async () => {
      try {
        const run = await call("runBackup");
        messages.show("notice", `Backup started (run ${String(run.id)}): it appears under "History".`);
      } catch (error) {
        // a backup already running (scheduled, or from the command line) is news, not a failure
        if (error instanceof ApiError && error.status === 409) messages.show("notice", error.message);
        else messages.error(error);
      }
      await refresh();
    })();
  });
  call("listSettings")
    .then((settings: SettingView[]) => {
      settingsBox.replaceChildren(
        h("h2", { id: "backup-settings" }, "Folder, schedule and retention"),
        ...settings
          .filter((setting) => setting.section === "backups")
          .map((setting) => settingRow(setting, messages, () => void refresh())),
      );
    })
    .catch((error: unknown) => messages.error(error));
  content.append(top, h("div", { class: "lab-toolbar" }, now), messages.element, settingsBox, body);
  void refresh();
  return () => window.clearTimeout(timer);
});
