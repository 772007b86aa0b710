"""Use-cases shared by the API, the job workers and the command line, one feature package per
area of the API (`accounts`, `samples`, `analyses`, `results`, `admin`); the modules at this root
are shared by all of them: `audit` (the trail), `authz` (rights), `disk` (free space), `mail`
(SMTP) and `secrets_store` (the install's own secrets)."""
