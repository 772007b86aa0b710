/**
 * One set (`#/set?id=`): the "open results" links (with the QC table and the fused result), its
 * samples, its analyses, its result files and, below, adding samples (with the `upload` right);
 * those holding the `admin` right on it see its history and which groups own it. Each section is a panel
 * of this folder; this page loads the set, lays the panels out and stops their polling when it is
 * left.
 */
import { call, messageOf } from "../../api/client";
import type { Page } from "../../router";
import { h } from "../../ui/dom";
import { shell } from "../layout";
import { type Session, signedIn } from "../session";
import { hashQuery, MessageBox } from "../widgets";
import { addSamplesPanel } from "./add-samples-panel";
import { analysesPanel } from "./analyses-panel";
import { may, type SetContext } from "./context";
import { filesPanel } from "./files-panel";
import { historyPanel } from "./history-panel";
import { samplesPanel } from "./samples-panel";
import { sharingPanel } from "./sharing";
import { UploadList } from "./upload-list";

type SampleSet = Record<string, unknown>;

function setTitle(set: SampleSet): string {
  const kind = String(set.kind ?? "set");
  const name = String(set.name || set.id_label || `#${String(set.id)}`);
  return `${kind === "patient" ? "Patient" : kind === "run" ? "Run" : "Set"} ${name}`;
}

function listHash(kind: unknown): string {
  return kind === "patient" ? "#/patients" : kind === "run" ? "#/runs" : "#/sets";
}

/** The line under the title: back to the list, then the set's information, birth or run date. */
function setInfo(set: SampleSet): HTMLElement {
  const info = [
    set.info,
    set.birth ? `born ${String(set.birth)}` : "",
    set.run_date ? `run ${String(set.run_date)}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return h(
    "p",
    { class: "set-info" },
    h("a", { href: listHash(set.kind) }, "← back to the list"),
    info ? ` · ${info}` : "",
  );
}

async function loadSet(root: HTMLElement, session: Session, setId: number): Promise<SampleSet | null> {
  try {
    return await call("getSampleSet", { path: { set_id: setId } });
  } catch (error) {
    shell(root, session, "Set not found").append(
      h("p", { class: "lab-message error", role: "alert" }, messageOf(error)),
    );
    return null;
  }
}

export const setPage: Page = (root) => {
  let open = true;
  let stopPolling = () => {};
  const setId = Number(hashQuery().get("id"));
  void signedIn(root).then(async (session) => {
    if (!session || !open) return;
    const set = await loadSet(root, session, setId);
    if (set === null) return;
    const content = shell(root, session, setTitle(set));
    const rights = Array.isArray(set.rights) ? (set.rights as string[]) : [];
    const context: SetContext = { setId, rights, messages: new MessageBox(), isOpen: () => open };
    const uploads = new UploadList(context.messages);
    const samples = samplesPanel(context, uploads);
    const files = filesPanel(context);
    const analyses = analysesPanel(context, () => Promise.all([samples.refresh(), files.refresh()]).then());
    stopPolling = analyses.stop;
    // Results first: on a set already analysed, they are what the user came for.
    content.append(
      setInfo(set),
      context.messages.element,
      analyses.results,
      samples.element,
      analyses.element,
      files.element,
    );
    if (may(context, "upload"))
      content.append(addSamplesPanel(context, uploads, () => void samples.refresh()));
    const history = rights.includes("admin") ? historyPanel(context) : null;
    if (history) content.append(history.element);
    if (rights.includes("admin")) {
      const groups = Array.isArray(set.groups) ? (set.groups as number[]) : [];
      content.append(sharingPanel(setId, groups));
    }
    await Promise.all([samples.refresh(), analyses.refresh(), files.refresh(), history?.refresh()]);
  });
  return () => {
    open = false;
    stopPolling();
  };
};
