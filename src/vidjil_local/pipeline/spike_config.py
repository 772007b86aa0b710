"""Spike-in definitions as configs and files give them, checked once into `core.spikes.Spike`s.

A config's `spikes` option, and the file `vidjil-local analyze --spikes` reads, are a list of
{name, sequence, copies[, family]}; the file may also be Vidjil's `--label-json` file
({"config": {"labels": [...]}}, copies possibly written as text). Names are unique, sequences
are DNA (at least `MIN_SPIKE_LENGTH` nt, so that they hold a whole window) and copies positive.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from vidjil_local.core.spikes import Spike
from vidjil_local.errors import InputFormatError, UsageError

MIN_SPIKE_LENGTH = 60
_DNA = re.compile(r"[ACGTN]+")


def spikes_from_json(value: Any) -> tuple[Spike, ...]:
    """The spike-ins of a config option (a list) or of Vidjil's label file (a dict)."""
    if isinstance(value, dict):
        value = (value.get("config") or {}).get("labels")
    if not isinstance(value, list):
        raise UsageError("spike-ins must be a list of {name, sequence, copies[, family]}")
    spikes = tuple(_spike(item, number) for number, item in enumerate(value, start=1))
    names = [spike.name for spike in spikes]
    if len(set(names)) != len(names):
        raise UsageError("two spike-ins have the same name", names=names)
    return spikes


def _spike(item: Any, number: int) -> Spike:
    if not isinstance(item, dict):
        raise UsageError(f"spike-in {number} is not an object", spike=number)
    name = str(item.get("name") or "").strip()
    sequence = str(item.get("sequence") or "").strip().upper()
    if not name:
        raise UsageError(f"spike-in {number} has no name", spike=number)
    if not _DNA.fullmatch(sequence) or len(sequence) < MIN_SPIKE_LENGTH:
        message = f"spike-in {name!r} needs a DNA sequence of at least {MIN_SPIKE_LENGTH} nt"
        raise UsageError(message, spike=name)
    try:
        copies = float(item.get("copies", 0))
    except (TypeError, ValueError):
        copies = 0.0
    if not copies > 0:
        raise UsageError(f"spike-in {name!r} needs a positive number of copies", spike=name)
    return Spike(name, sequence, copies, str(item.get("family") or ""))


def spikes_to_json(spikes: tuple[Spike, ...]) -> list[dict[str, Any]]:
    """The config option's form, as `spikes_from_json` reads it."""
    return [
        {"name": s.name, "sequence": s.sequence, "copies": s.copies, "family": s.family}
        for s in spikes
    ]


def read_spike_file(path: Path) -> tuple[Spike, ...]:
    """A JSON file of spike-ins (our list, or Vidjil's `--label-json` file)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputFormatError(f"cannot read ({error.strerror})", str(path)) from None
    except ValueError as error:
        raise InputFormatError(f"not JSON ({error})", str(path)) from None
    try:
        return spikes_from_json(value)
    except UsageError as error:
        raise InputFormatError(error.message, str(path)) from None
