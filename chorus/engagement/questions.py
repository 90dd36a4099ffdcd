"""Open questions: a published post marked as a question, its answers from every channel's
inbox on one board, grouped by similar answers, and the best ones quoted back in a new post.

Grouping, plainly: each answer becomes a set of words (lower case, accents removed, common
English and French words and words under three letters left out). Answers are taken in the
order they arrived; each joins the group whose first answer shares the most words with it, if
the words they share are at least half of the shorter one's (overlap coefficient >= 0.5: short
answers are the norm, and "latte art!" belongs with "a latte art workshop"); otherwise it
starts a new group. Identical answers always land together. Sentiment is the classifier's,
read when the inbox received the answer (``Message.sentiment``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.engagement.models.polls import Question, StarredAnswer
from chorus.engagement.poll_tallies import normalised
from chorus.inbox.models import Direction, Message
from chorus.publishing.models import Post, State
from chorus.publishing.services import create_post
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can, membership_of

SIMILAR = 0.5
STOPWORDS = frozenset(
    "the and for with that this you your are was but not have has our from they them its "
    "les des une est pas pour que qui avec dans sur par plus mais vous nous ils elle son "
    "ses aux ces cette tout tres suis sont comment fait oui non".split()
)


class QuestionRefused(Exception):
    """A request on a question that cannot be done; the message is for the person."""


@dataclass
class AnswerGroup:
    seed: frozenset[str]
    answers: list[Message] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """The words the group's answers share most, to name it."""
        counted = Counter(word for answer in self.answers for word in words_of(answer.text))
        ranked = sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))
        return [word for word, _ in ranked[:3]]


def mark_as_question(post: Post, by: User) -> Question:
    _must_run_engagement(post.workspace, by)
    if not post.targets.filter(state=State.PUBLISHED).exists():
        raise QuestionRefused(_("Only a published post can gather answers."))
    question, _created = Question.objects.get_or_create(
        post=post, defaults={"workspace": post.workspace, "created_by": by}
    )
    return question


def questionable_posts(workspace: Workspace) -> QuerySet[Post]:
    """Published posts not yet marked as questions, newest first."""
    return (
        Post.objects.filter(workspace=workspace, deleted_at__isnull=True, question__isnull=True)
        .filter(targets__state=State.PUBLISHED)
        .distinct()
        .order_by("-created_at")
    )


def answers_to(question: Question) -> QuerySet[Message]:
    """Incoming replies, on every channel, to the question's published variants."""
    replies = Q(pk__in=[])
    for channel_id, remote_id in question.post.targets.filter(
        state=State.PUBLISHED, workspace=question.workspace
    ).values_list("channel_id", "remote_id"):
        if remote_id:
            replies |= Q(channel_id=channel_id) & (
                Q(in_reply_to=remote_id) | Q(conversation__remote_id=remote_id)
            )
    return (
        Message.objects.filter(replies, workspace=question.workspace)
        .filter(direction=Direction.INCOMING, deleted=False, hidden=False)
        .select_related("author", "channel")
        .order_by("created_at", "pk")
    )


def words_of(text: str) -> frozenset[str]:
    return frozenset(w for w in normalised(text).split() if len(w) >= 3 and w not in STOPWORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over the shorter answer's words (two answers without words are alike)."""
    shorter = min(len(a), len(b))
    return len(a & b) / shorter if shorter else float(a == b)


def grouped(answers: list[Message]) -> list[AnswerGroup]:
    """Answers grouped by shared words (see the module), the largest groups first."""
    groups: list[AnswerGroup] = []
    for answer in answers:
        words = words_of(answer.text)
        best = max(groups, key=lambda g: similarity(words, g.seed), default=None)
        if best is not None and similarity(words, best.seed) >= SIMILAR:
            best.answers.append(answer)
        else:
            groups.append(AnswerGroup(seed=words, answers=[answer]))
    return sorted(groups, key=lambda group: -len(group.answers))


def starred_ids(question: Question) -> set[int]:
    return set(question.stars.values_list("message_id", flat=True))


@transaction.atomic
def star(question: Question, message_id: int, by: User) -> None:
    _must_run_engagement(question.workspace, by)
    message = answers_to(question).filter(pk=message_id).first()
    if message is None:
        raise QuestionRefused(_("This is not an answer to the question."))
    try:
        with transaction.atomic():
            StarredAnswer.objects.create(
                workspace=question.workspace, question=question, message=message, starred_by=by
            )
    except IntegrityError:
        pass  # starred already: starring twice is the same star


def unstar(question: Question, message_id: int, by: User) -> None:
    _must_run_engagement(question.workspace, by)
    question.stars.filter(message_id=message_id).delete()


@transaction.atomic
def draft_quote_post(question: Question, by: User) -> Post:
    """A draft on the question's channels quoting the starred answers with their authors'
    handles, for the person to edit and publish through the composer."""
    _must_run_engagement(question.workspace, by)
    stars = list(question.stars.select_related("message__author"))
    if not stars:
        raise QuestionRefused(_("Star at least one answer to quote."))
    lines = [_("You answered our question, here are some of your words:"), ""]
    for starred in stars:
        author = starred.message.author
        who = (author.handle or author.display_name) if author else ""
        lines.append(f"“{starred.message.text.strip()}” — {who}".rstrip(" —"))
    channels = [target.channel for target in question.post.targets.select_related("channel")]
    post = create_post(question.workspace, by, "\n".join(lines), channels)
    Question.objects.filter(pk=question.pk).update(quote_post=post)
    return post


def _must_run_engagement(workspace: Workspace, by: User) -> None:
    if not can(membership_of(by, workspace), Permission.RUN_CONTESTS):
        raise QuestionRefused(_("You cannot run questions in this workspace."))
