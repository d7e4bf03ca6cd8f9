"""The demo's toolbox: material from the pilot projects, tied to the Bergen template's activities (issue 28)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .models import Entry
from .services import entry_save

B = "bergen-abw"
LINKS = [
    (
        "Kurs: Å lede en endringsprosess til aktivitetsbasert arbeidsplass",
        Entry.Kind.COURSE,
        "nb",
        "https://www.example.org/kurs/endringsledelse-aktivitetsbasert",
        "Halvdagskurs for prosjekteiere og ledere. EBE holder det to ganger i året.",
        [f"{B}:goals-vision", f"{B}:leader-follow-up"],
    ),
    (
        "Veileder for risikovurdering ved omstilling",
        Entry.Kind.PROCEDURE,
        "nb",
        "https://www.example.org/veileder/risikovurdering-omstilling",
        "Slik vurderer arbeidsgiver risikoen for arbeidsmiljøet før en omstilling, sammen med tillitsvalgte og "
        "verneombud.",
        [f"{B}:risk-assessment"],
    ),
    (
        "Activity-based working: a practice guide",
        Entry.Kind.EXAMPLE,
        "en",
        "https://www.example.org/abw-practice-guide",
        "An English guide with room types, sharing ratios and examples from Nordic offices.",
        [f"{B}:area-programme", f"{B}:zone-programme"],
    ),
]
FILES = [
    ("Mandat fra pilotprosjektet på Rådhuset", Entry.Kind.EXAMPLE, "nb", "mandat-pilot-raadhuset.txt",
     "Et vedtatt mandat med økonomisk ramme, milepæler og roller. Bruk det som utgangspunkt.",
     [f"{B}:mandate"],
     "Mandat – Rådhuset, pilotprosjekt\n\nBakgrunn: Seksjonen samles i aktivitetsbaserte lokaler.\n"
     "Ramme: 2 400 000 kr.\nMilepæler: mandat vedtatt, arealprogram klart, innflytting.\n"),
    ("Sjekkliste for tilstedeværelsesregistrering", Entry.Kind.CHECKLIST, "nb", "sjekkliste-registrering.txt",
     "Runder hver hele time 08–16 i to vanlige uker: opptatt, midlertidig borte eller ledig.",
     [f"{B}:mapping"],
     "Sjekkliste\n- Avtal to vanlige arbeidsuker\n- Lag plassliste per sone\n- Gå runde hver hele time 08-16\n"
     "- Noter opptatt, midlertidig borte (jakke, PC) eller ledig\n- Tell personer i møterom\n"),
    ("Bruksreglar frå Fyllingsdalen", Entry.Kind.EXAMPLE, "nn", "bruksreglar-fyllingsdalen.txt",
     "Bruksreglar for soner, stillerom og rydding ved slutten av dagen, vedtekne etter drøfting.",
     [f"{B}:house-rules"],
     "Bruksreglar\n1. Rydd plassen når du går for dagen.\n2. Stillerom er for stille arbeid.\n"
     "3. Telefonar tek du i telefonrom.\n"),
    ("Kravspesifikasjon for ombygging", Entry.Kind.SPECIFICATION, "nb", "kravspesifikasjon-ombygging.txt",
     "EBEs kravspesifikasjon for ombygging til aktivitetsbasert kontor: akustikk, lys, ventilasjon og IKT.",
     [f"{B}:procurement", f"{B}:building-process"],
     "Kravspesifikasjon\nAkustikk: NS 8175 klasse C.\nLys: 500 lux på arbeidsflate.\nIKT: dokking på alle plasser.\n"),
]  # fmt: skip


def seed_toolbox(users):
    """Idempotent: nothing is added when the toolbox already has entries."""
    coordinator = users.get("koordinator@demo.kommune.no")
    if coordinator is None or Entry.objects.exists():
        return
    for title, kind, language, url, description, activities in LINKS:
        entry_save(by=coordinator, title=title, kind=kind, language=language, url=url, description=description,
                   activities=activities)  # fmt: skip
    for title, kind, language, name, description, activities, text in FILES:
        upload = SimpleUploadedFile(name, text.encode(), content_type="text/plain")
        entry_save(by=coordinator, title=title, kind=kind, language=language, url="", description=description,
                   activities=activities, upload=upload)  # fmt: skip
