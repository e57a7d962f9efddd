"""What meeting documents cite cannot be deleted by accident."""

import pytest
from django.db.models import ProtectedError

from articles.models import Article
from tasks.models import Meeting, WorkingGroup

pytestmark = pytest.mark.django_db


def test_article_cited_by_a_task_cannot_be_deleted(seed):
    with pytest.raises(ProtectedError):
        Article.objects.get(number=8).delete()


def test_meeting_with_updates_cannot_be_deleted(seed):
    with pytest.raises(ProtectedError):
        Meeting.objects.get(short_title="IISG-2").delete()


def test_group_leading_tasks_cannot_be_deleted(seed):
    with pytest.raises(ProtectedError):
        WorkingGroup.objects.get(slug="twg").delete()


def test_uncited_article_can_be_deleted(seed):
    Article.objects.get(number=11).delete()
    assert not Article.objects.filter(number=11).exists()
