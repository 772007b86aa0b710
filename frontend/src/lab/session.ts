/**
 * Who is signed in, asked once per page from `GET /api/auth/status`. Signed-in pages go through
 * `signedIn`, which sends a visitor to the first-start or login page instead, and a 401 met later
 * (the session expired) sends the user back to login with a message saying why.
 */
import { call, messageOf, onUnauthenticated } from "../api/client";
import type { AuthStatus, Me } from "../api/schema";

export interface Session {
  user: Me;
  status: AuthStatus;
}

export function go(hash: string): void {
  if (window.location.hash !== hash) window.location.hash = hash;
}

/** Why the login page is shown, when it is not simply a first visit. */
export type LoginReason = "expired" | "launch-expired" | "";

/** The hash to come back to after logging in: the page asked, never the login page itself nor
 * the front door (which leads to the patients anyway). */
function here(): string {
  const hash = window.location.hash;
  const front = ["", "#/", "#/home"].includes(hash.split("?")[0] ?? "");
  return front || hash.startsWith("#/login") || hash.startsWith("#/setup") ? "" : hash;
}

export function loginHash(reason: LoginReason = ""): string {
  const query = new URLSearchParams();
  const next = here();
  if (next) query.set("next", next);
  if (reason) query.set("reason", reason);
  return query.size > 0 ? `#/login?${query}` : "#/login";
}

let expiryWatched = false;

function watchExpiry(): void {
  if (expiryWatched) return;
  expiryWatched = true;
  onUnauthenticated(() => go(loginHash("expired")));
}

/** Resolves to the signed-in user, or redirects and resolves to null. */
export async function signedIn(root: HTMLElement, reason: LoginReason = ""): Promise<Session | null> {
  watchExpiry();
  let status: AuthStatus;
  try {
    status = await call("getAuthStatus");
  } catch (error) {
    root.replaceChildren(failure(`Cannot reach the vidjil-local server: ${messageOf(error)}`));
    return null;
  }
  if (status.needs_setup) {
    go("#/setup");
    return null;
  }
  if (status.user === null) {
    go(loginHash(reason));
    return null;
  }
  return { user: status.user, status };
}

function failure(message: string): HTMLElement {
  const element = document.createElement("p");
  element.className = "lab-message error";
  element.setAttribute("role", "alert");
  element.textContent = message;
  return element;
}
