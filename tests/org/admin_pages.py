"""What tests of the admin's person page send back (tests/org/test_admin_role_*)."""

from __future__ import annotations

from typing import Any


def change_page_data(page: Any) -> dict[str, Any]:
    """What the admin's person page sends back untouched: the person's form and the roles' formset."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)
    return data
