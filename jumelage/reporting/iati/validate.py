"""One iati-activity checked against everything: codelists, IATI rules and the XSD."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from lxml import etree

from jumelage.reporting.iati.codelists import check_codelists
from jumelage.reporting.iati.problems import ERROR, WARNING, Problem
from jumelage.reporting.iati.reference import schema_errors
from jumelage.reporting.iati.rules import check_rules


def validate_activity(
    activity: etree._Element, *, today: datetime.date, strict: bool = True
) -> list[Problem]:
    """Codelists, rules and XSD for one iati-activity.

    `strict` (export): the XSD's own messages are technical, so they are added only when the
    plain-word checks found no error (they cover what the XSD requires); an XSD refusal then
    still leaves the project out. Not strict (import): everything is a warning, XSD included.
    """
    problems = check_codelists(activity, strict=strict) + check_rules(activity, today=today)
    if not strict or not any(p.severity == ERROR for p in problems):
        for detail in schema_errors(activity):
            problems.append(
                Problem(
                    _(
                        "The activity does not match the IATI 2.03 schema (%(detail)s); "
                        "report this to the platform's maintainers."
                    )
                    % {"detail": detail}
                    if strict
                    else _("The activity does not match the IATI 2.03 schema: %(detail)s")
                    % {"detail": detail},
                    rule="xsd",
                )
            )
    if not strict:
        problems = [Problem(p.message, p.rule, WARNING) for p in problems]
    return problems
