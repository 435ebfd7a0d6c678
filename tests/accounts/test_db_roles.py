"""On PostgreSQL the application runs as a role that does not own the tables: the audit trail is
append-only for it (no UPDATE, DELETE, TRUNCATE, no disabling its trigger), while everything the
application does — including a registry's bulk-load mode — still works."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.imports.conftest import csv_file, officer  # noqa: F401 (fixtures)
from tests.imports.test_bulk_mode import households_file, low_threshold  # noqa: F401 (fixture)
from tests.imports.test_people_import import errors_of, run
from xhht.accounts import audit
from xhht.accounts.models import AuditEvent
from xhht.registry.models import Person

pytestmark = [pytest.mark.postgres_only]

RUNTIME = "xhht_test_runtime"


@pytest.fixture
def as_runtime(db):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL: vai trò và quyền trên bảng")
    call_command("db_roles", runtime=RUNTIME, stdout=io.StringIO())  # rolled back with the test
    audit.record(AuditEvent.Action.OTHER, note="một sự kiện có sẵn")
    with connection.cursor() as cur:
        cur.execute(f"SET LOCAL ROLE {RUNTIME}")
    yield
    with connection.cursor() as cur:
        cur.execute("RESET ROLE")


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE accounts_auditevent",
        "TRUNCATE accounts_auditevent CASCADE",
        "DELETE FROM accounts_auditevent",
        "UPDATE accounts_auditevent SET note = 'sửa'",
        "ALTER TABLE accounts_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_no_change",
        "DROP TABLE accounts_auditevent",
        "ALTER TABLE accounts_auditevent OWNER TO " + RUNTIME,
    ],
)
def test_the_runtime_role_cannot_erase_the_audit_trail(as_runtime, sql):
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts_auditevent")
        before = cur.fetchone()[0]
        with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
            cur.execute(sql)
        cur.execute("SELECT count(*) FROM accounts_auditevent")
        assert cur.fetchone()[0] == before > 0


def test_the_runtime_role_appends_and_reads_the_trail(as_runtime):
    with connection.cursor() as cur:
        cur.execute("SELECT current_user")
        assert cur.fetchone()[0] == RUNTIME
    event = audit.record(AuditEvent.Action.OTHER, note="ghi bởi vai trò chạy ứng dụng")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_bulk_load_works_as_the_runtime_role(as_runtime, units, officer, csv_file, low_threshold):  # noqa: F811
    out = run(households_file(csv_file), units, officer)
    assert out.ok, errors_of(out)
    assert Person.objects.count() == 30
    with connection.cursor() as cur:
        cur.execute("SELECT current_user")
        assert cur.fetchone()[0] == RUNTIME
