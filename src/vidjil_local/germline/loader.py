"""Load a germline set in Vidjil's format (a `.g` JSON preset plus FASTA files) for the core.

A spec is `human` (the bundled set, read as package data), `human:IGH,TRG` (a selection of its
systems), or the path of any `.g` preset with the same optional `:SYSTEMS` suffix. Every system
of the preset is loaded with each of its recombinations, incomplete ones included ("IGH+" D-J,
"TRD+" Dδ2-Dδ3, ...): the "5" files give its 5' genes, "4" the D genes between, "3" its 3' genes.
Every problem the user can fix is a `GermlineError`; genes of complete systems whose anchor
cannot be found are kept and reported in `LoadedGermline.warnings` (they can still be
designated, without a junction).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from vidjil_local.core.genes import Gene, GermlineSet, Locus, Recombination
from vidjil_local.errors import GermlineError
from vidjil_local.germline.fasta import (
    J_ANCHOR_GAPPED_INDEX,
    V_ANCHOR_GAPPED_INDEX,
    FastaRecord,
    gapped_anchor,
    parse_anchors,
    parse_fasta,
)
from vidjil_local.germline.motifs import find_j_anchor
from vidjil_local.germline.priors import Priors, genes_with_priors, parse_priors

BUNDLED = {"human": "homo-sapiens", "homo-sapiens": "homo-sapiens"}
_LOCI_SUFFIX = re.compile(r"^[A-Za-z0-9+_-]+(,[A-Za-z0-9+_-]+)*$")
_SEGMENT_OF_KEY = {"5": "V", "4": "D", "3": "J"}
_SHOWN_NAMES = 5  # genes named in one warning before "..."


@dataclass(frozen=True)
class LoadedGermline:
    germline_set: GermlineSet
    warnings: list[str]
    provenance: str  # where the set comes from, for the job record and the `.vidjil` producer
    checksum: str  # sha256 over the preset and every file read, to tell two sets apart


@dataclass(frozen=True)
class _Preset:
    name: str
    directory: Traversable
    label: str  # what the user named: "human" or a path
    preset: dict[str, Any]
    raw: bytes


def load_germline(spec: str) -> LoadedGermline:
    """Load the germline set named by `spec` (see the module docstring)."""
    location, selection = split_spec(spec)
    preset = _open_preset(location)
    systems = _systems(preset)
    wanted = _select(systems, selection, preset.label)
    digest = hashlib.sha256(preset.raw)
    anchors = _read_anchors(preset, digest)
    priors = _read_priors(preset, digest)
    reader = _GeneReader(preset, anchors, digest)
    loci = tuple(_with_priors(_build_locus(reader, name, systems[name]), priors) for name in wanted)
    return LoadedGermline(
        germline_set=GermlineSet(name=preset.name, loci=loci),
        warnings=reader.warnings,
        provenance=_provenance(preset, wanted),
        checksum=digest.hexdigest(),
    )


def split_spec(spec: str) -> tuple[str, list[str] | None]:
    """`human:IGH,TRG` -> ("human", ["IGH", "TRG"]); a Windows drive colon is not a selection."""
    location, colon, suffix = spec.strip().rpartition(":")
    if colon and location and _LOCI_SUFFIX.match(suffix):
        return location, suffix.split(",")
    return spec.strip(), None


def _open_preset(location: str) -> _Preset:
    if location.lower() in BUNDLED:
        name = BUNDLED[location.lower()]
        directory = files("vidjil_local.germline").joinpath("data", name)
        preset_file = directory.joinpath(f"{name}.g")
        return _parse_preset(name, directory, location, preset_file.read_bytes(), location)
    path = Path(location).expanduser()
    if path.is_dir():
        raise GermlineError(f"{location}: a directory, not a .g germline preset", path=location)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise GermlineError(f"{location}: cannot read ({error.strerror})", path=location) from None
    name = path.name.removesuffix(".g")
    return _parse_preset(name, path.parent, location, raw, location)


def _parse_preset(name: str, base: Traversable, label: str, raw: bytes, where: str) -> _Preset:
    try:
        preset = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise GermlineError(f"{where}: not a JSON germline preset ({error})", path=where) from None
    if not isinstance(preset, dict) or not isinstance(preset.get("systems"), dict):
        raise GermlineError(f"{where}: no 'systems' in the germline preset", path=where)
    sub = preset.get("path", ".")
    directory = base if not isinstance(sub, str) or sub in ("", ".") else base.joinpath(sub)
    if isinstance(base, Path) and isinstance(sub, str) and Path(sub).is_absolute():
        directory = Path(sub)
    return _Preset(name, directory, label, preset, raw)


def _systems(preset: _Preset) -> dict[str, dict[str, Any]]:
    systems = preset.preset["systems"]
    return {str(name): system for name, system in systems.items() if isinstance(system, dict)}


def _select(systems: dict[str, Any], selection: list[str] | None, label: str) -> list[str]:
    """The selected loci in the asked order; names are matched whatever their case."""
    if selection is None:
        return list(systems)
    by_upper = {name.upper(): name for name in systems}
    unknown = [name for name in selection if name.upper() not in by_upper]
    if unknown:
        known = ", ".join(systems)
        raise GermlineError(
            f"{label}: unknown locus {', '.join(unknown)} (this set has {known})",
            path=label,
            unknown=unknown,
        )
    return list(dict.fromkeys(by_upper[name.upper()] for name in selection))


def _read_anchors(preset: _Preset, digest: Any) -> dict[tuple[str, str], int]:
    anchors_file = preset.directory.joinpath("anchors.tsv")
    if not anchors_file.is_file():
        return {}
    raw = anchors_file.read_bytes()
    digest.update(b"anchors.tsv\0" + raw)
    return parse_anchors(raw.decode("utf-8"))


def _read_priors(preset: _Preset, digest: Any) -> Priors:
    if not preset.directory.joinpath("priors.tsv").is_file():
        return {}
    text, shown = _read_text(preset, "priors.tsv", digest, "")
    return parse_priors(text, shown)


def _with_priors(locus: Locus, priors: Priors) -> Locus:
    """The locus with each 5' and 3' allele's usage and deletion priors, when the set has them."""
    if not priors:
        return locus
    v_genes = genes_with_priors(locus.v_genes, locus.name, priors)
    return replace(
        locus, v_genes=v_genes, j_genes=genes_with_priors(locus.j_genes, locus.name, priors)
    )


