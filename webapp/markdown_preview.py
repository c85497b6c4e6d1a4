"""Markdown of an answer rendered to safe HTML for the admin page's preview.

The ``markdown`` package renders; ``nh3`` then keeps only formatting tags, links
to http(s)/mailto/tel (opened in a new tab, without the opener or the referrer)
and drops scripts, styles, event handlers and raw HTML that is not formatting.
"""

from __future__ import annotations

import markdown
import nh3

from knowledge_base.store import MAX_TEXT

TAGS = {"p", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MAX_MARKDOWN = MAX_TEXT  # an answer's own limit


def render(text: str) -> str:
    """Sanitized HTML of ``text`` (Markdown: emphasis, lists, tables, links)."""
    html = markdown.markdown(text[:MAX_MARKDOWN], extensions=["tables", "sane_lists", "nl2br"],
                             output_format="html")
    return nh3.clean(
        html, tags=TAGS, clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
