"""`manage.py expire_page_generations`: drop the page generations the cache holds, so that the
next page reads the database's. scripts/restore.sh runs it after a restore (core/cache.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jumelage.core.cache import GLOBAL, forget_cached
from jumelage.core.models import PageGeneration
from jumelage.partners.models import MemberAuthority


class Command(BaseCommand):
    help = "Drop the page generations held in the cache (after a database restore)."

    def handle(self, *args: Any, **options: Any) -> None:
        scopes = {GLOBAL, *PageGeneration.objects.values_list("scope", flat=True)}
        scopes |= {str(pk) for pk in MemberAuthority.objects.values_list("pk", flat=True)}
        forget_cached(sorted(scopes))
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(scopes)} page generations dropped from the cache.")
