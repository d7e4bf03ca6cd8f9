"""The roles the Working Environment Act gives a part in the change, and who holds them in a project."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from projects.models import Role


@dataclass(frozen=True)
class AmlRole:
    key: str
    label: object
    law: str
    roles: tuple  # project roles whose holders fill it
    required: bool  # a gap is warned about
    duty: object


AML_ROLES = (
    AmlRole("leader", _("Leader (project owner)"), "aml. § 3-1 (1), § 4-2", (Role.OWNER, Role.MANAGER), True,
            _("Responsible for the working environment and for involving employees and their representatives.")),
    AmlRole("union_rep", _("Union representatives"), "aml. § 8-1, § 8-2; Hovedavtalen KS", (Role.UNION_REP,), True,
            _("Informed and consulted as early as possible on changes to how work is organised.")),
    AmlRole("safety_rep", _("Safety representative"), "aml. § 6-2 (4)", (Role.SAFETY_REP,), True,
            _("Looks after the working environment and takes part in planning measures that affect it.")),
    AmlRole("oh_service", _("Occupational health service"), "aml. § 3-3", (Role.OH_SERVICE,), True,
            _("Advises on the working environment, e.g. in the risk assessment and special adaptations.")),
    AmlRole("amu", _("Working environment committee (AMU)"), "aml. § 7-2 (2) d", (Role.AMU,), True,
            _("Treats plans of material significance for the working environment, such as building works.")),
    AmlRole("employees", _("Employees (working group)"), "aml. § 2-3 (1), § 4-2 (2)", (Role.MEMBER,), False,
            _("Take part in shaping their own workplace; represented in the working group.")),
)  # fmt: skip


def participation_plan(memberships):
    """[(AmlRole, [users])] from the project's memberships (with users loaded)."""
    rows = []
    for aml in AML_ROLES:
        people, seen = [], set()
        for m in memberships:
            if m.role in aml.roles and m.user_id not in seen:
                seen.add(m.user_id)
                people.append(m.user)
        rows.append((aml, people))
    return rows


def gaps(plan):
    return [aml for aml, people in plan if aml.required and not people]
