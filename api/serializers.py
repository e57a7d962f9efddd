"""What the API says of each record: plain values, ids and slugs, and links to the pages and resources."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup


def _absolute(serializer, path):
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class GroupSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkingGroup
        fields = ["slug", "short_name", "name"]


class MeetingSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "short_title"]


class LastUpdateSerializer(serializers.ModelSerializer):
    meeting = MeetingSummarySerializer(allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "reported_on", "meeting"]


class TaskLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    html = serializers.URLField()
    updates = serializers.URLField()


class TaskSerializer(serializers.ModelSerializer):
    """A task as the status table shows it: in an edition (``?meeting=``), the update standing then."""

    lead_group = GroupSummarySerializer(allow_null=True)
    articles = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    narrative = serializers.SerializerMethodField()
    last_update = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "position",
            "title",
            "description",
            "lead_group",
            "articles",
            "status",
            "status_label",
            "narrative",
            "last_update",
            "links",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_articles(self, task):
        return [article.number for article in task.articles.all()]

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices, allow_null=True))
    def get_status(self, task):
        return task.entry.status if task.entry else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status_label(self, task):
        return task.entry.get_status_display() if task.entry else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_narrative(self, task):
        return task.entry.narrative if task.entry else None

    @extend_schema_field(LastUpdateSerializer(allow_null=True))
    def get_last_update(self, task):
        return LastUpdateSerializer(task.entry).data if task.entry else None

    @extend_schema_field(TaskLinksSerializer)
    def get_links(self, task):
        return {
            "self": _absolute(self, reverse("api:task", kwargs={"pk": task.pk})),
            "html": _absolute(self, task.get_absolute_url()),
            "updates": _absolute(self, reverse("api:task-updates", kwargs={"pk": task.pk})),
        }


class UpdateSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id")
    task_position = serializers.IntegerField(source="task.position")
    status_label = serializers.CharField(source="get_status_display")
    meeting = MeetingSummarySerializer(allow_null=True)
    recorded_at = serializers.DateTimeField(source="created_at")
    html = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "task", "task_position", "status", "status_label", "narrative", "reported_on", "meeting"]
        fields += ["recorded_at", "html"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, update):
        return _absolute(self, f"{reverse('tasks:detail', kwargs={'pk': update.task_id})}#update-{update.pk}")


class ArticleSerializer(serializers.ModelSerializer):
    label = serializers.CharField()
    tasks = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["number", "title", "summary", "label", "tasks", "html"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_tasks(self, article):
        return _absolute(self, f"{reverse('api:tasks')}?article={article.number}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, article):
        return _absolute(self, article.get_absolute_url())


class GroupSerializer(serializers.ModelSerializer):
    tasks = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = ["slug", "short_name", "name", "description", "tasks", "html"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_tasks(self, group):
        return _absolute(self, f"{reverse('api:tasks')}?group={group.slug}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, group):
        return _absolute(self, group.get_absolute_url())


class MeetingSerializer(serializers.ModelSerializer):
    edition = serializers.SerializerMethodField()
    updates = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "title", "short_title", "body", "start_date", "end_date", "venue"]
        fields += ["edition", "updates", "html"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_edition(self, meeting):
        """The tasks as they stood at the meeting, when it has a date to stand on."""
        if meeting.edition_date is None:
            return None
        return _absolute(self, f"{reverse('api:tasks')}?meeting={meeting.pk}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_updates(self, meeting):
        return _absolute(self, f"{reverse('api:updates')}?meeting={meeting.pk}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, meeting):
        return _absolute(self, meeting.get_absolute_url())
