"""River's migrations (rivermigrate), shared by :class:`~pyriver.Client`
and :class:`~pyriver.AppConnection`: on the client they run on its own
connection; on an application connection, in the application's transaction
(River's ``MigrateTx``), for instance inside an Alembic or Django migration."""

from __future__ import annotations

from typing import Any

from .errors import InvalidArgumentTypeError
from .results import MigrateValidateResult, MigrationVersion


def _optional_int(value: Any, param: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidArgumentTypeError(f"{param} must be an int, not {type(value).__name__}", param)
    return value


class Migrations:
    """Subclasses say where the migrations run by implementing ``_call``."""

    def _call(self, method: str, request: dict[str, Any]) -> Any:
        raise NotImplementedError

    def migrate(self, target_version: int | None = None) -> list[int]:
        """Apply River's migrations up to ``target_version`` (default: all)
        and return the versions applied; a current database applies none."""
        request = {"direction": "up", "target_version": _optional_int(target_version, "target_version")}
        return list(self._call("migrate", request))

    def migrate_down(self, *, max_steps: int | None = None, target_version: int | None = None) -> list[int]:
        """Roll back River's migrations and return the versions removed.

        By default one step, as River does. ``target_version`` stops at that
        version (it stays applied); ``target_version=0`` removes River's
        schema entirely."""
        request = {
            "direction": "down",
            "max_steps": _optional_int(max_steps, "max_steps"),
            "target_version": _optional_int(target_version, "target_version"),
        }
        return list(self._call("migrate", request))

    def migrate_validate(self) -> MigrateValidateResult:
        """Check with River whether the schema is current."""
        result = self._call("migrate_validate", {})
        return MigrateValidateResult(ok=result["ok"], messages=result["messages"])

    def migrate_versions(self) -> list[MigrationVersion]:
        """River's migrations, oldest first, with which are applied."""
        return [MigrationVersion(**version) for version in self._call("migrate_versions", {})]
