"""Payments without a project: every transaction names its authority (filled from its project),
the project becomes optional (a membership fee, a network contribution), with the order number,
budget line, partnership and the euro amount the treasury actually paid."""

import django.db.models.deletion
from django.db import migrations, models


def authority_from_project(apps, schema_editor):
    """Every existing transaction belongs to a project: its authority is the project's."""
    Transaction = apps.get_model("projects", "Transaction")
    Project = apps.get_model("projects", "Project")
    Transaction.objects.filter(authority__isnull=True).update(
        authority_id=models.Subquery(
            Project.objects.filter(pk=models.OuterRef("project_id")).values("authority_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_state_cases_and_mandate_articles"),
        ("core", "0003_page_generations"),
        ("partners", "0005_member_settings_version"),
        ("projects", "0008_financing_plan_call"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="transaction",
            options={
                "ordering": ["authority_id", "date", "id"],
                "verbose_name": "transaction",
                "verbose_name_plural": "transactions",
            },
        ),
        migrations.AddField(
            model_name="transaction",
            name="amount_eur",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="For an amount in another currency: the euros the treasury actually paid (the amount of the mandat). The ODA declaration and the IATI file use it instead of a rate.",
                max_digits=15,
                null=True,
                verbose_name="euro amount paid",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="authority",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.memberauthority",
                verbose_name="member authority",
            ),
        ),
        migrations.RunPython(authority_from_project, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="transaction",
            name="authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partners.memberauthority",
                verbose_name="member authority",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="budget_line",
            field=models.CharField(
                blank=True,
                help_text="The imputation of the mandat, e.g. 65748 - 048.",
                max_length=60,
                verbose_name="budget line",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="is_example",
            field=models.BooleanField(
                default=False,
                help_text="Invented for the demonstration; not a fact about the authority.",
                verbose_name="example data",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="nature",
            field=models.CharField(
                choices=[
                    ("project", "a payment of a project"),
                    ("membership_fee", "a membership fee"),
                    ("network_contribution", "a contribution to a network"),
                ],
                default="project",
                help_text="A payment without a project is a membership fee or a network contribution.",
                max_length=30,
                verbose_name="what it pays",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="order_number",
            field=models.CharField(
                blank=True,
                help_text="The number of the mandat issued to the public accountant.",
                max_length=40,
                verbose_name="payment order number",
            ),
        ),
        migrations.AddField(
            model_name="transaction",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments",
                to="partners.partnership",
                verbose_name="partnership",
            ),
        ),
        migrations.AlterField(
            model_name="transaction",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transactions",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(fields=["authority", "-date", "-id"], name="transaction_ledger_idx"),
        ),
        migrations.AddConstraint(
            model_name="transaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("nature", "project"), ("project__isnull", False)),
                    models.Q(
                        models.Q(("nature", "project"), _negated=True), ("project__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="transaction_project_or_nature",
                violation_error_message="A payment of a project names its project; a membership fee or a network contribution names none.",
            ),
        ),
        migrations.AddConstraint(
            model_name="transaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("amount_eur__isnull", True), ("amount_eur__gte", 0), _connector="OR"
                ),
                name="transaction_amount_eur_positive",
                violation_error_message="Write a positive euro amount.",
            ),
        ),
    ]
