# The kept pairwise debts moved from the payments app to groups (issue 14: bills and payments
# both write them, and bills must not import payments). State only: the table keeps its name
# (payments_pairdebt) and nothing in the database changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0002_change_notices"),
        ("payments", "0002_pair_debts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PairDebt",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("amount", models.BigIntegerField(default=0)),
                        ("creditor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="groups.member")),
                        ("debtor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="groups.member")),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="groups.group")),
                    ],
                    options={
                        "db_table": "payments_pairdebt",
                        "constraints": [
                            models.UniqueConstraint(fields=("group", "debtor", "creditor"), name="pair_debt_one_row_per_pair"),
                            models.CheckConstraint(condition=models.Q(("debtor", models.F("creditor")), _negated=True), name="pair_debt_distinct_members"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
