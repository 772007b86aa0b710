/**
 * One set (`#/set?id=`): its samples; adding samples by drag and drop or file picker (one sample
 * per file, or an R1/R2 pair) with progress and automatic resume, or from the network folder;
 * launching an analysis config; the live job list (polled while something runs), cancel and
 * rerun; and "open results" for each config with a finished analysis.
 */
import { call, messageOf } from "../api/client";
import type { Config, Job, Sample } from "../api/schema";
import { ACTIVE, jobsTable, resultLinks, resultsByConfig } from "./jobs-view";
import { missingFiles, samplesTable, type UploadRow, uploadRow } from "./samples-view";
import type { Page } from "../router";
import { h } from "../ui/dom";
import { shell } from "./layout";
import { signedIn } from "./session";
import { networkPicker } from "./network-picker";
import { sharingPanel } from "./sharing";
import { uploadFile } from "./upload";
import { busy, confirmDialog, field, hashQuery, input, MessageBox } from "./widgets";

const POLL_MILLISECONDS = 1500;

function setTitle(set: Record<string, unknown>): string {
  const kind = String(set.kind ?? "set");
  const name = String(set.name || set.id_label || `#${String(set.id)}`);
  return `${kind === "patient" ? "Patient" : kind === "run" ? "Run" : "Set"} ${name}`;
}

function listHash(kind: unknown): string {
  return kind === "patient" ? "#/patients" : kind === "run" ? "#/runs" : "#/sets";
}

