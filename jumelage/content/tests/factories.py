import datetime

import factory

from jumelage.content.models import Document, NewsItem
from jumelage.partners.tests.factories import MemberAuthorityFactory


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    authority = factory.SubFactory(MemberAuthorityFactory)
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    title = factory.LazyFunction(lambda: {"fr": "Actualité"})
    published_on = datetime.date(2026, 1, 15)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    authority = factory.SubFactory(MemberAuthorityFactory)
    title = factory.LazyFunction(lambda: {"fr": "Rapport"})
    url = "https://example.org/rapport.pdf"
