"""Every scheduled job names a task the workers actually have (QUA-4, VER-6, STO-5, PRO-6, TRM-4)."""

from django.conf import settings

from marketplace.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    missing = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in app.tasks}
    assert not missing, f"Beat entries naming unknown tasks: {missing}"
    assert {"terms-announce-effective", "qualifications-expire-and-remind", "verification-runs-reap",
            "verification-listings-reverify", "store-adoptions-activate-due", "procurements-close-expired"} \
        <= set(settings.CELERY_BEAT_SCHEDULE)
