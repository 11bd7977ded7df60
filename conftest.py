"""Shared test personas: two member authorities, and users with each role in the first one.

Every access test uses both authorities: what `officer_b` may never see is `city_a`'s.
"""

import uuid

import pytest

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password properly is slow on purpose; tests need not pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test gets its own in-memory cache: no page cached by another test or worker (and
    no member id the process remembered from another test: core/cache.py)."""
    from jumelage.core.cache import _member_ids
    from jumelage.public.pages import forget_pages_in_memory

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4().hex}",
        }
    }
    _member_ids.clear()
    forget_pages_in_memory()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks (jobs, e-mails) run at once, in the test, when they are asked for: the
    test's transaction never commits, so a task enqueued on commit would never run. The tests
    of the queue itself (tests/test_worker_restart.py...) run real workers."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = False


@pytest.fixture(autouse=True)
def _english_messages():
    """Tests read messages in English, the source language, whatever translations exist; a
    page requested without a language prefix is still served in French, the default. Each
    test starts in English, whatever the previous one asked for."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def city_a(db):
    return MemberAuthorityFactory(
        slug="ville-a", authority=AuthorityFactory(name="Ville A", siren="123456789")
    )


@pytest.fixture
def city_b(db):
    return MemberAuthorityFactory(
        slug="ville-b", authority=AuthorityFactory(name="Ville B", siren="987654321")
    )


def _member(username, authority, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, authority=authority, role=role)
    return user


@pytest.fixture
def admin_a(city_a):
    return _member("admin_a", city_a, Role.ADMIN)


@pytest.fixture
def officer_a(city_a):
    return _member("officer_a", city_a, Role.OFFICER)


@pytest.fixture
def contributor_a(city_a):
    return _member("contributor_a", city_a, Role.CONTRIBUTOR)


@pytest.fixture
def viewer_a(city_a):
    return _member("viewer_a", city_a, Role.VIEWER)


@pytest.fixture
def officer_b(city_b):
    return _member("officer_b", city_b, Role.OFFICER)


@pytest.fixture
def outsider(db):
    """Signed in, but a member of no authority."""
    return UserFactory(username="outsider")


@pytest.fixture
def french():
    """For a test that reads French wording or formats (amounts as 1 000,00 EUR)."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("en")
