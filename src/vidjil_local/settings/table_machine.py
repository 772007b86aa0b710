"""Settings of the server and the machine: address and port, data paths, workers, the lab
network (part of the one table, `settings/table.py`)."""

from __future__ import annotations

from vidjil_local.settings.setting import (
    DAY,
    YEAR,
    Setting,
    declare,
    loopback_problem,
    niceness_problem,
    percent_problem,
    port_problem,
)

MACHINE_SETTINGS: tuple[Setting, ...] = (
    # -- server -------------------------------------------------------------------------------
    declare(
        "host",
        "str",
        "127.0.0.1",
        "Address the web server listens on, over plain HTTP: a loopback address only "
        "(127.0.0.1, ::1 or localhost), so that only this computer reaches it; any other is "
        "refused at start. To open the app to the lab's other computers, turn on network_access "
        "(HTTPS).",
        "server",
        restart=True,
        check=loopback_problem,
    ),
    declare(
        "port",
        "int",
        0,
        "TCP port of the web server; 0 picks a free port at each start.",
        "server",
        restart=True,
        minimum=0,
        check=port_problem,
    ),
    declare(
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
    declare(
        "open_browser",
        "bool",
        True,
        "Open the default browser on a one-time login URL when the app starts from the desktop.",
        "server",
    ),
    declare(
        "log_level",
        "str",
        "info",
        "Log level of the app's log file and console: debug, info, warning or error.",
        "server",
        restart=True,
        choices=("debug", "info", "warning", "error"),
    ),
    declare(
        "log_file_megabytes",
        "int",
        10,
        "Size in MB at which each log file in <data dir>/logs (the app log, the request log) "
        "is closed and a new one started.",
        "server",
        restart=True,
        minimum=1,
        maximum=10_000,
    ),
    declare(
        "log_files_kept",
        "int",
        5,
        "Files kept of each log, the current one included; the oldest goes when a new one "
        "starts. The logs use at most 2 x log_files_kept x log_file_megabytes MB.",
        "server",
        restart=True,
        minimum=2,
        maximum=1_000,
    ),
    # -- paths (Vidjil: DIR_SEQUENCES, DIR_RESULTS, VOLUME_PATH) ---------------------------------
    declare(
        "sequences_dir",
        "path",
        "",
        "Where uploaded sequence files are stored (Vidjil's "
        "DIR_SEQUENCES). Empty: <data dir>/sequences.",
        "paths",
        restart=True,
    ),
    declare(
        "results_dir",
        "path",
        "",
        "Where analysis results are stored (Vidjil's DIR_RESULTS). Empty: <data dir>/results.",
        "paths",
        restart=True,
    ),
    declare(
        "file_source",
        "path",
        "",
        "A network or local folder whose files users may pick instead of "
        "uploading; picked files are linked, not copied (Vidjil's FILE_SOURCE). Empty: disabled.",
        "paths",
    ),
    declare(
        "file_types",
        "list",
        ["fastq", "fastq.gz", "fq", "fq.gz", "fasta", "fasta.gz", "fa", "fa.gz", "vidjil"],
        "File name endings users may pick from file_source (Vidjil's FILE_TYPES); a .vidjil "
        "of several samples becomes one sample each.",
        "paths",
    ),
    declare(
        "min_free_disk_percent",
        "float",
        1.0,
        "Refuse uploads and analyses when the data disk has "
        "less free space than this, in percent (Vidjil's FS_LOCK_THRESHHOLD).",
        "paths",
        minimum=0.0,
        check=percent_problem,
    ),
    # -- workers (Vidjil: WORKERS_POOL) ----------------------------------------------------------
    declare(
        "workers_pool",
        "int",
        0,
        "Cores the app's jobs use, and so the most jobs running at once, each in its own "
        "process (Vidjil's WORKERS_POOL); the running analyses share them, a lone one using "
        "them all. 0: the number of CPU cores minus one, at least 1.",
        "workers",
        restart=True,
        minimum=0,
        maximum=1_024,
    ),
    declare(
        "redis_url",
        "str",
        "",
        "Redis URL of a shared job queue (redis://host:6379/0, with Redis's password: "
        "redis://:password@host:6379/0) for labs whose workers run on several machines. Empty: "
        "the in-app queue. When Redis does not answer at start, the app falls back to the in-app "
        "queue and logs a warning. The Workers page shows it without its password.",
        "workers",
        secret=True,  # the admin guide has it hold Redis's password
        restart=True,
    ),
    declare(
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
    declare(
        "worker_lease_seconds",
        "int",
        60,
        "Seconds a worker machine holds a job without reporting: a worker that stops reporting "
        "for longer (killed, cut off) loses the job, which goes back to the queue.",
        "workers",
        minimum=3,
        maximum=DAY,
    ),
    declare(
        "job_time_limit",
        "int",
        86400,
        "Seconds after which a running job is stopped and marked failed.",
        "workers",
        minimum=1,
        maximum=YEAR,
    ),
    declare(
        "job_niceness",
        "int",
        10,
        "How readily the app's jobs (analyses, fuses, imports) leave the processor to the server "
        "and to the computer's other programs when it is busy: the niceness of their processes, "
        "0 to 19 (on Windows, any value above 0 means below-normal priority). A job still uses "
        "every idle core: this only keeps the pages quick while analyses run. 0: the same "
        "priority as the server.",
        "workers",
        restart=True,
        minimum=0,
        check=niceness_problem,
    ),
    declare(
        "job_max_retries",
        "int",
        2,
        "How many times a job that crashed (not one that failed on bad input) is tried again.",
        "workers",
        minimum=0,
        maximum=100,
    ),
    # -- network: the app for the lab's other computers -----------------------------------------
    declare(
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
    declare(
        "network_address",
        "str",
        "0.0.0.0",
        "Address of the HTTPS listener when network_access is on: 0.0.0.0 for every address "
        "of this computer, or one of them.",
        "network",
        restart=True,
    ),
    declare(
        "network_port",
        "int",
        8443,
        "TCP port of the HTTPS listener when network_access is on (0: any free port, shown in "
        "the log and on the status page).",
        "network",
        restart=True,
        minimum=0,
        check=port_problem,
    ),
    declare(
        "tls_certificate",
        "path",
        "",
        "PEM file of the server's certificate (with its chain) for HTTPS, e.g. one from the "
        "institution's authority. Empty: a self-signed certificate made at first start, whose "
        "fingerprint the Server status page shows.",
        "network",
        restart=True,
    ),
    declare(
        "tls_key",
        "path",
        "",
        "PEM file of the private key of tls_certificate.",
        "network",
        restart=True,
    ),
    declare(
        "tls_key_password",
        "str",
        "",
        "Password of tls_key, if it is encrypted.",
        "network",
        secret=True,
        restart=True,
    ),
)
