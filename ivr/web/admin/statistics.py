"""/admin/statistics: the line's figures as pictures (issue 23), drawn on the server, four weeks up to now."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ivr.errors import NotFoundError
from ivr.figures.line import line_figures
from ivr.web.admin import pages
from ivr.web.admin.pages import UserDep
from ivr.web.admin.statistics_charts import drawn
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(include_in_schema=False)


@router.get("/statistics")
def statistics_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    shared = pages.common(db, user)
    now = services.clock()
    connection = db.session.connection()
    business = services.directory.lookup_by_id(connection, user.business_id, now)
    if business is None:
        raise NotFoundError("no such business")
    figures = line_figures(connection, business, now)
    words = pages.words(request, shared["document"])
    charts = drawn(figures, words, pages.language(request, shared["document"]))
    title = words.gettext("Statistics")
    return pages.page(request, "statistics.html", "statistics", **shared, charts=charts, page_title=title)
