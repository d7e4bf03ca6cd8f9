"""The services EBE offers on the order form, as a starting list that coordinators edit (Bergen guide)."""

from django.db import migrations

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


def add(apps, schema_editor):
    OrderService = apps.get_model("phases", "OrderService")
    for n, (name, description) in enumerate(SERVICES, start=1):
        OrderService.objects.get_or_create(name=name, defaults={"description": description, "order": n * 10})


class Migration(migrations.Migration):
    dependencies = [("phases", "0005_work_products")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
