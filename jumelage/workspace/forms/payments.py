"""The forms of the payments ledger: one payment, a paste of spreadsheet rows, a missing rate.

They read what officers type (core.fields: "45 000 000 FCFA", "12/05/2025") and hand the values
to the projects' and the register's services, which decide what may be recorded."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jumelage.core import values
from jumelage.core.fields import AmountField, DayField, UsualFirstSelect
from jumelage.core.models import Country
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.projects.models import Project, ServiceBudget, Transaction
from jumelage.projects.selectors import (
    codelists_choices,
    usual_channels,
    usual_countries,
    usual_sectors,
)
from jumelage.projects.services import TRANSACTION_CODES

NO_PROJECT_NATURES = [
    (Transaction.Nature.MEMBERSHIP_FEE.value, Transaction.Nature.MEMBERSHIP_FEE.label),
    (Transaction.Nature.NETWORK_CONTRIBUTION.value, Transaction.Nature.NETWORK_CONTRIBUTION.label),
]


class CurrencyField(forms.CharField):
    """A currency as written: EUR, XOF, "FCFA" (with the country), "gourdes"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20, **kwargs)
        self.country: str | None = None

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return values.currency(text, self.country)
        except values.CellProblem as problem:
            raise forms.ValidationError(problem.message, code="invalid") from None


# The codes the ODA declaration and the IATI file carry for each payment (OECD CRS dimensions):
# shown in their own section of the form, collapsed, as most payments keep their defaults.
ODA_DETAILS = ("sector_code", "channel_code", "flow_type", "finance_type", "aid_type")


def _code_field(label: Any, help_text: Any) -> forms.CharField:
    # A text field: the choices come from the IATI codelists once the form knows them (a
    # select), and the service checks the code against its list (projects.services.check_codes),
    # so a code that is not in the list is answered with the list's name, and nothing written.
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=5)


