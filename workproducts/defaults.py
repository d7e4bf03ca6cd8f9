"""The services EBE offers on the order form, as a starting list that coordinators edit (Bergen guide).

A data migration adds them; `seed_demo` adds them again where a test run has emptied the table.
"""

SERVICES = [
    ("Bistand til mandat", "EBE hjelper bestiller å skrive mandatet."),
    ("Kartlegging av dagens praksis", "Gåtur, intervjuer og tilstedeværelsesregistrering, med eksterne ved behov."),
    ("Arealprogram og konsept", "Hovedprofil, arealprogram fra romkatalogen og sammenhenger mellom funksjoner."),
    ("Ombygging i eksisterende lokaler", "Bestillinger etter rammeavtaler og standarder; avklaring med gårdeier."),
    ("Anskaffelse av nye lokaler", "Leiesøk eller konkurranse, kontakt med utleier og kontrakt."),
    ("Inventar og møblering", "Innkjøp etter gjeldende innkjøpsavtaler."),
    ("Koordinering av IKT", "IKT-tjenester koordinert inn i prosjektet."),
    ("Koordinering av HR og endringsledelse", "HR-bistand og kurs i endringsledelse for ledergruppen."),
    ("Flytting", "Planlegging og bestilling av flyttingen."),
    ("Evaluering", "Bistand til evaluering 9–15 måneder etter innflytting."),
]
