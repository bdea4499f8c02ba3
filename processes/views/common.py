"""What every process-editor view shares: permissions, partial responses, versioned saves.

Invalid data answers 422 with the form and its Thai errors in place; a save based on stale
data answers 409 with the other person's change; no permission answers 403 (templates/403.html).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from manuals.models import Edition
from manuals.permissions import can_edit, require
from manuals.services import StaleDataError

EDIT = "manuals.edit_edition"
VIEW = "manuals.view_edition"
STEPS_CHANGED = "steps-changed"


# --- helpers ------------------------------------------------------------------------------------


def _partial(request, template, context, *, status=200, trigger=None):
    response = render(request, template, context, status=status)
    if trigger:
        response["HX-Trigger"] = trigger
    return response


def _errors_into(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors next to their field)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


MISSING_VERSION = gettext_lazy("ข้อมูลที่ส่งมาไม่ครบ (รุ่นของข้อมูล) โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง")


def _save_versioned(form, save):
    """Save a bound form through ``save(data, expected_version)``, never over someone else's change.

    Returns ``(saved, stale)``: ``saved`` is the service's result, or None when the form now
    carries errors; ``stale`` describes the other person's change when the version was old.
    """
    if form.is_valid() and form.cleaned_data.get("version") is None:
        form.add_error(None, MISSING_VERSION)
    if not form.is_valid():
        return None, None
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        return save(data, form.cleaned_data["version"]), None
    except StaleDataError as exc:
        return None, _stale(form, exc.current)
    except ValidationError as exc:
        _errors_into(form, exc)
        return None, None


def _display(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "all"):
        return ", ".join(sorted(str(v) for v in value.all()))
    if isinstance(value, list | tuple) or type(value).__name__ == "QuerySet":
        return ", ".join(sorted(str(v) for v in value))
    return str(value)


def _stale(form, current) -> dict:
    """What the other person saved, field by field, next to what this user tried to save."""
    diffs = []
    for name, field in form.fields.items():
        if name in ("version", "new_lane") or not hasattr(current, name):
            continue
        theirs = getattr(current, name)
        model_field = current._meta.get_field(name)
        if getattr(model_field, "choices", None):
            theirs = getattr(current, f"get_{name}_display")()
        yours = form.cleaned_data.get(name)
        if getattr(model_field, "choices", None) and yours is not None:
            yours = dict(model_field.flatchoices).get(yours, yours)
        if _display(theirs) != _display(yours):
            diffs.append((field.label, _display(theirs), _display(yours)))
    record = current.history.select_related("history_user").first()
    return {
        "diffs": diffs,
        "who": getattr(record, "history_user", None),
        "when": getattr(record, "history_date", None),
    }


def _edition_of(obj) -> Edition:
    return obj if isinstance(obj, Edition) else obj.get_edition()


def _require_view(request, obj) -> Edition:
    edition = _edition_of(obj)
    require(request.user, VIEW, edition)
    return edition


def _list_context(request, kind, parent, *, add_form=None) -> dict:
    """A list with its rows. A list of its own page shows its add form; a Table 2 list of the
    process editor loads it when the editor asks for it (``add_form`` None: a button)."""
    edition = _edition_of(parent)
    if add_form is None and kind.parent == "edition":
        add_form = kind.form_class()(edition=edition)
    return {
        "kind": kind,
        "parent": parent,
        "rows": [(row, kind.cells(row)) for row in kind.rows(parent)],
        "can_edit": can_edit(request.user, edition),
        "add_form": add_form,
        "edition": edition,
    }


def _flat_errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]
