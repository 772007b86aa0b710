/**
 * The frame of every signed-in page: the header (brand, navigation, user, logout), the "research
 * use only" banner unless the server is set up for healthcare use, then the page's own content.
 */
import "./lab.css";
import { call, messageOf } from "../api/client";
import { h } from "../ui/dom";
import type { Session } from "./session";

const LAB_LINKS = [
  ["#/patients", "Patients"],
  ["#/runs", "Runs"],
  ["#/sets", "Sets"],
  ["#/compare", "Compare samples"],
  ["#/jobs", "My jobs"],
] as const;

async function logout(): Promise<void> {
  try {
    await call("logout");
  } catch (error) {
    window.alert(`Logout failed: ${messageOf(error)}`);
    return;
  }
  window.location.hash = "#/login?reason=logged-out";
}

function navigation(session: Session): HTMLElement {
  const current = window.location.hash.split("?")[0];
  const links: (readonly [string, string])[] = [...LAB_LINKS];
  if (session.user.is_admin) links.push(["#/admin/settings", "Administration"]);
  // The standalone viewer, for a .vidjil file from this computer (a full load drops ?set=).
  links.push(["./#/viewer", "Open a result file"]);
  return h(
    "nav",
    { class: "lab-nav", "aria-label": "Main" },
    ...links.map(([href, label]) =>
      h(
        "a",
        {
          href,
          "aria-current":
            current === href || (href.startsWith("#/admin") && current?.startsWith("#/admin"))
              ? "page"
              : null,
        },
        label,
      ),
    ),
  );
}

export function researchBanner(session: { status: { healthcare_compliance: boolean } }): HTMLElement | null {
  return session.status.healthcare_compliance
    ? null
    : h(
        "p",
        { class: "ruo-banner", role: "note" },
        "Research use only: not for diagnostic procedures. An administrator may enable healthcare compliance.",
      );
}

/** Clears `root`, lays out the frame and returns the element for the page's content. */
export function shell(root: HTMLElement, session: Session, title: string): HTMLElement {
  const user = session.user;
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
  const logoutButton = h("button", { type: "button", class: "link-button" }, "Log out");
  logoutButton.addEventListener("click", () => void logout());
  const content = h("main", { class: "lab-main", id: "lab-main" }, h("h1", {}, title));
  root.replaceChildren(
    h(
      "div",
      { class: "lab-page" },
      h(
        "header",
        { class: "lab-header" },
        h("a", { class: "brand", href: "#/patients" }, "Vidjil", h("span", {}, " local")),
        navigation(session),
        h(
          "div",
          { class: "lab-user" },
          h(
            "a",
            {
              class: "user-name",
              href: "#/account",
              title: `${user.email}: my account and password`,
              "aria-current": window.location.hash.startsWith("#/account") ? "page" : null,
            },
            name,
            user.is_admin ? " (admin)" : "",
          ),
          logoutButton,
        ),
      ),
      researchBanner(session),
      content,
    ),
  );
  document.title = `${title} · Vidjil local`;
  return content;
}
