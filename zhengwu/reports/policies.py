"""Who may read and publish the reports (registered from ReportsConfig.ready)."""

from __future__ import annotations

from zhengwu.orgs.models import Role
from zhengwu.orgs.policies import register

register("reports.annual.view", {Role.DISCLOSURE_OFFICER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
register("reports.annual.publish", {Role.DISCLOSURE_OFFICER, Role.ADMIN})
