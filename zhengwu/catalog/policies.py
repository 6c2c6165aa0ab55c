"""Who may read and change the catalog."""

from zhengwu.orgs.models import Role
from zhengwu.orgs.policies import ALL_ROLES, register

register("catalog.view", ALL_ROLES)
register("catalog.manage", {Role.ADMIN})
