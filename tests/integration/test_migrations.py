"""River's own migrations (rivermigrate), up, down and validated."""

from __future__ import annotations

import pytest

import pyriver
from support.databases import Database


def test_migrate_down_validate_and_versions(database: Database) -> None:
    with pyriver.Client(database.url) as client:
        assert all(not version.applied for version in client.migrate_versions())
        assert not client.migrate_validate().ok

        applied = client.migrate()
        versions = client.migrate_versions()
        assert [v.version for v in versions] == applied
        assert all(v.applied and v.name for v in versions)
        assert client.migrate_validate().ok

        latest = applied[-1]
        assert client.migrate_down() == [latest]
        validation = client.migrate_validate()
        assert not validation.ok and validation.messages
        assert client.migrate() == [latest]

        assert client.migrate_down(target_version=3) == list(range(latest, 3, -1))
        assert [v.version for v in client.migrate_versions() if v.applied] == [1, 2, 3]
        assert client.migrate_down(max_steps=2) == [3, 2]
        assert client.migrate_down(target_version=0) == [1]
        assert client.migrate(target_version=4) == [1, 2, 3, 4]
        assert client.migrate() == applied[4:]


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"max_steps": 0}, "max_steps"),
        ({"target_version": -2}, "target_version"),
        ({"target_version": 999}, "target_version"),
    ],
)
def test_bad_migrate_down_arguments(client: pyriver.Client, kwargs: dict[str, int], param: str) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        client.migrate_down(**kwargs)
    assert info.value.param == param
    assert client.migrate_validate().ok


def test_migrate_to_unknown_version_is_rejected(database: Database) -> None:
    with pyriver.Client(database.url) as client:
        with pytest.raises(pyriver.InvalidArgumentError):
            client.migrate(target_version=999)
        with pytest.raises(pyriver.InvalidArgumentTypeError):
            client.migrate(target_version="3")  # type: ignore[arg-type]
        assert not any(v.applied for v in client.migrate_versions())
