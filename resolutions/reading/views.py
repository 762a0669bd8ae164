"""Public pages: nothing here is reachable unless its meeting is marked public
(Meeting.is_public); every query starts from Meeting.objects.public()."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import conditional_page, require_safe

from resolutions import search, vietnamese
from resolutions.db_router import replica_reads
from resolutions.issuing.layout import build_document
from resolutions.issuing.rendering import meetings_to_render
from resolutions.models import Committee, Directive, Meeting, Topic

PAGE_SIZE = 20
# How long a process keeps the filters' lists (a newly published committee or year is offered
# that much later at most; its conclusion is listed and readable at once).
CHOICES_SECONDS = 60
CHOICES_KEY = "reading-room-choices"


def _public_page(view):
    """GET and HEAD only, read from a replica, with an ETag, cacheable by a shared proxy."""

    def cached(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=settings.READING_ROOM_MAX_AGE)
        return response

    cached.__name__ = view.__name__
    return require_safe(conditional_page(replica_reads(cached)))


@_public_page
def index(request):
    meetings = Meeting.objects.public().select_related("committee")
    choices = _choices()
    chosen, problems = {}, []
    committee_id = _number(request.GET.get("cap_uy"))
    if request.GET.get("cap_uy"):
        if committee_id is None:
            problems.append("Mã cấp ủy phải là một số.")
        meetings = meetings.filter(committee_id=committee_id)
        chosen["committee"] = committee_id
    year = _number(request.GET.get("nam"), 1, 9999)
    if request.GET.get("nam"):
        if year is None:
            problems.append("Năm phải là một số, ví dụ 2007.")
            meetings = meetings.none()
        else:
            meetings = meetings.filter(started_on__year=year)
        chosen["year"] = year
    topic = None
    if request.GET.get("linh_vuc"):
        topic = Topic.objects.filter(slug=request.GET["linh_vuc"][:100]).first()
        if topic is None:
            problems.append("Không có lĩnh vực này.")
            meetings = meetings.none()
        else:
            on_topic = Directive.objects.on_topic(topic).values("meeting_id")
            meetings = meetings.filter(pk__in=on_topic)
    query, found = None, None
    if request.GET.get("q", "").strip():
        query = search.parse_query(request.GET["q"].replace("\x00", ""))
        if query.error:
            problems.append(query.error)
        else:
            directives = Directive.objects.filter(meeting__in=meetings.values("pk"))
            found = search.search(directives, query).select_related("meeting__committee")
    if found is not None:
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
        for directive in page:
            directive.excerpt = search.highlight(
                directive.text, query, context=directive.section_heading
            )
    else:
        paginator = Paginator(meetings.order_by("-started_on", "-id"), PAGE_SIZE)
        if not chosen and topic is None and not problems:
            # Every public conclusion: the years' list has counted them (no count of every
            # public meeting per page; as fresh as that list).
            paginator.count = sum(year["n"] for year in choices["years"])  # type: ignore[misc]
        page = paginator.get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "searching": found is not None,
        "query": request.GET.get("q", ""),
        "problems": problems,
        "chosen": chosen,
        "topic": topic,
        "committee_options": _committee_options(choices["committees"], chosen.get("committee")),
        "years": choices["years"],
        "topics": choices["topics"],
        "params": _params_without(request, "trang"),
    }
    return render(request, "reading/index.html", context, status=400 if problems else 200)


def _choices() -> dict:
    """The filters' lists: committees and years that have a public conclusion, and the
    topics. Reading every public meeting for them costs more than the rest of a page on a
    large register, and they change when the office publishes: kept CHOICES_SECONDS."""
    choices = cache.get(CHOICES_KEY)
    if choices is None:
        public = Meeting.objects.public()
        committee_ids = public.values("committee_id")
        choices = {
            # Written out once: hundreds of committees cost a template loop more than the page.
            "committees": format_html_join(
                "",
                '<option value="{}">{}</option>',
                Committee.objects.filter(pk__in=committee_ids)
                .order_by("name")
                .values_list("pk", "name"),
            ),
            "years": list(
                public.annotate(year=ExtractYear("started_on"))
                .values("year")
                .annotate(n=Count("id"))
                .order_by("-year")
            ),
            "topics": list(Topic.objects.roots().prefetch_related("children")),
        }
        cache.set(CHOICES_KEY, choices, CHOICES_SECONDS)
    return choices


def _committee_options(options: str, chosen: int | None) -> str:
    """The committees' options, the chosen one marked selected."""
    if chosen is None:
        return options
    option = f'<option value="{chosen}">'
    return mark_safe(options.replace(option, f'<option value="{chosen}" selected>', 1))


def _number(value: str | None, low: int = 1, high: int = 2**63 - 1) -> int | None:
    """A whole number in [low, high] (a database id by default), or None."""
    number = vietnamese.whole_number(value)
    return number if number is not None and low <= number <= high else None


def _params_without(request, name: str) -> str:
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


@_public_page
def conclusion(request, pk: int):
    """The conclusion as its issued document (resolutions.issuing), for anyone to read."""
    meeting = None
    if _number(str(pk)) is not None:
        found = meetings_to_render(Meeting.objects.public().filter(pk=pk))
        meeting = found.prefetch_related("indicators").first()
    if meeting is None:
        return render(request, "reading/not_found.html", status=404)
    context = {
        "meeting": meeting,
        "document": build_document(meeting),
        "indicators": meeting.indicators.all(),
    }
    return render(request, "reading/document.html", context)
