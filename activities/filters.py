import django_filters

from activities.models import (
    ActivityKind,
    ActivityTopic,
    Document,
    DocumentKind,
    LetterStatus,
    ReminderReason,
    Topic,
)
from jiguan.filters import StyledFilterSet, YearFilter
from jiguan.forms import DateInput
from organizations.models import Organization
from organizations.pickers import OrganizationPickerFilter


class ActivityFilter(StyledFilterSet):
    """Organization (with everything below it), kind, topic, date range, words of the title."""

    organization = OrganizationPickerFilter(
        label="党组织（含下级）", queryset=Organization.objects.none(), method="filter_subtree"
    )
    kind = django_filters.ChoiceFilter(label="活动类型", choices=ActivityKind.choices, empty_label="全部")
    topic = django_filters.ChoiceFilter(
        label="专题", choices=Topic.choices, method="filter_topic", empty_label="全部"
    )
    date_from = django_filters.DateFilter(
        label="起始日期", field_name="date", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label="截止日期", field_name="date", lookup_expr="lte", widget=DateInput()
    )
    title = django_filters.CharFilter(label="主题", lookup_expr="icontains")

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organization"].queryset = organizations

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(organization__in=Organization.objects.subtree_of(value))

    def filter_topic(self, queryset, name, value):
        return queryset.filter(pk__in=ActivityTopic.objects.filter(topic=value).values("activity_id"))


class DocumentFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label="文件类别", choices=DocumentKind.choices, empty_label="全部")
    year = YearFilter(label="年份")
    title = django_filters.CharFilter(label="标题", lookup_expr="icontains")

    class Meta:
        model = Document
        fields = ["kind", "year", "title"]


class LetterFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=LetterStatus.choices, empty_label="全部")
    reason = django_filters.ChoiceFilter(label="事由", choices=ReminderReason.choices, empty_label="全部")
