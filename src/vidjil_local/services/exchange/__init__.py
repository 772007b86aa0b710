"""Sets, samples, results and their history moved between two vidjil-local installs (Vidjil's
migrator): `export.py` writes one checked archive, `importing.py` reads it into another install;
`vidjil_export.py` and `vidjil_import.py` read the export folder of a classic Vidjil server."""
