"""What uploads and the file source both say of a file that is not what it should be: a result
file made elsewhere told apart from bad reads, and a reader's error told with the names the
user knows."""

from __future__ import annotations

from pathlib import Path

from vidjil_local.errors import InputFormatError
from vidjil_local.results import import_samples, sniff_result


def result_file_suffix(part: Path) -> str:
    """A `.vidjil` (of one sample or several) or AIRR TSV made elsewhere, for the "import"
    configs: its stored suffix, or "" when the file does not even look like one (then the reads
    error is the one to show).
    A file that looks like one but does not parse raises that parser's error instead."""
    suffix = sniff_result(part).suffix
    if suffix:
        import_samples(part)  # raises InputFormatError with the line when it is broken
    return suffix


def renamed(error: InputFormatError, names: dict[Path, str]) -> InputFormatError:
    """The reader's message about stored files, told with the names the user knows."""
    path = Path(error.path)
    where = f"{path}:{error.line}" if error.line is not None else str(path)
    reason = error.message.removeprefix(f"{where}: ")
    for stored, original in names.items():
        reason = reason.replace(stored.name, original)
    details = {k: v for k, v in error.details.items() if k not in ("path", "line")}
    return InputFormatError(reason, names.get(path, path.name), error.line, **details)
