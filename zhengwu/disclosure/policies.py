"""Who may do what with disclosure records: handle requests, publish, view (supervisors and leaders read)."""

from zhengwu.orgs.models import Role
from zhengwu.orgs.policies import register


def register_permissions() -> None:
    register("disclosure.handle", {Role.DISCLOSURE_OFFICER})
    register("disclosure.publish", {Role.DISCLOSURE_OFFICER})
    register("disclosure.view", {Role.DISCLOSURE_OFFICER, Role.SUPERVISOR, Role.LEADER})
    register("disclosure.ledger", {Role.DISCLOSURE_OFFICER, Role.ADMIN})


register_permissions()
