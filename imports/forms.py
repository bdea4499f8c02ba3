"""Forms of the import pages: the upload, and a pasted table with its column choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.paste import MAX_CHARS, PASTE_FIELDS
from imports.uploads import ImportTargets


class UploadForm(forms.Form):
    """A file and what it becomes: a new manual of an agency or the next draft of a manual."""

    file = forms.FileField(
        label=_("ไฟล์คู่มือ"),
        help_text=_(
            "Word (.docx) PDF ที่มีข้อความ (.pdf) ข้อความ (.txt, .md) หรือไฟล์ JSON ที่ส่งออกจากระบบนี้"
        ),
        error_messages={
            "required": _("กรุณาเลือกไฟล์คู่มือ"),
            "empty": _("ไฟล์ที่เลือกว่างเปล่า กรุณาเลือกไฟล์คู่มืออีกครั้ง"),
            "invalid": _("ส่งไฟล์ไม่สำเร็จ กรุณาเลือกไฟล์อีกครั้ง"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,.md,.json"}),
    )
    target = forms.ChoiceField(
        label=_("นำเข้าเป็น"),
        widget=forms.Select(attrs={"class": "form-select", "required": True}),
        error_messages={
            "required": _("กรุณาเลือกว่าจะนำเข้าเป็นคู่มือใหม่หรือฉบับร่างถัดไป"),
            "invalid_choice": _("ตัวเลือกไม่ถูกต้อง หรือคุณไม่มีสิทธิ์นำเข้าให้หน่วยงาน/คู่มือนี้"),
        },
    )

    def __init__(self, *args, targets: ImportTargets, initial_target: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        choices: list = [("", _("— เลือก —"))]
        if targets.manuals:
            choices.append(
                (
                    _("ฉบับร่างถัดไปของคู่มือที่มีอยู่"),
                    [(f"manual:{m.pk}", f"{m.agency.name} · {m.title}") for m in targets.manuals],
                )
            )
        if targets.agencies:
            choices.append(
                (
                    _("คู่มือใหม่ของหน่วยงาน"),
                    [
                        (
                            f"agency:{a.pk}",
                            f"{a.name} ({a.parent.name})" if a.parent_id else a.name,
                        )
                        for a in targets.agencies
                    ],
                )
            )
        self.fields["target"].choices = choices
        if initial_target:
            self.fields["target"].initial = initial_target

    def target_objects(self):
        """(agency, manual) of the chosen target; exactly one is set."""
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        if kind == "manual":
            return None, next(m for m in self.targets.manuals if str(m.pk) == pk)
        return next(a for a in self.targets.agencies if str(a.pk) == pk), None


class ClipboardField(forms.CharField):
    """Clipboard text as it comes: NUL characters (some PDF readers put them there) dropped."""

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", ""))


class PasteForm(forms.Form):
    """What the browser read from the clipboard, and the column choices of the preview."""

    html = ClipboardField(required=False, max_length=MAX_CHARS, strip=False)
    text = ClipboardField(required=False, max_length=MAX_CHARS, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = _("ข้อความที่วางยาวเกินไป กรุณาวางทีละส่วน")

    def mapping(self) -> list[str] | None:
        """The user's choice per column (col-0, col-1 …), or None before they chose."""
        if not self.is_bound or "col-0" not in self.data:
            return None
        allowed = {name for name, _label in PASTE_FIELDS}
        out = []
        for index in range(200):
            key = f"col-{index}"
            if key not in self.data:
                break
            value = self.data.get(key) or ""
            out.append(value if value in allowed else "")
        return out
