"""Small builders for the activities tests (members and prospects by the factories; files in memory)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.models import Stage, Status
from tests.factories import MemberFactory, ProspectFactory


def make_member(organization, name=None, *, status=Status.FULL, admitted_on=datetime.date(2015, 3, 1)):
    """A member as the activities tests want them: tests.factories.MemberFactory with these defaults."""
    return MemberFactory(
        organization=organization,
        **({"name": name} if name else {}),
        birth_date=datetime.date(1980, 1, 1),
        status=status,
        admitted_on=admitted_on,
        confirmed_on=admitted_on + datetime.timedelta(days=365) if status == Status.FULL else None,
        version__valid_from=admitted_on,
    )


def make_prospect(organization, name=None, *, stage=Stage.ACTIVIST):
    """A prospect in `stage` since the dates of tests.factories.STAGE_STEPS (ProspectFactory)."""
    return ProspectFactory(organization=organization, stage=stage, **({"name": name} if name else {}))


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
