"""What a page's HTML says apart from what differs on every request."""

import re


def without_csrf(html):
    """The page without its CSRF tokens, which are random and may hold any word."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
