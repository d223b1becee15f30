"""What organizations do (activities), and what the committee issues (documents, responsibility
lists, reminder letters)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jiguan.fields import BlindIndexField, EncryptedCharField
from members.models import Member, Prospect, Stage
from organizations.models import Organization


class ActivityKind(models.TextChoices):
    """The 活动类型 list of WORKBOOK.md, in its order."""

    GENERAL_MEETING = "GENERAL_MEETING", "支部党员大会"
    COMMITTEE_MEETING = "COMMITTEE_MEETING", "支部委员会"
    GROUP_MEETING = "GROUP_MEETING", "党小组会"
    PARTY_LECTURE = "PARTY_LECTURE", "党课"
    THEME_DAY = "THEME_DAY", "主题党日"
    CENTRAL_GROUP_STUDY = "CENTRAL_GROUP_STUDY", "理论学习中心组学习"
    LIFE_MEETING = "LIFE_MEETING", "组织生活会"
    DEMOCRATIC_REVIEW = "DEMOCRATIC_REVIEW", "民主评议党员"
    COMMITTEE_SESSION = "COMMITTEE_SESSION", "工委会议"
    TRAINING = "TRAINING", "培训"
    VOLUNTEER_SERVICE = "VOLUNTEER_SERVICE", "志愿服务"
    CONDOLENCE_VISIT = "CONDOLENCE_VISIT", "走访慰问"
    OATH = "OATH", "入党宣誓"
    GUIDANCE_VISIT = "GUIDANCE_VISIT", "调研指导"
    OTHER = "OTHER", "其他"


class Topic(models.TextChoices):
    FIRST_TOPIC = "FIRST_TOPIC", "第一议题"
    IDEOLOGY = "IDEOLOGY", "意识形态"
    INTEGRITY = "INTEGRITY", "党风廉政"
    LAW_STUDY = "LAW_STUDY", "学法"
    PARTY_HISTORY = "PARTY_HISTORY", "党史学习教育"


class Activity(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField("活动类型", max_length=24, choices=ActivityKind.choices)
    date = models.DateField("日期")
    title = models.CharField("主题", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    expected_count = models.PositiveIntegerField("应到人数", null=True, blank=True)
    attended_count = models.PositiveIntegerField("实到人数", null=True, blank=True)
    attendees = models.ManyToManyField(Member, verbose_name="参加党员", blank=True, related_name="activities")
    joined_organizations = models.ManyToManyField(
        Organization, verbose_name="联合开展党组织", blank=True, related_name="joined_activities"
    )
    host = models.CharField("主持人", max_length=50, blank=True)
    recorder = models.CharField("记录人", max_length=50, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    volunteer_community = models.CharField("服务社区", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "活动"
        verbose_name_plural = "活动"
        indexes = [
            models.Index(fields=["organization", "date"]),
            # The 三会一课 record counts a subtree's branches' activities by kind and month: found from
            # the organizations (covering), whatever the planner knows of the county's activities.
            models.Index(fields=["organization", "kind", "date"], name="activity_org_kind_date"),
            # A kind's activities of a year (trainings, condolence visits) with their organization
            # and id in the index (PostgreSQL; SQLite ignores INCLUDE): the report reads them without
            # visiting the table (the 10x county's trainings of a year: 117 -> 37 ms).
            models.Index(fields=["kind", "date"], include=["organization", "id"], name="activity_kind_date"),
            models.Index(fields=["date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_count__isnull=True)
                | Q(attended_count__isnull=True)
                | Q(attended_count__lte=F("expected_count")),
                name="attended_not_above_expected",
                violation_error_message="实到人数不能多于应到人数。",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.title}"


class HeldByMonth(models.Model):
    """How many activities of a kind an organization held in each month of a year, and how many
    attended them in the year (实到人数 summed): the activities counted by organization, year and kind,
    kept by activities.held as activities are written. The 三会一课 record reads these rows for its
    required kinds, and the report's numbers of activities read them for the organizations in S all
    year: some 5,000 rows a year at the benchmark's county, where counting the year's activities
    again read 30,000. Derived from the records, never edited."""

    derived_from_records = True  # jiguan.data_version.derived: no new version, not backed up

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("活动类型", max_length=24, choices=ActivityKind.choices)
    m1 = models.PositiveIntegerField("1月", default=0)
    m2 = models.PositiveIntegerField("2月", default=0)
    m3 = models.PositiveIntegerField("3月", default=0)
    m4 = models.PositiveIntegerField("4月", default=0)
    m5 = models.PositiveIntegerField("5月", default=0)
    m6 = models.PositiveIntegerField("6月", default=0)
    m7 = models.PositiveIntegerField("7月", default=0)
    m8 = models.PositiveIntegerField("8月", default=0)
    m9 = models.PositiveIntegerField("9月", default=0)
    m10 = models.PositiveIntegerField("10月", default=0)
    m11 = models.PositiveIntegerField("11月", default=0)
    m12 = models.PositiveIntegerField("12月", default=0)
    # The year's: the twelve months summed, and the activities' 实到人数 summed.
    held = models.PositiveIntegerField("全年次数", default=0)
    attended = models.PositiveIntegerField("实到人次", default=0)

    MONTHS = tuple(f"m{month}" for month in range(1, 13))

    class Meta:
        verbose_name = "各月活动次数"
        verbose_name_plural = "各月活动次数"
        constraints = [
            models.UniqueConstraint(fields=["year", "organization", "kind"], name="held_by_month_unique"),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.year} {self.kind}"


class ActivityTopic(models.Model):
    """One topic (专题) an activity carries; an activity may carry several."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="topics"
    )
    topic = models.CharField("专题", max_length=16, choices=Topic.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "topic"], name="activity_topic_once")]
        indexes = [models.Index(fields=["topic", "activity"])]

    def __str__(self):
        return self.get_topic_display()


