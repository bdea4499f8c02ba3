"""Agencies, their manuals, the editions of a manual and the edition-wide content."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EditionContent, EditionFrozenError, Positioned
from core.thai import thai_digits, ui_digits

REVIEW_CYCLE_YEARS = 3


class Agency(models.Model):
    """A unit of the BMA: สำนัก / สำนักงานเขต → กอง / สำนักงาน / ส่วน → ฝ่าย / กลุ่มงาน / ศูนย์."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("สำนัก")
        DISTRICT = "district", _("สำนักงานเขต")
        DIVISION = "division", _("กอง")
        OFFICE = "office", _("สำนักงาน")
        SECTION = "section", _("ส่วน")
        SUBDIVISION = "subdivision", _("ฝ่าย")
        GROUP = "group", _("กลุ่มงาน")
        CENTER = "center", _("ศูนย์")

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    short_name = models.CharField(_("ชื่อย่อ"), max_length=40, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("สังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="agency_unique_name_per_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="agency_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Ids of this agency and every agency above it (a few queries; trees are shallow)."""
        ids, node = [], self
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids


class Membership(models.Model):
    """A user's role in an agency; an editor of an agency also edits its sub-units' manuals."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("ผู้จัดทำ")
        REVIEWER = "reviewer", _("ผู้ตรวจสอบ")
        APPROVER = "approver", _("ผู้อนุมัติ")
        ADMIN = "admin", _("ผู้ดูแลระบบ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("หน่วยงาน"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("สมาชิกหน่วยงาน")
        verbose_name_plural = _("สมาชิกหน่วยงาน")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class Manual(models.Model):
    """The work manual of one agency; its content lives in editions."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("หน่วยงานเจ้าของ"), on_delete=models.PROTECT, related_name="manuals"
    )
    slug = models.SlugField(_("รหัสคู่มือ"), max_length=80, unique=True)
    title = models.CharField(_("ชื่อคู่มือ"), max_length=200, default="คู่มือการปฏิบัติงาน")

    class Meta:
        verbose_name = _("คู่มือ")
        verbose_name_plural = _("คู่มือ")
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"{self.title} {self.agency.name}"

    def get_absolute_url(self) -> str:
        return reverse("manuals:manual", kwargs={"slug": self.slug})


class ChartLaneMode(models.TextChoices):
    """Which actors a manual's Table 4 charts draw as lanes."""

    UNIT = "unit", _("หน่วยงาน (ตำแหน่งอยู่ในช่องของหน่วยงานที่สังกัด)")
    POSITION = "position", _("ตำแหน่ง (หนึ่งช่องต่อผู้ปฏิบัติ)")


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Edition.Status.PUBLISHED)

    def open(self):
        return self.filter(status__in=Edition.Status.open_values())


