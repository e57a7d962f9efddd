"""An edition's life: prepare, submit, clear (or send back), issue, revise. Each step in one transaction.

Every step locks the edition (``select_for_update``) and checks its state after the lock, so of
two people taking the same step at once one succeeds and the other gets an EditionError saying
what happened. The permissions (editions.permissions) are checked here, whatever the caller.
"""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .documents import EditionScope, article_key, articles_label, live_rows, render, sha256
from .models import Edition, EditionFile, EditionRow, State, Step
from .permissions import may_clear, may_issue, may_prepare

BATCH_SIZE = 2000
REVISION = re.compile(r"/Rev\.(\d+)$")


class EditionError(Exception):
    """A step that cannot be taken; the message says why. Nothing was changed."""


def _locked(edition, expected):
    """Return the edition locked for this transaction, refusing it unless it is in one of ``expected``."""
    locked = Edition.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=edition.pk)
    if locked.state not in expected:
        last = locked.steps.select_related("user").last()
        by = (
            f" ({last.get_kind_display().lower()} by {last.user or _('the system')}, {last.at:%Y-%m-%d %H:%M} UTC)"
            if last
            else ""
        )
        raise EditionError(
            _("This edition is now %(state)s%(by)s: the step was not taken.")
            % {"state": locked.get_state_display().lower(), "by": by}
        )
    return locked


def _step(edition, kind, user, comment=""):
    return Step.objects.create(edition=edition, kind=kind, user=user, comment=comment)


def _move(edition, expected, new_state, **fields):
    """Set the state (compare-and-set: the row must still be in ``expected``)."""
    moved = Edition.objects.filter(pk=edition.pk, state__in=expected).update(state=new_state, **fields)
    if not moved:
        raise EditionError(_("Someone else changed this edition at the same time: the step was not taken."))
    edition.state = new_state
    for name, value in fields.items():
        setattr(edition, name, value)


def record_created(*, edition, user):
    """Record who prepared a new draft (the admin saves it; this notes the step)."""
    if user is not None and not may_prepare(user, edition):
        raise EditionError(_("You may not prepare this edition."))
    _step(edition, Step.Kind.CREATED, user)


def submit_edition(*, edition, user, comment=""):
    """Submit a draft for clearance."""
    with transaction.atomic():
        edition = _locked(edition, [State.DRAFT])
        if not may_prepare(user, edition):
            raise EditionError(_("You may not submit this edition."))
        _move(edition, [State.DRAFT], State.SUBMITTED)
        _step(edition, Step.Kind.SUBMITTED, user, comment)
    return edition


def _submitter(edition):
    step = edition.steps.filter(kind=Step.Kind.SUBMITTED).order_by("-at", "-pk").first()
    return step.user_id if step else None


def clear_edition(*, edition, user, comment=""):
    """Clear a submitted edition: someone other than who submitted it, unless ROADMAP_EDITION_FOUR_EYES is off."""
    with transaction.atomic():
        edition = _locked(edition, [State.SUBMITTED])
        if not may_clear(user):
            raise EditionError(_("You may not clear editions."))
        if settings.ROADMAP_EDITION_FOUR_EYES and _submitter(edition) == user.pk:
            raise EditionError(_("You submitted this edition: someone else must clear it (four eyes)."))
        _move(edition, [State.SUBMITTED], State.CLEARED)
        _step(edition, Step.Kind.CLEARED, user, comment)
    return edition


