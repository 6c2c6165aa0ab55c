from .division import Division, DivisionLevel
from .org import Hall, Org, OrgKind, Window
from .staff import Membership, Role, Scope, Staff

__all__ = ["Division", "DivisionLevel", "Hall", "Membership", "Org", "OrgKind", "Role", "Scope", "Staff", "Window"]
