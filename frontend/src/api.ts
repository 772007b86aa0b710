/**
 * Talking to the vidjil-local server. Its API lives under `/api/`, answers errors with one JSON
 * envelope (`{"error": {"code", "message", "details"}, "status"}`) and wants the `csrftoken`
 * cookie echoed in an `x-csrftoken` header on every state-changing request. `ENDPOINTS` names
 * each call by the server's operation id; a Python test checks them against its OpenAPI schema.
 * Pages to come (login, sets, uploads, admin) add their calls beside these.
 */

export const ENDPOINTS = {
  getFusedResult: { method: "GET", path: "/api/sample-sets/{set_id}/results" },
  getAnalysis: { method: "GET", path: "/api/sample-sets/{set_id}/analysis" },
  saveAnalysis: { method: "POST", path: "/api/sample-sets/{set_id}/analysis" },
} as const;

export type Operation = keyof typeof ENDPOINTS;

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string = "",
  ) {
    super(message);
  }
}

/** "/api/sample-sets/{set_id}/results" + {set_id: 3} + {config_id: 2} -> ".../3/results?config_id=2" */
export function apiUrl(
  operation: Operation,
  pathParameters: Record<string, string | number>,
  query: Record<string, string | number> = {},
): string {
  const path = ENDPOINTS[operation].path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = pathParameters[name];
    if (value === undefined) throw new Error(`${operation} needs ${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
  return search.size > 0 ? `${path}?${search}` : path;
}

/** Reads the error envelope (or a bare `{"detail"}`) from a failed response. */
async function errorFrom(response: Response, url: string): Promise<ApiError> {
  const fallback = `${url}: ${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string }; detail?: string };
    const message = body.error?.message ?? body.detail ?? fallback;
    return new ApiError(message, response.status, body.error?.code ?? "");
  } catch {
    return new ApiError(fallback, response.status);
  }
}

function csrfToken(): string {
  const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  if (method !== "GET" && method !== "HEAD") headers.set("x-csrftoken", csrfToken());
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", ...init, headers });
  } catch (error) {
    throw new ApiError(`${url}: the server cannot be reached (${(error as Error).message})`, 0);
  }
  if (!response.ok) throw await errorFrom(response, url);
  return response;
}

export async function getText(url: string): Promise<string> {
  return (await request(url)).text();
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return response.json() as Promise<T>;
}

/** A set's results for one analysis config, as the server keeps them. */
export interface ServerSet {
  setId: number;
  configId: number;
}

export interface AnalysisVersion {
  version: number;
  sample_set_id: number;
  saved_by: number | null;
  saved_at: string;
}

export function fetchSetResult(set: ServerSet): Promise<string> {
  return getText(apiUrl("getFusedResult", { set_id: set.setId }, { config_id: set.configId }));
}

export function fetchSetAnalysis(set: ServerSet): Promise<string> {
  return getText(apiUrl("getAnalysis", { set_id: set.setId }));
}

export function saveSetAnalysis(set: ServerSet, document: unknown): Promise<AnalysisVersion> {
  return postJson<AnalysisVersion>(apiUrl("saveAnalysis", { set_id: set.setId }), document);
}
