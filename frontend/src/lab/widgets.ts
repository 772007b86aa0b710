/** Small building blocks shared by the lab and admin pages: messages, fields, tables, confirmation. */
import { h } from "../ui/dom";
import { messageOf } from "../api/client";

type Child = Node | string | null | undefined | false;

/** A live region for errors and notices; `show` replaces what it said. */
export class MessageBox {
  readonly element = h("div", { class: "lab-message", role: "status", "aria-live": "polite", hidden: true });

  show(kind: "error" | "notice", text: string): void {
    this.element.className = `lab-message ${kind}`;
    this.element.setAttribute("role", kind === "error" ? "alert" : "status");
    this.element.textContent = text;
    this.element.hidden = false;
  }

  error(error: unknown): void {
    this.show("error", messageOf(error));
  }

  clear(): void {
    this.element.hidden = true;
    this.element.textContent = "";
  }
}

let fieldCount = 0;

/** A labelled control: the label is tied to the control for screen readers and clicks. */
export function field(label: string, control: HTMLElement, help = ""): HTMLElement {
  fieldCount += 1;
  const id = control.id || `field-${fieldCount}`;
  control.id = id;
  return h(
    "div",
    { class: "lab-field" },
    h("label", { for: id }, label),
    control,
    help ? h("small", { class: "help" }, help) : null,
  );
}

export function input(name: string, attributes: Record<string, string | boolean> = {}): HTMLInputElement {
  return h("input", { name, type: "text", ...attributes });
}

export function button(
  label: string,
  onClick: (event: MouseEvent) => void,
  attributes: Record<string, string | boolean> = {},
): HTMLButtonElement {
  const element = h("button", { type: "button", ...attributes }, label);
  element.addEventListener("click", onClick);
  return element;
}

/** Runs `action` with the button disabled, so a double click does not send twice. */
export async function busy<T>(control: HTMLButtonElement, action: () => Promise<T>): Promise<T> {
  control.disabled = true;
  try {
    return await action();
  } finally {
    control.disabled = false;
  }
}

export function table(headers: readonly string[], rows: readonly Child[][], caption = ""): HTMLTableElement {
  return h(
    "table",
    { class: "lab-table" },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, ...headers.map((header) => h("th", { scope: "col" }, header)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A modal question; resolves true when confirmed. Escape and "Cancel" say no. */
export function confirmDialog(question: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "lab-dialog", "aria-label": "Confirmation" });
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const cancel = button("Cancel", () => finish(false));
    dialog.append(
      h("p", {}, question),
      h(
        "div",
        { class: "lab-actions" },
        cancel,
        button(confirmLabel, () => finish(true), { class: "danger" }),
      ),
    );
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

const UNITS = ["B", "kB", "MB", "GB", "TB"];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** "2026-03-02T10:00:00..." -> "2026-03-02 10:00" */
export function formatDate(value: string | null | undefined): string {
  return value ? value.replace("T", " ").slice(0, 16) : "";
}

export function hashQuery(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split("?")[1] ?? "");
}

export function progressBar(value: number, label: string): HTMLProgressElement {
  return h("progress", { max: 100, value, "aria-label": label }, `${value}%`);
}

/** The job queue as an administrator knows it: "stub" is the library's name for the in-app one. */
export function queueName(broker: string): string {
  return broker === "stub" ? "in-app queue" : broker === "redis" ? "Redis" : broker;
}
