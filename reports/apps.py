import sys
import threading

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "报告"

    def ready(self):
        # Importing WeasyPrint loads Pango, HarfBuzz and fontconfig through cffi: ~0.4-0.6 s, which
        # the first PDF of a fresh server process would pay. A server imports it in the background
        # at start-up instead. Management commands (migrate, the benchmark, annual_report) do not:
        # they may never render a PDF, and the benchmark measures the cold first PDF honestly.
        if _is_management_command() and sys.argv[1:2] != ["runserver"]:
            return
        threading.Thread(target=_import_pdf_renderer, name="weasyprint-warm-up", daemon=True).start()


def _is_management_command() -> bool:
    return sys.argv[0].endswith(("manage.py", "django-admin"))


def _import_pdf_renderer():
    try:
        import reports.pdf  # noqa: F401 -- imports weasyprint
    except Exception:  # noqa: BLE001 -- a failed warm-up only means the first PDF imports it itself
        pass
