"""The clonotyping core: pure, typed, compiled with mypyc when a C compiler is available.

Nothing here does I/O or imports anything outside `vidjil_local.core` and the standard library.
The public names are re-exported here; everything else in `core/` is private.
"""

from vidjil_local.core._build import is_compiled
from vidjil_local.core.genes import Gene, GermlineSet, Locus

__all__ = ["Gene", "GermlineSet", "Locus", "is_compiled"]
