"""/api/v1/staff/: staff members the caller may view (`staff.view`), phones masked."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from zhengwu.api.v1.orgs import MembershipSerializer
from zhengwu.orgs import policies, selectors
from zhengwu.orgs.models import Membership, Staff


class StaffSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="phone_masked", read_only=True, help_text="Masked, e.g. 138****5678.")
    memberships = MembershipSerializer(source="visible_memberships", many=True, read_only=True)

    class Meta:
        model = Staff
        fields = ["username", "full_name", "phone", "is_active", "memberships"]


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff holding a role somewhere the caller may view staff; only those roles are listed."""

    serializer_class = StaffSerializer
    lookup_field = "username"
    lookup_value_regex = r"[A-Za-z0-9_.@+-]{1,150}"

    def get_queryset(self) -> Any:
        actor = self.request.user
        # Roles in orgs outside the caller's scope stay hidden even for a staff member the caller may see.
        visible = policies.scope(actor, "staff.view", Membership.objects.select_related("org"))  # type: ignore[arg-type]
        return selectors.staff_list_for_actor(actor).prefetch_related(  # type: ignore[arg-type]
            Prefetch("memberships", queryset=visible.order_by("org__path", "role"), to_attr="visible_memberships")
        )
