"""Change notices for the per-process caller cache (common/db_changes.py, decision 0021).

Every insert, update or delete of a user, an access token, a group or a member sends
`NOTIFY paytungan_changes, 'u<user id>'` or `'g<group id>'`; PostgreSQL delivers it at commit
and folds identical notices of one transaction into one, so a bill that updates ten members'
balances sends one. Triggers rather than calls in the services: no write path (a service, the
admin, a raw UPDATE, a later migration) can forget to send one. PostgreSQL only; elsewhere the
cache stays off.
"""

from __future__ import annotations

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION paytungan_notify_change() RETURNS trigger AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_ARGV[0] = 'user' THEN
        PERFORM pg_notify('paytungan_changes', 'u' || r.id);
    ELSIF TG_ARGV[0] = 'token' THEN
        PERFORM pg_notify('paytungan_changes', 'u' || r.user_id);
    ELSIF TG_ARGV[0] = 'group' THEN
        PERFORM pg_notify('paytungan_changes', 'g' || r.id);
    ELSIF TG_ARGV[0] = 'member' THEN
        PERFORM pg_notify('paytungan_changes', 'g' || r.group_id);
        IF TG_OP = 'UPDATE' AND OLD.group_id IS DISTINCT FROM NEW.group_id THEN
            PERFORM pg_notify('paytungan_changes', 'g' || OLD.group_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

TABLES = {
    "accounts_user": "user",
    "accounts_accesstoken": "token",
    "groups_group": "group",
    "groups_member": "member",
}


def _create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table, kind in TABLES.items():
        schema_editor.execute(
            f"CREATE TRIGGER paytungan_notify_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION paytungan_notify_change('{kind}')"
        )


def _drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS paytungan_notify_change ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS paytungan_notify_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