export const setPage: Page = (root) => {
  let alive = true;
  let timer = 0;
  const setId = Number(hashQuery().get("id"));
  void signedIn(root).then(async (session) => {
    if (!session || !alive) return;
    const messages = new MessageBox();
    let set: Record<string, unknown>;
    try {
      set = await call("getSampleSet", { path: { set_id: setId } });
    } catch (error) {
      shell(root, session, "Set not found").append(
        h("p", { class: "lab-message error", role: "alert" }, messageOf(error)),
      );
      return;
    }
    const content = shell(root, session, setTitle(set));
    const info = [
      set.info,
      set.birth ? `born ${String(set.birth)}` : "",
      set.run_date ? `run ${String(set.run_date)}` : "",
    ]
      .filter(Boolean)
      .join(" · ");
    const samplesSlot = h("div", {});
    const jobsSlot = h("div", { "aria-live": "polite" });
    const resultsSlot = h("div", {});
    const uploads = h("ul", { class: "uploads" });

    const refreshSamples = async () => {
      try {
        const samples = await call("listSetSamples", { path: { set_id: setId } });
        // Polling must not pull a date field from under the user's fingers.
        const editing =
          document.activeElement instanceof HTMLInputElement && samplesSlot.contains(document.activeElement);
        if (alive && !editing) {
          samplesSlot.replaceChildren(samplesTable(samples, messages, resumeSample, deleteSample));
        }
      } catch (error) {
        messages.error(error);
      }
    };
    const refreshJobs = async () => {
      window.clearTimeout(timer);
      try {
        const jobs = await call("listSetJobs", { path: { set_id: setId } });
        if (!alive) return;
        jobsSlot.replaceChildren(jobsTable(jobs, act));
        const states = resultsByConfig(jobs);
        resultsSlot.replaceChildren(resultLinks(setId, states));
        // Poll only while something runs or a fuse is due; a launch or rerun starts polling again.
        if (
          [...states.values()].some((state) => state.updating) ||
          jobs.some((job) => ACTIVE.has(job.status))
        ) {
          timer = window.setTimeout(() => void refreshJobs().then(refreshSamples), POLL_MILLISECONDS);
        }
      } catch (error) {
        messages.error(error);
      }
    };
    const deleteSample = (sample: Sample) =>
      void (async () => {
        if (!(await confirmDialog(`Delete the sample ${sample.original_name} and its files?`, "Delete")))
          return;
        try {
          await call("deleteSample", { path: { sample_id: sample.id } });
          messages.show("notice", `Deleted ${sample.original_name}.`);
          void refreshSamples();
        } catch (error) {
          messages.error(error);
        }
      })();
    const act = (job: Job, action: "cancel" | "rerun") =>
      void call(action === "cancel" ? "cancelJob" : "rerunJob", { path: { job_id: job.id } })
        .then(() =>
          messages.show(
            "notice",
            action === "cancel" ? `Cancelling job ${job.id}.` : `Job ${job.id} queued again.`,
          ),
        )
        .catch((error: unknown) => messages.error(error))
        .finally(() => void refreshJobs());

    // Adding samples: files dropped or picked, one sample each, or one R1/R2 pair.
    const paired = input("paired", { type: "checkbox" });
    const samplingDate = input("sampling_date", { type: "date" });
    const picker = input("files", { type: "file", multiple: true, accept: ".fastq,.fq,.gz,.fasta,.fa" });
    picker.hidden = true;
    const addFiles = async (files: File[]) => {
      if (files.length === 0) return;
      if (paired.checked && files.length !== 2) {
        return messages.show("error", "A paired sample needs exactly two files: R1 then R2.");
      }
      messages.clear();
      const ordered = [...files].sort((a, b) => a.name.localeCompare(b.name));
      const groups = paired.checked ? [ordered] : ordered.map((file) => [file]);
      // Samples are created one by one, in name order (their order in the set and its
      // time-course); then their files upload side by side.
      const created: [Sample, File[], UploadRow[]][] = [];
      for (const group of groups) {
        const rows = group.map((file) => uploadRow(file.name));
        uploads.append(...rows.map((row) => row.element));
        try {
          created.push([await createSample(group), group, rows]);
        } catch (error) {
          fail(group, rows, error);
        }
      }
      void refreshSamples();
      await Promise.all(created.map(([sample, group, rows]) => uploadSample(sample, group, rows)));
      void refreshSamples();
    };
    const createSample = (files: File[]) =>
      call("createSample", {
        path: { set_id: setId },
        body: {
          original_name: files[0]?.name ?? "",
          original_name2: files[1]?.name ?? null,
          sampling_date: samplingDate.value || null,
        },
      });
    const fail = (files: File[], rows: UploadRow[], error: unknown) => {
      for (const row of rows) row.fail(`failed: ${messageOf(error)}`);
      messages.show("error", `${files.map((file) => file.name).join(" + ")}: ${messageOf(error)}`);
    };
    // An upload cut off earlier (closed page, lost network): the same file(s) picked again go
    // on from the bytes the server kept.
    const resumeSample = (sample: Sample) => {
      const files = missingFiles(sample);
      const names = files.map((number) =>
        number === 1 ? sample.original_name : (sample.original_name2 ?? ""),
      );
      const chooser = input("resume", { type: "file", multiple: files.length > 1 });
      chooser.addEventListener("change", () => {
        const chosen = [...(chooser.files ?? [])].sort((a, b) => a.name.localeCompare(b.name));
        if (chosen.length !== files.length || chosen.some((file, index) => file.name !== names[index])) {
          return messages.show("error", `To resume, choose ${names.join(" and ")} again.`);
        }
        const rows = chosen.map((file) => uploadRow(file.name));
        uploads.append(...rows.map((row) => row.element));
        void (async () => {
          try {
            for (const [index, file] of chosen.entries()) {
              await uploadFile(sample.id, files[index] ?? 1, file, (sent, total, note) =>
                rows[index]?.update(sent, total, note),
              );
            }
          } catch (error) {
            fail(chosen, rows, error);
          }
          void refreshSamples();
        })();
      });
      chooser.click();
    };
    const uploadSample = async (sample: Sample, files: File[], rows: UploadRow[]) => {
      try {
        for (const [index, file] of files.entries()) {
          await uploadFile(sample.id, index === 0 ? 1 : 2, file, (sent, total, note) =>
            rows[index]?.update(sent, total, note),
          );
        }
      } catch (error) {
        fail(files, rows, error);
      }
    };
    picker.addEventListener(
      "change",
      () => void addFiles([...(picker.files ?? [])]).then(() => (picker.value = "")),
    );
    const dropZone = h(
      "div",
      {
        class: "drop-zone",
        tabindex: 0,
        role: "button",
        "aria-label": "Add FASTQ files: drop them here or press Enter to choose",
      },
      h("strong", {}, "Drop FASTQ files here"),
      h("span", {}, " or press Enter / click to choose them"),
    );
    dropZone.addEventListener("click", () => picker.click());
    dropZone.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        picker.click();
      }
    });
    dropZone.addEventListener("dragover", (event) => {
      event.preventDefault();
      dropZone.classList.add("dragging");
    });
    dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
    dropZone.addEventListener("drop", (event) => {
      event.preventDefault();
      dropZone.classList.remove("dragging");
      void addFiles([...(event.dataTransfer?.files ?? [])]);
    });

    // Launching an analysis.
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
            messages.show("notice", `${jobs.length} analysis job(s) queued.`);
          } catch (error) {
            messages.error(error);
          }
          await refreshJobs();
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

    const addSection = h(
      "section",
      { class: "add-samples", "aria-labelledby": "add-title" },
      h("h2", { id: "add-title" }, "Add samples"),
      h(
        "div",
        { class: "form-row" },
        field("Sampling date", samplingDate),
        h("label", { class: "check" }, paired, " Paired-end: two files (R1, R2) make one sample"),
      ),
      dropZone,
      picker,
      uploads,
      networkPicker(
        setId,
        () => ({ paired: paired.checked, sampling_date: samplingDate.value || null }),
        messages,
        () => void refreshSamples(),
      ),
    );
    // Results first: on a set already analysed, they are what the user came for.
    content.append(
      h(
        "p",
        { class: "set-info" },
        h("a", { href: listHash(set.kind) }, "← back to the list"),
        info ? ` · ${info}` : "",
      ),
      messages.element,
      resultsSlot,
      h(
        "section",
        { "aria-labelledby": "samples-title" },
        h("h2", { id: "samples-title" }, "Samples"),
        samplesSlot,
      ),
      h(
        "section",
        { "aria-labelledby": "analysis-title" },
        h("h2", { id: "analysis-title" }, "Analyses"),
        h("div", { class: "lab-toolbar" }, field("Analysis config", configSelect), launch),
        jobsSlot,
      ),
      addSection,
    );
    if (session.user.is_admin) {
      const groups = Array.isArray(set.groups) ? (set.groups as number[]) : [];
      content.append(sharingPanel(setId, groups, messages));
    }
    await Promise.all([refreshSamples(), refreshJobs()]);
  });
  return () => {
    alive = false;
    window.clearTimeout(timer);
  };
};
