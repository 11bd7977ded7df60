"""The indexes that serve the national lists' pages (issue 12) are in the models and made by
the migrations: the database the tests run on has each of them, and no model change lacks its
migration."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

INDEXES = {
    "partners_authority": ["authority_name_idx"],  # the directory, by name
    "partners_partnership": ["partnership_published_idx"],  # its counts of partnerships
    "projects_project": ["project_published_idx", "project_list_order_idx"],
    "projects_transaction": ["transaction_date_idx", "transaction_list_order_idx"],
    "content_newsitem": ["news_latest_idx"],  # a member page's latest news
}


@pytest.mark.parametrize("table", INDEXES)
def test_the_migrations_make_the_indexes_of_the_lists(table):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    assert set(INDEXES[table]) <= {name for name, about in found.items() if about["index"]}


def test_no_model_change_lacks_its_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 otherwise
