/**
 * Boots the client: one hash router for both apps, the results viewer (`viewer/`: results at
 * `#/`, report at `#/report`, one store they share) and the lab pages (`lab/routes.ts`).
 */
// The stylesheets in this order: shared theme, viewer, then lab/lab.css (imported by the lab).
import "./ui/theme.css";
import "./viewer/viewer.css";
import { LAB_ROUTES } from "./lab/routes";
import { Router } from "./router";
import { h } from "./ui/dom";
import { keepPreferences } from "./viewer/preferences";
import { reportPage } from "./viewer/report-page";
import { resultsPage } from "./viewer/results-page";
import { Store } from "./viewer/state";

const root = document.getElementById("app");
if (root === null) throw new Error("index.html has no #app element");

const store = new Store();
keepPreferences(store);
const router = new Router(root, (page) => {
  page.append(
    h(
      "main",
      { class: "not-found" },
      h("h1", {}, "Page not found"),
      h("p", {}, h("a", { href: "#/" }, "Back to the results")),
    ),
  );
})
  .add("/", resultsPage(store))
  .add("/report", reportPage(store));
for (const [path, page] of LAB_ROUTES) router.add(path, page);
router.start();
