"""Examples in the OpenAPI document: every schema, body and parameter shows a value that fits.

``document_examples`` is a schema hook (``UpwardAPI.schema_hooks``). It gives every component
schema an ``example`` built field by field: the value a table of field names gives (``name``,
``email``, ``starts_on``, ``status`` ...), when that value fits the field's type, format, enum
and bounds, else a value made from the type and format alone. References are followed, so a
schema added later gets an example without an entry here. The few schemas whose generated
example would mislead (the error body) are written out in ``BY_HAND``. Inline response schemas
(a list of objects) get an example too, and every path and query parameter one.

The examples tell one story: the demo's programme "Reverse Mentoring 2027" at Northwind Group,
where Jonathan Reyes, a director, is paired with Priya Sharma, an analyst.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

PROGRAMME = "Reverse Mentoring 2027"
PROGRAMME_SLUG = "reverse-mentoring-2027"
ORGANISATION = "Northwind Group"
ORGANISATION_SLUG = "northwind"
MENTOR = "Priya Sharma"
LEADER = "Jonathan Reyes"
COORDINATOR = "Corin Adeyemi"

_MISSING = object()

# Values by field name, whichever schema holds the field. A list value serves a list field and
# its first item serves a single item of the same name.
FIELDS: dict[str, Any] = {
    "about": "relationship",
    "action": "pause",
    "active": True,
    "adopted": False,
    "agree": True,
    "agreement_signed": True,
    "agreement_version": 2,
    "allowed": True,
    "anchor": "midpoint",
    "announcement": False,
    "anonymised": True,
    "anonymity_threshold": 5,
    "anonymous": False,
    "answer": "How decisions about rotas land on the front line.",
    "answered": False,
    "answered_at": None,
    "application_id": 57,
    "application_status": "submitted",
    "applications": [57, 58],
    "applications_deadline": "2027-01-08T17:00:00Z",
    "applications_open": True,
    "applied": 37,
    "at": "2027-03-02T14:05:00Z",
    "audience": "everyone",
    "audiences": ["participants"],
    "author": MENTOR,
    "auto_apply": False,
    "average": 4.2,
    "based_on": None,
    "baseline": "62% of exit interviews say ideas go unheard",
    "blind": False,
    "body": "We talked about how the new rota reads to people on the night shift.",
    "booked": 14,
    "boundaries": "We keep individual colleagues' names out of our conversations.",
    "breaches": [],
    "cadence": "monthly",
    "came": 12,
    "can_answer": True,
    "can_apply": True,
    "can_edit": True,
    "can_record_outcome": False,
    "cancel_requested": False,
    "cancelled": False,
    "capacity": 20,
    "certificate_id": None,
    "challenge": "inclusive_leadership",
    "change": "Junior staff join the monthly operations review.",
    "channel": "api",
    "choices": ["Never", "Sometimes", "Often"],
    "citation": "Edmondson, A. (1999). Psychological safety and learning behavior in work teams.",
    "closed": False,
    "code": "UPW-7K2M-9QXD",
    "cohort": 1,
    "cohort_id": 1,
    "comment": "Our conversations changed how I run the weekly meeting.",
    "comments": ["Meeting Priya changed how I read our staff survey."],
    "complementary_traits": ["openness"],
    "complete": False,
    "completes": True,
    "confidentiality": "What we say stays between us unless someone is at risk of harm.",
    "consent_wording": "I agree that Upward may keep my answer to this question.",
    "content_base64": "ZW1wbG95ZWVfaWQsbmFtZSxlbWFpbA0K",
    "count": 1,
    "cross_department": 18,
    "cross_organisation": 0,
    "current": True,
    "deadline": "2027-01-08T17:00:00Z",
    "decision": "accept",
    "declined": 6,
    "department": "Finance",
    "departments": ["Finance", "Operations"],
    "description": "A year in which senior leaders learn from colleagues early in their careers.",
    "detail": "Done.",
    "dimension": "ethnicity",
    "displace_leader_id": None,
    "done": 4,
    "drop_folder": "/srv/upward/hris/northwind/",
    "drop_reason": "",
    "dropped": 0,
    "done_late": 1,
    "done_on_time": 3,
    "duration_ms": 182,
    "eligibility_override_reason": "",
    "eligibility_reasons": [],
    "eligible": True,
    "email": "priya.sharma@example.org",
    "employee_id": "NW000142",
    "error": "",
    "event": "pair.formed",
    "events": ["pair.formed", "pair.completed"],
    "evidence": "Approved by the executive board on 12 November.",
    "expires_on": "2027-06-30",
    "file_url": None,
    "filename": "northwind-2027-01.csv",
    "final_checkin": True,
    "format": "json",
    "from_idea": None,
    "from_raiser": True,
    "from_you": True,
    "grade": "G2",
    "grade_level": 2,
    "grade_max": 3,
    "grade_min": 1,
    "granted": False,
    "group": None,
    "has_sensitive": True,
    "held_minutes": 55,
    "help_text": "A sentence or two is enough.",
    "hidden": False,
    "hidden_because": None,
    "high": "Enjoys meeting new people and thinks out loud.",
    "holder_name": MENTOR,
    "hours_per_month": 2,
    "identifiers": ["NW000142"],
    "identity_dimensions": ["ethnicity", "disability", "gender"],
    "idea_ids": [3, 5],
    "imported": 12,
    "in_progress": 2,
    "inputs_fingerprint": "9f2c41d07a3b",
    "instrument": "psychological_safety",
    "interviewee": "Amara Osei",
    "intro": "Tell us what you would like to share and learn.",
    "introduction": [
        "Jonathan leads operations and wants to hear how change lands on the front line.",
        "Priya works in finance and has led two staff network events.",
    ],
    "invited": 120,
    "invited_as": "mentor",
    "is_open": True,
    "job_title": "Data Analyst",
    "kept_because": "",
    "label": "Ethnicity",
    "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
    "leader": LEADER,
    "leader_answered": True,
    "leader_application_id": 12,
    "mentor_application_id": 57,
    "leader_signed_at": "2027-01-28T16:20:00Z",
    "mentor_signed_at": "2027-01-27T12:45:00Z",
    "pdf_url": "https://upward.example.org/pairs/1/agreement/1.pdf",
    "leader_gains": "A view of the organisation from people early in their careers.",
    "leader_signed_name": LEADER,
    "leaders": 40,
    "length_months": 12,
    "level": "programme",
    "limit": 50,
    "link_label": "Read the guide",
    "link_url": "https://upward.example.org/guides/first-conversation",
    "location": "Manchester",
    "locked": False,
    "low": "Prefers small groups and time to think.",
    "manager_id": 7,
    "manual": 1,
    "max_choices": None,
    "max_label": "",
    "max_value": None,
    "mean": 3.8,
    "mean_score": 71.5,
    "measure": "Share of operations-review items raised by junior staff",
    "median_score": 72.0,
    "meeting_cadence": "monthly",
    "meeting_format": "mixed",
    "meeting_minutes": 60,
    "mentor": MENTOR,
    "mentor_answered": False,
    "mentor_gains": "Understanding how decisions are made at the top.",
    "mentor_signed_name": MENTOR,
    "mentors": 40,
    "mentors_used": 38,
    "message": "Senior leaders who want to hear new voices: join Reverse Mentoring 2027.",
    "messages": "digest",
    "met": True,
    "min_label": "",
    "min_meetings": 6,
    "min_score": 41.0,
    "min_value": None,
    "mine": False,
    "minutes": 60,
    "modules_done": 1,
    "modules_required": 3,
    "name": MENTOR,
    "negative": 1,
    "neutral": 3,
    "note": "Both asked to pause over the year-end close.",
    "notes": [],
    "objective_id": None,
    "offset": 0,
    "ok": True,
    "open_call_leaders": False,
    "open_call_mentors": True,
    "opened": 84,
    "order": "senior",
    "organisation": ORGANISATION,
    "organisation_id": None,
    "organisations": [ORGANISATION_SLUG],
    "outcome": "",
    "overdue": False,
    "overridden": False,
    "override_reason": "",
    "owner": COORDINATOR,
    "owner_id": None,
    "own": True,
    "pass_mark": 80,
    "passed": False,
    "page": 1,
    "page_size": 50,
    "pause_and_end": "Either of us can pause for a month, or end it after telling the coordinator.",
    "percent": 40,
    "period": "2026",
    "person_id": 142,
    "phase": "sourcing",
    "phrase": "staff survey",
    "pinned": False,
    "place": "Room 4.12, Northwind House",
    "places": 2,
    "planned": 1,
    "points": 18.5,
    "positive": 8,
    "posts": "digest",
    "prefix": "upw_3f9a",
    "present": [142, 143],
    "preview": True,
    "problems": [],
    "programme": PROGRAMME,
    "programme_slug": PROGRAMME_SLUG,
    "progress": 40,
    "prompt": "What would make it easier to raise an idea with your director?",
    "proposed_by_you": True,
    "published": True,
    "purpose": "matching",
    "purpose_label": "Matching",
    "question": "What would you like your leader to understand about your work?",
    "question_id": 3,
    "questions": None,
    "quiet_weeks": 3,
    "raised_by": MENTOR,
    "reason": "Leaders asked for a second round of sign-ups.",
    "received_on": "2027-03-04",
    "reciprocal": False,
    "reminded": 12,
    "reminder_every_days": 7,
    "reminders_sent": 1,
    "reports": 0,
    "required": True,
    "requirement": "training:leader",
    "respondents": 48,
    "responded": 64,
    "reverse": False,
    "revision": 1,
    "revoked": False,
    "role": "mentor",
    "roles": ["coordinator"],
    "route_to": "coordinator",
    "routing_note": "",
    "scale": [1, 2, 3, 4, 5],
    "scale_max": 5,
    "scope": "reverse-mentoring-2027",
    "scope_label": PROGRAMME,
    "scopes": ["programmes:read", "pairs:read"],
    "score": 74.5,
    "score_after": 76.0,
    "score_before": 71.5,
    "score_change": 4.5,
    "section": "commitments",
    "secret": "upw_3f9a8c2e71d44b6f9e0a5c1d2b7e4f80",
    "sent": True,
    "sentence": "Both want to talk about hybrid working.",
    "sentiment_mean": 0.42,
    "sequence": 0,
    "share": False,
    "shared": False,
    "shown": True,
    "side": "mentor",
    "sides_open_to_you": ["mentor"],
    "site_default": 4,
    "slug": PROGRAMME_SLUG,
    "source": "engine",
    "standing": "On track",
    "stage_words": "Finished",
    "statement": "Hear from three junior colleagues before each operations review.",
    "status": "submitted",
    "status_code": 200,
    "summary": "What reverse mentoring is and how a first conversation goes.",
    "survey": "Mid-point check-in",
    "taken": 1,
    "target": "30% of items by September",
    "terms": ["unsafe"],
    "text": "Our last two meetings were cancelled at short notice.",
    "themes": ["voice", "hierarchy"],
    "they_agreed": True,
    "threshold": 5,
    "time_zone": "Europe/London",
    "times": ["2027-02-03T10:00:00Z", "2027-02-04T15:30:00Z"],
    "title": "First conversation",
    "topics": ["Hybrid working", "Career paths"],
    "topics_covered": "Hybrid working and how the rota is set.",
    "total": 6,
    "total_pairs": 38,
    "total_unmatched": 4,
    "training_done": True,
    "trait": "openness",
    "typed_name": MENTOR,
    "uid": "meeting-31@upward.example.org",
    "unmatched_leaders": 2,
    "unmatched_mentors": 2,
    "unmet": [],
    "updated": 2,
    "url": "https://hooks.example.org/upward",
    "value": "asian",
    "version": 1,
    "versions": [1, 2],
    "video_url": "https://meet.example.org/reverse-mentoring-2027",
    "votes": 4,
    "votes_left": 2,
    "votes_per_person": 3,
    "voted": True,
    "waiting_on": ["mentor"],
    "waits_for": [],
    "waits_for_words": [],
    "wave": 1,
    "weight": 2,
    "why": "Both want to talk about hybrid working; four grades apart.",
    "wording": "I agree that Upward may keep my answer to this question.",
    "wording_note": "Worded for people at work; the scale is unchanged.",
    "wording_version": "2026-1",
    "you_accepted": True,
    "you_agreed": True,
    "you_are": "mentor",
    "yours": True,
    "zone": "Europe/London",
    # Dates and times, along the programme's year.
    "starts_on": "2027-01-11",
    "ends_on": "2027-12-17",
    "opens_on": "2027-03-01",
    "closes_on": "2027-03-15",
    "due_on": "2027-04-30",
    "held_on": "2026-11-20",
    "done_on": None,
    "completed_on": "2027-12-17",
    "first_review_on": "2027-04-12",
    "final_review_on": "2027-12-06",
    "period_end": "2026-12-31",
    "starts_at": "2027-02-03T10:00:00Z",
    "opens_at": "2027-06-01T09:00:00Z",
    "closes_at": "2027-06-15T17:00:00Z",
    "answer_by": "2027-05-14T17:00:00Z",
    "due_at": "2027-03-08T17:00:00Z",
    "created_at": "2027-01-11T09:30:00Z",
    "updated_at": "2027-02-03T11:05:00Z",
    "saved_at": "2027-02-03T11:05:00Z",
    "since": "2027-01-25T12:00:00Z",
    "state_since": "2027-02-01T09:00:00Z",
    "expires_at": "2027-06-30T23:59:59Z",
    "given_at": "2026-12-07T10:15:00Z",
    "submitted_at": "2026-12-07T10:15:00Z",
    "published_at": "2027-01-20T09:00:00Z",
}

# Values that depend on the schema: by the start of the schema's name (the longest matching
# start wins), then FIELDS.
BY_SCHEMA: dict[str, dict[str, Any]] = {
    "Accountability": {
        "title": "Junior voices in the operations review",
        "text": "Invite two junior colleagues to each monthly operations review.",
        "kind": "project",
        "status": "in_progress",
        "state": "agreed",
        "outcome": "",
        "owner": LEADER,
        "description": "Lead the rota redesign working group for three months.",
        "shown": "You nominated Priya on 12 March.",
        "note": "First review held with two junior colleagues.",
        "evidence": "https://intranet.example.org/ops-review-march",
        "id": 1,
        "author": None,
        "label": "Commitments done on time",
        "key": "done_on_time",
        "value": 3,
    },
    "AccountabilityFollowThrough": {"total": 6, "planned": 0, "done": 4, "overdue": 0},
    "AccountabilitySession": {"title": "How can junior voices reach the operations review?"},
    "AccountabilityGroup": {"title": "Open the operations review"},
    "AccountabilitySummaryRow": {"section": "commitments"},
    "AccountabilityOutcome": {"outcome": "successful"},
    "AccountabilityNominationMentor": {"state": "asked", "outcome": ""},
    "AccountabilityUpdateIn": {"status": "in_progress", "reason": ""},
    "Agreement": {
        "topics": "Hybrid working; how decisions reach the front line; career paths.",
        "number": 1,
    },
    "Answer": {"question": "What would you like your leader to understand about your work?"},
    "AnswerIn": {"score": 4},
    "AnswersIn": {"answers": {"ps_1": 4, "ps_2": 2}},
    "ApplyIn": {
        "answers": {"3": "How decisions about rotas land on the front line."},
        "identity": {"ethnicity": "asian"},
        "consent": ["ethnicity"],
        "working_style": None,
        "working_style_consent": None,
    },
    "Appoint": {
        "name": COORDINATOR,
        "email": "corin.adeyemi@example.org",
        "role": "coordinator",
        "programme": PROGRAMME_SLUG,
    },
    "AppointmentError": {"detail": "No account or person has the address corin@example.org."},
    "Bar": {"label": "70-79", "count": 14},
    "BehindOut": {"name": LEADER},
    "BoardRow": {
        "waived": {},
        "training_done": {"leader": [2, 3], "mentor": [3, 3]},
        "waits_for": ["training:leader"],
        "waits_for_words": ["The leader's training"],
    },
    "Campaign": {
        "title": "Mid-point psychological safety survey",
        "stage": "mid",
        "audience": "participants",
        "side": "",
    },
    "Change": {"kind": "swap"},
    "ChangeRow": {"leader": LEADER, "mentor_before": "Tom Becker", "mentor_after": MENTOR},
    "CheckIn": {"kind": "relationship"},
    "CheckQuestion": {
        "prompt": "What do you do if your partner raises a safeguarding matter?",
        "choices": ["Keep it between us", "Tell the coordinator the same day"],
    },
    "Close": {"outcome": "Talked it through with both; they agreed a new meeting time."},
    "Cohort": {
        "name": "Spring cohort",
        "starts_on": "2027-03-01",
        "capacity": 40,
        "description": "Pairs who start in March.",
        "title": "Mid-point celebration",
        "kind": "midpoint",
        "place": "Atrium, Northwind House",
        "minutes": 90,
        "booked": 14,
        "author": COORDINATOR,
        "body": "Thank you all for a brilliant first month.",
        "question": "useful",
        "prompt": "How useful was the session?",
        "key": "useful",
        "state": "open",
    },
    "CohortAnswers": {"answers": {"useful": 4, "would_recommend": 5}},
    "CohortEvent": {
        "your_place": None,
        "came": None,
        "description": "Share what has changed for you halfway through the year.",
    },
    "CohortResults": {"answers": 12, "state": "shown"},
    "CohortReply": {"author": MENTOR, "body": "It was a great start for us too."},
    "CohortMessage": {"body": "Could we move Thursday's meeting to 3pm?"},
    "CohortPreferences": {"posts": "digest", "messages": "each"},
    "CohortReport": {"reason": "This names a colleague who is not in the programme."},
    "CohortDone": {"detail": "Thank you: your answers are counted anonymously."},
    "Comments": {"question": "What changed for you?"},
    "Complete": {"answers": {"1": 2}},
    "Concern": {"state": "new", "outcome": "", "about": "relationship"},
    "Consent": {
        "purpose": "identity.ethnicity",
        "purpose_label": "Ethnicity",
        "withdrawn_at": None,
    },
    "Counts": {"invited": 120, "opened": 84, "applied": 37, "declined": 6},
    "Criterion": {
        "criterion": "topics",
        "label": "Topics",
        "points": 18.5,
        "max_points": 25.0,
    },
    "Decide": {"decision": "accept", "cohort": None},
    "Detail": {"detail": "Done."},
    "Dimension": {
        "code": "ethnicity",
        "label": "Ethnicity",
        "question": "How would you describe your ethnic group?",
        "purpose": "Used to pair you with someone whose lived experience differs from yours.",
        "options": [{"value": "asian", "label": "Asian or Asian British"}],
    },
    "DirectorySync": {
        "source": "upload",
        "status": "previewed",
        "counts": {"new": 3, "changes": 5, "leavers": 1},
        "errors": [],
        "reporting_line_pairs": [],
        "leaver_pairs": [],
        "applied_at": None,
    },
    "DirectorySyncEntry": {"fields": {"job_title": ["Data Analyst", "Senior Data Analyst"]}},
    "DirectorySyncUpload": {
        # A file with its header and one row (employee_id, name, email).
        "content_base64": "ZW1wbG95ZWVfaWQsbmFtZSxlbWFpbApOVzAwMDE0MixQcml5YSBTaGFybWEscH"
        "JpeWEuc2hhcm1hQGV4YW1wbGUub3JnCg==",
    },
    "Evidence": {
        "key": "ps_1",
        "title": "Psychological safety at work",
        "purpose": "How safe people feel to speak up, before and after the programme.",
        "text": "If I make a mistake on this team, it is held against me.",
        "kind": "likert",
        "reverse": True,
        "labels": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
        "choices": [],
        "minimum": None,
        "maximum": None,
        "measure": "psychological_safety",
        "dimension": "department",
        "value": "Finance",
        "mean": 3.4,
        "survey": "Mid-point psychological safety survey",
        "comment": "I don't feel safe raising this with my manager.",
    },
    "EvidenceInstrumentIn": {"key": "speaking_up"},
    "EvidenceBaselineIn": {
        "filename": "safety-baseline-2026.csv",
        # measure,period,period_end,segment,respondents,mean_score,scale_max and one row.
        "content_base64": "bWVhc3VyZSxwZXJpb2QscGVyaW9kX2VuZCxzZWdtZW50LHJlc3BvbmRlbnRzLG1l"
        "YW5fc2NvcmUsc2NhbGVfbWF4CnBzeWNob2xvZ2ljYWxfc2FmZXR5LDIwMjYsMjAyNi0xMi0zMSxkZXBh"
        "cnRtZW50PUZpbmFuY2UsNDgsMy40LDUK",
    },
    "EvidenceNote": {
        "kind": "story",
        "anchor": "midpoint",
        "title": "A rota changed after a conversation",
        "body": "After talking with his mentor, a director moved the rota meeting to daytime.",
    },
    "Filter": {"dimension": "side", "value": "mentor"},
    "FollowUp": {
        "state": "pending",
        "closed_at": None,
        "reminded_at": None,
        "next_reminder_at": "2027-01-24T09:00:00Z",
        "mentor_answered": None,
    },
    "Form": {"side": "mentor"},
    "Goal": {"objective_id": None, "progress": 40, "percent": 40},
    "Instrument": {
        "key": "psychological_safety",
        "title": "Psychological safety at work",
        "purpose": "How safe people feel to speak up, before and after the programme.",
    },
    "IntegrationsAttempt": {"number": 1, "status_code": 200, "error": ""},
    "IntegrationsDelivery": {"state": "delivered", "next_attempt_at": None},
    "IntegrationsToken": {
        "name": "HR reporting",
        "kind": "service",
        "organisation": ORGANISATION_SLUG,
        "state": "active",
        "last_used_at": "2027-02-01T08:00:00Z",
        "revoked_at": None,
    },
    "IntegrationsTokenIn": {"organisation": None},
    "IntegrationsWebhook": {"secret": "whsec_5b1e0c7d9a2f48e3b6c4d8a1f0e2b7c9"},
    "Interview": {"role": "Team leader, Operations", "problems": "Ideas stop at the manager."},
    "Invalid": {
        "detail": "Some answers need attention.",
        "errors": {"ps_1": "Choose a number from 1 to 5."},
    },
    "Invitation": {"status": "opened", "sent_at": "2026-12-07T09:00:00Z"},
    "InvitedPerson": {"organisation": ORGANISATION},
    "ItemOut": {
        "key": "ps_1",
        "text": "If I make a mistake on this team, it is held against me.",
        "kind": "likert",
        "reverse": True,
        "choices": [],
        "minimum": None,
        "maximum": None,
    },
    "Labelled": {"label": "Ethnicity", "value": "Asian or Asian British"},
    "MatchPerson": {"application_id": 57},
    "Me": {"name": COORDINATOR, "email": "corin.adeyemi@example.org", "employee_id": None},
    "Meeting": {"state": "scheduled", "minutes": 60, "held_minutes": None},
    "Message": {
        "text": "Thank you for raising this; I will call you tomorrow.",
        "from_raiser": False,
    },
    "Module": {
        "title": "How reverse mentoring works",
        "body": "Why leaders learn from colleagues early in their careers, and how to listen.",
        "questions": None,
        "done": None,
    },
    "Move": {"minutes": None},
    "Note": {"title": "Before our next meeting", "body": "Ask about the new starters' week."},
    "Objective": {
        "title": "Hear from people early in their careers",
        "detail": "Leaders understand how decisions land on the front line.",
    },
    "Option": {"id": 2},
    "Organisation": {"name": ORGANISATION, "slug": ORGANISATION_SLUG},
    "Outcome": {
        "outcome": "held",
        "topics": "Hybrid working and how the rota is set.",
        "minutes": 55,
    },
    "Pair": {"state": "active", "state_words": "Active", "cohort": "Spring cohort"},
    "PairAction": {},
    "PairPerson": {"name": MENTOR, "role": "mentor"},
    "Participant": {"invited_as": "mentor", "application_status": None},
    "Partner": {
        "name": LEADER,
        "job_title": "Director of Operations",
        "role": "leader",
        "level": "Director",
    },
    "Person": {"manager_id": 7},
    "Phase": {"phase": "sourcing"},
    "Pick": {"option": 2},
    "Programme": {
        "name": PROGRAMME,
        "kind": "reverse",
        "description": FIELDS["description"],
    },
    "ProgrammeOut": {
        "matching_policy": {
            "min_grade_gap": 2,
            "ban_same_department": False,
            "ban_same_organisation": False,
            "min_availability_overlap": 1,
            "require_shared_language": False,
            "algorithm": "optimal",
            "weights": {"topics": 5, "objectives": 3, "text": 3, "seniority_gap": 2},
            "complementary_traits": [],
        },
        "matching_policy_in_words": {
            "rules": ["Never pairs two people in the same reporting line, however far apart."],
            "weights": ["Counts most strongly: topics leaders want to explore."],
            "method": ["Finds the set of pairs with the best total score for everyone together."],
        },
    },
    "ProgrammePatch": {
        "name": None,
        "kind": None,
        "organisations": None,
        "ends_on": None,
        "meeting_cadence": None,
        "meeting_minutes": None,
        "hours_per_month": None,
        "anonymity_threshold": None,
    },
    "ProgrammesTraitScore": {"trait": "openness", "label": "Openness", "score": 5.5},
    "ProgrammeWorkingStyle": {"weight": 2},
    "Proposal": {
        "state": "waiting",
        "state_words": "You accepted: waiting for the match to be confirmed",
        "side": "mentor",
    },
    "ProposalStateQuery": {"state": "pending"},
    "Propose": {"minutes": 60},
    "Purpose": {
        "code": "identity.ethnicity",
        "label": "Ethnicity",
        "statement": "Used to pair you with someone whose lived experience differs from yours.",
        "version": "2026-1",
    },
    "Question": {
        "id": 3,
        "kind": "long_text",
        "label": "What would you like your leader to understand about your work?",
        "options": [],
        "topics": [],
        "slots": [],
    },
    "Ranked": {"why": "Both want to talk about hybrid working."},
    "Publish": {"published": 38},
    "Readiness": {
        "key": "deib_plan",
        "title": "DEIB plan in place",
        "status": "done",
        "description": "A written plan for diversity, equity, inclusion and belonging.",
    },
    "ReadinessItemIn": {"status": "done"},
    "Reason": {"reason": "Leaders asked for a second round of sign-ups."},
    "Recognition": {
        "title": "What a rota taught a director",
        "body": "Jonathan expected to teach; he ended up changing how the rota is set.",
        "role": "mentor",
        "reason": "Missed a meeting while on parental leave; everything else is done.",
        "status": "valid",
        "code": "UPW-7K2M-9QXD",
        "programme": PROGRAMME,
        "name": MENTOR,
    },
    "RecognitionCertificate": {
        "download_url": "https://upward.example.org/certificates/UPW-7K2M-9QXD.pdf",
    },
    "RecognitionPerson": {"certificate_id": None},
    "Reflection": {"body": "I assumed the rota was fair; Priya showed me who it works for."},
    "Relationship": {"state": "active", "state_words": "Active", "cohort": "Spring cohort"},
    "Remind": {"reminder_every_days": 7},
    "ResultRow": {"segment": [], "respondents": 48, "mean": 3.8, "hidden_because": None},
    "Revision": {"number": 1, "title": "Before our next meeting"},
    "Run": {
        "number": 1,
        "purpose": "first",
        "status": "done",
        "stage": "finished",
        "progress": 1.0,
        "leaders": 40,
        "mentors": 40,
        "error": "",
        "timings": {"load": 0.4, "engine": 2.1, "save": 0.3},
        "policy": {"min_grade_gap": 2, "algorithm": "optimal"},
        "policy_words": ["Never pairs two people in the same reporting line, however far apart."],
        "started_at": "2027-01-18T10:00:00Z",
        "finished_at": "2027-01-18T10:00:03Z",
        "published_at": "2027-01-20T09:00:00Z",
        "cohort_id": None,
    },
    "RunIn": {"weights": {"topics": 5, "seniority_gap": 2}},
    "RunningRematch": {"state": "preparing"},
    "Sensitive": {"reason": "matching", "note": "Checking the difference the programme seeks."},
    "Shared": {"dimension": "ethnicity", "label": "Ethnicity", "value": "Asian or Asian British"},
    "Shown": {"name": MENTOR, "text": "Wed 3 Feb, 10:00"},
    "SignIn": {"number": 1},
    "Smart": {"problems": ["Say by when, so both of you know when it is done."]},
    "State": {"action": "pause"},
    "Summary": {"pairs": 38, "locked": 2, "places": 46},
    "Survey": {
        "title": "Mid-point psychological safety survey",
        "level": "programme",
        "campaign": 1,
    },
    "Theme": {"phrase": "staff survey", "comments": 4},
    "Track": {
        "title": "Getting ready to mentor",
        "audience": "mentors",
        "summary": "What reverse mentoring is and how a first conversation goes.",
    },
    "Triage": {"state": "triaged"},
    "Unmatched": {
        "side": "leader",
        "code": "reporting_line",
        "reason": "Every mentor left is in the leader's reporting line.",
    },
    "Waiver": {"requirement": "training:leader", "reason": "Completed the same training in 2025."},
    "Wave": {"side": "mentor", "number": 1},
    "WaveIn": {
        "organisations": [ORGANISATION_SLUG],
        "departments": [],
        "identifiers": [],
        "grade_min": 1,
        "grade_max": 3,
        "limit": None,
        "side": "mentor",
    },
    "WaveResult": {"sent": False, "number": None},
    "Workshop": {
        "title": "Kick-off: how reverse mentoring works",
        "kind": "kickoff",
        "audience": "everyone",
        "minutes": 90,
        "capacity": 40,
        "booked": 14,
        "your_place": None,
        "calendar_url": "https://upward.example.org/workshops/1/calendar.ics",
        "description": "Meet your partner and hear how the year runs.",
    },
    "CohortEventOut": {
        "calendar_url": "https://upward.example.org/cohort/events/1/calendar.ics",
        "sign_up_url": "https://upward.example.org/cohort/events/1/sign-up",
    },
}

# Whole examples for schemas whose generated one would mislead.
BY_HAND: dict[str, Any] = {
    "ErrorOut": {
        "detail": "Some values need attention; nothing was changed.",
        "errors": {"starts_on": ["Input should be a valid date in the format YYYY-MM-DD"]},
    },
}

# The leader's side of an object that shows both people (a pair, a proposed match): the
# example of the person's schema with these values in place of the mentor's.
LEADER_VIEW: dict[str, Any] = {
    "name": LEADER,
    "role": "leader",
    "job_title": "Director of Operations",
    "department": "Operations",
    "grade_level": 6,
    "application_id": 12,
    "email": "jonathan.reyes@example.org",
    "employee_id": "NW000007",
}

# Path and query parameters by name; ``slug`` depends on the path (below), and so does a name
# in PATH_PARAMETERS (the first part of the path that holds the name wins).
PATH_PARAMETERS: list[tuple[str, str, Any]] = [
    ("/applications", "status", "submitted"),
]
PARAMETERS: dict[str, Any] = {
    "side": "mentor",
    "dimension": "ethnicity",
    "q": "Sharma",
    "status": "opened",
    "eligibility": "eligible",
    "kind": "changes",
    "state": "pending",
    "page": 1,
    "page_size": 50,
    "offset": 0,
    "limit": 50,
    "number": 1,
    "version_number": 1,
    "cohort": 1,
}

_DATE = "2027-01-11"
_DATE_TIME = "2027-01-11T09:30:00Z"


def document_examples(schema: dict[str, Any]) -> None:
    """Give every component schema, JSON body, JSON response and parameter an example."""
    components = schema.get("components", {}).get("schemas", {})
    builder = _Builder(components)
    for name in components:
        components[name]["example"] = builder.component(name)
    for path, entries in schema.get("paths", {}).items():
        for operation in entries.values():
            for parameter in operation.get("parameters", []):
                if "example" not in parameter:
                    parameter["example"] = builder.parameter(path, parameter)
            bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
            for body in bodies:
                for media_type, content in body.get("content", {}).items():
                    inline = content.get("schema")
                    if (
                        "json" in media_type
                        and isinstance(inline, dict)
                        and "$ref" not in inline
                        and "example" not in inline
                    ):
                        inline["example"] = builder.value(inline, "", "")


class _Builder:
    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        self.done: dict[str, Any] = {}
        self.making: set[str] = set()

    def component(self, name: str) -> Any:
        if name in self.done:
            return self.done[name]
        schema = self.components[name]
        if name in BY_HAND:
            example = BY_HAND[name]
        elif "example" in schema:
            example = schema["example"]
        elif name in self.making:
            # A schema that holds itself: stop at an empty container.
            return [] if schema.get("type") == "array" else {}
        else:
            self.making.add(name)
            example = self.value(schema, "", name)
            self.making.discard(name)
        self.done[name] = example
        return example

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def parameter(self, path: str, parameter: dict[str, Any]) -> Any:
        name = parameter.get("name", "")
        schema = parameter.get("schema", {})
        if name == "slug":
            wanted: Any = (
                ORGANISATION_SLUG if path.split("{slug}")[0].endswith("/organisations/") else None
            )
            wanted = wanted or PROGRAMME_SLUG
        elif name.endswith("_id"):
            wanted = 1
        else:
            wanted = next(
                (value for part, key, value in PATH_PARAMETERS if key == name and part in path),
                PARAMETERS.get(name, _MISSING),
            )
        if wanted is not _MISSING and self.fits(wanted, schema):
            return wanted
        return self.value(schema, name, "")

    def curated(self, name: str, owner: str) -> Any:
        best = ""
        for start, fields in BY_SCHEMA.items():
            if owner.startswith(start) and name in fields and len(start) > len(best):
                best = start
        if best:
            return BY_SCHEMA[best][name]
        return FIELDS.get(name, _MISSING)

    def value(self, schema: dict[str, Any], name: str, owner: str) -> Any:
        if "$ref" in schema:
            example = self.component(schema["$ref"].rsplit("/", 1)[-1])
            if name == "leader" and isinstance(example, dict):
                seen = {**example, **{k: v for k, v in LEADER_VIEW.items() if k in example}}
                return seen if self.fits(seen, schema) else example
            return example
        if "example" in schema:
            return schema["example"]
        if schema.get("examples"):
            return schema["examples"][0]
        if "const" in schema:
            return schema["const"]
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                wanted = self.curated(name, owner)
                if wanted is not _MISSING and self.fits(wanted, schema):
                    return wanted
                branches = [b for b in schema[keyword] if b.get("type") != "null"]
                return self.value(branches[0], name, owner) if branches else None
        if schema.get("allOf"):
            return self.value(schema["allOf"][0], name, owner)
        wanted = self.curated(name, owner)
        if wanted is not _MISSING and self.fits(wanted, schema):
            return wanted
        if "enum" in schema:
            return next((v for v in schema["enum"] if v not in ("", None)), schema["enum"][0])
        kind = schema.get("type")
        if isinstance(kind, list):
            # "type": ["string", "null"] in OpenAPI 3.1: the first type that is not null.
            kind = next((k for k in kind if k != "null"), "null")
            schema = {**schema, "type": kind}
        if kind == "object" or "properties" in schema:
            return self.object(schema, name, owner)
        if kind == "array":
            return self.array(schema, name, owner, wanted)
        if kind == "string":
            return self.string(schema, name)
        if kind in ("integer", "number"):
            return self.number(schema, name)
        if kind == "boolean":
            return bool(schema.get("default", True))
        if kind == "null":
            return None
        return self.phrase(name) if name else "Reverse Mentoring 2027"

    def object(self, schema: dict[str, Any], name: str, owner: str) -> dict[str, Any]:
        properties = schema.get("properties", {})
        if properties:
            example = {key: self.value(sub, key, owner) for key, sub in properties.items()}
            # A page of a list says how many items it holds.
            if isinstance(example.get("items"), list) and isinstance(example.get("count"), int):
                example["count"] = len(example["items"])
            return example
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict) or schema.get("maxProperties") == 0:
            return {}
        key = {"answers": "3", "identity": "ethnicity", "weights": "topics"}.get(name, "key")
        return {key: self.value(extra, key, owner)}

    def array(self, schema: dict[str, Any], name: str, owner: str, wanted: Any) -> list[Any]:
        items = schema.get("items", {})
        low = schema.get("minItems", 0)
        high = schema.get("maxItems")
        if high == 0:
            return []
        first = wanted[0] if isinstance(wanted, list) and wanted else _MISSING
        item = first if first is not _MISSING and self.fits(first, items) else None
        if item is None:
            item = self.value(items, name, owner)
        return [item] * max(1, low)

    def string(self, schema: dict[str, Any], name: str) -> str:
        form = schema.get("format")
        if form == "date" or name.endswith("_on"):
            text = _DATE
        elif form == "date-time" or name.endswith("_at"):
            text = _DATE_TIME
        elif form == "email" or "email" in name:
            text = "priya.sharma@example.org"
        elif form in ("uri", "url") or name.endswith("_url") or name == "url":
            text = "https://upward.example.org/"
        elif form == "uuid":
            text = "3f9a8c2e-71d4-4b6f-9e0a-5c1d2b7e4f80"
        elif form == "binary":
            text = ""
        else:
            text = self.phrase(name)
        if form in ("date", "date-time"):
            # Bounds on a date (``formatMinimum``/``formatMaximum``): ISO text compares in order.
            earliest, latest = schema.get("formatMinimum"), schema.get("formatMaximum")
            if earliest and text < earliest:
                text = earliest
            if latest and text > latest:
                text = latest
        high = schema.get("maxLength")
        low = schema.get("minLength", 0)
        if high is not None:
            text = text[:high]
        if len(text) < low:
            text = (text or "x") * (low // max(len(text), 1) + 1)
            text = text[: max(low, 1)]
        return text

    def number(self, schema: dict[str, Any], name: str) -> int | float:
        value: float = 1 if name == "id" or name.endswith("_id") else 3
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if low is not None and value <= low:
            value = low if "minimum" in schema else low + 1
        if high is not None and value >= high:
            value = high if "maximum" in schema else high - 1
        return int(value) if schema.get("type") == "integer" else float(value)

    @staticmethod
    def phrase(name: str) -> str:
        return name.replace("_", " ").strip().capitalize() or "Reverse Mentoring 2027"

    def fits(self, value: Any, schema: dict[str, Any]) -> bool:
        """Whether a value from the tables fits a schema: enough to choose, not a validator."""
        schema = self.resolve(schema)
        if "anyOf" in schema or "oneOf" in schema:
            return any(self.fits(value, b) for b in schema.get("anyOf", schema.get("oneOf", [])))
        if "enum" in schema and value not in schema["enum"]:
            return False
        if "const" in schema and value != schema["const"]:
            return False
        kind = schema.get("type")
        checks = {
            "null": value is None,
            "boolean": isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "string": isinstance(value, str),
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
        }
        kinds: list[str] = kind if isinstance(kind, list) else [str(kind)]
        if kind is not None and not any(checks.get(k, False) for k in kinds):
            return False
        if isinstance(value, str):
            return self._fits_string(value, schema)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._fits_number(value, schema)
        if isinstance(value, list):
            items = schema.get("items", {})
            return schema.get("minItems", 0) <= len(value) <= schema.get(
                "maxItems", len(value)
            ) and all(self.fits(item, items) for item in value)
        if isinstance(value, dict):
            return self._fits_object(value, schema)
        return True

    @staticmethod
    def _fits_string(value: str, schema: dict[str, Any]) -> bool:
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        form = schema.get("format")
        try:
            if form == "date":
                day = dt.date.fromisoformat(value)
                low = schema.get("formatMinimum")
                high = schema.get("formatMaximum")
                return not (low and value < low) and not (high and value > high) and bool(day)
            if form == "date-time":
                return bool(dt.datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo)
        except ValueError:
            return False
        if form == "email":
            return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value))
        return True

    @staticmethod
    def _fits_number(value: float, schema: dict[str, Any]) -> bool:
        return (
            schema.get("minimum", value) <= value <= schema.get("maximum", value)
            and ("exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"])
            and ("exclusiveMaximum" not in schema or value < schema["exclusiveMaximum"])
        )

    def _fits_object(self, value: dict[str, Any], schema: dict[str, Any]) -> bool:
        properties = schema.get("properties", {})
        if any(key not in value for key in schema.get("required", [])):
            return False
        if len(value) > schema.get("maxProperties", len(value)):
            return False
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                if not self.fits(item, properties[key]):
                    return False
            elif extra is False or (isinstance(extra, dict) and not self.fits(item, extra)):
                return False
        return True
