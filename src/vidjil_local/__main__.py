"""`python -m vidjil_local`: the same entry point as the `vidjil-local` command."""

from vidjil_local.cli import main_cli

if __name__ == "__main__":
    main_cli()