def attachment_path(instance, filename):
    return f"activities/{instance.activity.date:%Y/%m}/{instance.activity_id}/{filename}"


class Attachment(models.Model):
    """A photo, a scanned sign-in sheet or a PDF of an activity, stored through Django's storage."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "activity__organization"

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.original_name


class CondolenceVisit(models.Model):
    """A person visited in a 走访慰问 activity and the condolence money given to them (in yuan)."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="condolence_visits"
    )
    person_name = models.CharField("慰问对象", max_length=50)
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, null=True, blank=True)
    # A person outside the roster; with it two visits of one person count once (condolence_persons,
    # through the keyed hash: the number itself is encrypted at rest like every ID number).
    id_number = EncryptedCharField("公民身份号码", max_length=18, blank=True)
    id_number_hash = BlindIndexField("公民身份号码散列", of="id_number")
    amount = models.DecimalField("慰问金（元）", max_digits=10, decimal_places=2, default=0)
    note = models.CharField("情况", max_length=200, blank=True)

    class Meta:
        verbose_name = "走访慰问对象"
        verbose_name_plural = "走访慰问对象"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="condolence_amount_not_negative",
                violation_error_message="慰问金不能为负数。",
            ),
        ]

    def __str__(self):
        return self.person_name


class AbsenceReason(models.TextChoices):
    BUSINESS = "BUSINESS", "因公请假"
    ILLNESS = "ILLNESS", "因病请假"
    PERSONAL = "PERSONAL", "因事请假"
    UNEXCUSED = "UNEXCUSED", "未请假"
    OTHER = "OTHER", "其他"


