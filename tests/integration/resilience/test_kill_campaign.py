"""The kill -9 campaign (issue 15): at least 20 SIGKILLs of a real `vidjil-local serve` and its job
children at seeded random moments of uploads, analyses, fuses and `.analysis` saves, each followed
by a restart and the checks of `invariants.py` (integrity, nothing lost or stored twice, every
interrupted job finished, every upload resumed to its checksum, fused results made of their
inputs, no orphaned file).

The seed is printed and named in every failure; `VIDJIL_KILL_SEED=N` replays a campaign and
`VIDJIL_KILL_ROUNDS=N` changes its length (default 20: five kills of each kind).
"""

from __future__ import annotations

import gzip
import os
import random
from pathlib import Path

import pytest

from tests.integration.resilience.campaign import Campaign, describe, kinds_for

LAB_DATA = Path(__file__).parents[2] / "data" / "lab"
ROUNDS = int(os.environ.get("VIDJIL_KILL_ROUNDS", "20"))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_kill_9_at_random_moments_loses_nothing_and_leaves_nothing_behind(tmp_path: Path) -> None:
    seed = int(os.environ.get("VIDJIL_KILL_SEED") or random.SystemRandom().randrange(10**9))
    print(f"kill campaign: VIDJIL_KILL_SEED={seed}, {ROUNDS} rounds")
    contents = [
        gzip.decompress((LAB_DATA / name).read_bytes())
        for name in ("diagnosis.fastq.gz", "follow-up.fastq.gz")
    ]
    campaign = Campaign(tmp_path / "data", seed, contents)
    try:
        campaign.prepare()
        for number, kind in enumerate(kinds_for(ROUNDS, campaign.rng), start=1):
            campaign.run_round(number, kind)
    except AssertionError as error:
        raise AssertionError(
            f"VIDJIL_KILL_SEED={seed}, after kills {describe(campaign.kills)}: {error}"
        ) from error
    finally:
        campaign.server.stop()
    assert len(campaign.kills) == ROUNDS >= 20 or "VIDJIL_KILL_ROUNDS" in os.environ
    print(f"kills: {describe(campaign.kills)}")