class CountryField(forms.ModelChoiceField):
    """A country by its name in the reader's language, sent as its ISO code."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ServiceBudgetChoice(forms.TypedChoiceField):
    """A service budget among those offered; any other budget of the authority is let through
    (`own`), for the service's rule to say why it does not fit (another year's budget)."""

    own: set[str] = set()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.own or super().valid_value(value)


class PaymentForm(forms.Form):
    """One line of the ledger. On a project's page the project is given; on the ledger's page
    the officer chooses a project, or says it is a membership fee or a network contribution."""

    project = forms.ChoiceField(label=_("Project"), required=False)
    recipient_country = CountryField(
        label=_("Country"),
        queryset=Country.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="—",
        help_text=_("The country that benefits; it also tells which CFA franc “FCFA” is."),
        widget=UsualFirstSelect,
    )
    date = DayField(label=_("Date"), help_text=_("e.g. 12/05/2025"))
    amount = AmountField(
        label=_("Amount"), help_text=_("As written on the order, e.g. 45 000 000 FCFA")
    )
    currency = CurrencyField(
        label=_("Currency"),
        required=False,
        help_text=_("EUR unless the amount says another, e.g. XOF, HTG."),
    )
    amount_eur = AmountField(
        label=_("Euros paid"),
        required=False,
        help_text=_("For another currency: the euro amount of the mandat, what the treasury paid."),
    )
    receiver = forms.CharField(label=_("Beneficiary"), max_length=200, required=False)
    oda_category = forms.TypedChoiceField(
        label=_("ODA category"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *Transaction.OdaCategory.choices],
    )
    partnership = forms.TypedChoiceField(
        label=_("Partnership"), required=False, coerce=int, empty_value=None
    )
    order_number = forms.CharField(label=_("Order no."), max_length=40, required=False)
    budget_line = forms.CharField(label=_("Budget line"), max_length=60, required=False)
    service_budget = ServiceBudgetChoice(
        label=_("Taken on the service budget"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Choose one of your authority's service budgets, or none.")
        },
        help_text=_(
            "For money a water, sanitation, energy, waste or mobility budget gives under the "
            "“1 %” laws: the budget of the payment's year. Empty: the general budget."
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    sector_code = _code_field(
        _("CRS purpose code"),
        _(
            "The sector this payment serves, e.g. 15112 for decentralisation. Empty: the "
            "project's main sector is declared."
        ),
    )
    channel_code = _code_field(
        _("Channel"),
        _(
            "The body the money went through, e.g. 12002 for the partner town's local "
            "government, 22000 for an association in France."
        ),
    )
    flow_type = _code_field(
        _("Flow type"),
        _(
            "10 (ODA) for money the authority gives to a country on the OECD's list of ODA "
            "recipients."
        ),
    )
    finance_type = _code_field(
        _("Finance type"), _("110 (standard grant) unless it is a loan or another instrument.")
    )
    aid_type = _code_field(_("Aid type"), _("e.g. C01 for a project-type intervention."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        member: MemberAuthority,
        project: Project | None = None,
        instance: Transaction | None = None,
        open_details: bool = False,
        **kwargs: Any,
    ) -> None:
        self.member = member
        self.fixed_project = project
        self.instance = instance
        self.open_details = open_details
        if "initial" not in kwargs:
            kwargs["initial"] = initial_of(instance) if instance is not None else defaults()
        super().__init__(*args, **kwargs)
        prefix = f"payment-{instance.pk}" if instance is not None and instance.pk else "payment-new"
        self.auto_id = f"{prefix}-%s"
        countries = cast(forms.ModelChoiceField, self.fields["recipient_country"])
        countries.queryset = Country.objects.order_by("name_fr")
        # The countries the authority works with first, then all (with a search box).
        cast(UsualFirstSelect, countries.widget).usual = usual_countries(member.pk)
        partnerships = Partnership.objects.filter(authority=member).select_related("partner")
        cast(forms.ChoiceField, self.fields["partnership"]).choices = [
            ("", "—"),
            *((p.pk, f"{p.partner.name} ({p.get_kind_display()})") for p in partnerships),
        ]
        if project is not None:
            del self.fields["project"]
        else:
            projects = Project.objects.filter(authority=member).order_by("-planned_start", "pk")
            cast(forms.ChoiceField, self.fields["project"]).choices = [
                ("", "—"),
                *((f"-{n}", label) for n, (_value, label) in enumerate(NO_PROJECT_NATURES, 1)),
                *((str(p.pk), str(p)) for p in projects),
            ]
            self.fields["project"].help_text = _(
                "A payment without a project is a membership fee or a network contribution."
            )
        # "FCFA" is XOF or XAF by the country: the fields read it with the country chosen.
        country = (self.data.get(self.add_prefix("recipient_country")) or "").upper() or None
        if country is None and project is not None:
            codes = list(project.countries.values_list("country_id", flat=True))
            country = codes[0] if len(codes) == 1 else None
        cast(AmountField, self.fields["amount"]).country = country
        cast(CurrencyField, self.fields["currency"]).country = country
        self._code_choices(instance, member)
        self._service_budget_choices(instance, member)

    def _service_budget_choices(
        self, instance: Transaction | None, member: MemberAuthority
    ) -> None:
        """The authority's own budgets of the payment's year (the date typed, else the stored
        one), and the budget the payment is taken on; no field when there is none to offer.
        A new payment whose date is not typed yet is offered this year's budgets and last
        year's, grouped by year (January's payments are often last year's). One query: an
        authority has a few budgets a year. Any budget of the authority is accepted, so that
        the service's rule says why one of another year is refused
        (projects.services.transaction_within_its_service_budget)."""
        budgets = list(ServiceBudget.objects.filter(authority=member).order_by("-year", "kind"))
        current = instance.service_budget_id if instance is not None else None
        year = self._payment_year(instance)
        years = {year} if year is not None else {timezone.localdate().year - n for n in (0, 1)}
        offered = [b for b in budgets if b.year in years or b.pk == current]
        if not offered:
            del self.fields["service_budget"]
            return
        field = cast(ServiceBudgetChoice, self.fields["service_budget"])
        field.own = {str(b.pk) for b in budgets}
        choices: list[Any] = [("", _("— none (general budget)"))]
        if len({b.year for b in offered}) == 1:
            choices += [(b.pk, capfirst(str(b))) for b in offered]
        else:
            by_year: dict[int, list[tuple[int, str]]] = {}
            for b in offered:
                by_year.setdefault(b.year, []).append((b.pk, capfirst(str(b))))
            choices += [(str(y), options) for y, options in by_year.items()]
        field.choices = choices

    def _payment_year(self, instance: Transaction | None) -> int | None:
        raw = self.data.get(self.add_prefix("date")) if self.is_bound else None
        if raw:
            try:
                day = self.fields["date"].clean(raw)
            except forms.ValidationError:
                day = None
            if day is not None:
                return int(day.year)
        if instance is not None and instance.date is not None:
            return instance.date.year
        return None

    def _code_choices(self, instance: Transaction | None, member: MemberAuthority) -> None:
        """Each code a select of its IATI list (one query for the five lists), the authority's
        usual sectors and channels first; a list not loaded on this instance stays a text box."""
        stored = {
            str(TRANSACTION_CODES[name]): getattr(instance, name)
            for name in ODA_DETAILS
            if instance
        }
        lists = codelists_choices([TRANSACTION_CODES[name] for name in ODA_DETAILS], keep=stored)
        usual = {"sector_code": usual_sectors, "channel_code": usual_channels}
        for name in ODA_DETAILS:
            choices = lists[TRANSACTION_CODES[name]]
            if not choices:
                continue
            options = [("", "—"), *choices]
            field = self.fields[name]
            if name in usual:
                field.widget = UsualFirstSelect(choices=options, usual=usual[name](member.pk))
            else:
                field.widget = forms.Select(choices=options)

    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name not in ODA_DETAILS]

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ODA_DETAILS]

    def details_open(self) -> bool:
        """The ODA and IATI section opens when asked (a to-do about the payment's codes) or
        when one of its fields needs correcting."""
        return self.open_details or any(self[name].errors for name in ODA_DETAILS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = cast(AmountField, self.fields["amount"]).named_currency
        typed = data.get("currency")
        if named and typed and named != typed:
            self.add_error(
                "currency",
                _("The amount is written in %(written)s but the currency says %(currency)s.")
                % {"written": named, "currency": typed},
            )
        current = self.instance.currency if self.instance is not None else "EUR"
        data["currency"] = typed or named or current
        return data

    def chosen_project(self) -> tuple[int | None, str]:
        """(project id, nature) as chosen."""
        if self.fixed_project is not None:
            return self.fixed_project.pk, Transaction.Nature.PROJECT
        value = str(self.cleaned_data.get("project") or "")
        if value.startswith("-"):
            return None, NO_PROJECT_NATURES[int(value[1:]) - 1][0]
        if not value:
            return None, Transaction.Nature.PROJECT  # the service asks for one
        return int(value), Transaction.Nature.PROJECT

    def fill(self, payment: Transaction) -> Transaction:
        """The payment with the values typed (the service validates and writes it)."""
        data = self.cleaned_data
        project_id, nature = self.chosen_project()
        payment.authority_id = self.member.pk
        payment.project_id = project_id
        payment.nature = nature
        if not payment.transaction_type:
            payment.transaction_type = "3"  # IATI: a disbursement, what a mandat pays
            payment.provider = self.member.authority.name
        country = data.get("recipient_country")
        payment.recipient_country_id = country.code if country else None
        for name in ("date", "amount", "currency", "amount_eur", "oda_category"):
            setattr(payment, name, data.get(name))
        for name in ("receiver", "order_number", "budget_line", "description"):
            setattr(payment, name, data.get(name) or "")
        payment.partnership_id = data.get("partnership")
        if "service_budget" in self.fields:
            payment.service_budget_id = data.get("service_budget")
        for name in ODA_DETAILS:
            # A form without the section (a page opened before it existed) keeps the codes.
            if self.add_prefix(name) in self.data:
                setattr(payment, name, (data.get(name) or "").strip().upper())
        return payment


def defaults() -> dict[str, Any]:
    """A new payment's codes as the model gives them (ODA, standard grant, project-type)."""
    fields = (cast(Field, Transaction._meta.get_field(name)) for name in ODA_DETAILS)
    return {field.name: field.get_default() for field in fields}


def initial_of(payment: Transaction) -> dict[str, Any]:
    project: Any = str(payment.project_id) if payment.project_id else None
    if project is None:
        natures = [value for value, _label in NO_PROJECT_NATURES]
        project = f"-{natures.index(payment.nature) + 1}" if payment.nature in natures else ""
    return {
        "project": project,
        "recipient_country": payment.recipient_country_id,
        "date": payment.date,
        "amount": payment.amount,
        "currency": payment.currency,
        "amount_eur": payment.amount_eur,
        "receiver": payment.receiver,
        "oda_category": payment.oda_category,
        "partnership": payment.partnership_id,
        "order_number": payment.order_number,
        "budget_line": payment.budget_line,
        "service_budget": payment.service_budget_id,
        "description": payment.description,
        **{name: getattr(payment, name) for name in ODA_DETAILS},
        "version": payment.version,
    }


class PasteForm(forms.Form):
    rows = forms.CharField(
        label=_("Rows copied from a spreadsheet"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "One payment a line, cells separated by tabs (as a spreadsheet copies them), in "
            "this order or with a header row: date, amount, currency, euros paid, beneficiary, "
            "ODA category, country, order no., budget line, in kind (yes or no)."
        ),
    )
    nature = forms.ChoiceField(
        label=_("These payments are"),
        choices=NO_PROJECT_NATURES,
        required=False,
    )

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            del self.fields["nature"]


class RateForm(forms.Form):
    """A missing rate, written the way round the ECB writes it: 1 EUR = … units."""

    currency = CurrencyField(label=_("Currency"), help_text=_("e.g. HTG for the Haitian gourde"))
    date = DayField(
        label=_("Applies from"),
        help_text=_(
            "The day of the rate; it applies to payments from that day until the next rate "
            "recorded. For a yearly average, give 1 January of the year (01/01/2025)."
        ),
    )
    rate = AmountField(
        label=_("Units of the currency for 1 euro"),
        decimal_places=8,
        max_digits=18,
        help_text=_("1 EUR = this many units, e.g. 140,5 for the gourde (not 0,0071)."),
    )
    source = forms.CharField(
        label=pgettext_lazy("where an exchange rate comes from", "Source"),
        max_length=200,
        help_text=_("Where the rate comes from, e.g. Banque de la République d'Haïti, 12/05/2025."),
    )
