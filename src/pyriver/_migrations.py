"""River's migrations (rivermigrate), shared by :class:`~pyriver.Client`
and :class:`~pyriver.AppConnection`: on the client they run on its own
connection; on an application connection, in the application's transaction
(River's ``MigrateTx``), for instance inside an Alembic or Django migration."""

from __future__ import annotations

from ._bridge import calls
from ._bridge.targets import Target
from .results import MigrateValidateResult, MigrationVersion


class Migrations:
    """Subclasses say where the migrations run by implementing ``_target``."""

    def _target(self) -> Target:
        raise NotImplementedError

    def migrate(self, target_version: int | None = None, *, max_steps: int | None = None) -> list[int]:
        """Apply River's migrations up to ``target_version`` (default: all),
        at most ``max_steps`` of them, and return the versions applied; a
        current database applies none."""
        return calls.migrate(self._target(), "up", max_steps=max_steps, target_version=target_version)

    def migrate_down(self, *, max_steps: int | None = None, target_version: int | None = None) -> list[int]:
        """Roll back River's migrations and return the versions removed.

        By default one step, as River does. ``target_version`` stops at that
        version (it stays applied); ``target_version=0`` removes River's
        schema entirely."""
        return calls.migrate(self._target(), "down", max_steps=max_steps, target_version=target_version)

    def migrate_validate(self) -> MigrateValidateResult:
        """Check with River whether the schema is current."""
        return calls.migrate_validate(self._target())

    def migrate_versions(self) -> list[MigrationVersion]:
        """River's migrations, oldest first, with which are applied."""
        return calls.migrate_versions(self._target())
