"""PostgreSQL roles: the application runs as a role that does not own the tables.

Two login roles (three with the registry's bulk-load owner, which nobody logs in as):

- the **owner** (``DATABASE_URL`` of ``xhht migrate``) owns the tables and runs migrations;
- the **runtime** role (``DATABASE_URL`` of the web and task processes) reads and writes rows, and
  on the audit trail may only INSERT and SELECT: it cannot UPDATE, DELETE or TRUNCATE it, nor
  disable its trigger (``ALTER TABLE`` needs ownership);
- the registry tables' **bulk-load owner** (NOLOGIN), granted to both: a first load of a registry
  drops and rebuilds those tables' indexes and constraints (``imports/bulkload.py``), which needs
  ownership of them, and of them only.

``xhht db_roles --runtime NAME`` applies this as the owner (after each ``migrate``; with
``XHHT_DB_RUNTIME_ROLE`` set, ``migrate`` applies it by itself).
"""

from __future__ import annotations

from django.db import connections

AUDIT_TABLE = "accounts_auditevent"
BULK_TABLES = ("registry_person", "registry_residence", "registry_householdmember", "registry_household")


def _ident(cur, name: str) -> str:
    cur.execute("SELECT quote_ident(%s)", [name])
    return cur.fetchone()[0]


def apply(*, runtime: str, bulk_owner: str | None = None, using: str = "default") -> list[str]:
    """Create the roles if missing and grant what the runtime role needs. Returns the SQL it ran."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        raise RuntimeError("db_roles applies to PostgreSQL only")
    bulk_owner = bulk_owner or f"{runtime}_bulk"
    done: list[str] = []
    with conn.cursor() as cur:

        def run(sql: str) -> None:
            cur.execute(sql)
            done.append(sql)

        rt, bulk = _ident(cur, runtime), _ident(cur, bulk_owner)
        cur.execute("SELECT current_user")
        owner = _ident(cur, cur.fetchone()[0])
        for name, ident, login in ((runtime, rt, "LOGIN"), (bulk_owner, bulk, "NOLOGIN")):
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if cur.fetchone() is None:
                run(f"CREATE ROLE {ident} {login}")
        cur.execute("SELECT current_database()")
        run(f"GRANT CONNECT, TEMPORARY ON DATABASE {_ident(cur, cur.fetchone()[0])} TO {rt}")
        run(f"GRANT USAGE ON SCHEMA public TO {rt}")
        run(
            f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES ON ALL TABLES IN SCHEMA public TO {rt}"
        )
        run(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {rt}")
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES ON TABLES TO {rt}"
        )
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {rt}"
        )
        # the audit trail: append and read, nothing else
        run(f"REVOKE ALL ON {AUDIT_TABLE} FROM {rt}")
        run(f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {rt}")
        # the registry's bulk-load mode rebuilds these tables' indexes and constraints
        run(f"GRANT {bulk} TO {rt}")
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cur.fetchone()[0]:
            run(f"GRANT {bulk} TO {owner}")  # so migrations still alter them
        run(f"GRANT CREATE ON SCHEMA public TO {bulk}")  # CREATE INDEX needs it on the index's schema
        for table in BULK_TABLES:
            run(f"ALTER TABLE {table} OWNER TO {bulk}")
    return done
