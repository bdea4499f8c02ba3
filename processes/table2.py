"""Writing a process's Table 2 rows (stakeholders, requirements, indicators) from plain data:
the demo loader and the importer both fill it from dictionaries of the same shape."""

from __future__ import annotations

from processes.models import Indicator, Requirement, Stakeholder

# which list of the data holds each kind of requirement
REQUIREMENT_KEYS = (
    (Requirement.Kind.KEY, "key_requirements"),
    (Requirement.Kind.EFFICIENCY, "efficiency"),
    (Requirement.Kind.COST_EFFECTIVENESS, "cost_effectiveness"),
)


def table2_create(process, data: dict) -> int:
    """Stakeholders, requirements and indicators of ``data`` as rows of ``process``, in bulk;
    returns how many requirement rows were written."""
    Stakeholder.objects.bulk_create(
        Stakeholder(process=process, position=i, kind=s["kind"], name=s["name"], needs=s["needs"])
        for i, s in enumerate(data.get("stakeholders", []), start=1)
    )
    requirements = Requirement.objects.bulk_create(
        Requirement(process=process, kind=kind, position=i, text=text)
        for kind, key in REQUIREMENT_KEYS
        for i, text in enumerate(data.get(key, []), start=1)
    )
    Indicator.objects.bulk_create(
        Indicator(
            process=process,
            position=i,
            kind=ind["kind"],
            statement=ind["statement"],
            target=ind.get("target", ""),
        )
        for i, ind in enumerate(data.get("indicators", []), start=1)
    )
    return len(requirements)
