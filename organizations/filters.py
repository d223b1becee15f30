import django_filters

from jiguan import dates
from organizations import selectors
from organizations.models import Kind, Organization, Unit

STATE_CHOICES = [("active", "存续"), ("dissolved", "已撤销")]


class OrganizationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="组织名称", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="组织类别", choices=Kind.choices, empty_label="全部")
    unit = django_filters.ModelChoiceFilter(label="所在单位", queryset=Unit.objects.all(), empty_label="全部")
    state = django_filters.ChoiceFilter(
        label="状态", choices=STATE_CHOICES, method="filter_state", empty_label="全部"
    )
    term_state = django_filters.ChoiceFilter(
        label="任期状态", choices=selectors.TermState.CHOICES, method="filter_term_state", empty_label="全部"
    )

    class Meta:
        model = Organization
        fields = ["name", "kind", "unit", "state", "term_state"]

    def filter_state(self, queryset, name, value):
        if value == "active":
            return queryset.filter(dissolved_on__isnull=True)
        if value == "dissolved":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset

    def filter_term_state(self, queryset, name, value):
        return selectors.filter_term_state(queryset.filter(dissolved_on__isnull=True), value, dates.today())
