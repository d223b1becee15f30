"""Following every link and button a page shows its user (issue 10's crawl).

The crawl reads the HTML the server sends for the signed-in user (the same HTML the browser renders)
and collects what a user can press: links (`<a href>`), GET forms (filters, searches: submitted with
the values the form shows) and POST forms (buttons that change something). It is bounded so that it
runs in a few minutes on the demo county:

- same origin only; sign-out is never pressed;
- one page per URL pattern (the view's name, plus the names of the query parameters, so a filter
  submitted with other keys is another page), at most QUERY_PAGES per view with a query string;
- a download (any answer that is not HTML) has its status checked but is not read.

`fetch(url)` returns (status, content_type, text); `submit_post(url, fields)` returns the status of
a POST made as the same user (see the browser test for how it is made without changing the county).
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from django.urls import Resolver404, resolve

FAILING = {403, 404, 405}
PAGES_PER_PATTERN = 3
QUERY_PAGES = 3
SKIPPED_PATHS = {"/logout/"}


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)  # (name, value) as the browser would send them
    buttons: list = field(default_factory=list)  # (name, value, label) of its submit buttons


class PageParser(HTMLParser):
    """The links and forms of one page, with the values a browser would submit untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = None
        self._select = None  # [name, first option value, selected value]
        self._option = None
        self._textarea = None
        self._button = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self._form.buttons.append((name, a.get("value", ""), a.get("value", "")))
            elif not name or kind in ("button", "reset", "file"):
                return
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            else:
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._button = [a.get("name"), a.get("value", ""), ""]
            self._form.buttons.append(self._button)
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value = self._option[0] if self._option[0] is not None else self._option[2].strip()
            if self._select[1] is None:
                self._select[1] = value
            if self._option[1]:
                self._select[2] = value
            self._option = None
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            value = chosen if chosen is not None else first
            if value is not None and self._form is not None:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "button":
            if self._button is not None:
                self._button[2] = " ".join(self._button[2].split())
            self._button = None
        elif tag == "form":
            self._form = None


def pattern_of(path):
    """The view a path reaches (namespace:name), or None for a path no view answers."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def file_format_of(url):
    """What a download URL asks for (`pdf`, `xlsx`, …), to check each format of a view once."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    try:
        kwargs = resolve(parts.path).kwargs
    except Resolver404:
        kwargs = {}
    return kwargs.get("file_format") or query.get("export") or query.get("format") or ""


@dataclass
class Finding:
    status: object
    method: str
    url: str
    shown_on: str
    label: str = ""

    def __str__(self):
        label = f" 「{self.label}」" if self.label else ""
        return f"{self.status} {self.method} {self.url}{label} (shown on {self.shown_on})"


@dataclass
class CrawlResult:
    pages: list = field(default_factory=list)  # URLs read (HTML)
    downloads: list = field(default_factory=list)  # URLs checked, not read
    posts: list = field(default_factory=list)  # (URL, label) of the POST buttons submitted
    failures: list = field(default_factory=list)  # Finding


def crawl(base_url, fetch, submit_post, start="/"):
    origin = urlsplit(base_url)
    result = CrawlResult()
    seen_urls = set()
    per_pattern = defaultdict(int)
    posted = set()
    downloaded = set()
    post_queue = []
    queue = deque()

    def admit(url, shown_on, label):
        """Queue a same-origin URL unless its pattern has had its pages already."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or parts.path in SKIPPED_PATHS:
            return
        url = urlunsplit(parts._replace(fragment=""))
        if url in seen_urls:
            return
        seen_urls.add(url)
        view = pattern_of(parts.path)
        if view is None:
            result.failures.append(Finding(404, "GET", url, shown_on, label))
            return
        if (view, file_format_of(url)) in downloaded:  # a file of this kind was made once: enough
            return
        keys = tuple(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}))
        if per_pattern[(view, keys)] >= (1 if keys else PAGES_PER_PATTERN) or (
            keys and per_pattern[(view, "?")] >= QUERY_PAGES
        ):
            return
        per_pattern[(view, keys)] += 1
        if keys:
            per_pattern[(view, "?")] += 1
        queue.append((url, shown_on, label))

    admit(urljoin(base_url, start), "(start)", "")
    while queue:
        url, shown_on, label = queue.popleft()
        status, content_type, text = fetch(url)
        if status in FAILING or status >= 500:
            result.failures.append(Finding(status, "GET", url, shown_on, label))
            continue
        if "text/html" not in content_type:
            result.downloads.append(url)
            downloaded.add((pattern_of(urlsplit(url).path), file_format_of(url)))
            continue
        result.pages.append(url)
        parser = PageParser()
        parser.feed(text)
        for href in parser.links:
            if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            admit(urljoin(url, href), url, "")
        for form in parser.forms:
            action = urljoin(url, form.action or url)
            labels = [button[2] for button in form.buttons if button[2]] or [""]
            if form.method == "get":
                parts = urlsplit(action)
                query = parse_qsl(parts.query, keep_blank_values=True) + form.fields
                admit(urlunsplit(parts._replace(query=urlencode(query), fragment="")), url, labels[0])
                continue
            if not form.buttons:  # nothing to press (e.g. a list of rows with a button each, empty)
                continue
            path = urlsplit(action).path
            if path in SKIPPED_PATHS or urlsplit(action).netloc != origin.netloc:
                continue
            view = pattern_of(path)
            if view is None:
                result.failures.append(Finding(404, "POST", action, url, labels[0]))
                continue
            if (view, path) in posted or sum(1 for v, _ in posted if v == view) >= PAGES_PER_PATTERN:
                continue
            posted.add((view, path))
            post_queue.append((action, form, url, labels[0]))

    for action, form, shown_on, label in post_queue:
        data = list(form.fields)
        named = [button for button in form.buttons if button[0]]
        if named:  # the first named button, as pressing it sends its name and value
            data.append((named[0][0], named[0][1]))
        status = submit_post(action, data)
        result.posts.append((action, label))
        if status in FAILING or (isinstance(status, int) and status >= 500) or not isinstance(status, int):
            result.failures.append(Finding(status, "POST", action, shown_on, label))
    return result