class Edition(models.Model):
    """One edition (ฉบับ) of a manual: the unit of review, approval and publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("ฉบับร่าง")
        SUBMITTED = "submitted", _("ส่งตรวจสอบแล้ว")
        CHANGES_REQUESTED = "changes_requested", _("ขอให้แก้ไข")
        APPROVED = "approved", _("อนุมัติแล้ว")
        PUBLISHED = "published", _("เผยแพร่แล้ว")
        SUPERSEDED = "superseded", _("ถูกแทนที่แล้ว")

        @classmethod
        def open_values(cls) -> list[str]:
            """States of the one edition per manual that is still being worked on."""
            return [cls.DRAFT, cls.SUBMITTED, cls.CHANGES_REQUESTED]

        @classmethod
        def frozen_values(cls) -> list[str]:
            """States whose content can never change again."""
            return [cls.APPROVED, cls.PUBLISHED, cls.SUPERSEDED]

        @classmethod
        def editable_values(cls) -> list[str]:
            """States in which the unit's editors may change content."""
            return [cls.DRAFT, cls.CHANGES_REQUESTED]

    # Fields that may still change on a frozen edition (the publication bookkeeping).
    BOOKKEEPING_FIELDS = frozenset({"status", "published_on", "version"})

    manual = models.ForeignKey(
        Manual, verbose_name=_("คู่มือ"), on_delete=models.CASCADE, related_name="editions"
    )
    year_be = models.PositiveSmallIntegerField(_("ปี พ.ศ."))
    label = models.CharField(_("ชื่อฉบับ"), max_length=120, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_on = models.DateField(_("วันที่เผยแพร่"), null=True, blank=True)
    # The official approval: one letter of the Permanent Secretary may approve many editions
    # at once (a revision round's batch approval); printed where the manual shows its approval.
    approval_letter_number = models.CharField(
        _("เลขที่หนังสืออนุมัติ"), max_length=100, blank=True, help_text=_("เช่น กท ๐๓๐๓/๑๒๙๓")
    )
    approval_letter_date = models.DateField(_("ลงวันที่ (หนังสืออนุมัติ)"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("ปรับปรุงจากฉบับ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    preface = models.TextField(_("คำนำ"), blank=True)
    executive_summary = models.TextField(_("บทสรุปสำหรับผู้บริหาร"), blank=True)
    background = models.TextField(_("ความเป็นมาและความสำคัญ"), blank=True)
    objectives = models.TextField(_("วัตถุประสงค์"), blank=True)
    structure_duties = models.TextField(_("โครงสร้าง อัตรากำลัง และอำนาจหน้าที่"), blank=True)
    chart_lane_mode = models.CharField(
        _("ช่องในแผนผังกระบวนการงาน"),
        max_length=10,
        choices=ChartLaneMode.choices,
        default=ChartLaneMode.UNIT,
        help_text=_("คู่มือของกรุงเทพมหานครส่วนใหญ่แสดงช่องเป็นหน่วยงาน และระบุตำแหน่งในตารางที่ ๓/๕"),
    )
    chart_lane_header = models.CharField(
        _("หัวกลุ่มช่องในแผนผัง"),
        max_length=200,
        blank=True,
        default="หน่วยงาน",
        help_text=_("ข้อความเหนือช่องทั้งหมด เช่น หน่วยงาน หรือชื่อส่วนราชการ"),
    )
    version = models.PositiveIntegerField(_("รุ่นของข้อมูล"), default=1, editable=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ฉบับของคู่มือ")
        verbose_name_plural = _("ฉบับของคู่มือ")
        ordering = ["manual", "-year_be", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["manual"],
                condition=Q(status__in=["draft", "submitted", "changes_requested"]),
                name="edition_one_open_per_manual",
                violation_error_message=_("คู่มือนี้มีฉบับร่างที่ยังไม่เผยแพร่อยู่แล้ว"),
            ),
            models.UniqueConstraint(
                fields=["manual"],
                condition=Q(status="published"),
                name="edition_one_published_per_manual",
                violation_error_message=_("คู่มือนี้มีฉบับที่เผยแพร่อยู่แล้ว"),
            ),
            models.CheckConstraint(
                condition=Q(year_be__gte=2500) & Q(year_be__lte=2700),
                name="edition_year_is_buddhist_era",
                violation_error_message=_("ปีต้องเป็นปีพุทธศักราช เช่น ๒๕๖๗"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "superseded"])
                | Q(published_on__isnull=False),
                name="edition_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manual.agency.name} · {self.display_label}"

    @property
    def display_label(self) -> str:
        if self.label:
            return self.label
        # digits of the interface language (Thai in every printed document)
        return gettext("ฉบับปรับปรุง พ.ศ. %(year)s") % {"year": ui_digits(self.year_be)}

    @property
    def is_frozen(self) -> bool:
        return self.status in Edition.Status.frozen_values()

    @property
    def is_editable(self) -> bool:
        return self.status in Edition.Status.editable_values()

    @property
    def next_review_due(self) -> datetime.date | None:
        """Every manual is revised every 3 years after publication."""
        if self.published_on is None:
            return None
        try:
            return self.published_on.replace(year=self.published_on.year + REVIEW_CYCLE_YEARS)
        except ValueError:  # 29 February
            return self.published_on.replace(
                year=self.published_on.year + REVIEW_CYCLE_YEARS, day=28
            )

    def get_absolute_url(self) -> str:
        return reverse("manuals:edition", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Edition.objects.filter(pk=self.pk).first()
            if stored is not None and stored.is_frozen:
                changed = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if getattr(stored, f.attname) != getattr(self, f.attname)
                    and f.attname not in {"updated_at"}
                }
                if changed - self.BOOKKEEPING_FIELDS:
                    raise EditionFrozenError()
            if not kwargs.get("force_insert"):
                self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Edition.objects.filter(pk=self.pk, status__in=Edition.Status.frozen_values()).exists():
            raise EditionFrozenError()
        return super().delete(*args, **kwargs)


class Lane(EditionContent, Positioned):
    """An actor of the manual (position, unit, committee or outside body): a lane in Table 4."""

    class Kind(models.TextChoices):
        POSITION = "position", _("ตำแหน่ง")
        UNIT = "unit", _("หน่วยงาน")
        COMMITTEE = "committee", _("คณะกรรมการ/คณะทำงาน")
        OUTSIDE = "outside", _("หน่วยงานภายนอก")

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="lanes"
    )
    name = models.CharField(_("ชื่อผู้ปฏิบัติ"), max_length=150)
    full_name = models.CharField(_("ชื่อเต็ม"), max_length=250, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices, default=Kind.POSITION)
    # A position (จพง.ธุรการ) sits inside a unit (ฝ่ายบริหารงานทั่วไป): with unit lanes its steps
    # are drawn in the unit's lane while Tables 3/5 keep naming the position.
    unit = models.ForeignKey(
        "self",
        verbose_name=_("สังกัดหน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        limit_choices_to={"kind__in": ["unit", "committee", "outside"]},
    )
    # The manual's chart lane set: lanes marked here show in every chart, even with no step.
    always_show = models.BooleanField(_("แสดงในแผนผังทุกกระบวนการ"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผู้ปฏิบัติ (ช่องในแผนผัง)")
        verbose_name_plural = _("ผู้ปฏิบัติ (ช่องในแผนผัง)")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="lane_unique_name"),
            models.UniqueConstraint(fields=["edition", "position"], name="lane_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name


class Form(EditionContent):
    """A form (แบบฟอร์ม) used by steps, e.g. แบบ ง.๑๐๑."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="forms"
    )
    code = models.CharField(_("รหัสแบบฟอร์ม"), max_length=80)
    title = models.CharField(_("ชื่อแบบฟอร์ม"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("แบบฟอร์ม")
        verbose_name_plural = _("แบบฟอร์ม")
        ordering = ["edition", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="form_unique_code")]

    def __str__(self) -> str:
        # a form whose code is its title (or part of it) is named once
        if not self.code or self.code in self.title:
            return self.title.strip()
        if not self.title or self.title in self.code:
            return self.code.strip()
        return f"{self.code} {self.title}".strip()


class Definition(EditionContent, Positioned):
    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="definitions"
    )
    term = models.CharField(_("คำ"), max_length=200)
    meaning = models.TextField(_("ความหมาย"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("คำจำกัดความ")
        verbose_name_plural = _("คำจำกัดความ")
        ordering = ["edition", "position"]

    def __str__(self) -> str:
        return self.term


class Abbreviation(EditionContent, Positioned):
    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="abbreviations"
    )
    short = models.CharField(_("อักษรย่อ"), max_length=60)
    full = models.CharField(_("คำเต็ม"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("อักษรย่อ")
        verbose_name_plural = _("อักษรย่อ")
        ordering = ["edition", "position"]

    def __str__(self) -> str:
        return self.short


class Responsibility(EditionContent, Positioned):
    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    holder = models.CharField(_("หน่วยงาน/ตำแหน่ง"), max_length=250)
    duties = models.TextField(_("หน้าที่ความรับผิดชอบ"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("หน้าที่ความรับผิดชอบ")
        verbose_name_plural = _("หน้าที่ความรับผิดชอบ")
        ordering = ["edition", "position"]

    def __str__(self) -> str:
        return self.holder


class LegalReference(models.Model):
    """One law, regulation or order in the shared library every manual cites from."""

    class Kind(models.TextChoices):
        ACT = "act", _("พระราชบัญญัติ")
        ROYAL_DECREE = "royal_decree", _("พระราชกฤษฎีกา")
        MINISTERIAL = "ministerial", _("กฎกระทรวง")
        REGULATION = "regulation", _("ระเบียบ")
        ORDINANCE = "ordinance", _("ข้อบัญญัติ")
        ANNOUNCEMENT = "announcement", _("ประกาศ")
        ORDER = "order", _("คำสั่ง")
        CABINET = "cabinet", _("มติคณะรัฐมนตรี")
        DIRECTIVE = "directive", _("หนังสือสั่งการ")
        PLAN = "plan", _("แผน")
        POLICY = "policy", _("นโยบาย")
        OTHER = "other", _("อื่น ๆ")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("ใช้บังคับ")
        AMENDED = "amended", _("มีการแก้ไขเพิ่มเติม")
        REPLACED = "replaced", _("ถูกยกเลิก/แทนที่แล้ว")

    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("ชื่อ"), max_length=400)
    year_be = models.PositiveSmallIntegerField(_("ปี พ.ศ."), null=True, blank=True)
    amendment_note = models.CharField(_("หมายเหตุการแก้ไข"), max_length=200, blank=True)
    spellings = models.JSONField(_("รูปแบบการเขียนที่พบ"), default=list, blank=True)
    # Normalised title + spellings, word-segmented, for Thai-aware search.
    search_text = models.TextField(_("ข้อความสำหรับค้นหา"), blank=True, editable=False)
    # Curation by the planners (search.services): a law replaced by a newer one, or amended.
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.IN_FORCE, db_index=True
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("ถูกแทนที่ด้วย"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    status_note = models.CharField(_("หมายเหตุสถานะ"), max_length=300, blank=True)
    # A duplicate merged into another entry stays only for the published editions that cite it
    # (they print their frozen citation); everything else uses the survivor.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("รวมเข้ากับรายการ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )

    class Meta:
        verbose_name = _("กฎหมาย/ระเบียบอ้างอิง")
        verbose_name_plural = _("คลังกฎหมาย/ระเบียบอ้างอิง")
        ordering = ["title", "year_be"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year_be"], name="legalreference_unique_title_year"
            )
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """How the manual prints it: title, พ.ศ. year, amendment note."""
        text = self.title
        if self.year_be:
            text += f" พ.ศ. {self.year_be}"
        if self.amendment_note:
            text += f" {self.amendment_note}"
        return thai_digits(text)

    def save(self, *args, **kwargs):
        from manuals.legal import legal_search_text

        self.search_text = legal_search_text(self.title, self.spellings or [])
        super().save(*args, **kwargs)


# --- shared manuals (a working group drafts one manual that many agencies adopt) -------------


class WorkingGroup(models.Model):
    """The คณะทำงาน that owns a shared manual: members from several agencies edit it together.

    Its members edit only this manual; agencies that adopt it read and comment."""

    manual = models.OneToOneField(
        Manual,
        verbose_name=_("คู่มือร่วม"),
        on_delete=models.CASCADE,
        related_name="working_group",
    )
    name = models.CharField(_("ชื่อคณะทำงาน"), max_length=200)

    class Meta:
        verbose_name = _("คณะทำงานคู่มือร่วม")
        verbose_name_plural = _("คณะทำงานคู่มือร่วม")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkingGroupMember(models.Model):
    """A user on a working group, with the agency they come from (e.g. เขตบางรัก)."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("คณะทำงาน"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("มาจากหน่วยงาน"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("กรรมการคณะทำงาน")
        verbose_name_plural = _("กรรมการคณะทำงาน")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="workinggroup_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.group}"


class Adoption(models.Model):
    """An agency works by a shared manual; its printed copy carries the agency's own name."""

    manual = models.ForeignKey(
        Manual, verbose_name=_("คู่มือร่วม"), on_delete=models.CASCADE, related_name="adoptions"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("หน่วยงานที่นำไปใช้"),
        on_delete=models.CASCADE,
        related_name="adoptions",
    )
    created_at = models.DateTimeField(_("นำไปใช้เมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("การนำคู่มือร่วมไปใช้")
        verbose_name_plural = _("การนำคู่มือร่วมไปใช้")
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["manual", "agency"], name="adoption_unique_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.manual}"


class LocalAddition(Positioned):
    """A step or process an adopting agency adds for itself, kept apart from the shared text.

    It hangs on the adoption (not on an edition), so it survives every revision round, and
    names the shared process it follows by lineage (stable across editions); the adopter's
    printed manual shows it right after that process."""

    adoption = models.ForeignKey(
        Adoption,
        verbose_name=_("การนำไปใช้"),
        on_delete=models.CASCADE,
        related_name="local_additions",
    )
    after_process_lineage = models.UUIDField(_("ต่อจากกระบวนการ (รหัสสายประวัติ)"), null=True)
    title = models.CharField(_("ชื่อเรื่องที่เพิ่มเติม"), max_length=300)
    body = models.TextField(_("รายละเอียดเพิ่มเติมของหน่วยงาน"))

    class Meta:
        verbose_name = _("ส่วนเพิ่มเติมของหน่วยงาน")
        verbose_name_plural = _("ส่วนเพิ่มเติมของหน่วยงาน")
        ordering = ["adoption", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["adoption", "position"], name="localaddition_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.title
