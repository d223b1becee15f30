import datetime

import pytest


@pytest.fixture(autouse=True)
def _a_day_of_2026(clock):
    """The dues tests are written for 24 November 2026 (the arrears list reads the last twelve complete
    months, the month pages this month), whatever day JIGUAN_TEST_NOW runs the rest of the suite on."""
    clock.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
