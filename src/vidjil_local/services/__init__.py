"""Use-cases shared by the API, the job workers and the command line, one feature package per
area of the API (`accounts`, `samples`, `analyses`, `results`, `admin`); the modules at this root
are shared by all of them: `audit` (the trail), `authz` (rights), `disk` (free space) and `mail`
(SMTP). The install's secrets are kept by `settings.secrets`, below every layer, so that every
resolved `Settings` carries them and no secret is ever written to settings.toml."""
