"""News feeds of a member authority (RSS 2.0 and Atom 1.0), in the language of the address.

Feed readers show an RSS description or an Atom summary as HTML: the news text goes in as the
page shows it (`core.html.text_to_html`: escaped, then through the allow-list), never as typed.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from jumelage.content.models import NewsItem
from jumelage.core.html import text_to_html
from jumelage.core.i18n import translate
from jumelage.partners.models import MemberAuthority
from jumelage.public import selectors

FEED_SIZE = 20


class NewsRssFeed(Feed):
    def get_object(self, request: HttpRequest, slug: str) -> MemberAuthority:  # type: ignore[override]
        member = selectors.active_member(slug)
        if member is None:
            raise Http404(_("No member authority publishes pages at this address."))
        return member

    def title(self, member: MemberAuthority) -> str:
        return _("%(authority)s – international relations news") % {  # noqa: RUF001
            "authority": member.authority.name
        }

    def description(self, member: MemberAuthority) -> str:
        return _("News of the twin towns and international projects of %(authority)s.") % {
            "authority": member.authority.name
        }

    def link(self, member: MemberAuthority) -> str:
        return reverse("public:news", args=[member.slug])

    def items(self, member: MemberAuthority) -> list[NewsItem]:
        items = list(selectors.news(member)[:FEED_SIZE])
        for item in items:
            item.member_slug = member.slug  # type: ignore[attr-defined]  # no query per item
        return items

    def item_title(self, item: NewsItem) -> str:
        return translate(item.title) or item.slug

    def item_description(self, item: NewsItem) -> str:
        return text_to_html(translate(item.body))

    def item_link(self, item: NewsItem) -> str:
        return reverse("public:news_item", args=[item.member_slug, item.slug])  # type: ignore[attr-defined]

    def item_pubdate(self, item: NewsItem) -> datetime.datetime:
        return datetime.datetime.combine(item.published_on, datetime.time(12, 0), datetime.UTC)

    def item_updateddate(self, item: NewsItem) -> datetime.datetime:
        return item.updated_at

    def item_guid(self, item: NewsItem) -> str:
        return f"jumelage-news-{item.pk}"

    item_guid_is_permalink = False


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, member: MemberAuthority) -> str:
        return self.description(member)
