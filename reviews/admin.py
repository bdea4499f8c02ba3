from django.contrib import admin

from reviews.models import AuditEntry, Comment, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff, never changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "edition", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["reason", "actor__username", "edition__manual__agency__name"]
    list_select_related = ["edition__manual__agency", "actor"]
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "edition", "target", "target_label", "author", "status"]
    list_filter = ["status", "target"]
    search_fields = ["body", "target_label", "author__username"]
    list_select_related = ["edition__manual__agency", "author"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "verb", "edition", "read_at"]
    list_filter = ["verb"]
    list_select_related = ["recipient", "edition__manual__agency"]
