"""What a page must not contain for the Content-Security-Policy to let it work unchanged.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts and styles only from the platform's files.
A browser silently ignores an inline ``<script>``, an ``onclick=`` handler, a ``javascript:`` link or a
``style=`` attribute under it, so a page that still has one is broken in a way no server log shows.
``csp_problems`` finds them in a response; the role-matrix checks run it on every route they visit.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

HEADER = "Content-Security-Policy"
# <script> types a browser does not execute (data blocks), which the policy therefore does not govern.
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script = False
        self._script_text: list[str] = []
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, _column = self.getpos()
        names = {name.lower(): (value or "") for name, value in attrs}
        for name, value in names.items():
            if name.startswith("on"):
                self.problems.append(f"line {line}: <{tag} {name}=…> inline event handler")
            elif name == "style":
                self.problems.append(f"line {line}: <{tag} style=…> inline style")
            elif name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"line {line}: <{tag} {name}=javascript:…> inline script URL")
        script_type = names.get("type", "").strip().lower()
        if tag == "script" and "src" not in names and script_type not in _DATA_SCRIPT_TYPES:
            self._inline_script, self._script_text, self._line = True, [], line
        if tag == "style":
            self.problems.append(f"line {line}: <style> element")

    def handle_data(self, data: str) -> None:
        if self._inline_script:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline_script:
            body = "".join(self._script_text).strip()
            self.problems.append(f"line {self._line}: inline <script> {body[:60]!r}")
            self._inline_script = False


def html_problems(html: str, *, inline_styles_allowed: bool = False) -> list[str]:
    """Inline scripts, handlers and script URLs in ``html``, and inline styles unless allowed."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    if inline_styles_allowed:
        return [problem for problem in finder.problems if "style" not in problem]
    return finder.problems


def directives(policy: str) -> dict[str, list[str]]:
    """``"script-src 'self'; img-src 'self' data:"`` → ``{"script-src": ["'self'"], …}``."""
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def csp_problems(response: Any) -> list[str]:
    """Why ``response`` is unprotected by the platform's policy, or would not work under it."""
    policy = directives(response.headers.get(HEADER, ""))
    problems = []
    if policy.get("script-src") != ["'self'"] or policy.get("default-src") != ["'self'"]:
        problems.append(f"{HEADER} must have default-src and script-src 'self' only, got {policy!r}")
    styles = policy.get("style-src", [])
    if any(source != "'self'" for source in styles if source != "'unsafe-inline'") or not styles:
        problems.append(f"{HEADER} style-src must be 'self' (got {styles!r})")
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("text/html") and not getattr(response, "streaming", False):
        html = response.content.decode(response.charset or "utf-8", "replace")
        problems += html_problems(html, inline_styles_allowed="'unsafe-inline'" in styles)
    return problems
