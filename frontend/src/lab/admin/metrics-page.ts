/**
 * Metrics: the Vidjil admin guide's "fast" and "long" metrics as the server measures them, with
 * the user and group behind each id, the time each query took, and how a Prometheus server reads
 * them (the metrics account and the text format's address).
 */
import { call, operationUrl } from "../../api/client";
import type { MetricValues, MetricsReport } from "../../api/schema";
import { h } from "../../ui/dom";
import { busy, field, formatDate, MessageBox, table } from "../widgets";
import { adminPage } from "./frame";

type Which = "all" | "fast" | "long";

function labelText(labels: Record<string, string>, emails: Map<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) =>
      name === "user_id" && emails.has(value) ? `user ${emails.get(value)}` : `${name} ${value}`,
    )
    .join(", ");
}

function metricSection(metric: MetricValues, emails: Map<string, string>): HTMLElement {
  const title = h("h3", {}, metric.name, h("small", { class: "muted" }, ` ${metric.list_name}`));
  const values = metric.labels.length
    ? metric.values.length
      ? table(
          ["Of", "Value"],
          metric.values.map((sample) => [labelText(sample.labels, emails), String(sample.value)]),
        )
      : h("p", { class: "empty" }, "nothing to count")
    : h("p", { class: "metric-value" }, String(metric.values[0]?.value ?? 0));
  return h(
    "section",
    { class: "metric", "data-metric": metric.name },
    title,
    h(
      "p",
      { class: "help" },
      metric.help,
      h("small", { class: "muted" }, ` (${(metric.seconds * 1000).toFixed(1)} ms)`),
    ),
    values,
  );
}

function scrapeHelp(): HTMLElement {
  const path = operationUrl("getMetricsPrometheus");
  return h(
    "details",
    {},
    h("summary", {}, "Reading the metrics from Prometheus"),
    h(
      "p",
      {},
      "Set metrics_user_email and metrics_user_password on the Settings page: at the next start the app makes that account, ",
      "which may read the metrics and nothing else (members of the group ",
      h("code", {}, "metrics"),
      " and administrators may too). A scrape job then reads ",
      h("code", {}, `${path}?list=fast`),
      " (and ",
      h("code", {}, "list=long"),
      " less often) with basic authorization:",
    ),
    h(
      "pre",
      {},
      `scrape_configs:\n  - job_name: vidjil-local\n    metrics_path: ${path}\n    params: {list: [fast]}\n` +
        "    basic_auth: {username: METRICS_USER_EMAIL, password: METRICS_USER_PASSWORD}\n" +
        `    static_configs: [{targets: ["${window.location.host}"]}]`,
    ),
  );
}

export const metricsPage = adminPage("metrics", "Metrics", (content, _session, alive) => {
  const messages = new MessageBox();
  const body = h("div", { "aria-live": "polite" });
  const which = h(
    "select",
    { name: "list" },
    ...(["all", "fast", "long"] as const).map((value) => h("option", { value }, value)),
  );
  const reload = h("button", { type: "button" }, "Measure again");
  let emails = new Map<string, string>();
  const show = (report: MetricsReport) => {
    body.replaceChildren(
      h(
        "p",
        { class: "muted" },
        `${report.metrics.length} metrics measured ${formatDate(report.generated_at)} in ${(report.seconds * 1000).toFixed(1)} ms. `,
        h(
          "a",
          {
            href: operationUrl("getMetricsPrometheus", { query: { list: report.list_name as Which } }),
            target: "_blank",
          },
          "Prometheus text",
        ),
        " · ",
        h(
          "a",
          {
            href: operationUrl("getMetrics", { query: { list: report.list_name as Which } }),
            target: "_blank",
          },
          "JSON",
        ),
      ),
      ...report.metrics.map((metric) => metricSection(metric, emails)),
    );
  };
  const refresh = async () => {
    messages.clear();
    try {
      const [report, users] = await Promise.all([
        call("getMetrics", { query: { list: which.value as Which } }),
        emails.size ? Promise.resolve(null) : call("listUsers"),
      ]);
      if (users) emails = new Map(users.map((user) => [String(user.id), user.email]));
      if (alive()) show(report);
    } catch (error) {
      messages.error(error);
    }
  };
  which.addEventListener("change", () => void refresh());
  reload.addEventListener("click", () => void busy(reload, refresh));
  content.append(
    h("div", { class: "lab-toolbar" }, field("Metrics", which), reload),
    scrapeHelp(),
    messages.element,
    body,
  );
  void refresh();
});
