"""The production cost of password hashes. The test process hashes at argon2's lowest cost
(tests/conftest.py::quick_password_hashes); this checks what the app itself hashes with."""

from __future__ import annotations

from argon2 import PasswordHasher, Type, extract_parameters

from vidjil_local.services.accounts import passwords


def test_the_app_hashes_with_argon2id_at_the_recommended_cost(
    quick_password_hashes: PasswordHasher,
) -> None:
    parameters = extract_parameters(quick_password_hashes.hash("pipette-1234"))
    assert parameters.type is Type.ID
    # RFC 9106's second recommendation: 64 MiB of memory, 3 passes
    assert parameters.memory_cost >= 64 * 1024 and parameters.time_cost >= 3


def test_the_suite_hashes_for_real_at_a_low_cost() -> None:
    stored = passwords.hash_password("pipette-1234")
    assert extract_parameters(stored).type is Type.ID
    assert passwords.verify_password(stored, "pipette-1234")
    assert not passwords.verify_password(stored, "pipette-1235")
