"""How the mapping and the area programme plug in: their kinds, the coordinators' catalogue link, history."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects import extensions
from projects.history import register_source

from . import kinds  # noqa: F401  (registers the two kinds of work product)
from . import models as m


@extensions.nav_item(36)
def _catalogue_link(request):
    if not request.user.has_perm("phases.manage_room_catalogue"):
        return None
    return {
        "label": _("Room catalogue"),
        "url": reverse("phases:room_catalogue"),
        "active": request.resolver_match is not None
        and request.resolver_match.view_name in ("phases:room_catalogue", "phases:room_type", "phases:area_norm"),
    }


for _model in (m.Mapping, m.AreaProgramme):
    register_source(
        (lambda model: lambda p: model.history.filter(work_product__project_id=p.pk).select_related("history_user"))(
            _model
        ),
        (lambda model: lambda r: str(model._meta.verbose_name).capitalize())(_model),
        show_created=False,
    )
for _model in (m.MappingUnit, m.AreaLine, m.PlanFile, m.OccupancyStudy):
    register_source(
        (lambda model: lambda p: model.history.filter(project_id=p.pk).select_related("history_user"))(_model),
        (lambda model: lambda r: f"{str(model._meta.verbose_name).capitalize()}: {r.instance}")(_model),
    )
