"""Small builders for the activities tests (members and prospects written directly; files in memory)."""

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import Category, DevelopmentStep, Gender, Member, MemberVersion, Prospect, Stage, Status

_serial = itertools.count(1)


def make_member(organization, name=None, *, status=Status.FULL, admitted_on=datetime.date(2015, 3, 1)):
    n = next(_serial)
    member = Member.objects.create(
        name=name or f"党员{n}",
        gender=Gender.MALE,
        id_number=f"1101011980{n:08d}"[:18],
        birth_date=datetime.date(1980, 1, 1),
        organization=organization,
        category=Category.IN_SERVICE,
        status=status,
        admitted_on=admitted_on,
        confirmed_on=admitted_on + datetime.timedelta(days=365) if status == Status.FULL else None,
    )
    MemberVersion.objects.create(
        member=member, organization=organization, category=member.category, valid_from=admitted_on
    )
    return member


# The steps a stage follows from (members.development.stage_on), and when this builder records them.
STAGE_STEPS = {
    Stage.APPLICANT: ((1, datetime.date(2024, 1, 1)),),
    Stage.ACTIVIST: ((1, datetime.date(2024, 1, 1)), (3, datetime.date(2024, 3, 1))),
    Stage.CANDIDATE: (
        (1, datetime.date(2024, 1, 1)),
        (3, datetime.date(2024, 3, 1)),
        (7, datetime.date(2025, 3, 2)),
    ),
}


def make_prospect(organization, name=None, *, stage=Stage.ACTIVIST):
    """A prospect in `stage` since the dates of STAGE_STEPS (steps 1, 3, 7 written directly)."""
    n = next(_serial)
    prospect = Prospect.objects.create(
        name=name or f"积极分子{n}",
        gender=Gender.FEMALE,
        id_number=f"2201011995{n:08d}"[:18],
        birth_date=datetime.date(1995, 1, 1),
        organization=organization,
        stage=stage,
        applied_on=datetime.date(2024, 1, 1),
    )
    for number, day in STAGE_STEPS.get(stage, ()):
        DevelopmentStep.objects.create(prospect=prospect, number=number, done_on=day)
    return prospect


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def visits_data(*rows, total=None):
    """The 走访慰问 rows of the activity form, as posted (a formset, prefix visits)."""
    data = {"visits-TOTAL_FORMS": str(total or len(rows)), "visits-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"visits-{index}-{key}": value for key, value in row.items()})
    return data
