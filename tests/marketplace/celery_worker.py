"""Start a real Celery worker process against the test database (used by integration tests of every arena).

With REDIS_URL set (CI, production) the worker talks to Redis; otherwise to the embedded file-system
transport. In CI a missing REDIS_URL is a failure, never a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from marketplace.celery import app

ROOT = Path(__file__).resolve().parents[2]


def database_url_for_worker() -> dict[str, str]:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(db["NAME"]), "DATABASE_URL": ""}
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {"DATABASE_URL": f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"}


@contextmanager
def running_worker(tmp_path: Path, *, concurrency: int = 1, pool: str = "prefork"):
    """Run `celery worker` on a private queue; yields (process, log_path). Tasks sent meanwhile go to it."""
    redis_url = os.environ.get("REDIS_URL", "")
    if os.environ.get("CI") and not redis_url:
        pytest.fail("CI must provide REDIS_URL: the Celery integration tests run a real worker against Redis.")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "TESTING": "true",
        "SECRET_KEY": settings.SECRET_KEY,
        "VAR_DIR": str(settings.VAR_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SANDBOX_ALLOWED_HOSTS": ",".join(settings.SANDBOX_ALLOWED_HOSTS),
        **database_url_for_worker(),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    log_path = tmp_path / f"{queue}.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "-Q", queue, "--pool", pool,
         "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield process, log_path
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {what}")
