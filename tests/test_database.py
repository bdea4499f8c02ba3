import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_database_has_a_utf8_ctype():
    """Thai search (pg_trgm, word search) needs a UTF-8 ctype; a C ctype finds no trigrams."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no ctype; CI runs this on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        (ctype,) = cursor.fetchone()
    assert "utf" in ctype.lower().replace("-", "")
