"""The goals and the mandate in the final documentation (sluttdokumentasjon), read from the case file's work
products (phases). Registered under the hook `final_section`; `order` below 30 puts a section before the
phases and the participation summary, as the case file was built."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from phases.models import Activity
from projects import extensions
from workproducts import selectors
from workproducts.models import WorkProduct
from workproducts.registry import kinds


def _work_product_section(project, kind_key, order):
    kind = kinds().get(kind_key)
    if kind is None:
        return None
    wp = WorkProduct.objects.filter(project=project, kind=kind_key).select_related("updated_by").first()
    if wp is None and not Activity.objects.filter(project=project, work_product=kind_key).exists():
        return None  # the project's process has no such document
    status = ""
    if wp is not None:
        status = _("Version %(version)s, %(state)s, last changed %(date)s") % {
            "version": wp.version,
            "state": wp.get_state_display().lower(),
            "date": date_format(wp.updated_at, "DATE_FORMAT"),
        }
    return {
        "order": order,
        "title": str(kind.label),
        "template": "evaluation/_final_work_product.html",
        "wp": wp,
        "status": status,
        "fields": selectors.main_fields(wp, kind) if wp else [],
        "tables": selectors.page_sections(wp, kind) if wp else [],
    }


@extensions.register("final_section")
def goals_section(project):
    return _work_product_section(project, "goals", 10)


@extensions.register("final_section")
def mandate_section(project):
    return _work_product_section(project, "mandate", 20)


@extensions.register("final_section")
def area_programme_section(project):
    """The area programme with its totals and its check against the norm (after the phases)."""
    from space.selectors import area_report

    section = _work_product_section(project, "area_programme", 40)
    if section is not None:
        section["template"] = "evaluation/_final_area_programme.html"
        section["area"] = area_report(project, section["wp"]) if section["wp"] else None
    return section
