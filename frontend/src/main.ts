/** Boots the client: one store shared by the pages, the router, results at `#/`, report at `#/report`. */
import "./styles.css";
import { LAB_ROUTES } from "./pages/routes";
import { keepPreferences } from "./preferences";
import { Router } from "./router";
import { Store } from "./state";
import { h } from "./ui/dom";
import { reportPage } from "./views/report-page";
import { resultsPage } from "./views/results-page";

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
