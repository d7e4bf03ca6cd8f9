"""A person's data export, made by the worker (issue 30): the job for the representative of every project, the
person with the most data. A batch job without a budget: its time is printed for comparison between runs."""

from benchmarks import register


@register("personal data export (the worker's job)", order=55)
def personal_data_export(ctx):
    from projects.models import PersonalDataExport
    from projects.services import personal_data_export_make

    rep = ctx.world.representative

    def make():
        export = PersonalDataExport.objects.create(user=rep)
        personal_data_export_make(export_id=export.pk)  # stores the file, deletes the earlier one

    m = ctx.time_call("worker: the representative's data export (JSON file)", make, n=5)
    size = PersonalDataExport.objects.filter(user=rep).values_list("size", flat=True).first() or 0
    m.note = f"{size / 1e6:.1f} MB"
    print(f"    the representative's data file: {size / 1e6:.1f} MB", flush=True)
    return [m]
