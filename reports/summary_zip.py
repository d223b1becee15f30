"""Every organization's annual summary of a year as one zip, made by a background job
(jiguan.jobs): the committee and every 机关党委, 党总支部 and 党支部 that existed in the year, each
summary as the report page offers it for download (PDF or workbook)."""

import zipfile

from django.db.models import Q

from jiguan import jobs
from organizations.models import GRASS_ROOTS_KINDS, Kind, Organization
from reports import outputs

JOB_KIND = "annual_summaries"
FORMATS = {"pdf": "PDF", "xlsx": "Excel"}


def organizations_of(year):
    """The organizations whose summary of `year` the zip holds, the tree's root first."""
    start, end = f"{year}-01-01", f"{year}-12-31"
    return (
        Organization.objects.filter(
            kind__in=[Kind.WORKING_COMMITTEE, *GRASS_ROOTS_KINDS], founded_on__lte=end
        )
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start))
        .order_by("parent_id", "kind", "name_order", "name")
    )


def summaries_job(job, progress):

    year, file_format = job.arguments["year"], job.arguments.get("format", "pdf")
    organizations = list(organizations_of(year))
    root = Organization.objects.root_committee()
    organizations.sort(key=lambda o: o != root)  # the committee first, then the tree's order
    with zipfile.ZipFile(jobs.output_path(job), "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, organization in enumerate(organizations, start=1):
            progress(
                index - 1, len(organizations), f"正在生成{organization.name}（{index}/{len(organizations)}）"
            )
            content = outputs.render_file(organization, year, file_format)
            archive.writestr(f"{index:03d}-{organization.name}{year}年工作总结.{file_format}", content)
    return jobs.Outcome(
        message=f"已生成{len(organizations)}个党组织的{year}年工作总结（{FORMATS[file_format]}）。",
        output=(None, f"{year}年各党组织工作总结-{FORMATS[file_format]}.zip"),
    )


def register():
    jobs.register(JOB_KIND, summaries_job)
