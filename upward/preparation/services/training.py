"""Training tracks and modules: the coordinator's edits and each person's progress."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from upward.accounts.permissions import can_coordinate
from upward.pairs.models import Pair
from upward.programmes.models import Programme

from .. import defaults, gate
from ..content import check_upload
from ..errors import PreparationRuleBroken, VersionConflict
from ..models import Audience, CheckQuestion, Module, ModuleCompletion, PreparationSettings, Track
from .activation import pairs_activate_ready


def _coordinator(programme: Programme, by: Any) -> None:
    if not can_coordinate(by, programme):
        raise PreparationRuleBroken("Only the programme's coordinators can change its training.")


def _checked(model: Any, pk: int, version: int | None, what: str) -> Any:
    current = model.objects.select_for_update().get(pk=pk)
    if version is None:
        raise PreparationRuleBroken(
            f"Reload the page: the version of the {what} you saw is missing."
        )
    if current.version != version:
        raise VersionConflict(what, current.version)
    return current


def track_save(
    *,
    programme: Programme,
    by: Any,
    title: str,
    audience: str,
    summary: str = "",
    required: bool = True,
    track: Track | None = None,
    version: int | None = None,
) -> Track:
    """Add a track, or change one (with the version the coordinator saw)."""
    _coordinator(programme, by)
    title = title.strip()
    if not title or len(title) > 200:
        raise PreparationRuleBroken("Give the track a title of at most 200 characters.")
    if audience not in Audience.values:
        raise PreparationRuleBroken("Choose who the track is for: mentors, leaders or everyone.")
    with transaction.atomic():
        if track is None:
            order = Track.objects.filter(programme=programme).count()
            return Track.objects.create(
                programme=programme,
                title=title,
                audience=audience,
                summary=summary,
                required=required,
                order=order,
            )
        current = _checked(Track, track.pk, version, "track")
        current.title, current.audience, current.summary, current.required = (
            title,
            audience,
            summary,
            required,
        )
        current.version += 1
        current.save(update_fields=["title", "audience", "summary", "required", "version"])
    return current  # type: ignore[no-any-return]


def parse_questions(text: str) -> list[tuple[str, list[str], int]]:
    """Knowledge-check questions typed as blocks separated by a blank line: the question on
    the first line, then one choice per line starting with '-', the right one with '*'."""
    questions = []
    for n, block in enumerate(b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        prompt, rest = lines[0], lines[1:]
        choices: list[str] = []
        answer = -1
        for line in rest:
            if line[:1] not in "-*":
                raise PreparationRuleBroken(
                    f"Question {n + 1}: start each choice with '-', and the right one with '*'."
                )
            if line[0] == "*":
                if answer >= 0:
                    raise PreparationRuleBroken(f"Question {n + 1}: mark only one right answer.")
                answer = len(choices)
            choices.append(line[1:].strip()[:300])
        if len(choices) < 2 or answer < 0:
            raise PreparationRuleBroken(
                f"Question {n + 1} needs at least two choices, one marked right with '*'."
            )
        questions.append((prompt[:500], choices, answer))
    if len(questions) > 20:
        raise PreparationRuleBroken("A knowledge check has at most 20 questions.")
    return questions


def questions_text(module: Module) -> str:
    blocks = []
    for q in module.questions.all():
        lines = [q.prompt] + [
            ("* " if i == q.answer else "- ") + choice for i, choice in enumerate(q.choices)
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def module_save(
    *,
    track: Track,
    by: Any,
    title: str,
    body: str = "",
    link_url: str = "",
    link_label: str = "",
    pass_mark: int | None = None,
    questions: str | None = None,
    upload: UploadedFile | None = None,
    remove_attachment: bool = False,
    module: Module | None = None,
    version: int | None = None,
) -> Module:
    """Add or change a module: text, a link, a file, and an optional knowledge check."""
    _coordinator(track.programme, by)
    title = title.strip()
    if not title or len(title) > 200:
        raise PreparationRuleBroken("Give the module a title of at most 200 characters.")
    if len(body) > 20000:
        raise PreparationRuleBroken("Keep the module's text under 20,000 characters.")
    if pass_mark is not None and not 1 <= pass_mark <= 100:
        raise PreparationRuleBroken("The pass mark is a percentage between 1 and 100.")
    if link_url and not link_url.startswith(("https://", "http://")):
        raise PreparationRuleBroken("A link starts with https:// or http://.")
    parsed = parse_questions(questions) if questions is not None else None
    if pass_mark is not None and parsed == []:
        raise PreparationRuleBroken("A pass mark needs at least one knowledge-check question.")
    content_type = check_upload(upload) if upload is not None else None
    with transaction.atomic():
        if module is None:
            current = Module(track=track, order=track.modules.count())
        else:
            current = _checked(Module, module.pk, version, "module")
            current.version += 1
        current.title, current.body = title, body
        current.link_url, current.link_label = link_url, link_label.strip()[:200]
        current.pass_mark = pass_mark
        if remove_attachment and current.attachment:
            current.attachment.delete(save=False)
            current.attachment_name = ""
        if upload is not None and content_type:
            if current.attachment:
                current.attachment.delete(save=False)
            current.attachment_name = (upload.name or "file")[:200]
            current.attachment.save(upload.name or "file", upload, save=False)
        current.save()
        if parsed is not None:
            current.questions.all().delete()
            CheckQuestion.objects.bulk_create(
                CheckQuestion(module=current, order=i, prompt=p, choices=c, answer=a)
                for i, (p, c, a) in enumerate(parsed)
            )
    return current


def may_take(user: Any, module: Module) -> bool:
    """A person takes the modules of their programme's tracks for their audience."""
    track = module.track
    pairs = Pair.objects.filter(programme_id=track.programme_id).filter(
        Q(leader__user=user) | Q(mentor__user=user)
    )
    for pair in pairs.select_related("leader", "mentor"):
        side = pair.side_of(user)
        if side and track.audience in gate.audiences_for(side, pair.reciprocal):
            return True
    return False


