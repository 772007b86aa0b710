/**
 * "My account" (`#/account`): who I am, my groups and their rights, changing my own password
 * (the current one first, the new one twice; the server's password policy applies), and the
 * e-mails about my analyses (every ending, the default; only when one failed; never).
 */
import { call } from "../api/client";
import type { NotificationChoices } from "../api/schema";
import type { Page } from "../router";
import { h } from "../ui/dom";
import { shell } from "./layout";
import { signedIn } from "./session";
import { busy, field, input, MessageBox, table } from "./widgets";

function passwordForm(messages: MessageBox): HTMLFormElement {
  const current = input("current_password", {
    type: "password",
    required: true,
    autocomplete: "current-password",
  });
  const fresh = input("new_password", { type: "password", required: true, autocomplete: "new-password" });
  const again = input("new_password_again", {
    type: "password",
    required: true,
    autocomplete: "new-password",
  });
  const submit = h("button", { type: "submit", class: "primary" }, "Change my password");
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": "Change my password" },
    h(
      "div",
      { class: "form-row" },
      field("Current password", current),
      field("New password", fresh),
      field("New password again", again),
    ),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (fresh.value !== again.value) {
      messages.show("error", "The two new passwords differ: type the same one twice.");
      again.focus();
      return;
    }
    void busy(submit, async () => {
      try {
        await call("changeOwnPassword", {
          body: { current_password: current.value, new_password: fresh.value },
        });
        form.reset();
        messages.show("notice", "Your password was changed. Use the new one at your next login.");
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return form;
}

type Choice = NotificationChoices["analyses"];

const CHOICES: [Choice, string][] = [
  ["all", "when they end, finished or failed (one e-mail for the samples launched together)"],
  ["failed", "only when one of them failed"],
  ["none", "never"],
];

function notificationsForm(current: Choice): HTMLFormElement {
  const messages = new MessageBox();
  const save = h("button", { type: "submit", class: "primary" }, "Save");
  const options = CHOICES.map(([value, label]) =>
    h(
      "label",
      { class: "choice" },
      h("input", { type: "radio", name: "analyses", value, checked: value === current }),
      ` ${label}`,
    ),
  );
  const form = h(
    "form",
    { "aria-label": "E-mails about my analyses" },
    h("fieldset", {}, h("legend", {}, "E-mail me about my analyses"), ...options),
    save,
    messages.element,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = new FormData(form).get("analyses") as Choice;
    void busy(save, async () => {
      try {
        await call("changeMyNotifications", { body: { analyses: chosen } });
        messages.show("notice", "Saved.");
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return form;
}

async function notifications(place: HTMLElement, alive: () => boolean): Promise<void> {
  try {
    const choices = await call("getMyNotifications");
    if (alive()) place.replaceChildren(h("h2", {}, "E-mails"), notificationsForm(choices.analyses));
  } catch (error) {
    const messages = new MessageBox();
    messages.error(error);
    place.replaceChildren(messages.element);
  }
}

export const accountPage: Page = (root) => {
  let open = true;
  void signedIn(root).then((session) => {
    if (!session || !open) return;
    const content = shell(root, session, "My account");
    const messages = new MessageBox();
    const user = session.user;
    const groups = h("div", {});
    const mails = h("div", {});
    content.append(
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "E-mail"),
        h("dd", {}, user.email),
        h("dt", {}, "Name"),
        h("dd", {}, [user.first_name, user.last_name].filter(Boolean).join(" ") || "—"),
      ),
      groups,
      mails,
      h("h2", {}, "Password"),
      messages.element,
      passwordForm(messages),
      h("p", {}, h("a", { href: "#/jobs" }, "My jobs"), " · the analyses I launched and how they went."),
    );
    void notifications(mails, () => open);
    const names = user.group_names ?? {};
    groups.replaceChildren(
      h("h2", {}, "My groups and their rights"),
      table(
        ["Group", "Rights"],
        Object.entries(user.rights).map(([group, rights]) => [
          names[group] === `user_${user.id}` ? "my personal group" : (names[group] ?? `group ${group}`),
          rights.join(", ") || "none",
        ]),
      ),
    );
  });
  return () => {
    open = false;
  };
};
