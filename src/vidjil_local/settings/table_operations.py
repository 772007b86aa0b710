"""Settings of security, e-mail, metrics, backups and analysis defaults (part of the one table,
`settings/table.py`)."""

from __future__ import annotations

from vidjil_local.settings.setting import (
    YEAR,
    Setting,
    crontab_problem,
    declare,
    email_problem,
    server_address_problem,
)

OPERATIONS_SETTINGS: tuple[Setting, ...] = (
    # -- security (Vidjil: login and sessions) ---------------------------------------------------
    declare(
        "login_expiration",
        "int",
        7200,
        "Seconds of inactivity after which a login expires (Vidjil's LOGIN_EXPIRATION_TIME).",
        "security",
        minimum=60,
        maximum=YEAR,
        restart=True,
    ),
    declare(
        "max_wrong_passwords",
        "int",
        5,
        "Wrong passwords in a row after which logins to an account are slowed down (Vidjil's "
        "MAX_WRONG_PASSWORDS, which locked it): each further try waits login_delay_seconds, "
        "twice as long after each wrong password, at most 15 minutes. A right password ends it; "
        "an administrator lifts it at once (users page, or vidjil-local users unlock EMAIL).",
        "security",
        minimum=1,
        maximum=1_000,
    ),
    declare(
        "max_wrong_passwords_per_address",
        "int",
        20,
        "Wrong passwords from one client address (any accounts, known or not) after which "
        "logins from it are slowed down the same way: one password tried across many "
        "accounts. Its count ends after an hour without a wrong password.",
        "security",
        minimum=1,
        maximum=100_000,
    ),
    declare(
        "login_delay_seconds",
        "int",
        30,
        "The first wait once an account or an address is slowed down, in seconds; it doubles "
        "with each further wrong password, up to 15 minutes.",
        "security",
        minimum=1,
        maximum=900,
    ),
    declare(
        "two_factor_required",
        "bool",
        False,
        "Ask for a code sent by e-mail at each login "
        "(Vidjil's TWO_FACTOR_REQUIRED). Needs the SMTP settings.",
        "security",
    ),
    declare(
        "session_secret_key",
        "str",
        "",
        "Secret that signs session and CSRF cookies (Vidjil's "
        "SESSION_SECRET_KEY). Empty: generated at first start and kept in the secret store.",
        "security",
        secret=True,
        restart=True,
    ),
    declare(
        "secret_store",
        "str",
        "auto",
        "Where the secret settings (session key, SMTP credentials, metrics password, TLS key "
        "password, Redis URLs) are kept, "
        "never in settings.toml. auto: the OS keyring (Windows, macOS, a Linux desktop's Secret "
        "Service) when one answers, else one 0600 file per secret in the 0700 folder "
        "<data dir>/secrets; file: always those files. Secrets move over at the next start.",
        "security",
        restart=True,
        choices=("auto", "file"),
    ),
    declare(
        "healthcare_compliance",
        "bool",
        False,
        "Declare this installation suitable for clinical "
        "data under your local regulations; hides the 'research use only' banner (Vidjil's "
        "HEALTHCARE_COMPLIANCE). Setting it is the institution's sole responsibility.",
        "security",
    ),
    declare(
        "desktop_login_email",
        "str",
        "",
        "E-mail of the account that the desktop launcher logs in by itself, for a workstation "
        "used by one person. Empty: the launcher opens the login page (shared computers). "
        "Ignored when two-factor login is required.",
        "security",
        check=email_problem,
    ),
    # -- e-mail (Vidjil: SMTP_*) ---------------------------------------------------------------
    declare(
        "smtp_server",
        "str",
        "",
        "SMTP server as address:port (Vidjil's SMTP_SERVER); without a port, 25, or 465 with "
        "smtp_ssl. Empty: no e-mail (smtp_from_email is needed too).",
        "email",
        check=server_address_problem,
    ),
    declare(
        "smtp_credentials",
        "str",
        "",
        "SMTP credentials as user:password (Vidjil's SMTP_CREDENTIALS).",
        "email",
        secret=True,
    ),
    declare(
        "smtp_from_email",
        "str",
        "",
        "Sender address of the app's e-mails (Vidjil's SMTP_FROM_EMAIL).",
        "email",
        check=email_problem,
    ),
    declare(
        "smtp_domain",
        "str",
        "",
        "Name this computer gives the SMTP server when it greets it (EHLO; Vidjil's SMTP_DOMAIN). "
        "Empty: this computer's own name.",
        "email",
    ),
    declare(
        "smtp_admin_emails",
        "list",
        [],
        "Addresses that receive the server's alerts: unhandled errors, crashed jobs, failed "
        "backups, a nearly full data disk (Vidjil's SMTP_ADMIN_EMAILS).",
        "email",
        check=email_problem,
    ),
    declare(
        "smtp_email_subject_start",
        "str",
        "[Vidjil]",
        "Subject prefix of the app's e-mails (Vidjil's SMTP_EMAIL_SUBJECT_START).",
        "email",
    ),
    declare(
        "smtp_tls", "bool", True, "Use STARTTLS with the SMTP server (Vidjil's SMTP_TLS).", "email"
    ),
    declare(
        "smtp_ssl",
        "bool",
        False,
        "Connect to the SMTP server over SSL (Vidjil's SMTP_SSL).",
        "email",
    ),
    # -- metrics (Vidjil: METRICS_USER_*) ------------------------------------------------------
    declare(
        "metrics_user_email",
        "str",
        "",
        "E-mail of the account, made at each start, that may only read the metrics (Vidjil's "
        "METRICS_USER_EMAIL); it takes metrics_user_password at each start. Empty: none.",
        "metrics",
        check=email_problem,
    ),
    declare(
        "metrics_user_password",
        "str",
        "",
        "Password of that metrics account (Vidjil's METRICS_USER_PASSWORD).",
        "metrics",
        secret=True,
    ),
    # -- backups (Vidjil: the restic service) ---------------------------------------------------
    declare(
        "backup_dir",
        "path",
        "",
        "Folder the backups are written to, best on another disk or a mounted network share. "
        "Empty: no scheduled backups (`vidjil-local backup --to FOLDER` still makes one).",
        "backups",
    ),
    declare(
        "backup_schedule",
        "str",
        "0 */6 * * *",
        "When backups run, as a crontab line (minute hour day month weekday) in this "
        "computer's time zone; the default is every six hours. A time missed while the app was "
        "stopped is made up once at the next start. Weekdays as in crontab: 0 and 7 are Sunday. "
        "Empty: only when started by hand.",
        "backups",
        check=crontab_problem,
    ),
    declare(
        "backup_sequences",
        "bool",
        False,
        "Also back up the uploaded sequence files. Off by default as in Vidjil: they are large, "
        "and labs keep the sequencer's files elsewhere.",
        "backups",
    ),
    declare(
        "backup_max_mb_per_second",
        "float",
        0.0,
        "Upper limit on how fast a backup writes its new files, in MB per second, so that a "
        "backup to the hospital's network share during the day leaves the network to others "
        "(restic's --limit-upload). 0: as fast as the disks allow.",
        "backups",
        minimum=0.0,
    ),
    declare(
        "backup_keep_last",
        "int",
        6,
        "Backups kept: the latest N, plus those kept by backup_keep_daily and "
        "backup_keep_weekly. With all three at 0, no backup is ever deleted.",
        "backups",
        minimum=0,
        maximum=100_000,
    ),
    declare(
        "backup_keep_daily",
        "int",
        7,
        "Also keep the last backup of each of the last N days that have one.",
        "backups",
        minimum=0,
        maximum=100_000,
    ),
    declare(
        "backup_keep_weekly",
        "int",
        8,
        "Also keep the last backup of each of the last N weeks that have one.",
        "backups",
        minimum=0,
        maximum=100_000,
    ),
    # -- analysis ------------------------------------------------------------------------------
    declare(
        "default_germline",
        "str",
        "human",
        "Germline set of a new analysis config that names none: 'human' (bundled) or an "
        "imported set's name, with loci or not (human:IGH,TRG). Configs already made keep theirs.",
        "analysis",
    ),
)
