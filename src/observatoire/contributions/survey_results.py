"""Results of a satisfaction survey, computed from the stored answers: number of
responses, and per question the count, the mean of the notes (sum of notes / number of
notes) and the distribution."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from observatoire.contributions.models import Question, Response, ResponseItem, Survey
from observatoire.ratio import ratio


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    mean: float | None = None
    distribution: list[tuple[str, int, float]] = field(default_factory=list)  # label, n, share
    texts: list[str] = field(default_factory=list)


def results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    responses = survey.responses.count()
    out = []
    for q in survey.questions.all():
        items = list(ResponseItem.objects.filter(question=q, response__survey=survey))
        r = QuestionResult(q)
        if q.kind == Question.Kind.NOTE:
            notes = [i.note for i in items if i.note is not None]
            r.answered = len(notes)
            r.mean = sum(notes) / len(notes) if notes else None
            r.distribution = _shares([(str(n), notes.count(n)) for n in range(1, 6)], len(notes))
        elif q.kind == Question.Kind.CHOIX:
            chosen = [i.choice for i in items if i.choice]
            r.answered = len(chosen)
            labels = q.choice_list() + sorted({c for c in chosen if c not in q.choice_list()})
            r.distribution = _shares([(c, chosen.count(c)) for c in labels], len(chosen))
        else:
            r.texts = [i.text for i in items if i.text.strip()]
            r.answered = len(r.texts)
        out.append(r)
    return responses, out


def _shares(counts: list[tuple[str, int]], total: int) -> list[tuple[str, int, float]]:
    return [(label, n, ratio(n, total) or 0.0) for label, n in counts]


def save_answers(
    survey: Survey,
    user: object,
    organisation: object,
    answers: dict[int, object],
    is_demo: bool = False,
) -> Response:
    """One response with an item per answered question (`answers`: question id -> note,
    choice or text), in one transaction."""
    questions = {q.pk: q for q in survey.questions.all()}
    with transaction.atomic():
        response = Response.objects.create(
            survey=survey, user=user, organisation=organisation, is_demo=is_demo
        )
        for qid, value in answers.items():
            q = questions[qid]
            if value in (None, ""):
                continue
            item = ResponseItem(response=response, question=q)
            if q.kind == Question.Kind.NOTE:
                item.note = int(value)  # type: ignore[call-overload]
            elif q.kind == Question.Kind.CHOIX:
                item.choice = str(value)
            else:
                item.text = str(value)
            item.save()
    return response
