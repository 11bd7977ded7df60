"""A member authority's local actors: one row per actor."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.actors.models import Actor
from jumelage.actors.services import actor_save
from jumelage.audit.services import snapshot
from jumelage.reporting.spreadsheets.cells import norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    RowProblems,
)
from jumelage.tenancy.services import user_can_write

# --- Actors --------------------------------------------------------------------------------------


class ActorImport(ImportKind):
    name = "actors"
    title = gettext_lazy("Local actors")
    description = gettext_lazy("Schools, hospitals, clubs and associations of your authority.")
    what = gettext_lazy("actor")
    existing_rows = gettext_lazy(
        "An actor your authority already has under the same name is updated: filled cells "
        "replace what is stored, empty cells leave it unchanged. A row identical to what is "
        "stored is skipped."
    )
    fields = (
        Field(
            "name",
            field_header(Actor, "name"),
            "text",
            gettext_lazy("The organisation's name."),
            "Collège Jean Macé",
            required=True,
            args=(200,),
        ),
        Field(
            "kind",
            field_header(Actor, "kind"),
            "choice",
            gettext_lazy("One of the list; an association if empty."),
            choices=Actor.Kind,
        ),
        Field(
            "description_fr",
            gettext_lazy("Description (French)"),
            "text",
            gettext_lazy("What it does in your international action."),
            model_field="description",
            args=(5000,),
        ),
        Field("street", field_header(Actor, "street"), "text", "", args=(200,)),
        Field("postcode", field_header(Actor, "postcode"), "text", "", "92150", args=(20,)),
        Field("city", field_header(Actor, "city"), "text", "", "Suresnes", args=(100,)),
        Field("website", field_header(Actor, "website"), "website", ""),
        Field("email", field_header(Actor, "email"), "text", "", args=(254,)),
        Field("phone", field_header(Actor, "phone"), "text", "", args=(40,)),
        Field(
            "partnerships",
            field_header(Actor, "partnerships"),
            "partnerships",
            gettext_lazy(
                "Partners' names, or numbers from the ID column of the partnerships export, "
                "separated by semicolons. They replace the actor's partnerships."
            ),
            "Cap-Haïtien",
        ),
        Field(
            "is_public",
            field_header(Actor, "is_public"),
            "boolean",
            gettext_lazy("No to keep it off your public pages; yes if empty."),
        ),
    )
    plain = ("kind", "street", "postcode", "city", "website", "email", "phone", "is_public")

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the actors are for.")
        if user_can_write(ctx.user, Actor(authority=ctx.member)):
            return None
        return _(
            "You may not change the local actors of %(authority)s. Ask its administrator for "
            "an officer's role."
        ) % {"authority": ctx.member}

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        self.existing: dict[str, list[Actor]] = {}
        for actor in Actor.objects.of_authority(ctx.member.pk):  # type: ignore[union-attr]
            self.existing.setdefault(norm(actor.name), []).append(actor)
        links = Actor.partnerships.through.objects.filter(actor__authority=ctx.member)
        self.links: dict[int, set[int]] = {}
        for actor_id, partnership_id in links.values_list("actor_id", "partnership_id"):
            self.links.setdefault(actor_id, set()).add(partnership_id)

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return norm(values.get("name", ""))

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        named = self.existing.get(norm(values["name"]), [])
        if len(named) > 1:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "name",
                        _(
                            "your authority has several actors with this name; rename one of "
                            "them in the back office, then import again."
                        ),
                    )
                ]
            )
        m2m = {"partnerships": values["partnerships"]} if "partnerships" in values else {}
        if not named:
            instance = Actor(authority=ctx.member, name=values["name"])
            self.set_values(instance, values, self.plain)
            self.set_text(instance, values, "description", "description_fr")
            return self.outcome(row, instance, None, m2m=m2m)
        instance = Actor.objects.get(pk=named[0].pk)
        stored = snapshot(instance)
        instance.name = values["name"]
        self.set_values(instance, values, self.plain)
        self.set_text(instance, values, "description", "description_fr")
        return self.outcome(
            row,
            instance,
            stored,
            m2m=m2m,
            stored_m2m={"partnerships": self.links.get(instance.pk, set())},
        )

    def write(self, planned: Planned, ctx: Context) -> None:
        actor_save(
            actor=planned.instance,
            user=ctx.user,
            partnerships=planned.m2m.get("partnerships"),
            expected_version=planned.instance.version,  # as read when the row was planned
        )
