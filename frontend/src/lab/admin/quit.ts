/**
 * "Quit vidjil-local" at the end of the administration tabs: the desktop app has no window of its
 * own to close, so an administrator stops it here. The server sends its answer, then stops; the
 * analyses running at that moment run again at the next start.
 */
import { call, messageOf } from "../../api/client";
import { h } from "../../ui/dom";

const CONFIRM =
  "Stop vidjil-local for every user of this computer? Running analyses stop and run again at the next start.";

function stoppedPage(requeuedJobs: number): HTMLElement {
  return h(
    "main",
    { class: "lab-main", id: "lab-main" },
    h("h1", {}, "vidjil-local has stopped"),
    requeuedJobs > 0
      ? h("p", {}, `${requeuedJobs} running analysis job(s) will run again at the next start.`)
      : null,
    h("p", {}, "Start it again from its icon; this page can be closed."),
  );
}

async function quit(): Promise<void> {
  if (!window.confirm(CONFIRM)) return;
  try {
    const answer = await call("quitApp");
    document.body.replaceChildren(stoppedPage(answer.requeued_jobs));
    document.title = "Stopped · Vidjil local";
  } catch (error) {
    window.alert(`Quit failed: ${messageOf(error)}`);
  }
}

export function quitButton(): HTMLElement {
  const button = h("button", { type: "button", class: "link-button quit-app" }, "Quit vidjil-local");
  button.addEventListener("click", () => void quit());
  return button;
}
