"""How the API shows a due date: the same fields as the pages, `provisional` included (for api/v1 serializers)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from zhengwu.workdays.clock import Clock


class DueDateSerializer(serializers.Serializer):
    """Serialise a `Clock`: `{"due_on", "provisional", "remaining_workdays", "state", "explanation"}`."""

    due_on = serializers.DateField(read_only=True)
    provisional = serializers.BooleanField(read_only=True)
    remaining_workdays = serializers.IntegerField(read_only=True)
    state = serializers.ChoiceField(choices=["on_time", "warning", "overdue"], read_only=True)
    explanation = serializers.ListField(child=serializers.CharField(), read_only=True)

    def to_representation(self, instance: Clock) -> dict[str, Any]:
        today = self.context.get("today")
        data = instance.as_dict(today)
        data["explanation"] = instance.explain().lines() if self.context.get("explain", True) else []
        return data
