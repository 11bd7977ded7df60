"""Import authorities, partnerships, actors, projects, payments, people and visits from a
filled-in template or an officer's own sheet.

Two steps, the same code: `check_table` reads every row, checks it as the back office would
(each cell's type, the model's validation, every rule registered with tenancy.services) and lists
each problem with its row and column, writing nothing; `import_table` does the same check, and
only when the whole file is clean writes every row in one transaction through the apps'
services (so rules run again and the audit log records each change). A refusal in the middle
rolls everything back: a file is imported whole or not at all.

Existing rows (found by their natural key, below) are updated: a filled cell replaces the
stored value, an empty cell leaves it as it is. A row identical to what is stored is skipped,
so importing the same file twice changes nothing.

- authorities (the shared directory): SIREN when given, else name and country;
- partnerships: partner and kind, in the member authority;
- actors: name, in the member authority;
- projects: address on the site (slug), in the member authority;
- payments: the ledger's key (date, amount, currency, order number, beneficiary), in the
  member authority;
- people: e-mail, else last and first name, in the member authority;
- visits: direction, first day and partner town (or visiting party), in the member authority.
"""

from jumelage.reporting.spreadsheets.imports.actors import ActorImport
from jumelage.reporting.spreadsheets.imports.authorities import AuthorityImport
from jumelage.reporting.spreadsheets.imports.base import (
    ImportKind,
    Outcome,
    Problem,
    check_table,
    import_table,
)
from jumelage.reporting.spreadsheets.imports.partnerships import PartnershipImport
from jumelage.reporting.spreadsheets.imports.payments import PaymentImport
from jumelage.reporting.spreadsheets.imports.people import PersonImport
from jumelage.reporting.spreadsheets.imports.projects import ProjectImport
from jumelage.reporting.spreadsheets.imports.visits import VisitImport

IMPORTS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        AuthorityImport(),
        PartnershipImport(),
        ActorImport(),
        ProjectImport(),
        PaymentImport(),
        PersonImport(),
        VisitImport(),
    )
}


__all__ = ["IMPORTS", "ImportKind", "Outcome", "Problem", "check_table", "import_table"]
