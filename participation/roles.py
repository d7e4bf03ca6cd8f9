"""The roles the Working Environment Act gives a part in the change, and who holds them in a project."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from projects.models import Role


@dataclass(frozen=True)
class AmlRole:
    key: str
    label: object
    laws: tuple  # the references shown, each sourced in docs/law-references.md
    roles: tuple  # project roles whose holders fill it
    required: bool  # a gap is warned about
    duty: object

    @property
    def law(self):
        return ", ".join(self.laws)


AML_ROLES = (
    AmlRole("leader", _("Leader (project owner)"), ("aml. § 3-1 (1)", "aml. § 3-1 (2) d", "aml. § 4-2 (3)"),
            (Role.OWNER, Role.MANAGER), True,
            _("Responsible for systematic HMS work, together with the employees and their union "
              "representatives; assesses whether the working environment stays sound through the change.")),
    AmlRole("union_rep", _("Union representatives"),
            ("aml. § 3-1 (1)", "aml. § 4-2 (3)", "aml. § 8-1", "aml. § 8-2", "Hovedavtalen KS del B"),
            (Role.UNION_REP,), True,
            _("Take part in the HMS work with the leader; informed and consulted as early as possible on changes "
              "to how work is organised.")),
    AmlRole("safety_rep", _("Safety representative"), ("aml. § 6-2", "aml. § 6-2 (4)", "aml. § 6-5"),
            (Role.SAFETY_REP,), True,
            _("Looks after the employees' interests in matters of the working environment and sees that work is "
              "arranged soundly; is consulted when measures that affect the working environment are planned and "
              "carried out; must be given the time the safety work needs.")),
    AmlRole("oh_service", _("Occupational health service"),
            ("aml. § 3-3", "forskrift om organisering, ledelse og medvirkning"), (Role.OH_SERVICE,), True,
            _("Assists the employer, employees, AMU and safety representative; helps plan and carry out physical "
              "and organisational changes: workplaces, premises, equipment and work processes.")),
    AmlRole("amu", _("Working environment committee (AMU)"), ("aml. § 7-2 (2) d",), (Role.AMU,), True,
            _("Treats plans that may matter substantially for the working environment, such as building works "
              "and work processes.")),
    AmlRole("employees", _("Employees (working group)"), ("aml. § 2-3 (1)", "aml. § 4-2 (3)"), (Role.MEMBER,), False,
            _("Take an active part in the measures for a good working environment; represented in the working "
              "group.")),
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
