"""Rows that come from imports, never from hand edits: the admin lists and shows them only."""


class LectureSeuleMixin:
    """No addition and no change in the admin. Deletion only where ``suppression_permise``
    (figures a territory may withdraw), and then within the scope ``PerimetreAdminMixin``
    allows (put this mixin before it)."""

    suppression_permise = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.suppression_permise and super().has_delete_permission(request, obj)
