"""Issue the editions the road map's own loaders bring: the seed's, and one per generated steering-group meeting."""

from django.dispatch import receiver

from tasks.models import Meeting
from tasks.signals import roadmap_generated, seed_loaded

from .models import Edition, State
from .services import issue_without_clearance

SEED_COMMENT = "The table of the seed document (fixtures/roadmap_2016.json), issued before the tracker existed."
GENERATED_COMMENT = "Generated with the road map (tasks.generation)."


@receiver(seed_loaded)
def issue_seed_editions(sender, **kwargs):
    """Issue the seed's edition (loaded as a draft with the document's lines) as it was issued in 2016."""
    for edition in Edition.objects.filter(state=State.DRAFT).order_by("pk"):
        issue_without_clearance(edition=edition, comment=SEED_COMMENT)


@receiver(roadmap_generated)
def issue_generated_editions(sender, meetings, **kwargs):
    """Issue an edition of the whole table per generated steering-group meeting."""
    for meeting in meetings:
        if meeting.body != Meeting.Body.STEERING_GROUP:
            continue
        number = meeting.short_title.rsplit("-", 1)[-1]
        edition = Edition.objects.create(
            meeting=meeting,
            symbol=f"ESCAP/PTA/IISG({number})/CRP.1",
            distribution=Meeting.Distribution.PARTICIPANTS,
            language_line="English only",
            agenda_item="4",
            document_date=meeting.start_date,
        )
        issue_without_clearance(edition=edition, comment=GENERATED_COMMENT)
