/**
 * Talking to the vidjil-local server. The server mounts its API under `/api/` and answers errors
 * with one JSON envelope; everything here turns failures into ApiError with a readable message.
 * Pages to come (login, sets, uploads, admin) add their calls beside these.
 */

export const API_ROOT = "/api";

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

/** Reads `{"error": {"code", "message"}}` (or a bare `{"detail"}`) from an error response. */
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

async function request(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", ...init });
  } catch (error) {
    throw new ApiError(`${url}: the server cannot be reached (${(error as Error).message})`, 0);
  }
  if (!response.ok) throw await errorFrom(response, url);
  return response;
}

export async function getText(url: string): Promise<string> {
  return (await request(url)).text();
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(`${API_ROOT}${path}`, { headers: { Accept: "application/json" } })).json() as Promise<T>;
}