def module_complete(
    *, module: Module, user: Any, answers: dict[int, int] | None = None, base_url: str = ""
) -> ModuleCompletion:
    """Mark a module done; with a knowledge check, only when the answers reach the pass mark."""
    if not may_take(user, module):
        raise PreparationRuleBroken("This module is not part of your training.")
    questions = list(module.questions.all())
    score = None
    if questions:
        answers = answers or {}
        missing = [i + 1 for i, q in enumerate(questions) if q.pk not in answers]
        if missing:
            raise PreparationRuleBroken(
                "Answer every question of the check (missing: "
                + ", ".join(str(n) for n in missing)
                + ")."
            )
        right = sum(1 for q in questions if answers.get(q.pk) == q.answer)
        score = round(100 * right / len(questions))
        mark = module.pass_mark or 0
        if score < mark:
            raise PreparationRuleBroken(
                f"You got {right} of {len(questions)} right ({score}%); the pass mark is {mark}%. "
                "Read the module again and have another go."
            )
    with transaction.atomic():
        done, created = ModuleCompletion.objects.get_or_create(
            module=module, user=user, defaults={"score": score}
        )
        if not created:
            raise PreparationRuleBroken("You have already finished this module.")
        pairs = Pair.objects.filter(programme_id=module.track.programme_id).filter(
            Q(leader__user=user) | Q(mentor__user=user)
        )
        pairs_activate_ready(pairs=list(pairs), by=None, base_url=base_url)
    return done


def default_tracks_add(*, programme: Programme, by: Any) -> list[Track]:
    """Add the ready-made tracks for a reverse-mentoring programme (the coordinator edits them
    afterwards). Refused when the programme already has tracks of the same titles."""
    _coordinator(programme, by)
    with transaction.atomic():
        existing = set(Track.objects.filter(programme=programme).values_list("title", flat=True))
        tracks: list[Track] = []
        for spec in defaults.TRACKS:
            if spec["title"] in existing:
                continue
            track = Track.objects.create(
                programme=programme,
                title=spec["title"],
                audience=spec["audience"],
                summary=spec["summary"],
                order=len(existing) + len(tracks),
            )
            for i, m in enumerate(spec["modules"]):
                module = Module.objects.create(
                    track=track,
                    order=i,
                    title=m["title"],
                    body=m["body"],
                    pass_mark=m.get("pass_mark"),
                )
                for j, (prompt, choices, answer) in enumerate(m.get("questions", [])):
                    CheckQuestion.objects.create(
                        module=module, order=j, prompt=prompt, choices=choices, answer=answer
                    )
            tracks.append(track)
        if not tracks:
            raise PreparationRuleBroken("The ready-made tracks are already in this programme.")
    return tracks


def preparation_settings_save(
    *, programme: Programme, by: Any, reminder_every_days: int
) -> PreparationSettings:
    _coordinator(programme, by)
    if not 1 <= reminder_every_days <= 60:
        raise PreparationRuleBroken("Reminders go at most once every 1 to 60 days.")
    settings, _ = PreparationSettings.objects.update_or_create(
        programme=programme, defaults={"reminder_every_days": reminder_every_days}
    )
    return settings
