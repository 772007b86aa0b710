"""The QC table of a set (Vidjil's "preview"): per sample and analysis config, the reads analysed,
the loci, the clones of 5% or more, the main clone, the read lengths, the diversity when known,
and the clones also found in samples of *other* sets the user may read (a contamination hint: the
same clone in two patients is rarely biology).

Reading it needs the `read` right on the set; it is a view of patient results, audited once a
minute per user and set. Figures come from `quality_cache` (computed once per result).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidjil_local.db import Database
from vidjil_local.errors import NotFound
from vidjil_local.results import LengthHistogram, MainClone, SampleQuality
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.quality_cache import read_lengths, result_quality
from vidjil_local.settings import Settings

LENGTH_BIN = 10  # bp per bar of the read-length distribution
SHARED_EXAMPLES = 5  # other samples named for a shared clone count


@dataclass(frozen=True)
class ConfigChoice:
    id: int
    name: str


@dataclass(frozen=True)
class ReadLengths:
    bin_width: int
    bin_starts: list[int]  # the first length of each bin, ascending
    counts: list[int]  # reads per bin
    reads: int  # reads counted
    complete: bool  # every read of the file (else its first ones)
    mean: float | None


@dataclass(frozen=True)
class SharedWith:
    sample_id: int
    sample_name: str
    sample_set_id: int
    set_kind: str
    clones: int  # clones of this sample found in that one


@dataclass(frozen=True)
class SharedClones:
    clones: int  # clones (>= 0.01%) of this sample found (>= 0.01%) in other sets' samples
    samples: list[SharedWith]  # the other samples sharing the most, at most five


@dataclass(frozen=True)
class QualityRow:
    sample_id: int
    sample_name: str
    sampling_date: str | None
    config_id: int | None
    config_name: str
    result_id: int | None  # None: not analysed with this config
    analysed_at: str | None
    total_reads: int | None
    analysed_reads: int | None
    analysed_share: float | None  # analysed / total
    reads_per_locus: dict[str, int]
    clones: int | None
    major_clones_per_locus: dict[str, int]  # clones of 5% or more of the analysed reads
    main_clone: MainClone | None
    diversity: dict[str, float]  # shannon, equitability, simpson, pielou, clones when known
    diversity_per_locus: dict[str, dict[str, float]]  # the same per locus
    merged_pairs: list[int] | None  # [merged, pairs] of a paired-end sample
    mean_read_length: float | None
    read_lengths: ReadLengths | None
    shared: SharedClones | None


@dataclass(frozen=True)
class SetQuality:
    sample_set_id: int
    config_id: int | None  # None: every config with results
    configs: list[ConfigChoice]  # the configs with results in this set
    rows: list[QualityRow]


def _lengths(histogram: LengthHistogram | None) -> ReadLengths | None:
    if histogram is None:
        return None
    bins = histogram.binned(LENGTH_BIN)
    return ReadLengths(
        LENGTH_BIN,
        list(bins),
        list(bins.values()),
        histogram.reads,
        histogram.complete,
        histogram.mean(),
    )


def _vidjil_path(results_dir: Path, row: dict[str, Any]) -> Path:
    return results_dir / str(row["folder"]) / str(json.loads(row["summary"])["vidjil"])


class SetQualityTable:
    """The QC table of sets, for one app."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings

    def table(
        self, principal: Principal, actor: audit.Actor, set_id: int, config_id: int | None
    ) -> SetQuality:
        authz.require(self.database, principal, "read", set_id)
        configs = self._configs_with_results(set_id)
        names = {choice.id: choice.name for choice in configs}
        if config_id is not None and config_id not in names:
            names[config_id] = self._config_name(config_id)
        rows = self._rows(set_id, config_id, configs, names)
        others = {config: self._others(principal, set_id, config) for config in names}
        table_rows = [self._row(row, others.get(row["config_id"], {})) for row in rows]
        audit.record_view(
            self.database, actor, "view_qc", table_name="sample_sets", record_id=set_id,
            config_id=config_id,
        )  # fmt: skip
        return SetQuality(set_id, config_id, configs, table_rows)

    def _config_name(self, config_id: int) -> str:
        found = self.database.db().execute("SELECT name FROM configs WHERE id = ?", [config_id])
        row = found.fetchone()
        if row is None:
            raise NotFound(f"no analysis config {config_id}", config_id=config_id)
        return str(row[0])

    def _configs_with_results(self, set_id: int) -> list[ConfigChoice]:
        rows = self.database.db().execute(
            "SELECT DISTINCT c.id, c.name FROM results r JOIN configs c ON c.id = r.config_id "
            "JOIN set_samples ss ON ss.sample_id = r.sample_id WHERE ss.sample_set_id = ? "
            "ORDER BY c.id",
            [set_id],
        )
        return [ConfigChoice(int(row[0]), str(row[1])) for row in rows.fetchall()]

    def _rows(
        self,
        set_id: int,
        config_id: int | None,
        configs: list[ConfigChoice],
        names: dict[int, str],
    ) -> list[dict[str, Any]]:
        """One row per sample for `config_id`; with None, one per sample and config with a
        result, and one for each sample never analysed."""
        rows: list[dict[str, Any]] = []
        for sample in self._samples(set_id):
            pairs: list[tuple[int | None, dict[str, Any] | None]]
            if config_id is not None:
                pairs = [(config_id, self._latest(sample["id"], config_id))]
            else:
                latest = [(choice.id, self._latest(sample["id"], choice.id)) for choice in configs]
                pairs = [(config, result) for config, result in latest if result] or [(None, None)]
            for config, result in pairs:
                name = names[config] if config is not None else ""
                rows.append({**sample, "config_id": config, "config_name": name, "result": result})
        return rows

    def _samples(self, set_id: int) -> list[dict[str, Any]]:
        return list(
            self.database.db().query(
                "SELECT s.* FROM set_samples ss JOIN samples s ON s.id = ss.sample_id "
                "WHERE ss.sample_set_id = ? ORDER BY ss.position, s.id",
                [set_id],
            )
        )

    def _latest(self, sample_id: int, config_id: int) -> dict[str, Any] | None:
        rows = self.database.db().query(
            "SELECT * FROM results WHERE sample_id = ? AND config_id = ? ORDER BY id DESC LIMIT 1",
            [sample_id, config_id],
        )
        return next(iter(rows), None)

    def _others(self, principal: Principal, set_id: int, config_id: int) -> dict[str, list[Any]]:
        """Clone id -> the other samples holding it: the latest result for this config of every
        sample of another set the user may read, this set's own samples left out."""
        readable, args = authz.readable_set_ids_sql(principal)
        rows = self.database.db().query(
            "SELECT r.folder, r.summary, r.sample_id, s.original_name, "
            "min(sample_sets.id) AS set_id, sample_sets.kind FROM results r "
            "JOIN samples s ON s.id = r.sample_id "
            "JOIN set_samples ss ON ss.sample_id = r.sample_id "
            "JOIN sample_sets ON sample_sets.id = ss.sample_set_id "
            "WHERE r.id = (SELECT max(id) FROM results WHERE sample_id = r.sample_id "
            f"AND config_id = ?) AND {readable} AND r.sample_id NOT IN "
            "(SELECT sample_id FROM set_samples WHERE sample_set_id = ?) GROUP BY r.id",
            [config_id, *args, set_id],
        )
        holders: dict[str, list[Any]] = {}
        for row in rows:
            other = SharedWith(
                row["sample_id"], row["original_name"], row["set_id"], row["kind"], 0
            )
            for clone_id in self._quality(row).shared_ids:
                holders.setdefault(clone_id, []).append(other)
        return holders

    def _quality(self, row: dict[str, Any]) -> SampleQuality:
        return result_quality(_vidjil_path(self.settings.results_dir, row))

    def _row(self, row: dict[str, Any], others: dict[str, list[Any]]) -> QualityRow:
        result = row["result"]
        quality = self._quality(result) if result else None
        lengths = _lengths(read_lengths(self.settings, row))
        mean = lengths.mean if lengths else quality.mean_clone_read_length if quality else None
        return QualityRow(
            sample_id=row["id"],
            sample_name=row["original_name"],
            sampling_date=row["sampling_date"],
            config_id=row["config_id"],
            config_name=row["config_name"],
            result_id=result["id"] if result else None,
            analysed_at=result["created_at"] if result else None,
            total_reads=quality.total_reads if quality else None,
            analysed_reads=quality.analysed_reads if quality else None,
            analysed_share=_share(quality),
            reads_per_locus=quality.reads_per_locus if quality else {},
            clones=quality.clones if quality else None,
            major_clones_per_locus=quality.major_clones_per_locus if quality else {},
            main_clone=quality.main_clone if quality else None,
            diversity=quality.diversity if quality else {},
            diversity_per_locus=quality.diversity_per_locus if quality else {},
            merged_pairs=list(quality.merged_pairs) if quality and quality.merged_pairs else None,
            mean_read_length=mean,
            read_lengths=lengths,
            shared=_shared(quality, others) if quality else None,
        )


def _share(quality: SampleQuality | None) -> float | None:
    if quality is None or not quality.total_reads:
        return None
    return round(quality.analysed_reads / quality.total_reads, 6)


def _shared(quality: SampleQuality, others: dict[str, list[SharedWith]]) -> SharedClones:
    found = [clone_id for clone_id in quality.shared_ids if clone_id in others]
    per_sample: dict[int, SharedWith] = {}
    counts: dict[int, int] = {}
    for clone_id in found:
        for other in others[clone_id]:
            per_sample[other.sample_id] = other
            counts[other.sample_id] = counts.get(other.sample_id, 0) + 1
    ranked = sorted(counts, key=lambda sample_id: (-counts[sample_id], sample_id))
    examples = [
        SharedWith(**{**vars(per_sample[sample_id]), "clones": counts[sample_id]})
        for sample_id in ranked[:SHARED_EXAMPLES]
    ]
    return SharedClones(len(found), examples)
