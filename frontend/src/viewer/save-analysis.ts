/** Saving the user's analysis layer back to the server, when the server opened the result. */
import { call, messageOf } from "../api/client";
import { analysisDocument } from "../model/analysis-file";
import { completedAnalysis } from "./report/report-store";
import type { Store } from "./state";
import { h } from "../ui/dom";

export async function saveAnalysis(store: Store): Promise<void> {
  const { server, result, analysis } = store.state;
  if (server === null || result === null) return;
  try {
    const saved = await call("saveAnalysis", {
      path: { set_id: server.setId },
      body: completedAnalysis(store, analysisDocument(analysis, result)),
    });
    store.update({ savedAnalysis: analysis, notice: `Saved (version ${saved.version})`, error: "" });
  } catch (error) {
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
