"""Admin behaviour shared by every model that belongs to an edition."""

from __future__ import annotations

from django.contrib import admin, messages

from core.models import EditionFrozenError


class FrozenEditionAdminMixin:
    """Published editions are read-only in the admin too, and the admin says why."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        edition = obj if obj._meta.model_name == "edition" else obj.get_edition()
        return edition.is_frozen

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self._frozen(obj) and request.method == "GET":
            messages.info(request, EditionFrozenError().messages[0])
        return super().change_view(request, object_id, form_url, extra_context)


class FrozenInlineMixin:
    """Inline rows of a frozen parent cannot be added, changed or deleted."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        edition = obj if obj._meta.model_name == "edition" else obj.get_edition()
        return edition.is_frozen

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class ContentInline(FrozenInlineMixin, admin.TabularInline):
    extra = 0
    show_change_link = True
