"""Demo registries: a few hundred generated people in the demo communes, the demo citizen linked to
a Person and the demo head of an organisation linked to their organisation. Idempotent."""

from __future__ import annotations

import datetime as dt

from xhht.accounts.audit import actor_context
from xhht.core.demo import DemoContext

from .generate import generate
from .models import Organisation, Person, Residence

DEMO_PEOPLE_PER_COMMUNE = 150


def seed(ctx: DemoContext) -> None:
    with actor_context(source="demo"):
        communes = ctx.communes
        if not Person.objects.filter(unit_path__startswith=ctx.commune.path).exists():
            generate(
                province=ctx.province.code,
                people=DEMO_PEOPLE_PER_COMMUNE * len(communes),
                seed=2025,
                communes=communes,
                villages=ctx.villages,
                write=ctx.write,
            )
        citizen = ctx.users.get("cong_dan")
        if citizen is not None and not Person.objects.filter(user=citizen).exists():
            village = ctx.villages[ctx.commune.pk][0]
            p = Person(
                full_name=citizen.full_name or "Đinh Thị Lan",
                sex="F",
                birth_date=dt.date(1990, 5, 12),
                village=village,
                user=citizen,
                occupation="lao_dong",
                education_level="thpt",
                it_competency=True,
                digital_skill=1,
                life_skills=True,
                literacy="muc_2",
                cccd="062190001234",
                phone="0905123456",
            )
            if Person.objects.filter(cccd=p.cccd).exists():
                p.cccd = None
            p.save()
            Residence.objects.create(
                person=p, village=village, valid_from=dt.date(2015, 1, 1), reason="Dữ liệu demo"
            )
        head = ctx.users.get("thu_truong")
        if head is not None and not Organisation.objects.filter(head_user=head).exists():
            org = Organisation.objects.filter(
                unit_path__startswith=ctx.commune.path, kind="truong_hoc", name__contains="THCS"
            ).first()
            if org is None:
                org = Organisation(
                    name=f"Trường THCS {ctx.commune.name.split(' ', 1)[-1]}",
                    kind="truong_hoc",
                    unit=ctx.commune,
                )
            org.head_user = head
            org.save()
