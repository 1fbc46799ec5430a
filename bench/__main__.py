"""`make bench` / `python -m bench [module ...]`: run every bench/*.py module's `run()` (or the ones named)
against a fresh PostgreSQL database on the loopback interface, in production settings (DEBUG off, manifest
static files, cached templates), and print what each reports.

The database server comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/markedsplassen_bench);
a test database next to it is created for the run and dropped afterwards. The cache is Redis, as in production,
from BENCH_REDIS_URL (default redis://127.0.0.1:6379/14; the bench empties that database).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path

SKIP = {"__main__", "__init__"}


def _configure(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/markedsplassen_bench"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SECURE_COOKIES"] = "false"
    # The shared cache of production (Redis): the store keeps its generation and cached fragments there.
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ["STATIC_ROOT"] = str(workdir / "static")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["VAR_DIR"] = str(workdir / "var")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root.parent))
    with tempfile.TemporaryDirectory(prefix="markedsplassen-bench-") as tmp:
        _configure(Path(tmp))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        names = argv or sorted(m.name for m in pkgutil.iter_modules([str(root)]) if m.name not in SKIP)
        print(f"Markedsplassen bench: {', '.join(names)} on PostgreSQL {connection.settings_dict['HOST']}")
        started = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        print(f"  fresh database {test_db} migrated in {time.perf_counter() - started:.1f} s")
        failures = 0
        try:
            for name in names:
                module = importlib.import_module(f"bench.{name}")
                print(f"\n== bench.{name} ==")
                try:
                    module.run()
                except Exception as exc:  # noqa: BLE001  (report and go on with the next module)
                    failures += 1
                    print(f"  FAILED: {exc!r}")
        finally:
            connection.creation.destroy_test_db(test_db, verbosity=0)
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