def send_back_edition(*, edition, user, reason):
    """Return a submitted or cleared edition to draft, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise EditionError(_("Say why the edition is sent back."))
    with transaction.atomic():
        edition = _locked(edition, [State.SUBMITTED, State.CLEARED])
        if not (may_clear(user) or may_issue(user)):
            raise EditionError(_("You may not send editions back."))
        _move(edition, [State.SUBMITTED, State.CLEARED], State.DRAFT)
        _step(edition, Step.Kind.SENT_BACK, user, reason)
    return edition


def _freeze_rows(edition):
    batch = []
    for values in live_rows(edition):
        numbers = values.pop("articles")
        batch.append(
            EditionRow(
                edition=edition, articles_label=articles_label(numbers), article_key=article_key(numbers), **values
            )
        )
        if len(batch) >= BATCH_SIZE:
            EditionRow.objects.bulk_create(batch)
            batch = []
    EditionRow.objects.bulk_create(batch)


def _store_files(edition):
    scope = EditionScope(edition)
    files = []
    for kind in (EditionFile.Kind.DOCX, EditionFile.Kind.XLSX):
        content = render(scope, kind)
        files.append(
            EditionFile(
                edition=edition,
                kind=kind,
                filename=scope.filename(kind),
                content=content,
                sha256=sha256(content),
                size=len(content),
            )
        )
    EditionFile.objects.bulk_create(files)


def _issue(edition, user, comment):
    """Freeze the rows, store the files, mark it issued and the edition it revises superseded."""
    if edition.as_at is None:
        raise EditionError(_("The meeting has no dates and the edition no document date: the table has no date."))
    _freeze_rows(edition)
    _store_files(edition)
    _move(edition, [State.CLEARED, State.DRAFT], State.ISSUED, issued_at=timezone.now())
    _step(edition, Step.Kind.ISSUED, user, comment)
    if edition.revises_id:
        Edition.objects.filter(pk=edition.revises_id, state=State.ISSUED).update(state=State.SUPERSEDED)
        _step(edition.revises, Step.Kind.SUPERSEDED, user, _("Superseded by %(edition)s.") % {"edition": edition})


def issue_edition(*, edition, user, comment=""):
    """Issue a cleared edition: freeze its rows, render and store its files with their SHA-256."""
    with transaction.atomic():
        edition = _locked(edition, [State.CLEARED])
        if not may_issue(user):
            raise EditionError(_("You may not issue editions."))
        _issue(edition, user, comment)
    return edition


def issue_without_clearance(*, edition, comment):
    """Issue an edition recorded before the tracker existed (the seed's): no one to clear it, no user."""
    with transaction.atomic():
        edition = _locked(edition, [State.DRAFT])
        _issue(edition, None, comment)
    return edition


def revised_symbol(symbol, number):
    """Return the symbol of revision ``number``: ".../CRP.1" -> ".../CRP.1/Rev.1" ("" stays "")."""
    if not symbol:
        return ""
    return f"{REVISION.sub('', symbol)}/Rev.{number}"


LINES = (
    "meeting_id",
    "title",
    "distribution",
    "language_line",
    "agenda_item",
    "agenda_title",
    "introduction",
    "group_id",
    "articles",
)


def revise_edition(*, edition, user):
    """Start a draft revising an issued edition: the same lines, the symbol's next revision suffix."""
    with transaction.atomic():
        edition = _locked(edition, [State.ISSUED])
        if not may_prepare(user, edition):
            raise EditionError(_("You may not prepare a revision of this edition."))
        open_revision = edition.revisions.exclude(state__in=[State.ISSUED, State.SUPERSEDED]).first()
        if open_revision is not None:
            raise EditionError(
                _("A revision of this edition is already being prepared: %(revision)s.") % {"revision": open_revision}
            )
        number = 1 + Edition.objects.filter(pk__in=_chain(edition)).exclude(pk=edition.pk).count()
        symbol = revised_symbol(edition.symbol, number)
        if symbol and Edition.objects.filter(symbol=symbol).exists():
            raise EditionError(_("An edition with the symbol %(symbol)s already exists.") % {"symbol": symbol})
        draft = Edition.objects.create(
            **{name: getattr(edition, name) for name in LINES},
            symbol=symbol,
            document_date=timezone.localdate(),
            revises=edition,
            created_by=user,
        )
        _step(draft, Step.Kind.CREATED, user, _("Revision of %(edition)s.") % {"edition": edition})
    return draft


def _chain(edition):
    """Return the ids of the edition and every edition it revises, back to the first."""
    ids = []
    while edition is not None:
        ids.append(edition.pk)
        edition = edition.revises
    return ids
