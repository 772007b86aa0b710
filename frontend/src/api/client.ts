/**
 * The one API client of both apps (lab pages and results viewer): `call("listSampleSets", { query })`
 * knows the method, path, parameters, body and answer of every operation from the generated
 * schema, and `callText` returns an answer as the server wrote it (a `.vidjil` file to parse). It
 * sends the CSRF cookie back as `x-csrftoken` on every change and turns the server's error
 * envelope into a thrown `ApiError`.
 */
import { OPERATIONS } from "./operations";
import type { Operations } from "./schema";

export type OperationId = keyof Operations;
export type Answer<K extends OperationId> = Operations[K]["answer"];

export interface CallOptions<K extends OperationId> {
  path?: Operations[K]["path_parameters"];
  query?: Operations[K]["query"];
  body?: Operations[K]["body"];
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Told when the server answers 401 to a signed-in page: the session expired or was ended. */
const unauthenticatedListeners = new Set<(error: ApiError) => void>();

export function onUnauthenticated(listener: (error: ApiError) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export function csrfToken(): string {
  const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

/** "/api/samples/{sample_id}" + {sample_id: 3} + {a: 1, b: null} -> "/api/samples/3?a=1" */
export function operationUrl<K extends OperationId>(operation: K, options: CallOptions<K> = {}): string {
  const parameters = (options.path ?? {}) as Record<string, string | number>;
  const path = OPERATIONS[operation].path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`${operation} needs ${name}`);
    return encodeURIComponent(String(value));
  });
  const query = Object.entries((options.query ?? {}) as Record<string, unknown>).filter(
    ([, value]) => value !== undefined && value !== null && value !== "",
  );
  const search = new URLSearchParams(query.map(([key, value]) => [key, String(value)]));
  return search.size > 0 ? `${path}?${search}` : path;
}

/**
 * The envelope `{"error": {code, message, details}, "status"}` in a failed answer's body, or what
 * can be made of a bare answer (a proxy's HTML page, an empty body).
 */
export function errorOfBody(status: number, statusText: string, body: string): ApiError {
  const fallback = `${status} ${statusText}`.trim();
  try {
    const parsed = JSON.parse(body) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
      detail?: string;
    };
    return new ApiError(
      parsed.error?.code ?? "error",
      parsed.error?.message ?? parsed.detail ?? fallback,
      status,
      parsed.error?.details ?? {},
    );
  } catch {
    return new ApiError("error", `the server answered ${fallback}`, status);
  }
}

export async function errorOf(response: Response): Promise<ApiError> {
  let body = "";
  try {
    body = await response.text();
  } catch {
    // The connection dropped while reading: the status line is all there is.
  }
  return errorOfBody(response.status, response.statusText, body);
}

/** fetch with the CSRF header; failures become ApiError (status 0: the server is unreachable). */
export async function send(url: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  if (method !== "GET" && method !== "HEAD") headers.set("x-csrftoken", csrfToken());
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", ...init, headers });
  } catch (error) {
    throw new ApiError("unreachable", `the server cannot be reached (${(error as Error).message})`, 0);
  }
  if (response.ok) return response;
  const error = await errorOf(response);
  if (response.status === 401 && !url.startsWith("/api/auth/")) {
    for (const listener of unauthenticatedListeners) listener(error);
  }
  throw error;
}

export async function call<K extends OperationId>(
  operation: K,
  options: CallOptions<K> = {},
): Promise<Answer<K>> {
  const init: RequestInit = { method: OPERATIONS[operation].method, headers: { Accept: "application/json" } };
  if (options.body !== undefined) {
    init.headers = { Accept: "application/json", "Content-Type": "application/json" };
    init.body = JSON.stringify(options.body);
  }
  const response = await send(operationUrl(operation, options), init);
  const type = response.headers.get("content-type") ?? "";
  if (response.status === 204) return null as Answer<K>;
  return (type.includes("json") ? await response.json() : await response.text()) as Answer<K>;
}

/** An operation's answer as text, unparsed: files such as a `.vidjil` result or an `.analysis`. */
export async function callText<K extends OperationId>(
  operation: K,
  options: CallOptions<K> = {},
): Promise<string> {
  const response = await send(operationUrl(operation, options), { method: OPERATIONS[operation].method });
  return response.text();
}

/** The message to show for any failure, API or not. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