class _GeneReader:
    """Reads the genes of the set's FASTA files, each file once, and collects the warnings."""

    def __init__(self, preset: _Preset, anchors: dict[tuple[str, str], int], digest: Any) -> None:
        self.preset = preset
        self.anchors = anchors
        self.digest = digest
        self.warnings: list[str] = []
        self._records: dict[str, list[FastaRecord]] = {}
        self._warned: set[str] = set()

    def genes(self, file_name: str, segment: str, locus: str) -> list[Gene]:
        if file_name not in self._records:
            text, shown = _read_text(self.preset, file_name, self.digest, "FASTA ")
            self._records[file_name] = parse_fasta(text, shown)
        complete = "+" not in locus  # Vidjil's rule: only complete systems have anchors
        built = [
            _gene(record, segment, self.anchors, complete) for record in self._records[file_name]
        ]
        if complete and file_name not in self._warned:
            self._warned.add(file_name)
            _warn_missing_anchors(built, file_name, locus, self.warnings)
        return built


def _build_locus(reader: _GeneReader, name: str, system: dict[str, Any]) -> Locus:
    label = reader.preset.label
    recombinations: list[Recombination] = []
    union: dict[str, list[Gene]] = {"V": [], "D": [], "J": []}
    for recombination_files in _recombination_files(system, name, label):
        parts: dict[str, list[Gene]] = {"V": [], "D": [], "J": []}
        for key, file_name in recombination_files:
            segment = _SEGMENT_OF_KEY[key]
            parts[segment] += reader.genes(file_name, segment, name)
        if not parts["V"] or not parts["J"]:
            raise GermlineError(f"{label}: locus {name} lacks 5' (V) or 3' (J) genes")
        unique = {
            segment: _unique(genes, name, reader.warnings) for segment, genes in parts.items()
        }
        recombinations.append(Recombination(unique["V"], unique["J"], unique["D"]))
        for segment, genes in parts.items():
            union[segment] += genes
    parameters = system.get("parameters")
    seed = parameters.get("seed", "12s") if isinstance(parameters, dict) else "12s"
    return Locus(
        name=name,
        v_genes=_unique(union["V"], name, []),
        j_genes=_unique(union["J"], name, []),
        d_genes=_unique(union["D"], name, []),
        seed=str(seed),
        recombinations=tuple(recombinations),
    )


