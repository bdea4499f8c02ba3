from django import template

register = template.Library()


@register.filter
def full_agency(agency) -> str:
    """ฝ่ายทะเบียน สำนักงานเขตพระนคร: an agency with its parent (many divisions share a name)."""
    if agency is None:
        return ""
    return f"{agency.name} {agency.parent.name}" if agency.parent_id else agency.name
