"""factory_boy factories for the whole model; a StepFactory builds its process, edition …"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from manuals.models import (
    Abbreviation,
    Agency,
    Definition,
    Edition,
    Form,
    Lane,
    LegalReference,
    Manual,
    Membership,
    Responsibility,
)
from processes.models import (
    Flow,
    Indicator,
    LegalRequirement,
    Mission,
    Process,
    Requirement,
    Stakeholder,
    Step,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-123456")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"หน่วยงานทดสอบ {n}")
    kind = Agency.Kind.DIVISION


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.EDITOR


class ManualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manual

    agency = factory.SubFactory(AgencyFactory)
    slug = factory.Sequence(lambda n: f"manual-{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    manual = factory.SubFactory(ManualFactory)
    year_be = 2567
    status = Edition.Status.DRAFT
    preface = "คำนำของคู่มือ"


class LaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lane

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"ผู้ปฏิบัติ {n}")
    position = factory.Sequence(lambda n: n + 1)


class FormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Form

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"แบบ ง.{n}")
    title = "แบบคำขอ"


class DefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Definition

    edition = factory.SubFactory(EditionFactory)
    term = "คำ"
    meaning = "ความหมาย"


class AbbreviationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Abbreviation

    edition = factory.SubFactory(EditionFactory)
    short = "จพง."
    full = "เจ้าพนักงาน"


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    edition = factory.SubFactory(EditionFactory)
    holder = "ฝ่ายบริหารงานทั่วไป"
    duties = "งานสารบรรณ"


class LegalReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalReference

    kind = LegalReference.Kind.REGULATION
    title = factory.Sequence(lambda n: f"ระเบียบทดสอบว่าด้วยเรื่องที่ {n}")
    year_be = 2560


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    edition = factory.SubFactory(EditionFactory)
    position = factory.Sequence(lambda n: n + 1)
    unit = "ฝ่ายบริหารงานทั่วไป"
    text = "พันธกิจของฝ่าย"


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    mission = factory.SubFactory(MissionFactory)
    edition = factory.SelfAttribute("mission.edition")
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"กระบวนการทดสอบ {n}")
    scope_text = "มีจุดเริ่มต้นจากการรับเรื่อง และสิ้นสุดที่การจัดเก็บ"


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    process = factory.SubFactory(ProcessFactory)
    kind = Stakeholder.Kind.RECIPIENT
    name = "ประชาชนทั่วไป"
    needs = "ความรวดเร็ว"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    process = factory.SubFactory(ProcessFactory)
    kind = Requirement.Kind.KEY
    text = "ถูกต้องตามระเบียบ"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    process = factory.SubFactory(ProcessFactory)
    kind = Indicator.Kind.INTERNAL
    statement = "ร้อยละ ๑๐๐ ของหนังสือได้รับการลงทะเบียน"
    target = "ร้อยละ ๑๐๐"


class LegalRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalRequirement

    process = factory.SubFactory(ProcessFactory)
    reference = factory.SubFactory(LegalReferenceFactory)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    process = factory.SubFactory(ProcessFactory)
    position = factory.Sequence(lambda n: n + 1)
    shape = Step.Shape.ACTIVITY
    label = factory.Sequence(lambda n: f"ขั้นตอนที่ {n}")
    detail = "เจ้าหน้าที่รับหนังสือและลงทะเบียนรับ"
    duration_text = "๕ นาที"


class FlowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flow

    source = factory.SubFactory(StepFactory)
    target = factory.SubFactory(StepFactory, process=factory.SelfAttribute("..source.process"))
    label = "อนุมัติ"
