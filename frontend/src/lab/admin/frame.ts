/**
 * The administration pages share one frame: the signed-in check (administrators only) and a tab
 * bar. A tab whose page comes later with its backend is listed in `LATER` and leads to a
 * placeholder page until then (none now).
 */
import type { Page } from "../../router";
import { h } from "../../ui/dom";
import { shell } from "../layout";
import { signedIn, type Session } from "../session";
import { quitButton } from "./quit";

export const ADMIN_TABS = [
  ["settings", "Settings"],
  ["users", "Users"],
  ["groups", "Groups and rights"],
  ["configs", "Analysis configs"],
  ["germlines", "Germline sets"],
  ["audit", "Audit log"],
  ["status", "Server status"],
  ["backups", "Backups"],
  ["exchange", "Export / import"],
  ["logs", "Logs"],
  ["workers", "Worker machines"],
  ["email", "E-mail"],
  ["metrics", "Metrics"],
] as const;

/** Places kept for the pages that come with their backends (none now). */
export const LATER: readonly (readonly [string, string])[] = [];

function tabs(current: string): HTMLElement {
  const link = ([name, label]: readonly [string, string], later: boolean) =>
    h(
      "a",
      {
        href: `#/admin/${name}`,
        class: later ? "later" : null,
        "aria-current": name === current ? "page" : null,
      },
      label,
    );
  return h(
    "nav",
    { class: "admin-tabs", "aria-label": "Administration" },
    ...ADMIN_TABS.map((tab) => link(tab, false)),
    ...LATER.map((tab) => link(tab, true)),
    quitButton(),
  );
}

export type AdminBody = (content: HTMLElement, session: Session, alive: () => boolean) => void | (() => void);

/** An admin page: `body` fills the content once the user is known to be an administrator. */
export function adminPage(name: string, title: string, body: AdminBody): Page {
  return (root) => {
    let alive = true;
    let cleanup: void | (() => void);
    void signedIn(root).then((session) => {
      if (!session || !alive) return;
      const content = shell(root, session, title);
      content.before(tabs(name));
      if (!session.user.is_admin) {
        content.append(
          h("p", { class: "lab-message error", role: "alert" }, "This page is for administrators."),
        );
        return;
      }
      cleanup = body(content, session, () => alive);
    });
    return () => {
      alive = false;
      if (cleanup) cleanup();
    };
  };
}

export const laterPages: [string, Page][] = LATER.map(([name, label]) => [
  `/admin/${name}`,
  adminPage(name, label, (content) => {
    content.append(
      h("p", { class: "empty" }, `${label}: this page comes with its server support in a later version.`),
    );
  }),
]);
