"""The one table of settings: name, type, default and help of each.

Every setting the app knows is declared here once. `docs/settings.md` is checked against this
table by a test, the admin settings page and `vidjil-local settings show` are built from it, and
resolution (`settings/resolve.py`) goes defaults < `settings.toml` < `VIDJIL_*` environment <
command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SettingType = Literal["int", "float", "bool", "str", "path", "list"]


@dataclass(frozen=True)
class Setting:
    name: str
    type: SettingType
    default: object
    help: str
    section: str
    secret: bool = (
        False  # shown as "***" and, once the keyring issue lands, stored in the OS keyring
    )
    restart: bool = False  # a change is taken into account only at the next start
    minimum: float | None = None

    @property
    def env_name(self) -> str:
        return "VIDJIL_" + self.name.upper()


def _s(
    name: str,
    type_: SettingType,
    default: object,
    help_: str,
    section: str,
    **extra: object,
) -> Setting:
    return Setting(name, type_, default, help_, section, **extra)  # type: ignore[arg-type]


SETTINGS: tuple[Setting, ...] = (
    # -- server -------------------------------------------------------------------------------
    _s(
        "host",
        "str",
        "127.0.0.1",
        "Address the web server listens on. Keep 127.0.0.1 on a "
        "desktop: only this computer can reach the app.",
        "server",
        restart=True,
    ),
    _s(
        "port",
        "int",
        0,
        "TCP port of the web server; 0 picks a free port at each start.",
        "server",
        restart=True,
        minimum=0,
    ),
    _s(
        "open_browser",
        "bool",
        True,
        "Open the default browser on a one-time login URL when the app starts from the desktop.",
        "server",
    ),
    _s(
        "log_level",
        "str",
        "info",
        "Log level of the app's log file and console: debug, info, warning or error.",
        "server",
        restart=True,
    ),
    # -- paths (Vidjil: DIR_SEQUENCES, DIR_RESULTS, VOLUME_PATH) ---------------------------------
    _s(
        "sequences_dir",
        "path",
        "",
        "Where uploaded sequence files are stored (Vidjil's "
        "DIR_SEQUENCES). Empty: <data dir>/sequences.",
        "paths",
        restart=True,
    ),
    _s(
        "results_dir",
        "path",
        "",
        "Where analysis results are stored (Vidjil's DIR_RESULTS). Empty: <data dir>/results.",
        "paths",
        restart=True,
    ),
    _s(
        "file_source",
        "path",
        "",
        "A network or local folder whose files users may pick instead of "
        "uploading; picked files are linked, not copied (Vidjil's FILE_SOURCE). Empty: disabled.",
        "paths",
    ),
    _s(
        "file_types",
        "list",
        ["fastq", "fastq.gz", "fq", "fq.gz", "fasta", "fasta.gz", "fa", "fa.gz"],
        "File name endings users may pick from file_source (Vidjil's FILE_TYPES).",
        "paths",
    ),
    _s(
        "min_free_disk_percent",
        "float",
        1.0,
        "Refuse uploads and analyses when the data disk has "
        "less free space than this, in percent (Vidjil's FS_LOCK_THRESHHOLD).",
        "paths",
        minimum=0.0,
    ),
    # -- workers (Vidjil: WORKERS_POOL) ----------------------------------------------------------
    _s(
        "workers_pool",
        "int",
        0,
        "How many analyses run at once, each in its own process "
        "(Vidjil's WORKERS_POOL). 0: the number of CPU cores minus one, at least 1.",
        "workers",
        restart=True,
        minimum=0,
    ),
    _s(
        "redis_url",
        "str",
        "",
        "Redis URL of a shared job queue (redis://host:6379/0) for labs "
        "whose workers run on several machines. Empty: the in-app queue. When Redis does not "
        "answer at start, the app falls back to the in-app queue and logs a warning.",
        "workers",
        restart=True,
    ),
    _s(
        "job_time_limit",
        "int",
        86400,
        "Seconds after which a running job is stopped and marked failed.",
        "workers",
        minimum=1,
    ),
    _s(
        "job_max_retries",
        "int",
        2,
        "How many times a job that crashed (not one that failed on bad input) is tried again.",
        "workers",
        minimum=0,
    ),
    # -- security (Vidjil: login and sessions) ---------------------------------------------------
    _s(
        "login_expiration",
        "int",
        7200,
        "Seconds of inactivity after which a login expires (Vidjil's LOGIN_EXPIRATION_TIME).",
        "security",
        minimum=60,
        restart=True,
    ),
    _s(
        "max_wrong_passwords",
        "int",
        5,
        "Wrong passwords in a row after which an account is "
        "locked until an admin unlocks it (Vidjil's MAX_WRONG_PASSWORDS).",
        "security",
        minimum=1,
    ),
    _s(
        "two_factor_required",
        "bool",
        False,
        "Ask for a code sent by e-mail at each login "
        "(Vidjil's TWO_FACTOR_REQUIRED). Needs the SMTP settings.",
        "security",
    ),
    _s(
        "session_secret_key",
        "str",
        "",
        "Secret that signs session and CSRF cookies (Vidjil's "
        "SESSION_SECRET_KEY). Empty: generated at first start and kept in the data dir.",
        "security",
        secret=True,
        restart=True,
    ),
    _s(
        "healthcare_compliance",
        "bool",
        False,
        "Declare this installation suitable for clinical "
        "data under your local regulations; hides the 'research use only' banner (Vidjil's "
        "HEALTHCARE_COMPLIANCE). Setting it is the institution's sole responsibility.",
        "security",
    ),
    _s(
        "desktop_login_email",
        "str",
        "",
        "E-mail of the account that the desktop launcher logs in by itself, for a workstation "
        "used by one person. Empty: the launcher opens the login page (shared computers). "
        "Ignored when two-factor login is required.",
        "security",
    ),
    # -- e-mail (Vidjil: SMTP_*) ---------------------------------------------------------------
    _s(
        "smtp_server",
        "str",
        "",
        "SMTP server as address:port (Vidjil's SMTP_SERVER). Empty: no e-mail.",
        "email",
    ),
    _s(
        "smtp_credentials",
        "str",
        "",
        "SMTP credentials as user:password (Vidjil's SMTP_CREDENTIALS).",
        "email",
        secret=True,
    ),
    _s(
        "smtp_from_email",
        "str",
        "",
        "Sender address of the app's e-mails (Vidjil's SMTP_FROM_EMAIL).",
        "email",
    ),
    _s("smtp_domain", "str", "", "Mail domain (Vidjil's SMTP_DOMAIN).", "email"),
    _s(
        "smtp_admin_emails",
        "list",
        [],
        "Addresses that receive the server's error reports (Vidjil's SMTP_ADMIN_EMAILS).",
        "email",
    ),
    _s(
        "smtp_email_subject_start",
        "str",
        "[Vidjil]",
        "Subject prefix of e-mails to admins (Vidjil's SMTP_EMAIL_SUBJECT_START).",
        "email",
    ),
    _s("smtp_tls", "bool", True, "Use STARTTLS with the SMTP server (Vidjil's SMTP_TLS).", "email"),
    _s(
        "smtp_ssl",
        "bool",
        False,
        "Connect to the SMTP server over SSL (Vidjil's SMTP_SSL).",
        "email",
    ),
    # -- metrics (Vidjil: METRICS_USER_*) ------------------------------------------------------
    _s(
        "metrics_user_email",
        "str",
        "",
        "Login of the account created at first start that may "
        "only read metrics (Vidjil's METRICS_USER_EMAIL). Empty: none.",
        "metrics",
    ),
    _s(
        "metrics_user_password",
        "str",
        "",
        "Password of that metrics account (Vidjil's METRICS_USER_PASSWORD).",
        "metrics",
        secret=True,
    ),
    # -- analysis ------------------------------------------------------------------------------
    _s(
        "default_germline",
        "str",
        "human",
        "Germline set used when an analysis does not name "
        "one: 'human' (bundled) or the path of a Vidjil .g preset.",
        "analysis",
    ),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
