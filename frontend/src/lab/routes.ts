/**
 * The lab and admin pages and their hash paths, registered by main.ts beside the results views.
 * `#/home` is the lab entry: it leads to the first start, the login or the patients.
 */
import type { Page } from "../router";
import { accountPage } from "./account-page";
import { auditPage } from "./admin/audit-page";
import { backupsPage } from "./admin/backups-page";
import { configsPage } from "./admin/configs-page";
import { emailPage } from "./admin/email-page";
import { exchangePage } from "./admin/exchange-page";
import { laterPages } from "./admin/frame";
import { germlinesPage } from "./admin/germlines-page";
import { groupsPage } from "./admin/groups-page";
import { logsPage } from "./admin/logs-page";
import { metricsPage } from "./admin/metrics-page";
import { settingsPage } from "./admin/settings-page";
import { statusPage } from "./admin/status-page";
import { workersPage } from "./admin/workers-page";
import { usersPage } from "./admin/users-page";
import { homePage, loginPage, setupPage } from "./auth-pages";
import { comparePage } from "./compare-page";
import { jobsPage } from "./jobs-page";
import { qcPage } from "./qc-page";
import { setPage } from "./set/set-page";
import { genericSetsPage, patientsPage, runsPage } from "./sets-page";

export const LAB_ROUTES: [string, Page][] = [
  ["/home", homePage],
  ["/setup", setupPage],
  ["/login", loginPage],
  ["/patients", patientsPage],
  ["/runs", runsPage],
  ["/sets", genericSetsPage],
  ["/set", setPage],
  ["/qc", qcPage],
  ["/compare", comparePage],
  ["/jobs", jobsPage],
  ["/account", accountPage],
  ["/admin", settingsPage],
  ["/admin/settings", settingsPage],
  ["/admin/users", usersPage],
  ["/admin/groups", groupsPage],
  ["/admin/configs", configsPage],
  ["/admin/germlines", germlinesPage],
  ["/admin/audit", auditPage],
  ["/admin/status", statusPage],
  ["/admin/backups", backupsPage],
  ["/admin/exchange", exchangePage],
  ["/admin/logs", logsPage],
  ["/admin/email", emailPage],
  ["/admin/metrics", metricsPage],
  ["/admin/workers", workersPage],
  ...laterPages,
];
