from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Role(models.TextChoices):
    STAFF = "STAFF", "工委工作人员"
    SECRETARY = "SECRETARY", "党组织书记"
    LEADERSHIP = "LEADERSHIP", "工委领导"


class User(AbstractUser):
    """A person who signs in. The role decides what they may change (jiguan.permissions); a secretary
    sees the organization of their account and those below it (organizations.AccountOrganization,
    organizations.scoping)."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.STAFF)
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="由工作人员设置或重置的密码，本人登录后须先修改"
    )

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_committee_staff(self):
        return self.role == Role.STAFF

    @property
    def is_secretary(self):
        return self.role == Role.SECRETARY

    @property
    def is_leadership(self):
        return self.role == Role.LEADERSHIP

    @property
    def sees_everything(self):
        """Committee staff and leadership see every organization's records; a secretary their subtree
        (organizations.scoping)."""
        return self.role in (Role.STAFF, Role.LEADERSHIP)

    @property
    def can_write(self):
        """Leadership reads everything and changes nothing."""
        return self.role in (Role.STAFF, Role.SECRETARY)

    @property
    def display_name(self):
        return self.full_name or self.username


class SignInThrottle(models.Model):
    """Failed sign-ins counted for one account name or one address (jiguan.services.sign_in_attempt).

    Keyed by the name typed, not by the account, so that a name without an account is counted and
    locked exactly like one with it (the answer tells nothing about which names exist)."""

    ACCOUNT = "account:"
    ADDRESS = "address:"

    key = models.CharField("账号或地址", max_length=200, unique=True)
    failures = models.PositiveIntegerField("失败次数", default=0)
    last_failure_at = models.DateTimeField("最近失败时间", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数"

    def __str__(self):
        return f"{self.key} {self.failures}"


class AuditAction(models.TextChoices):
    CREATE = "CREATE", "新增"
    UPDATE = "UPDATE", "修改"
    DELETE = "DELETE", "删除"


class AuditEntry(models.Model):
    """Who changed which record, when, and which fields from what to what.

    Written only by jiguan.audit from the services; never edited from the app. ID numbers and
    phone numbers are masked before they are stored here.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name="操作人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=8, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name="记录类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("记录编号", max_length=64)
    object_repr = models.CharField("记录", max_length=200)
    changes = models.JSONField("变更内容", default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"


class JobStatus(models.TextChoices):
    QUEUED = "QUEUED", "等待中"
    RUNNING = "RUNNING", "进行中"
    DONE = "DONE", "已完成"
    FAILED = "FAILED", "未完成"


class Job(models.Model):
    """A piece of long work run in the background (jiguan.jobs): who asked for what, when, how it
    went; its files (the upload it read, the file it wrote) are kept for JOB_FILES_DAYS."""

    kind = models.CharField("类型", max_length=40)
    title = models.CharField("内容", max_length=200)
    created_by = models.ForeignKey(
        User, verbose_name="提交人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    arguments = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果数据", null=True, blank=True)
    message = models.CharField("结果", max_length=500, blank=True)
    input_name = models.CharField("上传的文件", max_length=200, blank=True)
    output_name = models.CharField("生成的文件", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
