/**
 * Boots the client: one hash router for both apps, the lab pages (`lab/routes.ts`) and the
 * results viewer (`viewer/`: results at `#/viewer`, report at `#/report`, one store they share).
 * `#/`, the app's bare address, is the front door: a link naming a result (`?vidjil=`,
 * `?set=&config=`) opens it in the viewer; anything else goes to the lab's first start, login or
 * patients, as the server's state requires.
 */
// The stylesheets in this order: shared theme, viewer, then lab/lab.css (imported by the lab).
import "./ui/theme.css";
import "./viewer/viewer.css";
import { homePage } from "./lab/auth-pages";
import { LAB_ROUTES } from "./lab/routes";
import { type Page, Router } from "./router";
import { h } from "./ui/dom";
import { namesResult } from "./viewer/loader";
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
      h("p", {}, h("a", { href: "#/" }, "Back to the start")),
    ),
  );
});
const viewer = resultsPage(store);
const frontDoor: Page = (page) => (namesResult(window.location.search) ? viewer(page) : homePage(page));
router.add("/", frontDoor).add("/viewer", viewer).add("/report", reportPage(store));
for (const [path, page] of LAB_ROUTES) router.add(path, page);
router.start();