def _recombination_files(
    system: dict[str, Any], locus: str, label: str
) -> list[list[tuple[str, str]]]:
    """Per recombination of the system, its (key, file name) pairs: "5", "4" and "3" files."""
    recombinations = system.get("recombinations")
    if not isinstance(recombinations, list) or not recombinations:
        raise GermlineError(f"{label}: locus {locus} has no 'recombinations'", path=label)
    found: list[list[tuple[str, str]]] = []
    for recombination in recombinations:
        files: list[tuple[str, str]] = []
        for key in ("5", "4", "3"):
            file_names = recombination.get(key, []) if isinstance(recombination, dict) else []
            if isinstance(file_names, str):
                file_names = [file_names]
            files.extend((key, str(file_name)) for file_name in file_names)
        found.append(list(dict.fromkeys(files)))
    return found


def _read_text(preset: _Preset, file_name: str, digest: Any, kind: str) -> tuple[str, str]:
    """(text, path as shown in errors) of a file of the set, added to the checksum."""
    target = preset.directory.joinpath(file_name)
    shown = str(target) if isinstance(target, Path) else f"{preset.label}/{file_name}"
    if not target.is_file():
        raise GermlineError(f"{shown}: germline file not found", path=shown)
    raw = target.read_bytes()
    digest.update(file_name.encode() + b"\0" + raw)
    try:
        return raw.decode("utf-8"), shown
    except UnicodeDecodeError:
        raise GermlineError(f"{shown}: not a text {kind}file", path=shown) from None


def _gene(
    record: FastaRecord, segment: str, anchors: dict[tuple[str, str], int], complete: bool
) -> Gene:
    """The gene of a record; the J motif is looked for only in complete systems (the 3' element
    of an incomplete one, such as IGK's KDE, is no J gene)."""
    sequence = record.sequence
    anchor = anchors.get((segment, record.name), -1)
    if anchor < 0 and segment == "V":
        anchor = gapped_anchor(record.gapped, V_ANCHOR_GAPPED_INDEX)
    elif anchor < 0 and segment == "J":
        anchor = gapped_anchor(record.gapped, J_ANCHOR_GAPPED_INDEX)
        anchor = anchor if anchor >= 0 or not complete else find_j_anchor(sequence)
    if anchor + 3 > len(sequence):
        anchor = -1
    return Gene(name=record.name, segment=segment, sequence=sequence, anchor=anchor)


def _warn_missing_anchors(genes: list[Gene], file_name: str, locus: str, out: list[str]) -> None:
    if genes and genes[0].segment == "D":
        return
    missing = [gene.name for gene in genes if gene.anchor < 0]
    if missing:
        shown = ", ".join(missing[:_SHOWN_NAMES]) + (", ..." if len(missing) > _SHOWN_NAMES else "")
        out.append(
            f"{locus} {file_name}: {len(missing)} of {len(genes)} genes without "
            f"{'Cys104' if genes[0].segment == 'V' else 'Phe/Trp118'} anchor "
            f"(no junction for them): {shown}"
        )


def _unique(genes: list[Gene], locus: str, warnings: list[str]) -> tuple[Gene, ...]:
    """Drop repeated alleles, keeping the first; a name given to two sequences is a warning."""
    by_name: dict[str, Gene] = {}
    for gene in genes:
        kept = by_name.setdefault(gene.name, gene)
        if kept.sequence != gene.sequence:
            warnings.append(f"{locus}: two different sequences named {gene.name}, kept the first")
    return tuple(by_name.values())


def _provenance(preset: _Preset, loci: list[str]) -> str:
    reference = preset.preset.get("ref") or preset.preset.get("species") or ""
    origin = "bundled" if preset.label.lower() in BUNDLED else preset.label
    return f"{preset.name} ({origin}; {reference}); loci {','.join(loci)}"
