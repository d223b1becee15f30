"""Filters of the log handlers (settings.LOGGING)."""

import logging


class OneLineClientErrorFilter(logging.Filter):
    """A response logged with a 4xx status (PermissionDenied, Http404, a bad request) keeps its one
    line saying who was refused what, without the traceback: anyone signed in could otherwise fill
    the logs by asking for pages they may not see."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
