from .item import Category, Material, Mode, ServiceItem, ServiceItemVersion

__all__ = ["Category", "Material", "Mode", "ServiceItem", "ServiceItemVersion"]
