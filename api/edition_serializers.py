"""What the API says of an issued edition: its lines, its states, its files, its frozen rows, a comparison."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from editions.models import FROZEN_STATES, Edition, EditionFile, EditionRow, Step
from tasks.models import Status

from .serializers import GroupSummarySerializer, MeetingSummarySerializer, _absolute


class EditionSummarySerializer(serializers.ModelSerializer):
    """An edition in the list: its lines and links."""

    meeting = MeetingSummarySerializer()
    group = GroupSummarySerializer(allow_null=True)
    state = serializers.ChoiceField(choices=[(state.value, state.label) for state in FROZEN_STATES])
    state_label = serializers.CharField(source="get_state_display")
    articles = serializers.ListField(child=serializers.IntegerField(), source="article_numbers")
    revises = serializers.IntegerField(source="revises_id", allow_null=True)
    self_url = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = ["id", "symbol", "title", "meeting", "group", "articles", "state", "state_label", "issued_at"]
        fields += ["revises", "self_url", "html"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_self_url(self, edition):
        return _absolute(self, reverse("api:edition", kwargs={"pk": edition.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_html(self, edition):
        return _absolute(self, edition.get_absolute_url())


class StepSerializer(serializers.ModelSerializer):
    """A state the edition went through: who took the step (their username) and when."""

    kind = serializers.ChoiceField(choices=Step.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    user = serializers.CharField(source="user.username", allow_null=True, default=None)

    class Meta:
        model = Step
        fields = ["kind", "kind_label", "user", "at", "comment"]


class FileSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EditionFile.Kind.choices)
    download = serializers.SerializerMethodField()

    class Meta:
        model = EditionFile
        fields = ["kind", "filename", "sha256", "size", "download"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, stored):
        return _absolute(self, stored.get_absolute_url())


class RowSerializer(serializers.ModelSerializer):
    """A task's row as the edition printed it."""

    task = serializers.IntegerField(source="task_id", allow_null=True)
    status = serializers.ChoiceField(choices=[("", ""), *Status.choices])
    status_label = serializers.CharField(source="get_status_display")
    articles = serializers.ListField(child=serializers.IntegerField(), source="article_numbers")

    class Meta:
        model = EditionRow
        fields = ["task", "position", "title", "lead_group", "articles", "articles_label", "status"]
        fields += ["status_label", "narrative", "reported_on", "meeting"]


class EditionSerializer(EditionSummarySerializer):
    """An edition with its lines, states (who, when), files (SHA-256, download) and frozen rows."""

    distribution = serializers.CharField()
    steps = StepSerializer(many=True)
    files = FileSerializer(many=True)
    rows = RowSerializer(many=True)

    class Meta(EditionSummarySerializer.Meta):
        fields = [*EditionSummarySerializer.Meta.fields, "distribution", "language_line", "agenda_item"]
        fields += ["agenda_title", "document_date", "introduction", "steps", "files", "rows"]


class ChangeSerializer(serializers.Serializer):
    task = serializers.IntegerField(source="task_id")
    position = serializers.IntegerField()
    title = serializers.CharField()
    added = serializers.BooleanField()
    removed = serializers.BooleanField()
    status_changed = serializers.BooleanField()
    narrative_changed = serializers.BooleanField()
    old_status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    new_status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    old_narrative = serializers.CharField(allow_blank=True)
    new_narrative = serializers.CharField(allow_blank=True)


class CountsSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    status_changed = serializers.IntegerField()
    narrative_changed = serializers.IntegerField()
    changed = serializers.IntegerField()
    finished = serializers.IntegerField()


class ComparisonSerializer(serializers.Serializer):
    """``compare(side(old), side(new))`` as the /editions/compare/ page shows it."""

    old = serializers.SerializerMethodField()
    new = serializers.SerializerMethodField()
    counts = CountsSerializer()
    total = serializers.IntegerField()
    truncated = serializers.BooleanField()
    changes = ChangeSerializer(many=True)

    @extend_schema_field(serializers.IntegerField())
    def get_old(self, comparison):
        return comparison["old"].edition.pk

    @extend_schema_field(serializers.CharField())
    def get_new(self, comparison):
        """The newer edition's id, as a text, or "live"."""
        found = comparison["new"]
        return str(found.edition.pk) if found.edition else found.label
