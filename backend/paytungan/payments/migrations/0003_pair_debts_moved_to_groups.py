# The kept pairwise debts now belong to the groups app (groups 0003): state only, the table
# stays as it is and the previous release keeps reading and writing it.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0002_pair_debts"),
        ("groups", "0003_pair_debts_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PairDebt")],
            database_operations=[],
        ),
    ]
