import django_filters

from jiguan import dates
from jiguan.dates import add_months
from jiguan.filters import StyledFilterSet, YearFilter
from members.models import Category, Commendation, CommendationKind, Gender, Member, Prospect, Stage, Status
from members.rules import probation_months
from organizations.models import Organization
from organizations.pickers import OrganizationPickerFilter

# label, youngest age, oldest age (inclusive)
AGE_BANDS = {
    "-35": ("35岁及以下", 0, 35),
    "36-45": ("36至45岁", 36, 45),
    "46-55": ("46至55岁", 46, 55),
    "56-60": ("56至60岁", 56, 60),
    "61-": ("61岁及以上", 61, 200),
}
EDUCATIONS = ["研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下"]
PROBATION_STATES = [
    ("IN_PROBATION", "预备期内"),
    ("EXTENDED", "延长预备期"),
    ("DUE", "预备期已满待转正"),
    ("FULL", "已转正"),
]


class _FilterSet(StyledFilterSet):
    """The organization choice limited to what the user may see."""

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.filters["organization"].queryset = organizations


def _subtree(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(organization__in=Organization.objects.subtree_of(value))


def _id_number(queryset, name, value):
    """An exact ID number, however typed (the column is encrypted: found through its keyed hash)."""
    return queryset.matching("id_number", value) if value else queryset


class MemberFilter(_FilterSet):
    name = django_filters.CharFilter(label="姓名", lookup_expr="icontains")
    id_number = django_filters.CharFilter(label="公民身份号码", method=_id_number)
    organization = OrganizationPickerFilter(
        label="党组织（含下级）", queryset=Organization.objects.none(), method=_subtree
    )
    status = django_filters.ChoiceFilter(label="党员类别", choices=Status.choices, empty_label="全部")
    category = django_filters.ChoiceFilter(label="人员类别", choices=Category.choices, empty_label="全部")
    gender = django_filters.ChoiceFilter(label="性别", choices=Gender.choices, empty_label="全部")
    age_band = django_filters.ChoiceFilter(
        label="年龄段",
        choices=[(key, band[0]) for key, band in AGE_BANDS.items()],
        method="filter_age_band",
        empty_label="全部",
    )
    education = django_filters.ChoiceFilter(
        label="学历", choices=[(e, e) for e in EDUCATIONS], empty_label="全部"
    )
    # Everyone on the roster is a member already: their "stage" is where they are in probation.
    # The stages before admission (申请人, 积极分子, 发展对象) filter the prospects list.
    probation = django_filters.ChoiceFilter(
        label="预备期", choices=PROBATION_STATES, method="filter_probation", empty_label="全部"
    )

    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "organization",
            "status",
            "category",
            "gender",
            "age_band",
            "education",
            "probation",
        ]

    def filter_age_band(self, queryset, name, value):
        _, youngest, oldest = AGE_BANDS[value]
        today = dates.today()
        born_after = add_months(today, -12 * (oldest + 1))
        born_on_or_before = add_months(today, -12 * youngest)
        return queryset.filter(birth_date__gt=born_after, birth_date__lte=born_on_or_before)

    def filter_probation(self, queryset, name, value):
        if value == "FULL":
            return queryset.filter(status=Status.FULL)
        probationary = queryset.filter(status=Status.PROBATIONARY)
        if value == "EXTENDED":
            return probationary.filter(probation_extension_months__gt=0)
        # Probation ends on the anniversary of 入党日期 (members.rules.normal_probation_end).
        year_ago = add_months(dates.today(), -probation_months())
        if value == "DUE":
            return probationary.filter(probation_extension_months=0, admitted_on__lte=year_ago)
        return probationary.filter(probation_extension_months=0, admitted_on__gt=year_ago)


class ProspectFilter(_FilterSet):
    name = django_filters.CharFilter(label="姓名", lookup_expr="icontains")
    id_number = django_filters.CharFilter(label="公民身份号码", method=_id_number)
    organization = OrganizationPickerFilter(
        label="党组织（含下级）", queryset=Organization.objects.none(), method=_subtree
    )
    stage = django_filters.ChoiceFilter(label="发展阶段", choices=Stage.choices, empty_label="全部")

    class Meta:
        model = Prospect
        fields = ["name", "id_number", "organization", "stage"]


class CommendationFilter(_FilterSet):
    kind = django_filters.ChoiceFilter(label="表彰类别", choices=CommendationKind.choices, empty_label="全部")
    year = YearFilter(label="年度", field_name="date", lookup_expr="year")
    recommended = django_filters.BooleanFilter(label="向上推荐")

    class Meta:
        model = Commendation
        fields = ["kind", "year", "recommended"]
