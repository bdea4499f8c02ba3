from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ContentInline, FrozenEditionAdminMixin
from manuals.models import (
    Abbreviation,
    Agency,
    Definition,
    Edition,
    Form,
    Lane,
    LegalReference,
    Manual,
    Membership,
    Responsibility,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "agency__name"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]


class EditionInline(admin.TabularInline):
    model = Edition
    fields = ["year_be", "label", "status", "published_on"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Manual)
class ManualAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "agency"]
    list_filter = ["agency"]
    search_fields = ["slug", "title", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    inlines = [EditionInline]


class LaneInline(ContentInline):
    model = Lane
    fields = ["position", "name", "full_name", "kind"]
    show_change_link = False


class DefinitionInline(ContentInline):
    model = Definition
    fields = ["position", "term", "meaning"]
    show_change_link = False


class AbbreviationInline(ContentInline):
    model = Abbreviation
    fields = ["position", "short", "full"]
    show_change_link = False


class ResponsibilityInline(ContentInline):
    model = Responsibility
    fields = ["position", "holder", "duties"]
    show_change_link = False


@admin.register(Edition)
class EditionAdmin(FrozenEditionAdminMixin, SimpleHistoryAdmin):
    list_display = ["manual", "display_label", "year_be", "status", "published_on"]
    list_filter = ["status", "manual__agency"]
    search_fields = ["manual__slug", "manual__agency__name", "label"]
    list_select_related = ["manual", "manual__agency"]
    readonly_fields = ["status", "published_on", "based_on", "version", "created_at", "updated_at"]
    autocomplete_fields = ["manual"]
    inlines = [LaneInline, DefinitionInline, AbbreviationInline, ResponsibilityInline]


class EditionContentAdmin(FrozenEditionAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["edition"]
    list_filter = ["edition__status", "edition__manual__agency"]
    list_select_related = ["edition", "edition__manual", "edition__manual__agency"]


@admin.register(Lane)
class LaneAdmin(EditionContentAdmin):
    list_display = ["name", "full_name", "kind", "position", "edition"]
    search_fields = ["name", "full_name"]


@admin.register(Form)
class FormAdmin(EditionContentAdmin):
    list_display = ["code", "title", "edition"]
    search_fields = ["code", "title"]


@admin.register(Definition)
class DefinitionAdmin(EditionContentAdmin):
    list_display = ["term", "position", "edition"]
    search_fields = ["term", "meaning"]


@admin.register(Abbreviation)
class AbbreviationAdmin(EditionContentAdmin):
    list_display = ["short", "full", "edition"]
    search_fields = ["short", "full"]


@admin.register(Responsibility)
class ResponsibilityAdmin(EditionContentAdmin):
    list_display = ["holder", "position", "edition"]
    search_fields = ["holder", "duties"]


@admin.register(LegalReference)
class LegalReferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "year_be", "kind", "amendment_note"]
    list_filter = ["kind"]
    search_fields = ["title", "search_text"]
