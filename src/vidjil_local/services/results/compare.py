"""Comparing any samples on one graph (Vidjil's "compare some samples"): the chosen results, from
any sets the user may read, fused on the fly by the same code as a set's fuse job, and nothing is
stored. Clones are matched by their window, so results of configs with other window lengths share
no clone; the document says which configs it mixes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vidjil_local.db import Database
from vidjil_local.errors import UsageError
from vidjil_local.services import audit, authz
from vidjil_local.services.authz import Principal
from vidjil_local.services.results.access import ResultAccess, ResultRecord
from vidjil_local.services.results.fuse_params import FuseInput
from vidjil_local.services.results.fuse_work import fused_document

MAX_COMPARED = 20  # results on one graph; a fuse of more is a set's job, not a request's
MAX_RESULT_ID = 2**53 - 1  # the API's largest id (api/params.py): beyond, SQLite overflows


def parse_result_ids(text: str) -> list[int]:
    """`"12,15,15,3"` -> `[12, 15, 3]` (order kept, duplicates dropped)."""
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError("results must be result ids separated by commas", results=text) from None
    ids = list(dict.fromkeys(ids))
    if not all(1 <= result_id <= MAX_RESULT_ID for result_id in ids):
        raise UsageError("result ids are whole numbers from 1", results=text)
    if not 1 <= len(ids) <= MAX_COMPARED:
        raise UsageError(
            f"choose between 1 and {MAX_COMPARED} results to compare", results=text, count=len(ids)
        )
    return ids


class Comparison:
    """On-the-fly fuses of chosen results, with the rights of each checked."""

    def __init__(self, access: ResultAccess) -> None:
        self.access = access
        self.database: Database = access.database

    def readable_set(self, principal: Principal, record: ResultRecord) -> int:
        """The first set holding the result's sample that the user may read."""
        sets = authz.sets_of_sample(self.database.db(), record.sample_id)
        return next(s for s in sets if authz.can(self.database, principal, "read", s))

    def document(
        self,
        principal: Principal,
        actor: audit.Actor,
        result_ids: list[int],
        set_label: Callable[[int], str],
    ) -> dict[str, Any]:
        """The fused `.vidjil` of the results (each must be readable: else not found); each
        sample is named by its set (`set_label`) and its file name."""
        records = [self.access.result(principal, result_id) for result_id in result_ids]
        inputs = [self._input(principal, record, set_label) for record in records]
        document = fused_document(self.access.results_dir, inputs)
        document["compare"] = {"result_ids": result_ids}
        configs = self._config_names({record.config_id for record in records})
        document["config"] = (
            {"id": records[0].config_id, "name": configs[records[0].config_id]}
            if len(configs) == 1
            else {"id": None, "name": " + ".join(configs.values())}
        )
        with self.database.write() as db:
            for record in records:
                audit.record(db, actor, "compare_results", "results", record.id, results=result_ids)
        return document

    def _input(
        self, principal: Principal, record: ResultRecord, set_label: Callable[[int], str]
    ) -> FuseInput:
        sample = (
            self.database.db()
            .execute(
                "SELECT original_name, sampling_date, info FROM samples WHERE id = ?",
                [record.sample_id],
            )
            .fetchone()
        )
        vidjil = record.file(self.access.results_dir, "vidjil")
        return FuseInput(
            result_id=record.id,
            sample_id=record.sample_id,
            name=f"{set_label(self.readable_set(principal, record))} · {sample[0]}",
            sampling_date=sample[1],
            info=str(sample[2] or ""),
            path=str(vidjil.relative_to(self.access.results_dir)),
        )

    def _config_names(self, config_ids: set[int]) -> dict[int, str]:
        marks = ",".join("?" * len(config_ids))
        rows = self.database.db().execute(
            f"SELECT id, name FROM configs WHERE id IN ({marks}) ORDER BY id", sorted(config_ids)
        )
        return {int(row[0]): str(row[1]) for row in rows.fetchall()}
