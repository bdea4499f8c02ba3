"""The processes of an edition (Tables 1 and 2) and their steps and flows (Tables 3, 4, 5)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import EditionContent, Positioned
from core.thai import short_text
from manuals.models import Edition, Form, Lane, LegalReference
from processes.durations import parse_duration


class Mission(EditionContent, Positioned):
    """A unit's mission (พันธกิจ/ภารกิจ) in Table 1; its processes are numbered N.1, N.2 …"""

    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="missions"
    )
    unit = models.CharField(_("หน่วยงาน (ฝ่าย/กลุ่มงาน)"), max_length=200)
    text = models.TextField(_("พันธกิจ/ภารกิจ"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("พันธกิจ/ภารกิจ")
        verbose_name_plural = _("พันธกิจ/ภารกิจ")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "position"], name="mission_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.position} {self.unit}"


class Process(EditionContent, Positioned):
    """A process (๑.๑) or, with a parent, a sub-process (๑.๑.๑) of an edition."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("พันธกิจ"), on_delete=models.CASCADE, related_name="processes"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("ฉบับ"), on_delete=models.CASCADE, related_name="processes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("กระบวนการหลัก"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("ชื่อกระบวนการ"), max_length=300)
    scope_text = models.TextField(_("ขอบเขต"), blank=True)
    scope_start = models.CharField(_("จุดเริ่มต้น"), max_length=500, blank=True)
    scope_end = models.CharField(_("จุดสิ้นสุด"), max_length=500, blank=True)
    responsible_unit = models.CharField(_("หน่วยงานรับผิดชอบ"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("กระบวนการ")
        verbose_name_plural = _("กระบวนการ")
        ordering = ["edition", "mission__position", "parent_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "position"],
                condition=Q(parent__isnull=True),
                name="process_unique_position_in_mission",
                violation_error_message=_("เลขลำดับกระบวนการซ้ำ"),
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="process_unique_position_in_parent",
                violation_error_message=_("เลขลำดับกระบวนการย่อยซ้ำ"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def number_parts(self) -> list[int]:
        """[mission, process, sub-process …] positions; walks parents (selectors prefetch)."""
        parts, node = [], self
        while node is not None:
            parts.insert(0, node.position)
            if node.parent_id is None:
                parts.insert(0, node.mission.position)
            node = node.parent
        return parts

    @property
    def number(self) -> str:
        """Arabic dotted number such as "1.1.2"; print with thai_digits."""
        cached = getattr(self, "_number", None)
        return cached or ".".join(str(p) for p in self.number_parts)


class Stakeholder(EditionContent, Positioned):
    """A row of Table 2's ผู้เกี่ยวข้อง | ความต้องการ."""

    edition_path = "process__edition"

    class Kind(models.TextChoices):
        RECIPIENT = "recipient", _("ผู้รับบริการ")
        STAKEHOLDER = "stakeholder", _("ผู้มีส่วนได้ส่วนเสีย")

    process = models.ForeignKey(
        Process, verbose_name=_("กระบวนการ"), on_delete=models.CASCADE, related_name="stakeholders"
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    name = models.TextField(_("ผู้เกี่ยวข้อง"))
    needs = models.TextField(_("ความต้องการ"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ผู้เกี่ยวข้อง")
        verbose_name_plural = _("ผู้เกี่ยวข้อง")
        ordering = ["process", "kind", "position"]

    # The order of the kinds in the editor, the printed Table 2 and seed 000.
    KIND_ORDER = (Kind.RECIPIENT, Kind.STAKEHOLDER)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def print_key(cls, row: Stakeholder) -> tuple:
        """Sort key of a process's rows: ผู้รับบริการ first, then each kind by position."""
        kinds = [str(k) for k in cls.KIND_ORDER]
        rank = kinds.index(row.kind) if row.kind in kinds else len(kinds)
        return (rank, row.position, row.pk or 0)

    @property
    def list_number(self) -> int:
        """The row's number in the process's one list across kinds (๑, ๒, ๓ …), as the
        editor shows it when a single row is redrawn (the list numbers rows in its loop)."""
        rows = sorted(
            Stakeholder.objects.filter(process_id=self.process_id).only("pk", "kind", "position"),
            key=Stakeholder.print_key,
        )
        return next((i for i, r in enumerate(rows, start=1) if r.pk == self.pk), self.position)


class Requirement(EditionContent, Positioned):
    """An item of Table 2's lists: key requirement, process efficiency or cost-effectiveness."""

    edition_path = "process__edition"

    class Kind(models.TextChoices):
        KEY = "key", _("ข้อกำหนดที่สำคัญ")
        EFFICIENCY = "efficiency", _("ประสิทธิภาพของกระบวนการ")
        COST_EFFECTIVENESS = "cost_effectiveness", _("ความคุ้มค่า")

    process = models.ForeignKey(
        Process, verbose_name=_("กระบวนการ"), on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("ข้อความ"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อกำหนด")
        verbose_name_plural = _("ข้อกำหนด")
        ordering = ["process", "kind", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(EditionContent, Positioned):
    """A Table 2 indicator: internal (ภายใน) or process outcome (ผลกระบวนการ)."""

    edition_path = "process__edition"

    class Kind(models.TextChoices):
        INTERNAL = "internal", _("ภายใน")
        OUTCOME = "outcome", _("ผลกระบวนการ")

    process = models.ForeignKey(
        Process, verbose_name=_("กระบวนการ"), on_delete=models.CASCADE, related_name="indicators"
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    statement = models.TextField(_("ตัวชี้วัด"))
    target = models.CharField(_("ค่าเป้าหมาย"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["process", "kind", "position"]

    def __str__(self) -> str:
        return self.statement[:80]


class LegalRequirement(EditionContent, Positioned):
    """A legal requirement of a process: a law from the shared library plus a clause note."""

    edition_path = "process__edition"

    process = models.ForeignKey(
        Process,
        verbose_name=_("กระบวนการ"),
        on_delete=models.CASCADE,
        related_name="legal_requirements",
    )
    reference = models.ForeignKey(
        LegalReference,
        verbose_name=_("กฎหมาย/ระเบียบ"),
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    clause_note = models.CharField(_("ข้อ/มาตราที่เกี่ยวข้อง"), max_length=300, blank=True)
    # The law's citation as it stood when the edition was published: a later rename or merge
    # in the shared library never changes a published manual (set by legal_citations_freeze).
    cited_as = models.CharField(
        _("ชื่อตามที่อ้างไว้เมื่อเผยแพร่"), max_length=700, blank=True, editable=False
    )

    # A revision cites the library as it is now (manuals.services.edition_deep_copy).
    revision_resets = {"cited_as": ""}

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อกำหนดด้านกฎหมาย")
        verbose_name_plural = _("ข้อกำหนดด้านกฎหมาย")
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "reference"], name="legalrequirement_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """How the manual prints the law: frozen at publication, else the library's current."""
        return self.cited_as or self.reference.citation


class Step(EditionContent, Positioned):
    """One step, entered once; Tables 3, 4 and 5 are all generated from it."""

    edition_path = "process__edition"

    class Shape(models.TextChoices):
        START = "start", _("จุดเริ่มต้น")
        END = "end", _("จุดสิ้นสุด")
        ACTIVITY = "activity", _("กิจกรรม/การปฏิบัติงาน")
        DECISION = "decision", _("การตัดสินใจ")
        SUBPROCESS = "subprocess", _("กระบวนการย่อย")
        DOCUMENT = "document", _("เอกสาร/รายงาน")
        MULTI_DOCUMENT = "multi_document", _("เอกสารหลายประเภท")
        DATABASE = "database", _("ฐานข้อมูล")
        CONNECTOR = "connector", _("จุดเชื่อมต่อ")

    class DurationUnit(models.TextChoices):
        MINUTE = "minute", _("นาที")
        HOUR = "hour", _("ชั่วโมง")
        DAY = "day", _("วัน")
        WORKING_DAY = "working_day", _("วันทำการ")
        WEEK = "week", _("สัปดาห์")
        MONTH = "month", _("เดือน")

    class DurationKind(models.TextChoices):
        LENGTH = "length", _("ระยะเวลา")
        IMMEDIATE = "immediate", _("ทันที")
        ONGOING = "ongoing", _("ต่อเนื่อง")
        SCHEDULE = "schedule", _("ตามกำหนดการ")
        UNKNOWN = "unknown", _("ไม่ระบุ/อ่านไม่ได้")

    class Qualifier(models.TextChoices):
        AT_MOST = "at_most", _("ไม่เกิน")
        AT_LEAST = "at_least", _("ไม่น้อยกว่า")
        WITHIN = "within", _("ภายใน")
        ABOUT = "about", _("ประมาณ")

    process = models.ForeignKey(
        Process, verbose_name=_("กระบวนการ"), on_delete=models.CASCADE, related_name="steps"
    )
    shape = models.CharField(
        _("สัญลักษณ์"), max_length=20, choices=Shape.choices, default=Shape.ACTIVITY
    )
    label = models.CharField(_("ข้อความในแผนผัง"), max_length=400, blank=True)
    detail = models.TextField(_("รายละเอียดของงาน"), blank=True)
    lane = models.ForeignKey(
        Lane,
        verbose_name=_("ผู้รับผิดชอบหลัก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )
    other_lanes = models.ManyToManyField(
        Lane, verbose_name=_("ผู้รับผิดชอบร่วม"), blank=True, related_name="shared_steps"
    )
    duration_text = models.CharField(_("ระยะเวลา"), max_length=200, blank=True)
    duration_kind = models.CharField(
        _("ชนิดระยะเวลา"),
        max_length=20,
        choices=DurationKind.choices,
        default=DurationKind.UNKNOWN,
        editable=False,
    )
    duration_low = models.DecimalField(
        _("ระยะเวลาต่ำสุด"), max_digits=9, decimal_places=3, null=True, editable=False
    )
    duration_high = models.DecimalField(
        _("ระยะเวลาสูงสุด"), max_digits=9, decimal_places=3, null=True, editable=False
    )
    duration_unit = models.CharField(
        _("หน่วยเวลา"), max_length=20, choices=DurationUnit.choices, blank=True, editable=False
    )
    duration_per = models.CharField(_("ต่อหน่วยงาน"), max_length=40, blank=True, editable=False)
    duration_qualifier = models.CharField(
        _("เงื่อนไขเวลา"), max_length=20, choices=Qualifier.choices, blank=True, editable=False
    )
    duration_parsed = models.BooleanField(_("อ่านระยะเวลาได้"), default=True, editable=False)
    headcount = models.PositiveSmallIntegerField(_("จำนวนผู้ปฏิบัติงาน (คน)"), null=True, blank=True)
    # As the manual writes it ("๓-๕ คน", "คณะเดินทาง"); ``headcount`` is the number for totals.
    headcount_text = models.CharField(_("จำนวนผู้ปฏิบัติงาน (ตามที่เขียน)"), max_length=100, blank=True)
    # Official charts often draw a sign-off chain in one time row: this step shares the chart row
    # of the step before it.
    same_row = models.BooleanField(_("อยู่แถวเดียวกับขั้นตอนก่อนหน้าในแผนผัง"), default=False)
    quality_standard = models.TextField(_("มาตรฐานคุณภาพงาน"), blank=True)
    monitoring = models.TextField(_("ระบบติดตามประเมินผล"), blank=True)
    forms = models.ManyToManyField(Form, verbose_name=_("แบบฟอร์มที่ใช้"), blank=True)
    references = models.TextField(_("เอกสารอ้างอิง"), blank=True)

    history = HistoricalRecords(m2m_fields=[other_lanes, forms])

    class Meta:
        verbose_name = _("ขั้นตอน")
        verbose_name_plural = _("ขั้นตอน")
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "position"],
                name="step_unique_position",
                violation_error_message=_("ลำดับขั้นตอนซ้ำ"),
            ),
            models.CheckConstraint(
                condition=Q(duration_low__isnull=True)
                | Q(duration_high__isnull=True)
                | Q(duration_low__lte=models.F("duration_high")),
                name="step_duration_low_le_high",
            ),
        ]

    def __str__(self) -> str:
        return self.chart_label

    @property
    def chart_label(self) -> str:
        return self.label or short_text(self.detail)

    def apply_duration(self) -> None:
        """Store the parsed form of duration_text; unparsable text is kept and flagged."""
        parsed = parse_duration(self.duration_text or "")
        self.duration_kind = parsed.kind
        self.duration_low = parsed.low
        self.duration_high = parsed.high
        self.duration_unit = parsed.unit or ""
        self.duration_per = parsed.per or ""
        self.duration_qualifier = parsed.qualifier or ""
        self.duration_parsed = parsed.parsed

    def save(self, *args, **kwargs):
        self.apply_duration()
        super().save(*args, **kwargs)

    @property
    def duration(self):
        return parse_duration(self.duration_text or "")


class Flow(EditionContent, Positioned):
    """An arrow from one step to another: a decision branch, a loop back, or a document flow.

    A step without explicit outgoing flows continues to the next step; explicit flows replace
    that (so a decision lists each branch with its label).
    """

    edition_path = "source__process__edition"

    class Kind(models.TextChoices):
        FLOW = "flow", _("ทิศทางของงาน")
        DATA = "data", _("นำเข้า/ส่งออกเอกสารหรือข้อมูล")

    source = models.ForeignKey(
        Step, verbose_name=_("จากขั้นตอน"), on_delete=models.CASCADE, related_name="outgoing"
    )
    target = models.ForeignKey(
        Step, verbose_name=_("ไปยังขั้นตอน"), on_delete=models.CASCADE, related_name="incoming"
    )
    label = models.CharField(_("ข้อความบนลูกศร"), max_length=80, blank=True)
    kind = models.CharField(_("ชนิด"), max_length=10, choices=Kind.choices, default=Kind.FLOW)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ลูกศร/ทางแยก")
        verbose_name_plural = _("ลูกศร/ทางแยก")
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "label"], name="flow_unique_branch"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="flow_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} {self.label}".strip()
