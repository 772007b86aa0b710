/**
 * The lab's front door (`#/home`, and `#/` unless a link names a result): first start (create the
 * administrator account), login or the patients. The login page says why it is shown: after a
 * logout, after the session expired, after a used desktop start link, or a refused login (wrong
 * password, locked account), with the server's own message. Both pages also lead to the file
 * viewer, which needs no account.
 */
import { ApiError, call, messageOf } from "../api/client";
import type { AuthStatus } from "../api/schema";
import type { Page } from "../router";
import { h } from "../ui/dom";
import { researchBanner } from "./layout";
import { go, signedIn } from "./session";
import { field, hashQuery, input, MessageBox } from "./widgets";

const REASONS: Record<string, string> = {
  expired: "Your session has expired: please log in again.",
  "logged-out": "You are logged out.",
  "launch-expired":
    "The link that started vidjil-local works only once and was already used: log in, or start vidjil-local again.",
};

function authFrame(root: HTMLElement, status: AuthStatus | null, title: string, ...body: Node[]): void {
  root.replaceChildren(
    h(
      "div",
      { class: "lab-page auth-page" },
      status ? researchBanner({ status }) : null,
      h(
        "main",
        { class: "auth-card" },
        h("p", { class: "brand" }, "Vidjil", h("span", {}, " local")),
        h("h1", {}, title),
        ...body,
        h(
          "p",
          { class: "viewer-link" },
          h("a", { href: "./#/viewer" }, "Open a result file"),
          " from this computer: no account needed.",
        ),
      ),
    ),
  );
  document.title = `${title} · Vidjil local`;
}

/** Where to go once signed in: the page that sent the user here, or the patients. */
function nextHash(): string {
  const next = hashQuery().get("next") ?? "";
  return next.startsWith("#/") && !next.startsWith("#/login") ? next : "#/patients";
}

async function status(root: HTMLElement): Promise<AuthStatus | null> {
  try {
    return await call("getAuthStatus");
  } catch (error) {
    authFrame(root, null, "Server unreachable", h("p", { class: "lab-message error" }, messageOf(error)));
    return null;
  }
}

export const loginPage: Page = (root) => {
  void (async () => {
    const current = await status(root);
    if (current === null) return;
    if (current.needs_setup) return go("#/setup");
    if (current.user !== null) return go(nextHash());
    const messages = new MessageBox();
    const reason = REASONS[hashQuery().get("reason") ?? ""];
    if (reason) messages.show("notice", reason);
    const email = input("email", { type: "email", autocomplete: "username", required: true });
    const password = input("password", {
      type: "password",
      autocomplete: "current-password",
      required: true,
    });
    const submit = h("button", { type: "submit", class: "primary" }, "Log in");
    const form = h(
      "form",
      { class: "lab-form", "aria-label": "Log in" },
      field("E-mail", email),
      field("Password", password),
      submit,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit.disabled = true;
      call("login", { body: { email: email.value, password: password.value } })
        .then(() => go(nextHash()))
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.code === "two_factor_required") {
            return form.replaceWith(codeForm(messages, messageOf(error)));
          }
          messages.show("error", messageOf(error));
          password.value = "";
          password.focus();
        })
        .finally(() => (submit.disabled = false));
    });
    authFrame(root, current, "Log in", messages.element, form);
    email.focus();
  })();
};

/** Second step of a two-factor login: the six-digit code the server sent by e-mail. */
function codeForm(messages: MessageBox, sent: string): HTMLFormElement {
  messages.show("notice", `${sent}: enter it below. It is valid for ten minutes.`);
  const code = input("code", { inputmode: "numeric", autocomplete: "one-time-code", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, "Log in with the code");
  const form = h(
    "form",
    { class: "lab-form", "aria-label": "Login code" },
    field("Code from the e-mail", code),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    call("loginWithCode", { body: { code: code.value.trim() } })
      .then(() => go(nextHash()))
      .catch((error: unknown) => {
        messages.show("error", messageOf(error));
        code.select();
      })
      .finally(() => (submit.disabled = false));
  });
  window.setTimeout(() => code.focus());
  return form;
}

export const setupPage: Page = (root) => {
  void (async () => {
    const current = await status(root);
    if (current === null) return;
    if (!current.needs_setup) return go(current.user ? "#/patients" : "#/login");
    const messages = new MessageBox();
    const email = input("email", { type: "email", autocomplete: "username", required: true });
    const firstName = input("first_name", { autocomplete: "given-name" });
    const lastName = input("last_name", { autocomplete: "family-name" });
    const password = input("password", { type: "password", autocomplete: "new-password", required: true });
    const again = input("password_again", { type: "password", autocomplete: "new-password", required: true });
    const submit = h("button", { type: "submit", class: "primary" }, "Create the administrator account");
    const form = h(
      "form",
      { class: "lab-form", "aria-label": "Administrator account" },
      field("E-mail", email),
      field("First name", firstName),
      field("Last name", lastName),
      field("Password", password, "At least 8 characters, not easy to guess."),
      field("Password again", again),
      submit,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (password.value !== again.value) return messages.show("error", "The two passwords differ.");
      submit.disabled = true;
      const body = {
        email: email.value,
        password: password.value,
        first_name: firstName.value,
        last_name: lastName.value,
      };
      call("createFirstAdmin", { body })
        .then(() => go("#/patients"))
        .catch((error: unknown) => messages.error(error))
        .finally(() => (submit.disabled = false));
    });
    authFrame(
      root,
      current,
      "Welcome to Vidjil local",
      h(
        "p",
        {},
        "This is the first start: create the administrator account. It manages users, groups and settings.",
      ),
      messages.element,
      form,
    );
    email.focus();
  })();
};

/** The server sends a used or unknown desktop start link to `/?launch=expired#/home`. */
function launchExpired(): boolean {
  if (new URLSearchParams(window.location.search).get("launch") !== "expired") return false;
  // Said once: the address loses the query, so later pages do not repeat it.
  window.history.replaceState(null, "", window.location.pathname + window.location.hash);
  return true;
}

/** `#/home` (and `#/`): wherever the user belongs (first start, login or the patients). */
export const homePage: Page = (root) => {
  const reason = launchExpired() ? "launch-expired" : "";
  void signedIn(root, reason).then((session) => session && go("#/patients"));
};
