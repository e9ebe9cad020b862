from typing import Any
from urllib.parse import urlsplit

from django import template

from otklik.cases.policy import clause as clause_of
from otklik.cases.policy import with_clause
from otklik.web.numbers import counted_phrase, no_break, short_moment

register = template.Library()
register.filter("no_break", no_break)  # «(п. 8.3)», «№ 171» kept on one line
register.filter("with_clause", with_clause)
register.filter(
    "short_moment", short_moment
)  # «12.01 12:00», with the year when it is not this year  # `{{ v.get_stage_display|with_clause:v.rid }}`


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


STAR = "★ "


@register.filter
def option_name(name: Any) -> str:
    """A topic's name in a list the curator types into (the browser jumps to the option starting with the typed
    letters): the ЦУР taxonomy's mark «★ » moved to the end, «★ Ямы во дворах» → «Ямы во дворах ★»."""
    text = str(name)
    return f"{text[len(STAR) :]} ★" if text.startswith(STAR) else text


@register.filter
def clause(rid: Any, arg: str = "") -> str:
    """A requirement ID as a person reads it: `{{ v.rid|clause }}` → «п. 8.3»; `{{ v.rid|clause:"Положения" }}`
    → «п. 8.3 Положения» (in a sentence). Anything that is no R-ID is shown as it is."""
    return clause_of(str(rid or ""), of_regulation=arg == "Положения")


@register.filter
def work_hours(minutes: Any) -> str:
    """Working minutes as hours a person reads: 120 → «2 ч», 90 → «1 ч 30 мин», 45 → «45 мин»."""
    try:
        total = int(minutes)
    except (TypeError, ValueError):
        return str(minutes or "")
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} мин"
    return f"{hours} ч {rest} мин" if rest else f"{hours} ч"


@register.filter
def web_url(value: Any) -> str:
    """A link that came with the data (a message's or an author's address from a network, a feed or an imported
    file), fit for `href`: an http(s) address or a path on this site; anything else (``javascript:``, ``data:``,
    ``//other.host``) gives "" and the template shows no link. Autoescaping still applies to what is returned."""
    url = str(value or "").strip()
    if any(ord(c) < 32 for c in url):  # browsers drop tabs and line breaks: «/\t/evil» would be «//evil»
        return ""
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


@register.filter
def web_urls(value: Any) -> list[str]:
    """Every link of a space-separated list (an alert's notice keeps the message's and the case's), each
    checked as by `web_url`."""
    return [url for url in (web_url(part) for part in str(value or "").split()) if url]


@register.filter
def counted_as(number: Any, opts: Any) -> str:
    """`{{ cl.result_count|counted_as:cl.opts }}` → «3 органа», «21 сотрудник»: the admin's count of a list with
    the model's name agreed (Django's own template puts the plural after any number but 1)."""
    return counted_phrase(int(number), str(opts.verbose_name), str(opts.verbose_name_plural))
