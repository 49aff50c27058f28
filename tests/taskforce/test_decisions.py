"""The decision source that protocols cite: registered by meetings, asked through taskforce."""

from django.urls import reverse

from meetings.models import Decision
from taskforce import decisions

from ..meetings.factories import DecisionFactory, MeetingFactory


def test_a_decision_is_cited_by_its_motion_meeting_day_and_page(task_force):
    meeting = MeetingFactory(task_force=task_force, title="Full task force, March")
    decision = DecisionFactory(meeting=meeting, motion="Adopt the referral MOU.")

    cited = decisions.citation(decision.pk)

    assert (cited.motion, cited.taken_at, cited.taken_on) == (
        "Adopt the referral MOU.",
        meeting.title,
        meeting.starts_at,
    )
    assert cited.url == reverse("meetings:decision-detail", args=[task_force.slug, decision.code])


def test_citations_are_read_in_one_query_and_leave_out_what_is_gone(task_force, django_assert_num_queries):
    cited = [DecisionFactory(meeting=MeetingFactory(task_force=task_force)) for _ in range(3)]
    with django_assert_num_queries(1):
        found = decisions.citations([decision.pk for decision in cited] + [None, 999_999])
    assert set(found) == {decision.pk for decision in cited}


def test_only_adopted_decisions_of_the_task_force_are_offered(task_force, other_task_force):
    carried = DecisionFactory(meeting=MeetingFactory(task_force=task_force))
    DecisionFactory(meeting=MeetingFactory(task_force=task_force), result=Decision.Result.FAILED)
    elsewhere = DecisionFactory(meeting=MeetingFactory(task_force=other_task_force))

    assert list(decisions.source().adopted(task_force)) == [carried]
    assert decisions.taken_in(task_force, carried) and not decisions.taken_in(task_force, elsewhere)
