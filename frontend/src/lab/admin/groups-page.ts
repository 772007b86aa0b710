/**
 * Groups and rights: a checkbox grid of the seven rights (one row per group, saved per row), each
 * group's parent (chosen at creation: a child group sees its parent's sets, as in Vidjil) and
 * members (add a user, remove one), and deleting a group. Personal groups are listed with the
 * others.
 */
import { call } from "../../api/client";
import type { GroupSummary, UserSummary } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, button, confirmDialog, field, input, MessageBox } from "../widgets";
import { adminPage } from "./frame";

/** The server's rights, in its order, with what each lets a group do on its sets. */
const RIGHTS = [
  ["read", "see the sets and results"],
  ["create", "create sets"],
  ["upload", "add samples and files"],
  ["run", "launch analyses"],
  ["save", "save analyses (tags, names)"],
  ["admin", "manage the sets (edit, delete, share)"],
  ["anon", "see patient names"],
] as const;

async function deleteGroup(group: GroupSummary, messages: MessageBox, deleted: () => void): Promise<void> {
  if (!(await confirmDialog(`Delete the group ${group.name}? Its members stay; its rights go.`, "Delete")))
    return;
  try {
    await call("deleteGroup", { path: { group_id: group.id } });
    messages.show("notice", `Deleted the group ${group.name}.`);
    deleted();
  } catch (error) {
    messages.error(error);
  }
}

function rightsRow(
  group: GroupSummary,
  messages: MessageBox,
  showMembers: (group: GroupSummary) => void,
  deleted: () => void,
): HTMLElement {
  const boxes = RIGHTS.map(([right, meaning]) => {
    const box = h("input", {
      type: "checkbox",
      value: right,
      checked: group.rights.includes(right),
      "aria-label": `${group.name}: ${right} (${meaning})`,
    });
    return box;
  });
  const save = h("button", { type: "button" }, "Save rights");
  save.addEventListener(
    "click",
    () =>
      void busy(save, async () => {
        const rights = boxes.filter((box) => box.checked).map((box) => box.value);
        try {
          await call("updateGroup", { path: { group_id: group.id }, body: { rights } });
          messages.show("notice", `Rights of ${group.name} saved: ${rights.join(", ") || "none"}.`);
        } catch (error) {
          messages.error(error);
        }
      }),
  );
  return h(
    "tr",
    { "data-group": group.name },
    h(
      "th",
      { scope: "row" },
      group.name,
      group.description ? h("div", { class: "muted" }, group.description) : null,
      group.parent_name ? h("div", { class: "muted" }, `child of ${group.parent_name}`) : null,
    ),
    ...boxes.map((box) => h("td", { class: "center" }, box)),
    h("td", { class: "center" }, String(group.member_count)),
    h(
      "td",
      { class: "row-actions" },
      save,
      button("Members", () => showMembers(group)),
      group.personal_user_id === null && group.name !== "admin"
        ? button("Delete", () => void deleteGroup(group, messages, deleted), {
            class: "danger",
            "aria-label": `Delete the group ${group.name}`,
          })
        : null,
    ),
  );
}

async function membersPanel(
  group: GroupSummary,
  users: UserSummary[],
  messages: MessageBox,
  changed: () => void,
): Promise<HTMLElement> {
  const detail = await call("getGroup", { path: { group_id: group.id } });
  const memberIds = new Set(detail.members.map((member) => member.id));
  const candidate = h("select", { "aria-label": `User to add to ${group.name}` });
  for (const user of users.filter((user) => !memberIds.has(user.id)))
    candidate.append(h("option", { value: user.id }, user.email));
  const change = (action: Promise<unknown>, done: string) =>
    action.then(
      () => {
        messages.show("notice", done);
        changed();
      },
      (error: unknown) => messages.error(error),
    );
  return h(
    "section",
    { class: "members", "aria-labelledby": "members-title" },
    h("h2", { id: "members-title" }, `Members of ${group.name}`),
    detail.members.length
      ? h(
          "ul",
          {},
          ...detail.members.map((member) =>
            h(
              "li",
              {},
              `${member.email} `,
              button(
                "Remove",
                () =>
                  void change(
                    call("removeGroupMember", { path: { group_id: group.id, user_id: member.id } }),
                    `Removed ${member.email} from ${group.name}.`,
                  ),
                { class: "link-button" },
              ),
            ),
          ),
        )
      : h("p", { class: "empty" }, "No member."),
    candidate.options.length
      ? h(
          "div",
          { class: "lab-toolbar" },
          candidate,
          button(
            "Add to the group",
            () =>
              void change(
                call("addGroupMember", { path: { group_id: group.id, user_id: Number(candidate.value) } }),
                `Added to ${group.name}.`,
              ),
          ),
        )
      : null,
  );
}

export const groupsPage = adminPage("groups", "Groups and rights", (content, _session, alive) => {
  const messages = new MessageBox();
  const grid = h("div", {});
  const members = h("div", {});
  let users: UserSummary[] = [];
  let shown: GroupSummary | null = null;
  const showMembers = (group: GroupSummary) => {
    shown = group;
    membersPanel(group, users, messages, () => void refresh())
      .then((panel) => members.replaceChildren(panel))
      .catch((error: unknown) => messages.error(error));
  };
  const refresh = async () => {
    try {
      const [groups, allUsers] = await Promise.all([call("listGroups"), call("listUsers")]);
      if (!alive()) return;
      users = allUsers;
      grid.replaceChildren(
        h(
          "table",
          { class: "lab-table rights-grid" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "Group"),
              ...RIGHTS.map(([right, meaning]) => h("th", { title: meaning, class: "center" }, right)),
              h("th", {}, "Members"),
              h("th", {}, ""),
            ),
          ),
          h(
            "tbody",
            {},
            ...groups.map((group) => rightsRow(group, messages, showMembers, () => void refresh())),
          ),
        ),
        h("p", { class: "muted" }, RIGHTS.map(([right, meaning]) => `${right}: ${meaning}`).join(" · ")),
      );
      parent.replaceChildren(
        h("option", { value: "" }, "none"),
        ...groups
          .filter((group) => group.personal_user_id === null)
          .map((group) => h("option", { value: group.id }, group.name)),
      );
      const again = groups.find((group) => group.id === shown?.id);
      if (again) showMembers(again);
      else members.replaceChildren();
    } catch (error) {
      messages.error(error);
    }
  };
  const name = input("name", { required: true });
  const description = input("description");
  const parent = h("select", { name: "parent_id" });
  const create = h("button", { type: "submit", class: "primary" }, "Create the group");
  const form = h(
    "form",
    { class: "lab-form inline-form", "aria-label": "New group" },
    h(
      "div",
      { class: "form-row" },
      field("Group name", name),
      field("Description", description),
      field("Parent group", parent, "Its members also see the parent's sets"),
    ),
    create,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(create, async () => {
      try {
        await call("createGroup", {
          body: {
            name: name.value,
            description: description.value,
            rights: ["read"],
            parent_id: parent.value ? Number(parent.value) : null,
          },
        });
        messages.show("notice", `Created the group ${name.value} (right: read).`);
        form.reset();
        await refresh();
      } catch (error) {
        messages.error(error);
      }
    });
  });
  content.append(messages.element, grid, members, h("h2", {}, "New group"), form);
  void refresh();
});
