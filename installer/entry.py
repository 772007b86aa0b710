"""The frozen app's entry script (PyInstaller needs a script): the `vidjil-local` command.

It lives outside `src/` so that the build takes `vidjil_local` from the installed package (compiled
core, built client) rather than from the source tree beside the script.
"""

from vidjil_local.cli import main_cli

if __name__ == "__main__":
    main_cli()
