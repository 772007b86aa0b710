/** Saving the user's analysis layer back to the server, when the server opened the result. */
import { ApiError, call, messageOf } from "../api/client";
import { analysisDocument } from "../model/analysis-file";
import { completedAnalysis } from "./report/report-store";
import type { Store } from "./state";
import { h } from "../ui/dom";

/**
 * Saves the edits over the version they started from: when someone saved since (another tab, a
 * colleague), the server refuses, and the user chooses to save theirs over it or not (their
 * edits stay here either way), rather than one save silently replacing the other's.
 */
export async function saveAnalysis(store: Store, overwrite = false): Promise<void> {
  const { server, result, analysis, savedVersion } = store.state;
  if (server === null || result === null) return;
  try {
    const saved = await call("saveAnalysis", {
      path: { set_id: server.setId },
      query: overwrite ? {} : { base_version: savedVersion },
      body: completedAnalysis(store, analysisDocument(analysis, result)),
    });
    store.update({
      savedAnalysis: analysis,
      savedVersion: saved.version,
      notice: `Saved (version ${saved.version})`,
      error: "",
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && !overwrite) {
      if (window.confirm(`${messageOf(error)}.\n\nSave your edits over that version?`)) {
        return saveAnalysis(store, true);
      }
    }
    store.update({ error: `The analysis was not saved: ${messageOf(error)}` });
  }
}

/**
 * Save state for results opened from the server: a "Save analysis" button while there are
 * unsaved edits, then a short "Saved (version N)" in the button's place (`status`); nothing for
 * local files. The button keeps its room while it is not needed, so that an edit does not reflow
 * the toolbar (and with it resize, and redraw, every view below); the status takes that room, so
 * that it never lies over its neighbours when the toolbar is crowded (1,280 px).
 */
export function saveControls(store: Store): { slot: HTMLElement; status: HTMLElement } {
  const button = h(
    "button",
    { type: "button", class: "button primary", title: "Save names, tags and merges on the server (Ctrl+S)" },
    "Save analysis",
  );
  const status = h("span", { class: "notice save-status", role: "status" });
  const slot = h("span", { class: "save-slot" }, button, status);
  button.addEventListener("click", () => void saveAnalysis(store));
  store.subscribe((state) => {
    const unsaved = state.server !== null && state.savedAnalysis !== state.analysis;
    slot.hidden = button.hidden = state.server === null;
    button.style.visibility = unsaved ? "" : "hidden";
    status.textContent = unsaved || state.server === null ? "" : state.notice;
  });
  return { slot, status };
}
