import datetime

import factory
from django.contrib.auth import get_user_model

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-test-password-1")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 100 + n)


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Working Group {n}")
    short_name = factory.Sequence(lambda n: f"WG{n}")
    slug = factory.Sequence(lambda n: f"wg{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting number {n}")
    short_title = factory.Sequence(lambda n: f"M-{n}")
    body = Meeting.Body.WORKING_GROUP
    start_date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=30 * n))
    end_date = factory.LazyAttribute(lambda m: m.start_date + datetime.timedelta(days=2))
    venue = "Bangkok"


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    position = factory.Sequence(lambda n: 1000 + n)
    title = factory.Sequence(lambda n: f"Generated task number {n}")
    lead_group = factory.SubFactory(WorkingGroupFactory)

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if create and extracted:
            self.articles.set(extracted)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    task = factory.SubFactory(TaskFactory)
    meeting = None
    # The meeting's first day when attached to one (the rule for an update's date), else 1 January 2020.
    reported_on = factory.LazyAttribute(lambda u: (u.meeting and u.meeting.start_date) or datetime.date(2020, 1, 1))
    status = Status.IN_PROGRESS
    narrative = factory.Sequence(lambda n: f"Progress narrative number {n}.")