class Absence(models.Model):
    """A member expected at an activity who did not come, and why (缺席党员及原因). A member is
    absent or among the attendees, never both; 应到 is at least 实到 plus the absent."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="absences"
    )
    member = models.ForeignKey(Member, verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("缺席原因", max_length=16, choices=AbsenceReason.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "缺席党员"
        verbose_name_plural = "缺席党员"
        constraints = [
            models.UniqueConstraint(fields=["activity", "member"], name="absent_once_per_activity")
        ]

    def __str__(self):
        return f"{self.member}（{self.get_reason_display()}）"


class TrainingAttendance(models.Model):
    """Who was trained in a 培训 activity: a prospect (activist or candidate) or a member.

    The stage a trainee was in is not stored: it follows from the dates of their development steps
    and the training's date (members.development.stage_on), so a step corrected later or a training
    moved to another day can never leave a stale stage behind.
    """

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="trainees"
    )
    prospect = models.ForeignKey(
        Prospect,
        verbose_name="发展对象",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, null=True, blank=True, related_name="trainings"
    )
    hours = models.PositiveSmallIntegerField("学时", null=True, blank=True)

    class Meta:
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        constraints = [
            models.CheckConstraint(
                condition=Q(prospect__isnull=False) | Q(member__isnull=False),
                name="trainee_is_someone",
                violation_error_message="请选择参训的发展对象或党员。",
            ),
        ]

    def __str__(self):
        return str(self.prospect or self.member)

    @property
    def stage_then_label(self):
        """The stage on the training's date, where the queryset annotated it (`stage_then`)."""
        stage = getattr(self, "stage_then", None)
        return Stage(stage).label if stage else ""


class DocumentKind(models.TextChoices):
    RESPONSIBILITY_LIST = "RESPONSIBILITY_LIST", "责任清单"
    WORK_POINTS = "WORK_POINTS", "工作要点"
    REGULATION = "REGULATION", "内部制度"
    NOTICE = "NOTICE", "通知"
    REMINDER = "REMINDER", "工作提醒函"
    OTHER = "OTHER", "其他"


def document_path(instance, filename):
    return f"documents/{instance.year}/{filename}"


