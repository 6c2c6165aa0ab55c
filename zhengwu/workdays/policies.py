"""Who may change the calendar: the platform's administrators."""

from zhengwu.orgs.models import Role
from zhengwu.orgs.policies import register

register("workdays.manage", {Role.ADMIN})
