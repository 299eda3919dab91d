"""Migrations stay compatible with the code one release back (docs/decisions/0004-*.md).

During a deploy the previous release keeps serving while the new one migrates, and a rollback
runs the previous release against the migrated database. So a migration must not remove or rename
what the previous release reads or writes, nor add a requirement it cannot meet. Such a change is
split over two releases (expand, then contract); the contract migration says so with a
module-level `DESTRUCTIVE_OK = "why the previous release no longer uses this"`.
"""

from __future__ import annotations

import sys

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ModelState, ProjectState

MARKER = "DESTRUCTIVE_OK"
ALWAYS_DESTRUCTIVE = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)


def _no_default(field: models.Field) -> bool:
    return field.db_default is models.NOT_PROVIDED


def problems(app_label: str, operations: list[Operation], state: ProjectState) -> list[str]:
    """What in `operations` would break the previous release, given the state before them."""
    found: list[str] = []
    state = state.clone()
    created: set[tuple[str, str]] = set()  # tables this migration creates: nobody uses them yet
    for op in operations:
        if isinstance(op, migrations.CreateModel):
            created.add((app_label, op.name_lower))
        if isinstance(op, migrations.SeparateDatabaseAndState):
            found += problems(app_label, list(op.database_operations), state)
        elif isinstance(op, ALWAYS_DESTRUCTIVE):
            found.append(op.describe())
        elif isinstance(op, migrations.AddField | migrations.AlterField):
            key = (app_label, op.model_name_lower)
            model = state.models.get(key)
            old = model.fields.get(op.name) if model else None
            if model is None or key in created:
                pass  # a table the previous release never touches
            elif isinstance(op, migrations.AddField):
                if not op.field.null and _no_default(op.field) and not op.field.many_to_many:
                    # The previous release's INSERTs leave the column out: NOT NULL needs a
                    # database default (db_default), a Python default is not enough.
                    found.append(f"{op.describe()} (NOT NULL without db_default)")
            elif old is not None and old.null and not op.field.null and _no_default(op.field):
                found.append(f"{op.describe()} (NULL -> NOT NULL without db_default)")
        op.state_forwards(app_label, state)
    return found


def _project_migrations(loader: MigrationLoader) -> list[tuple[str, str]]:
    return sorted(
        key
        for key, migration in loader.disk_migrations.items()
        if migration.__module__.startswith("paytungan.")
    )


def test_no_migration_breaks_the_previous_release_without_a_marker() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    offenders = []
    for key in _project_migrations(loader):
        migration = loader.disk_migrations[key]
        reason = getattr(sys.modules[migration.__module__], MARKER, None)
        if isinstance(reason, str) and reason.strip():
            continue
        before = loader.project_state(key, at_end=False)
        for problem in problems(key[0], list(migration.operations), before):
            offenders.append(f"{key[0]}.{key[1]}: {problem}")
    assert not offenders, (
        "These migrations would break the release still serving (or a rollback). Split them into"
        " expand/contract releases, or mark the contract migration with"
        f" {MARKER} = 'reason' (docs/decisions/0004-migrations-one-release-back.md):\n  "
        + "\n  ".join(offenders)
    )


# --- the check itself, on a small made-up model ------------------------------------------------
def _state() -> ProjectState:
    state = ProjectState()
    state.add_model(
        ModelState(
            "shop",
            "Thing",
            [
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=10)),
                ("note", models.TextField(null=True)),
            ],
        )
    )
    return state


@pytest.mark.parametrize(
    "operation",
    [
        migrations.RemoveField("thing", "note"),
        migrations.DeleteModel("Thing"),
        migrations.RenameField("thing", "name", "title"),
        migrations.RenameModel("Thing", "Item"),
        migrations.AlterModelTable("thing", "shop_items"),
        migrations.AlterField("thing", "note", models.TextField()),
        migrations.AlterField("thing", "note", models.TextField(default="")),
        migrations.AddField("thing", "size", models.IntegerField(default=0)),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RemoveField("thing", "note")]
        ),
    ],
)
def test_destructive_operations_are_caught(operation: Operation) -> None:
    assert problems("shop", [operation], _state())


@pytest.mark.parametrize(
    "operation",
    [
        migrations.AddField("thing", "size", models.IntegerField(null=True)),
        migrations.AddField("thing", "size", models.IntegerField(db_default=0)),
        migrations.AlterField("thing", "note", models.TextField(db_default="")),
        migrations.AlterField("thing", "name", models.CharField(max_length=20)),
        migrations.CreateModel("Other", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddIndex("thing", models.Index(fields=["name"], name="thing_name_idx")),
    ],
)
def test_additive_operations_pass(operation: Operation) -> None:
    assert problems("shop", [operation], _state()) == []


def test_a_field_added_to_a_table_created_in_the_same_migration_passes() -> None:
    create = migrations.CreateModel("New", [("id", models.BigAutoField(primary_key=True))])
    add = migrations.AddField("new", "size", models.IntegerField(default=0))
    assert problems("shop", [create, add], _state()) == []
