"""Every metric of the Vidjil admin guide's "fast" and "long" lists, as a query on our tables.

Each metric has the guide's name, its list, a help text, the names of its labels and one SQL query
giving one row per label combination: the labels, then the value. Where our data model differs
from Vidjil's the help says what is counted (docs/admin-guide.md, "Metrics", has the table):
sets belong to groups through `set_access` (Vidjil counts the sets of each group's members), a
sample file is a `samples` row not deleted, an analysis is a `results` row, a job is a `jobs` row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MetricList = Literal["fast", "long"]
SET_KINDS = {"patients": "patient", "runs": "run", "generics": "generic"}
LIVE_SAMPLES = "samples.status != 'deleted'"
# audit actions of logging in and out (login, login_code, login_desktop, login_failed, ...)
LOGIN_ACTIONS = "(action LIKE 'login%' OR action = 'logout' OR action = 'account_locked')"


@dataclass(frozen=True)
class Metric:
    name: str
    list_name: MetricList
    help: str
    labels: tuple[str, ...]
    query: str
    parameters: tuple[object, ...] = ()


def _sets_count(plural: str, kind: str) -> Metric:
    return Metric(
        f"set_{plural}_count", "fast", f"Number of {plural} ({kind} sets).", (),
        "SELECT count(*) FROM sample_sets WHERE kind = ?", (kind,),
    )  # fmt: skip


def _sets_by_user(plural: str, kind: str) -> Metric:
    return Metric(
        f"set_{plural}_by_user", "fast",
        f"Number of {plural} by the user who created them (user_id 'none': account deleted).",
        ("user_id",),
        "SELECT coalesce(created_by, 'none'), count(*) FROM sample_sets WHERE kind = ? "
        "GROUP BY created_by", (kind,),
    )  # fmt: skip


def _sets_by_group(plural: str, kind: str) -> Metric:
    return Metric(
        f"set_{plural}_by_group", "long",
        f"Number of {plural} each group has access to (a set shared by two groups counts in "
        "both).",
        ("group_id", "group_name"),
        "SELECT g.id, g.name, count(*) FROM set_access a JOIN sample_sets s "
        "ON s.id = a.sample_set_id JOIN groups g ON g.id = a.group_id WHERE s.kind = ? "
        "GROUP BY g.id ORDER BY g.id", (kind,),
    )  # fmt: skip


def _analyses_by_config_of(plural: str, kind: str) -> Metric:
    suffix = "generic" if kind == "generic" else plural  # the guide's names
    return Metric(
        f"config_analysis_by_users_{suffix}", "fast",
        f"Number of analyses (results) by config, of samples in {plural} ({kind} sets); an "
        "analysis of a sample in several such sets counts once.",
        ("config_id", "config_name", "program"),
        "SELECT c.id, c.name, c.program, count(DISTINCT r.id) FROM results r "
        "JOIN configs c ON c.id = r.config_id JOIN set_samples ss ON ss.sample_id = r.sample_id "
        "JOIN sample_sets s ON s.id = ss.sample_set_id WHERE s.kind = ? GROUP BY c.id "
        "ORDER BY c.id", (kind,),
    )  # fmt: skip


FIXED: tuple[Metric, ...] = (
    Metric(
        "group_count",
        "fast",
        "Number of groups (personal groups of users included).",
        (),
        "SELECT count(*) FROM groups",
    ),
    Metric(
        "sequence_count",
        "fast",
        "Number of sample (sequence) files, deleted ones left out.",
        (),
        f"SELECT count(*) FROM samples WHERE {LIVE_SAMPLES}",
    ),
    Metric(
        "results_count",
        "fast",
        "Number of analysis results kept (re-runs included).",
        (),
        "SELECT count(*) FROM results",
    ),
    Metric(
        "sequence_by_user",
        "fast",
        "Number of sample files by the user who uploaded them.",
        ("user_id",),
        "SELECT coalesce(uploaded_by, 'none'), count(*) FROM samples "
        f"WHERE {LIVE_SAMPLES} GROUP BY uploaded_by",
    ),
    Metric(
        "sequence_size_by_user",
        "fast",
        "Bytes of sample files by the user who uploaded them (both files of a pair).",
        ("user_id",),
        "SELECT coalesce(uploaded_by, 'none'), sum(size + coalesce(size2, 0)) FROM samples "
        f"WHERE {LIVE_SAMPLES} GROUP BY uploaded_by",
    ),
    Metric(
        "config_analysis",
        "fast",
        "Number of analyses (results) by config.",
        ("config_id", "config_name", "program"),
        "SELECT c.id, c.name, c.program, count(*) FROM results r JOIN configs c "
        "ON c.id = r.config_id GROUP BY c.id ORDER BY c.id",
    ),
    Metric(
        "login_count",
        "fast",
        "Logins, failed logins and logouts by user and kind, from the audit trail (user_id "
        "'none': an unknown e-mail).",
        ("user_id", "action"),
        "SELECT coalesce(user_id, 'none'), action, count(*) FROM audit_log "
        f"WHERE {LOGIN_ACTIONS} GROUP BY user_id, action",
    ),
    Metric(
        "status_analysis",
        "fast",
        "Number of jobs by kind (analysis, fuse, ...) and status (queued, running, completed, "
        "failed, cancelled).",
        ("kind", "status"),
        "SELECT kind, status, count(*) FROM jobs GROUP BY kind, status",
    ),
    Metric(
        "config_analysis_by_groups",
        "long",
        "Number of analyses (results) by config, group with access to the sample's set, and kind "
        "of set.",
        ("config_id", "config_name", "group_id", "group_name", "set_kind"),
        "SELECT c.id, c.name, g.id, g.name, s.kind, count(DISTINCT r.id) FROM results r "
        "JOIN configs c ON c.id = r.config_id JOIN set_samples ss ON ss.sample_id = r.sample_id "
        "JOIN sample_sets s ON s.id = ss.sample_set_id JOIN set_access a "
        "ON a.sample_set_id = s.id JOIN groups g ON g.id = a.group_id "
        "GROUP BY c.id, g.id, s.kind ORDER BY c.id, g.id, s.kind",
    ),
)

METRICS: tuple[Metric, ...] = (
    *(_sets_count(plural, kind) for plural, kind in SET_KINDS.items()),
    *(_sets_by_user(plural, kind) for plural, kind in SET_KINDS.items()),
    *(_analyses_by_config_of(plural, kind) for plural, kind in SET_KINDS.items()),
    *(_sets_by_group(plural, kind) for plural, kind in SET_KINDS.items()),
    *FIXED,
)
BY_NAME = {metric.name: metric for metric in METRICS}


def chosen(which: str) -> tuple[Metric, ...]:
    """The metrics of one list ("fast", "long") or all of them ("all")."""
    return METRICS if which == "all" else tuple(m for m in METRICS if m.list_name == which)
