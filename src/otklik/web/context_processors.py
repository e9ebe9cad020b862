from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from otklik.reports.nav import report_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu a person sees depends on their roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    # First row: the daily work. Second row: the directory and tools, visited now and then.
    items = [("Рабочий стол", reverse("home"))]
    items += _case_items(user)
    items.append(("Посты Губернатора", reverse("governor:posts")))
    items += report_items(user)
    more = [
        ("Органы", reverse("body_list")),
        ("Сотрудники", reverse("person_list")),
        ("Отсутствия", reverse("absence_list")),
        ("Компетенции", reverse("competence_list")),
        ("Аккаунты", reverse("account_list")),
        ("Проверка ответа", reverse("answers:page")),
    ]
    if user.is_administrator or user.is_curator or user.is_observer:
        more.insert(5, ("Сообщения", reverse("intake:message_list")))
    if user.is_administrator:
        more.append(("Журнал изменений", reverse("audit_list")))
    if admin.site.has_permission(request):  # offered to whoever the admin lets in, as it judges it
        more.append(("Администрирование", reverse("admin:index")))
    roles = sorted(r.label for r in _role_labels(user))
    return {"nav": items, "nav_more": more, "my_roles": roles, "header_badge": _unread(user)}


UNREAD_SHOWN = 99  # more reads «99+»


def _unread(user: Any) -> str:
    """The header's «Уведомления» badge, on every page so a notice is not missed while the person works elsewhere:
    the notices not yet read (new work, a draft for approval, reminders, breaches) and, for observers
    (`notify.services.observers`), the reports delivered in the app not yet shown (R-13: `unread_reports`), which
    the page of notifications lists too. One query over the (recipient, read_at) index reading at most 100 ids —
    no count of a table that only grows — and one more of the same kind for an observer; «99+» past 99."""
    from otklik.cases.models import Notification
    from otklik.notify.services import unread_reports

    n = len(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("id", flat=True)[
            : UNREAD_SHOWN + 1
        ]
    )
    if n <= UNREAD_SHOWN and getattr(user, "is_observer", False):
        n += len(unread_reports(user).values_list("id", flat=True)[: UNREAD_SHOWN + 1 - n])
    return f"{UNREAD_SHOWN}+" if n > UNREAD_SHOWN else (str(n) if n else "")


def _role_labels(user: Any) -> list[Any]:
    from otklik.org.models import Role

    return [Role.Kind(k) for k in user.role_kinds()]


def _case_items(user: Any) -> list[tuple[str, str]]:
    """The case workflow's pages by role (R-8)."""
    from otklik.cases import scoping

    items: list[tuple[str, str]] = []
    if user.is_curator:
        items += [("Входящие", reverse("cases:inbox")), ("Согласование", reverse("cases:review_queue"))]
    if scoping.my_body_ids(user):
        items.append(("Мои обращения", reverse("cases:my_queue")))
    items.append(("Обращения", reverse("cases:list")))
    return items
