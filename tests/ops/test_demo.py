"""The demo data tells a history that could have happened."""

from __future__ import annotations

from app.store import Store


def test_every_case_was_filed_before_anything_happened_to_it(demo_store: Store) -> None:
    for case in demo_store.cases():
        revisions = demo_store.revisions(case.id)
        filed = revisions[0]
        assert filed.reason == "建档" and filed.at.date() == case.filed_on
        later = [r.at for r in revisions[1:]] + [r.at for r in demo_store.reviews(case.id)]
        assert all(filed.at <= at for at in later), case.name
        assert [r.at for r in revisions] == sorted(r.at for r in revisions), case.name
