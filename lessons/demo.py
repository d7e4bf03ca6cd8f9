"""The demo's lessons: written in the finished projects, most shared by the coordinator, so the owners of the
new projects find them in the phase they are in (issue 28)."""

from phases.models import Phase
from projects.models import Membership, Role

from .models import Lesson
from .services import lesson_share, lesson_write

# case number, phase key, what happened, what to do next time, tags, shared
LESSONS = [
    ("2024/0900", "goals-and-needs",
     "De ansatte hørte om flyttingen i lokalavisen før informasjonsmøtet.",
     "Hold informasjonsmøtet før saken går til politisk behandling, og avtal med kommunikasjon når den blir "
     "offentlig.", "informasjon, medvirkning", True),
    ("2024/0900", "develop-solution",
     "Stillerommene ble for få; folk tok telefoner i de åpne sonene.",
     "Regn med minst ett telefonrom per tolv arbeidsplasser og prøv ut soneplanen med arbeidsgruppen før den "
     "vedtas.", "soner, støy", True),
    ("2025/1500", "goals-and-needs",
     "Tilstedeværelsesregistreringen falt i skoleferien og viste for lavt belegg.",
     "Legg registreringen til to vanlige uker uten ferie, og les toppbelegget, ikke bare snittet.",
     "kartlegging, belegg", True),
    ("2025/1500", "execution",
     "IKT-utstyret i møterommene kom tre uker etter innflytting.",
     "Bestill møteromsutstyr samtidig med møblene og test det før innflytting.", "IKT, innkjøp", True),
    ("2025/1500", "evaluate-adjust",
     "Evalueringen viste at bruksreglene ikke var kjent for nyansatte.",
     "Ta bruksreglene inn i opplæringen av nyansatte og gå gjennom dem igjen etter et halvt år.",
     "bruksregler, opplæring", False),
]  # fmt: skip


def seed_lessons(projects, users):
    """Idempotent: nothing is added when the register already has lessons."""
    coordinator = users.get("koordinator@demo.kommune.no")
    if coordinator is None or Lesson.objects.exists():
        return
    for case, phase_key, happened, next_time, tags, shared in LESSONS:
        project = projects.get(case)
        phase = project and Phase.objects.filter(project=project, key=phase_key).first()
        if phase is None:
            continue
        owner = Membership.objects.filter(project=project, role=Role.OWNER).select_related("user").first()
        lesson = lesson_write(
            project=project,
            by=owner.user if owner else coordinator,
            phase=phase,
            what_happened=happened,
            next_time=next_time,
            tags=tags,
        )
        if shared:
            lesson_share(lesson=lesson, by=coordinator, shared=True)
