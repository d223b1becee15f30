"""What the apps above organizations add to its rules and pages.

organizations never imports members or activities (jiguan < organizations < members < activities <
reports). Where one of its rules or pages needs their records, the app owning them registers a
function here from its AppConfig.ready():

- a dissolve check, `check(organization, date) -> str`: why the organization may not be dissolved
  on `date` ("" when nothing of that app stands in the way);
- a merge step, `step(*, actor, organization, into, date) -> str`: moves that app's records of
  `organization` into `into` when it is merged (整体划入), and says what moved;
- a page part, `part(organization, user) -> dict`: more context for the organization's page.
"""

dissolve_checks = []
merge_steps = []
page_parts = []


def _add(functions, function):
    if function not in functions:  # AppConfig.ready() may run more than once
        functions.append(function)


def register_dissolve_check(check):
    _add(dissolve_checks, check)


def register_merge_step(step):
    _add(merge_steps, step)


def register_page_part(part):
    _add(page_parts, part)
