import datetime

import pytest

from manuals.models import LegalReference, Membership
from manuals.services import edition_publish
from search.index import index_edition
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    FormFactory,
    LegalReferenceFactory,
    LegalRequirementFactory,
    ManualFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
)

PROCUREMENT = "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ"


def fill(edition, *, loan_detail="จัดทำสัญญาการยืมเงินใช้ในราชการ เสนอผู้อำนวยการกองอนุมัติ"):
    """A small edition with the vocabulary of the seeds (copied from seed 000 and 002)."""
    form = FormFactory(edition=edition, code="แบบ ง.๑๐๑", title="ใบขอยืมเงิน")
    finance = ProcessFactory(mission__edition=edition, name="การยืมเงินใช้ในราชการ")
    procurement = ProcessFactory(mission=finance.mission, edition=edition, name="การจัดซื้อจัดจ้าง")
    loan = StepFactory(
        process=finance,
        position=1,
        label="ตรวจสอบสัญญายืมเงิน",
        detail=loan_detail,
        quality_standard="ถูกต้องตามระเบียบการเบิกจ่ายเงินจากคลัง",
    )
    loan.forms.add(form)
    buy = StepFactory(
        process=procurement,
        position=1,
        label="จัดทำรายงานขอซื้อขอจ้าง",
        detail="จัดทำรายงานขอซื้อขอจ้างผ่านระบบ e-GP ของกรมบัญชีกลาง",
        references=f"{PROCUREMENT} พ.ศ. ๒๕๖๐",
    )
    law = LegalReference.objects.filter(title=PROCUREMENT, year_be=2560).first()
    law = law or LegalReferenceFactory(title=PROCUREMENT, year_be=2560)
    LegalRequirementFactory(process=procurement, reference=law, clause_note="ข้อ ๒๒")
    index_edition(edition_id=edition.pk)
    return {"loan": loan, "buy": buy, "finance": finance, "procurement": procurement, "law": law}


@pytest.fixture
def agency(db):
    return AgencyFactory(name="กองการเงิน")


@pytest.fixture
def published(agency):
    edition = EditionFactory(manual=ManualFactory(agency=agency), year_be=2564)
    rows = fill(edition)
    edition = edition_publish(edition=edition, on=datetime.date(2021, 8, 25))
    return edition, rows


@pytest.fixture
def reader(db):
    return MembershipFactory(role=Membership.Role.EDITOR, agency=AgencyFactory()).user
