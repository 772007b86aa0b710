"""The one table of settings: name, type, default and help of each.

Every setting the app knows is declared here once. `docs/settings.md` is checked against this
table by a test, the admin settings page and `vidjil-local settings show` are built from it, and
resolution (`settings/resolve.py`) goes defaults < `settings.toml` < `VIDJIL_*` environment <
command line.
"""

from __future__ import annotations

from collections.abc import Callable
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
    secret: bool = False  # shown as "***", kept in the secret store (settings/secrets.py)
    restart: bool = False  # a change is taken into account only at the next start
    minimum: float | None = None
    choices: tuple[str, ...] = ()  # the values a "str" setting may take, when limited
    check: Callable[[object], str | None] | None = None  # the problem with a value, or None

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


def _crontab_problem(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    from vidjil_local.settings.crontab import crontab_trigger

    try:
        crontab_trigger(value)
    except ValueError as error:
        return f"not a crontab line (minute hour day month weekday): {error}"
    return None


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
        "allowed_hosts",
        "list",
        [],
        "Names (or addresses) of this server that browsers may use, besides localhost, "
        "127.0.0.1 and [::1] with the app's port and the address it listens on, and (with "
        "network_access) this computer's names and the HTTPS listener's address with its port: "
        "set them for other names the lab types, e.g. vidjil.lab.example or "
        "vidjil.lab.example:8443 (they also go into the self-signed certificate). A request "
        "naming any other host is refused, so a web page cannot reach the app through a name "
        "that resolves to it (DNS rebinding).",
        "server",
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
        choices=("debug", "info", "warning", "error"),
    ),
    _s(
        "log_file_megabytes",
        "int",
        10,
        "Size in MB at which each log file in <data dir>/logs (the app log, the request log) "
        "is closed and a new one started.",
        "server",
        restart=True,
        minimum=1,
    ),
    _s(
        "log_files_kept",
        "int",
        5,
        "Files kept of each log, the current one included; the oldest goes when a new one "
        "starts. The logs use at most 2 x log_files_kept x log_file_megabytes MB.",
        "server",
        restart=True,
        minimum=2,
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
        "worker_redis_url",
        "str",
        "",
        "Redis URL that worker machines use to reach the job queue, when it differs from "
        "redis_url as this computer sees it (redis://:password@lab-server:6379/0). Given only to "
        "workers that present a valid token. Empty: redis_url.",
        "workers",
        secret=True,
        restart=True,
    ),
    _s(
        "worker_lease_seconds",
        "int",
        60,
        "Seconds a worker machine holds a job without reporting: a worker that stops reporting "
        "for longer (killed, cut off) loses the job, which goes back to the queue.",
        "workers",
        minimum=3,
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
    # -- network: the app for the lab's other computers -----------------------------------------
    _s(
        "network_access",
        "bool",
        False,
        "Let the lab's other computers use the app: it also listens on network_address:"
        "network_port, over HTTPS only (tls_certificate, or a self-signed certificate made at "
        "first start). This computer's browser keeps its own address. See the admin guide for "
        "what this opens.",
        "network",
        restart=True,
    ),
    _s(
        "network_address",
        "str",
        "0.0.0.0",
        "Address of the HTTPS listener when network_access is on: 0.0.0.0 for every address "
        "of this computer, or one of them.",
        "network",
        restart=True,
    ),
    _s(
        "network_port",
        "int",
        8443,
        "TCP port of the HTTPS listener when network_access is on (0: any free port, shown in "
        "the log and on the status page).",
        "network",
        restart=True,
        minimum=0,
    ),
    _s(
        "tls_certificate",
        "path",
        "",
        "PEM file of the server's certificate (with its chain) for HTTPS, e.g. one from the "
        "institution's authority. Empty: a self-signed certificate made at first start, whose "
        "fingerprint the Network page shows.",
        "network",
        restart=True,
    ),
    _s(
        "tls_key",
        "path",
        "",
        "PEM file of the private key of tls_certificate.",
        "network",
        restart=True,
    ),
    _s(
        "tls_key_password",
        "str",
        "",
        "Password of tls_key, if it is encrypted.",
        "network",
        secret=True,
        restart=True,
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
        "Wrong passwords in a row after which logins to an account are slowed down (Vidjil's "
        "MAX_WRONG_PASSWORDS, which locked it): each further try waits login_delay_seconds, "
        "twice as long after each wrong password, at most 15 minutes. A right password ends it; "
        "an administrator lifts it at once (users page, or vidjil-local users unlock EMAIL).",
        "security",
        minimum=1,
    ),
    _s(
        "max_wrong_passwords_per_address",
        "int",
        20,
        "Wrong passwords from one client address (any accounts, known or not) after which "
        "logins from it are slowed down the same way: one password tried across many "
        "accounts. Its count ends after an hour without a wrong password.",
        "security",
        minimum=1,
    ),
    _s(
        "login_delay_seconds",
        "int",
        30,
        "The first wait once an account or an address is slowed down, in seconds; it doubles "
        "with each further wrong password, up to 15 minutes.",
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
        "SESSION_SECRET_KEY). Empty: generated at first start and kept in the secret store.",
        "security",
        secret=True,
        restart=True,
    ),
    _s(
        "secret_store",
        "str",
        "auto",
        "Where the secret settings (session key, SMTP credentials, metrics password) are kept, "
        "never in settings.toml. auto: the OS keyring (Windows, macOS, a Linux desktop's Secret "
        "Service) when one answers, else one 0600 file per secret in the 0700 folder "
        "<data dir>/secrets; file: always those files. Secrets move over at the next start.",
        "security",
        restart=True,
        choices=("auto", "file"),
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
        "Addresses that receive the server's alerts: unhandled errors, crashed jobs, failed "
        "backups (Vidjil's SMTP_ADMIN_EMAILS).",
        "email",
    ),
    _s(
        "smtp_email_subject_start",
        "str",
        "[Vidjil]",
        "Subject prefix of the app's e-mails (Vidjil's SMTP_EMAIL_SUBJECT_START).",
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
        "E-mail of the account, made at each start, that may only read the metrics (Vidjil's "
        "METRICS_USER_EMAIL); it takes metrics_user_password at each start. Empty: none.",
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
    # -- backups (Vidjil: the restic service) ---------------------------------------------------
    _s(
        "backup_dir",
        "path",
        "",
        "Folder the backups are written to, best on another disk or a mounted network share. "
        "Empty: no scheduled backups (`vidjil-local backup --to FOLDER` still makes one).",
        "backups",
    ),
    _s(
        "backup_schedule",
        "str",
        "0 */6 * * *",
        "When backups run, as a crontab line (minute hour day month weekday) in this "
        "computer's time zone; the default is every six hours. A time missed while the app was "
        "stopped is made up once at the next start. Weekdays as in crontab: 0 and 7 are Sunday. "
        "Empty: only when started by hand.",
        "backups",
        check=_crontab_problem,
    ),
    _s(
        "backup_sequences",
        "bool",
        False,
        "Also back up the uploaded sequence files. Off by default as in Vidjil: they are large, "
        "and labs keep the sequencer's files elsewhere.",
        "backups",
    ),
    _s(
        "backup_keep_last",
        "int",
        6,
        "Backups kept: the latest N, plus those kept by backup_keep_daily and "
        "backup_keep_weekly. With all three at 0, no backup is ever deleted.",
        "backups",
        minimum=0,
    ),
    _s(
        "backup_keep_daily",
        "int",
        7,
        "Also keep the last backup of each of the last N days that have one.",
        "backups",
        minimum=0,
    ),
    _s(
        "backup_keep_weekly",
        "int",
        8,
        "Also keep the last backup of each of the last N weeks that have one.",
        "backups",
        minimum=0,
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
