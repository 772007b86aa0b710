"""How a set is named to a user in lists that span sets (my jobs, comparisons): the patient's name
or, without the `anon` right, its pseudonym; the run's or set's name."""

from __future__ import annotations

from vidjil_local.db import Database
from vidjil_local.services.authz import Principal
from vidjil_local.services.samples import sample_sets


def set_label(database: Database, principal: Principal, set_id: int) -> str:
    shown = sample_sets.get(database, principal, set_id)
    return str(shown.get("name") or shown.get("id_label") or f"set {set_id}")
