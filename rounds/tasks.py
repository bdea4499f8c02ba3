"""Background work of the rounds app (Django Tasks API; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def open_round(round_id: int) -> int:
    """Start the drafts of every manual in a round's scope; returns how many joined."""
    from rounds.services import round_run_opening

    round = round_run_opening(round_id=round_id)
    return round.participations.filter(state="joined").count()


@task()
def adopter_pdf(export_id: int) -> int:
    """Make one adopting agency's printed copy of a shared manual; returns its page count."""
    from rounds.services import adopter_pdf_run

    return adopter_pdf_run(export_id=export_id).page_count or 0
