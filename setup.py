"""Build hook: compile vidjil_local.core with mypyc when a C compiler works.

Set VIDJIL_COMPILE=no to force the interpreted core, VIDJIL_COMPILE=yes to fail
rather than fall back when compiling is impossible.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from setuptools import setup

CORE = Path("src/vidjil_local/core")


def _compiler_works() -> bool:
    from setuptools._distutils.ccompiler import new_compiler
    from setuptools._distutils.sysconfig import customize_compiler

    compiler = new_compiler()
    customize_compiler(compiler)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "probe.c")
        source.write_text("int main(void) { return 0; }\n")
        try:
            compiler.compile([str(source)], output_dir=tmp)
        except Exception:
            return False
    return True


def _core_extensions() -> list:  # type: ignore[type-arg]
    wanted = os.environ.get("VIDJIL_COMPILE", "auto").lower()
    if wanted in {"no", "0", "false"}:
        print("vidjil-local: VIDJIL_COMPILE=no, installing the interpreted core", file=sys.stderr)
        return []
    if not _compiler_works():
        if wanted in {"yes", "1", "true"}:
            raise SystemExit("vidjil-local: VIDJIL_COMPILE=yes but no working C compiler")
        print("vidjil-local: no working C compiler, installing the interpreted core", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    modules = sorted(str(p) for p in CORE.glob("*.py") if p.name != "__init__.py")
    return mypycify(modules, opt_level="3", group_name="vidjil_local_core")


setup(ext_modules=_core_extensions())
