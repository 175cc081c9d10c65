"""Template helpers of the officer UI shell (navigation that never 500s, badges)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html

register = template.Library()


# (route name, script prefix, URLconf) → its URL or "": the navigation reverses ~20 routes on
# every page, and a route without arguments always reverses to the same path.
_PLAIN_URLS: dict[tuple[str, str, str], str] = {}


@register.simple_tag
def url_or_empty(name: str, *args: Any, **kwargs: Any) -> str:
    """The URL of `name`, or "" when no such route exists (yet): links to it are then hidden."""
    key = None
    if not args and not kwargs:
        key = (name, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
        if key in _PLAIN_URLS:
            return _PLAIN_URLS[key]
    try:
        url = reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        url = ""
    if key is not None and len(_PLAIN_URLS) < 1024:
        _PLAIN_URLS[key] = url
    return url


@register.simple_tag(takes_context=True)
def nav_item(context: template.Context, name: str, label: str) -> str:
    """`<li><a>` to the route `name`, marked as the current page; nothing when the route is missing."""
    url = url_or_empty(name)
    if not url:
        return ""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = bool(match and match.view_name == name)
    if current:
        return format_html('<li><a href="{}" aria-current="page">{}</a></li>', url, label)
    return format_html('<li><a href="{}">{}</a></li>', url, label)


# What the main navigation shows beyond the links everyone has: name → the domain policy the view
# itself checks ("<app>.policies.can", verb), or the Django permission it requires.
NAV_POLICIES = (
    ("catalog", "catalog.policies.can", "view"),
    ("service_kinds", "service.policies.can", "administer"),
    ("reminders", "reminders.policies.can", "view"),
    ("followups", "followups.policies.can", "view"),
    ("supervision", "supervision.policies.can", "view"),
    ("document_templates", "documents.policies.can", "manage_templates"),
)
NAV_PERMISSIONS = (
    ("calendar", "core.change_workdayoverride"),
    ("deadlines", "core.view_deadline"),
    ("ledger", "core.view_ledgerentry"),
)
# (what the user may open, language, script prefix, URLconf) → the links' HTML. Rendering ~25 links
# with their translations was a tenth of a case page's CPU; the combinations are few (one per role set).
_NAV_HTML: dict[tuple[Any, ...], str] = {}
_NAV_HTML_MAX = 256


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> str:
    """The main navigation's links (`includes/main_nav.html`): each only when its view would open for
    this user — the same checks the views make, asked on every request — and the current page's
    link marked. The HTML of each combination of those answers is rendered once per process."""
    from django.template.loader import render_to_string
    from django.utils.module_loading import import_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    request = context.get("request")
    user = getattr(request, "user", None)
    nav = {
        name: bool(user is not None and import_string(policy)(user, verb))
        for name, policy, verb in NAV_POLICIES
    }
    nav |= {name: bool(user is not None and user.has_perm(perm)) for name, perm in NAV_PERMISSIONS}
    key = (
        tuple(nav.items()),
        get_language(),
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
    )
    html = _NAV_HTML.get(key)
    if html is None:
        html = render_to_string("includes/main_nav.html", {"nav": nav})
        if len(_NAV_HTML) < _NAV_HTML_MAX:
            _NAV_HTML[key] = html
    match = getattr(request, "resolver_match", None)
    if match is not None and not match.args and not match.kwargs:
        url = url_or_empty(match.view_name)
        if url:  # the link to this page, as nav_item marks it
            link = format_html('<li><a href="{}">', url)
            html = html.replace(link, format_html('<li><a href="{}" aria-current="page">', url), 1)
    return mark_safe(html)  # rendered by the template engine, escaped there


# (form class, prefix, language, template) → the HTML of an unbound form that depends on nothing else
_STATIC_FORMS: dict[tuple[str, str, str | None, str], str] = {}
_STATIC_FORMS_MAX = 512


@register.simple_tag
def render_form(form: Any, template: str = "includes/form.html") -> str:
    """`includes/form.html` (or `template`) for `form` (nothing for None). A form class that sets
    `static_rendering = True` declares that its *unbound* HTML depends only on its class, prefix and
    the language (no case data, no user, no date): that HTML is rendered once per process, language
    and template and reused, which spares a busy page dozens of widget templates. A bound form (with
    what was typed and its errors) is always rendered afresh."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    if form is None:
        return ""
    if form.is_bound or not getattr(form, "static_rendering", False):
        return render_to_string(template, {"form": form})
    cls = type(form)
    key = (f"{cls.__module__}.{cls.__qualname__}", form.prefix or "", get_language(), template)
    html = _STATIC_FORMS.get(key)
    if html is None:
        html = render_to_string(template, {"form": form})
        if len(_STATIC_FORMS) < _STATIC_FORMS_MAX:
            _STATIC_FORMS[key] = html
    return mark_safe(html)  # rendered by the template engine, escaped there
