/**
 * Getting a result into the store: a file picked or dropped (a `.vidjil`, optionally with its
 * `.analysis`), a URL from the query string (`?vidjil=...&analysis=...`), or a set's results on
 * the server (`?set=&config=`).
 */
import { ApiError, call, callText, operationUrl, send } from "../api/client";
import { parseAnalysis } from "../model/analysis-file";
import { parseVidjil } from "../model/vidjil";
import { rememberAnalysis } from "./report/report-store";
import type { ServerNames, ServerSet, Store } from "./state";

/** A file of this server named by a link (`?vidjil=`), as text. */
async function getText(url: string): Promise<string> {
  return (await send(url)).text();
}

function isAnalysis(name: string): boolean {
  return name.toLowerCase().endsWith(".analysis");
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function loadFiles(store: Store, files: readonly File[]): Promise<void> {
  const result = files.find((file) => !isAnalysis(file.name));
  const analysis = files.find((file) => isAnalysis(file.name));
  try {
    if (result) store.load(parseVidjil(await result.text()), result.name);
    if (analysis) applyAnalysis(store, await analysis.text(), analysis.name);
  } catch (error) {
    store.update({ error: `Cannot open ${(result ?? analysis)?.name}: ${reason(error)}` });
  }
}

function applyAnalysis(store: Store, text: string, name: string): void {
  const result = store.state.result;
  if (result === null) throw new Error(`open a .vidjil file before ${name}`);
  store.update({ analysis: parseAnalysis(text, result), error: "" });
  rememberAnalysis(store, text); // its reports, and what the viewer does not edit
}

/** A link must not make the client fetch from another server: results come from this one. */
function sameOrigin(url: string): void {
  if (new URL(url, window.location.href).origin !== window.location.origin) {
    throw new Error("only files from this server can be opened by link");
  }
}

/** `?set=3&config=2`: the server's fused result of a set for a config, with its saved analysis. */
function serverSet(params: URLSearchParams): ServerSet | null {
  const setId = Number(params.get("set"));
  const configId = Number(params.get("config"));
  return Number.isInteger(setId) && setId > 0 && Number.isInteger(configId) && configId > 0
    ? { setId, configId }
    : null;
}

async function loadFromServer(store: Store, set: ServerSet): Promise<void> {
  try {
    const setPath = { set_id: set.setId };
    const result = parseVidjil(
      await callText("getFusedResult", { path: setPath, query: { config_id: set.configId } }),
    );
    store.load(result, `set ${set.setId} · config ${set.configId}`, set);
    const saved = await send(operationUrl("getAnalysis", { path: setPath }));
    applyAnalysis(store, await saved.text(), "the saved analysis");
    // Saved as loaded now: an edit (and a Ctrl+S) made while the names below arrive is the user's.
    const savedVersion = Number(saved.headers.get("x-analysis-version") ?? 0);
    store.update({ savedAnalysis: store.state.analysis, savedVersion });
    store.update({ serverNames: await serverNames(set) });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return logInAndComeBack();
    store.update({ error: `Cannot open the results of set ${set.setId}: ${reason(error)}` });
  }
}

/**
 * Not logged in (a bookmarked link, a login expired since): the login page, which comes back to
 * these results (the query naming them stays in the address; the login page goes to `next`).
 * It said "please log in" with no way to, and logging in led to the patients.
 */
function logInAndComeBack(): void {
  window.location.hash = `#/login?${new URLSearchParams({ next: "#/viewer" }).toString()}`;
}

/**
 * The header names the result by its patient (its pseudonym without the anon right: the server
 * decides) and the config's name; the config's germline set gives the germline genes.
 */
async function serverNames(set: ServerSet): Promise<ServerNames> {
  const [sampleSet, config] = await Promise.all([
    call("getSampleSet", { path: { set_id: set.setId } }),
    call("getConfig", { path: { config_id: set.configId } }),
  ]);
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const label = text(sampleSet.id_label) ? ` (${text(sampleSet.id_label)})` : "";
  return {
    setName: `${text(sampleSet.name) || `set ${set.setId}`}${label}`,
    configName: config.name,
    germline: config.germline,
  };
}

/** Whether the page's query string names a result to open (a link to the viewer). */
export function namesResult(search: string): boolean {
  const params = new URLSearchParams(search);
  return params.has("vidjil") || params.has("set");
}

/** Loads what the query string names; does nothing when it names nothing. */
export async function loadFromQuery(store: Store, search: string): Promise<void> {
  const params = new URLSearchParams(search);
  const set = serverSet(params);
  if (set !== null) return loadFromServer(store, set);
  const url = params.get("vidjil");
  if (!url) return;
  try {
    sameOrigin(url);
    store.load(parseVidjil(await getText(url)), decodeURIComponent(url.split("/").pop() ?? url));
    const analysisUrl = params.get("analysis");
    if (analysisUrl) sameOrigin(analysisUrl);
    if (analysisUrl) applyAnalysis(store, await getText(analysisUrl), analysisUrl);
  } catch (error) {
    store.update({ error: `Cannot open ${url}: ${reason(error)}` });
  }
}

/** Dropping files anywhere on the page opens them; returns the function that stops it. */
export function acceptDrops(target: HTMLElement, store: Store): () => void {
  const listening = new AbortController();
  const options = { signal: listening.signal };
  target.addEventListener(
    "dragover",
    (event) => {
      event.preventDefault();
      target.classList.add("dragging");
    },
    options,
  );
  target.addEventListener(
    "dragleave",
    (event) => {
      if (event.relatedTarget === null) target.classList.remove("dragging");
    },
    options,
  );
  target.addEventListener(
    "drop",
    (event) => {
      event.preventDefault();
      target.classList.remove("dragging");
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length > 0) void loadFiles(store, files);
    },
    options,
  );
  return () => listening.abort();
}
