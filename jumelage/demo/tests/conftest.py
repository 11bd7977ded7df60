import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Each load hashes the demo password; the default hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
