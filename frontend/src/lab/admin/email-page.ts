/**
 * E-mail: the SMTP settings in use (never the password), a test e-mail, the last e-mails the app
 * sent with their errors, and the administrators' alerts the rate limit held back.
 */
import { call } from "../../api/client";
import type { EmailOverview, EmailSettings, SentMail } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, field, formatDate, input, MessageBox, table } from "../widgets";
import { adminPage } from "./frame";

const KINDS: Record<string, string> = {
  test: "test",
  analyses: "analyses ended",
  admin_alert: "alert to admins",
};

function facts(settings: EmailSettings): HTMLElement {
  const yes = (value: boolean) => (value ? "yes" : "no");
  const rows: [string, string][] = [
    ["E-mail", settings.configured ? "on" : "off (no SMTP server or sender)"],
    ["SMTP server", settings.server || "(not set)"],
    ["Sender", settings.from_email || "(not set)"],
    ["STARTTLS / SSL", `${yes(settings.starttls)} / ${yes(settings.ssl)}`],
    [
      "Login",
      settings.user ? `${settings.user} (password ${settings.password_set ? "set" : "not set"})` : "none",
    ],
    ["Administrators' addresses", settings.admin_emails.join(", ") || "(none)"],
    ["Subject prefix", settings.subject_prefix || "(none)"],
  ];
  return h(
    "dl",
    { class: "facts" },
    ...rows.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]),
  );
}

function mailRows(mails: SentMail[]): (string | HTMLElement)[][] {
  return mails.map((mail) => [
    formatDate(mail.created_at),
    KINDS[mail.kind] ?? mail.kind,
    mail.recipient,
    mail.subject,
    h("span", { class: `status status-${mail.status === "sent" ? "completed" : mail.status}` }, mail.status),
    String(mail.attempts),
    mail.error,
  ]);
}

const MAIL_HEADERS = ["Queued", "Kind", "To", "Subject", "Status", "Tries", "Error"];

function render(overview: EmailOverview): HTMLElement[] {
  const parts: HTMLElement[] = [facts(overview.settings)];
  for (const problem of overview.problems) parts.push(h("p", { class: "lab-message notice" }, problem));
  parts.push(
    h(
      "p",
      {},
      "Change these on the ",
      h("a", { href: "#/admin/settings" }, "Settings page"),
      " (section email).",
    ),
    h("h2", {}, "Last e-mails"),
    overview.recent.length
      ? table(
          MAIL_HEADERS,
          mailRows(overview.recent),
          "Newest first; the text of an e-mail is not kept once sent.",
        )
      : h("p", { class: "empty" }, "No e-mail sent yet."),
    h("h2", {}, "Errors"),
    overview.errors.length
      ? table(MAIL_HEADERS, mailRows(overview.errors))
      : h("p", { class: "empty" }, "No error."),
    h("h2", {}, "Alerts to the administrators"),
    overview.alerts.length
      ? table(
          ["Kind of alert", "Last sent", "Held back since", "Held back"],
          overview.alerts.map((alert) => [
            alert.key,
            formatDate(alert.last_sent_at),
            formatDate(alert.suppressed_since),
            String(alert.suppressed),
          ]),
          "One e-mail per kind every 15 minutes, ten an hour in all; the rest is counted here.",
        )
      : h("p", { class: "empty" }, "No alert."),
  );
  return parts;
}

export const emailPage = adminPage("email", "E-mail", (content, session, alive) => {
  const messages = new MessageBox();
  const body = h("div", { "aria-live": "polite" });
  const refresh = async () => {
    try {
      const overview = await call("getEmailOverview");
      if (alive()) body.replaceChildren(...render(overview));
    } catch (error) {
      messages.error(error);
    }
  };
  const address = input("to", { type: "email", value: session.user.email, autocomplete: "email" });
  const send = h("button", { type: "submit", class: "primary" }, "Send a test e-mail");
  const form = h("form", { class: "lab-toolbar", "aria-label": "Test e-mail" }, field("To", address), send);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(send, async () => {
      messages.clear();
      try {
        const sent = await call("sendTestEmail", { body: { to: address.value } });
        if (sent.status === "sent") messages.show("notice", `Test e-mail sent to ${sent.recipient}.`);
        else messages.show("error", `The test e-mail was not sent: ${sent.error}`);
      } catch (error) {
        messages.error(error);
      }
      await refresh();
    });
  });
  content.append(form, messages.element, body);
  void refresh();
});
