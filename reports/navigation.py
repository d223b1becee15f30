from django.urls import reverse

from organizations.scoping import organization_of

# Pages whose bar item is not their app's: the committee's documents and lists (清单与发文), the import.
PAGES_OF_ITEM = {
    # Background jobs: most are imports (the page of past jobs is reached from 数据导入).
    "jobs": "import",
    "job": "import",
    "documents": "documents",
    "document_create": "documents",
    "document_detail": "documents",
    "list_create": "documents",
    "list_detail": "documents",
    "item_edit": "documents",
    "import_workbook": "import",
    "import_template": "import",
}


def navigation(request):
    """The navigation bar for the signed-in user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("home", "首页", reverse("home")),
        ("organizations", "党组织", reverse("organizations:tree")),
        ("members", "党员", reverse("members:roster")),
        ("dues", "党费", reverse("dues:index")),
        ("activities", "组织生活", reverse("activities:list")),
    ]
    items.append(("documents", "清单与发文", reverse("activities:documents")))
    items.append(("evaluations", "廉政与考评", reverse("evaluations:index")))
    items.append(("reports", "年度报告", reverse("reports:index")))
    if user.is_committee_staff:
        items.append(("import", "数据导入", reverse("import_workbook")))
        items.append(("accounts", "账号管理", reverse("accounts:list")))
    current = request.resolver_match.namespace if request.resolver_match else ""
    current = "evaluations" if current == "integrity" else current
    if request.resolver_match and request.resolver_match.url_name in PAGES_OF_ITEM:
        current = PAGES_OF_ITEM[request.resolver_match.url_name]
    return {"nav_items": items, "nav_current": current or "home", "user_organization": organization_of(user)}