class Document(models.Model):
    """A document issued by an organization (发文), numbered per GB/T 9704: 党工通〔2021〕12号.

    The number is assigned by activities.services; (prefix, year, serial) is unique in the database,
    so two staff issuing at the same moment cannot both get the same number.
    """

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "issuer"

    issuer = models.ForeignKey(
        Organization, verbose_name="发文单位", on_delete=models.PROTECT, related_name="documents"
    )
    prefix = models.CharField("发文字号", max_length=30, help_text="如：党工通")
    year = models.PositiveSmallIntegerField("年份")
    serial = models.PositiveIntegerField("序号")
    kind = models.CharField("文件类别", max_length=24, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("发文日期")
    file = models.FileField("文件", upload_to=document_path, blank=True, max_length=255)
    revises = models.ForeignKey(
        "self",
        verbose_name="修订的文件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = "文件"
        verbose_name_plural = "文件"
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year", "serial"],
                name="document_number_unique",
                violation_error_message="该文号已被占用。",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "kind", "issued_on"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self):
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


class ListKind(models.TextChoices):
    RESPONSIBILITY = "RESPONSIBILITY", "责任清单"
    WORK_POINTS = "WORK_POINTS", "党建工作要点"


class ResponsibilityList(models.Model):
    """A responsibility list (责任清单) or the year's work points, issued as a document."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "document__issuer"

    document = models.OneToOneField(
        Document, verbose_name="文件", on_delete=models.PROTECT, related_name="responsibility_list"
    )
    kind = models.CharField("清单类别", max_length=16, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField("年度")

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "责任清单"
        verbose_name_plural = "责任清单"

    def __str__(self):
        return self.document.title


class ItemStatus(models.TextChoices):
    OPEN = "OPEN", "未开始"
    IN_PROGRESS = "IN_PROGRESS", "推进中"
    DONE = "DONE", "已完成"


def overdue_q(day, prefix=""):
    """The one rule for an overdue item (逾期) on `day`: its deadline is before `day` (the deadline
    day itself is still in time) and it is not done. `prefix` reaches items through a relation
    ("items__"). Pages show the `is_overdue` the selectors annotate from it."""
    return Q(**{f"{prefix}deadline__lt": day}) & ~Q(**{f"{prefix}status": ItemStatus.DONE})


class ResponsibilityItem(models.Model):
    """An item of a list: the task, who answers for it, by when, and the evidence it is done."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "responsibility_list__document__issuer"

    responsibility_list = models.ForeignKey(
        ResponsibilityList,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name="清单",
    )
    number = models.PositiveSmallIntegerField("序号")
    task = models.CharField("任务", max_length=300)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    responsible_organization = models.ForeignKey(
        Organization,
        verbose_name="责任党组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibility_items",
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    # What the responsible organization says of its progress (推进情况), with the status.
    progress_note = models.TextField("进展情况", max_length=1000, blank=True)
    is_key_task = models.BooleanField("重点任务", default=False)
    evidence_activities = models.ManyToManyField(
        Activity, verbose_name="佐证活动", blank=True, related_name="+"
    )
    evidence_file = models.FileField("佐证材料", upload_to="evidence/%Y/", blank=True, max_length=255)

    class Meta:
        ordering = ["responsibility_list_id", "number"]
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"

    def __str__(self):
        return self.task


class LetterStatus(models.TextChoices):
    DRAFT = "DRAFT", "草稿"
    ISSUED = "ISSUED", "已发出"
    HANDLED = "HANDLED", "已办理"


class ReminderReason(models.TextChoices):
    TERM_EXPIRING = "TERM_EXPIRING", "任期即将届满"
    TERM_OVERDUE = "TERM_OVERDUE", "换届逾期"
    PROBATION_ENDING = "PROBATION_ENDING", "预备期即将届满"
    ACTIVITIES_MISSING = "ACTIVITIES_MISSING", "组织生活缺项"
    ITEMS_OVERDUE = "ITEMS_OVERDUE", "清单事项逾期"
    COMMITMENTS_MISSING = "COMMITMENTS_MISSING", "廉政承诺书未签订"
    OTHER = "OTHER", "其他事项"


DRAFTED_REASONS = (
    ReminderReason.TERM_EXPIRING,
    ReminderReason.TERM_OVERDUE,
    ReminderReason.PROBATION_ENDING,
    ReminderReason.ACTIVITIES_MISSING,
    ReminderReason.ITEMS_OVERDUE,
)


class ReminderLetter(models.Model):
    """A reminder letter (工作提醒函): drafted from what is due or written by hand, reviewed,
    issued, handled."""

    # The organization deciding who may see it (organizations.scoping; the history page).
    scope_path = "addressee"

    sender = models.ForeignKey(
        Organization, verbose_name="发函单位", on_delete=models.PROTECT, related_name="reminder_letters_sent"
    )
    addressee = models.ForeignKey(
        Organization, verbose_name="收函党组织", on_delete=models.PROTECT, related_name="reminder_letters"
    )
    reason = models.CharField("事由", max_length=24, choices=ReminderReason.choices)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    # The letter's date: when it was drafted or written (a letter of the past is entered with its
    # own); the addressee existed that day, and the issue form starts on it.
    written_on = models.DateField("成文日期", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    document = models.OneToOneField(
        Document,
        verbose_name="文件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminder_letter",
    )
    issued_on = models.DateField("发出日期", null=True, blank=True)
    handled_on = models.DateField("办理日期", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
    )
    handling_note = models.CharField("办理情况", max_length=300, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "工作提醒函"
        verbose_name_plural = "工作提醒函"
        constraints = [
            # One draft per addressee and reason the drafting writes (activities.drafting): drafting
            # twice at once must not draft twice. Reasons added for letters written by hand are free.
            models.UniqueConstraint(
                fields=["addressee", "reason"],
                condition=Q(status="DRAFT", reason__in=DRAFTED_REASONS),
                name="one_draft_per_addressee_and_reason",
                violation_error_message="该党组织已有同一事由的提醒函草稿。",
            ),
        ]

    def __str__(self):
        return self.subject


# Evaluations (activities/evaluations/): registered with this app.
from activities.evaluations.models import (  # noqa: E402,F401
    Appraisal,
    AssessmentItem,
    AssessmentScore,
    AssessmentSheet,
    AssessmentTarget,
    MemberGrade,
    SecretaryReport,
)
