/** Users: create an account (with groups), edit one's e-mail and name, reset a password, lock and unlock. */
import { call } from "../../api/client";
import type { GroupSummary, UserSummary } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, button, field, formatDate, input, MessageBox } from "../widgets";
import { adminPage } from "./frame";

function newUserForm(groups: GroupSummary[], messages: MessageBox, created: () => void): HTMLElement {
  const email = input("email", { type: "email", required: true, autocomplete: "off" });
  const firstName = input("first_name");
  const lastName = input("last_name");
  const password = input("password", { type: "password", required: true, autocomplete: "new-password" });
  const choices = groups
    .filter((group) => group.personal_user_id === null)
    .map((group) => [group, h("input", { type: "checkbox", value: group.id })] as const);
  const submit = h("button", { type: "submit", class: "primary" }, "Create the user");
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": "New user" },
    h(
      "div",
      { class: "form-row" },
      field("E-mail", email),
      field("First name", firstName),
      field("Last name", lastName),
      field("Password", password),
    ),
    h(
      "fieldset",
      { class: "group-choices" },
      h("legend", {}, "Groups"),
      ...choices.map(([group, box]) => h("label", { class: "check" }, box, ` ${group.name}`)),
    ),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(submit, async () => {
      try {
        await call("createUser", {
          body: {
            email: email.value,
            password: password.value,
            first_name: firstName.value,
            last_name: lastName.value,
            group_ids: choices.filter(([, box]) => box.checked).map(([group]) => group.id),
          },
        });
        messages.show("notice", `Created ${email.value}.`);
        form.reset();
        created();
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return form;
}

function editForm(user: UserSummary, messages: MessageBox, done: () => void): HTMLElement {
  const email = input("email", { type: "email", required: true, autocomplete: "off" });
  const firstName = input("first_name");
  const lastName = input("last_name");
  email.value = user.email;
  firstName.value = user.first_name;
  lastName.value = user.last_name;
  const submit = h("button", { type: "submit", class: "primary" }, `Save ${user.email}`);
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": `Edit ${user.email}` },
    h(
      "div",
      { class: "form-row" },
      field("E-mail", email),
      field("First name", firstName),
      field("Last name", lastName),
    ),
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(submit, async () => {
      try {
        await call("updateUser", {
          path: { user_id: user.id },
          body: { email: email.value, first_name: firstName.value, last_name: lastName.value },
        });
        messages.show("notice", `Saved ${email.value}.`);
        done();
      } catch (error) {
        messages.error(error);
      }
    });
  });
  return form;
}

function userRow(
  user: UserSummary,
  messages: MessageBox,
  changed: () => void,
  edit: (user: UserSummary) => void,
): HTMLElement {
  const run = (action: () => Promise<unknown>, done: string) =>
    action().then(
      () => {
        messages.show("notice", done);
        changed();
      },
      (error: unknown) => messages.error(error),
    );
  const newPassword = input("new_password", {
    type: "password",
    "aria-label": `New password for ${user.email}`,
    autocomplete: "new-password",
    placeholder: "new password",
  });
  const reset = button(
    "Reset password",
    () =>
      void busy(reset, () =>
        run(
          () =>
            call("resetUserPassword", { path: { user_id: user.id }, body: { password: newPassword.value } }),
          `New password set for ${user.email}.`,
        ),
      ),
  );
  const lock =
    user.locked || user.throttled_until
      ? button(
          "Unlock",
          () => void run(() => call("unlockUser", { path: { user_id: user.id } }), `Unlocked ${user.email}.`),
        )
      : button(
          "Lock",
          () => void run(() => call("lockUser", { path: { user_id: user.id } }), `Locked ${user.email}.`),
          { class: "danger" },
        );
  return h(
    "tr",
    { "data-user": user.email },
    h("td", {}, user.email, user.is_admin ? h("span", { class: "badge" }, "admin") : null),
    h("td", {}, [user.first_name, user.last_name].filter(Boolean).join(" ")),
    h("td", {}, user.groups.map((group) => group.name).join(", ")),
    h(
      "td",
      {},
      user.locked ? h("span", { class: "status status-failed" }, "locked") : "active",
      user.failed_logins ? h("div", { class: "muted" }, `${user.failed_logins} wrong password(s)`) : null,
      user.throttled_until && new Date(user.throttled_until) > new Date()
        ? h("div", { class: "status status-failed" }, `logins wait until ${formatDate(user.throttled_until)}`)
        : null,
    ),
    h("td", {}, formatDate(user.last_login_at)),
    h(
      "td",
      {},
      h(
        "div",
        { class: "row-actions" },
        button("Edit", () => edit(user)),
        newPassword,
        reset,
        lock,
      ),
    ),
  );
}

export const usersPage = adminPage("users", "Users", (content, _session, alive) => {
  const messages = new MessageBox();
  const formSlot = h("div", {});
  const listSlot = h("div", {});
  const editSlot = h("div", {});
  const edit = (user: UserSummary) => {
    editSlot.replaceChildren(
      h("h2", {}, `Edit ${user.email}`),
      editForm(user, messages, () => {
        editSlot.replaceChildren();
        void refresh();
      }),
    );
    editSlot.querySelector("input")?.focus();
  };
  const refresh = async () => {
    try {
      const users = await call("listUsers");
      if (!alive()) return;
      listSlot.replaceChildren(
        h(
          "table",
          { class: "lab-table users-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["E-mail", "Name", "Groups", "State", "Last login", ""].map((text) => h("th", {}, text)),
            ),
          ),
          h("tbody", {}, ...users.map((user) => userRow(user, messages, () => void refresh(), edit))),
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  };
  call("listGroups")
    .then((groups) =>
      formSlot.replaceChildren(
        h("h2", {}, "New user"),
        newUserForm(groups, messages, () => void refresh()),
      ),
    )
    .catch((error: unknown) => messages.error(error));
  content.append(messages.element, listSlot, editSlot, formSlot);
  void refresh();
});
