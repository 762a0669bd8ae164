import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import FloatField, Value

from resolutions import search
from resolutions.models import Committee, Directive, Topic


class Command(BaseCommand):
    help = (
        "Search directives as the admin's search box does: accents or not, words in any order, "
        '"quoted phrases". Prints the best matches first.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "query", help='words to find; "" lists the directives the filters select, newest first'
        )
        parser.add_argument("--topic", help="topic slug; finer topics are included")
        parser.add_argument("--committee", help="committee name, or part of it")
        parser.add_argument("--from-year", type=int)
        parser.add_argument("--to-year", type=int)
        parser.add_argument("--status", choices=Directive.Status.values)
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, query, limit, as_json, **filters):
        directives = Directive.objects.select_related("meeting__committee", "topic")
        if filters["topic"]:
            topic = Topic.objects.filter(slug=filters["topic"]).first()
            if topic is None:
                raise CommandError(f"Không có lĩnh vực mã “{filters['topic']}”.")
            directives = directives.on_topic(topic)
        if filters["committee"]:
            directives = directives.filter(
                meeting__committee__in=Committee.objects.named_like(filters["committee"])
            )
        if filters["from_year"]:
            directives = directives.filter(meeting__started_on__year__gte=filters["from_year"])
        if filters["to_year"]:
            directives = directives.filter(meeting__started_on__year__lte=filters["to_year"])
        if filters["status"]:
            directives = directives.in_status(filters["status"])
        parsed = search.parse_query(query)
        if parsed.error:
            self.stderr.write(parsed.error)
        if not query.strip():
            # No words: the filters' directives, newest first ("" --topic dan-van).
            found = directives.annotate(rank=Value(0.0, FloatField())).order_by(
                "-meeting__started_on", "meeting_id", "section_order", "position"
            )
        else:
            # The newest matches are ranked, as on the search page; more when more are asked.
            window = max(limit, search.RECENT_WINDOW)
            found = search.search(directives, parsed, window=window)
            if parsed.corrections:
                self.stderr.write(parsed.correction_notice)
        found = list(found.prefetch_related("tags")[: max(limit, 0)])
        through = {
            d.pk: search.matched_through(parsed, d.text, search.context_fields(d))
            for d in found
            if not parsed.is_empty
        }
        if as_json:
            rows = [
                {
                    "meeting": list(d.meeting.natural_key()),
                    "section_order": d.section_order,
                    "position": d.position,
                    "topic": d.topic.slug if d.topic else None,
                    "tags": sorted(t.slug for t in d.tags.all()),
                    "text": d.text,
                    "rank": round(float(d.rank), 4),
                    "matched_through": through.get(d.pk, []),
                }
                for d in found
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if not found:
            self.stdout.write("Không tìm thấy nhiệm vụ nào.")
        for d in found:
            note = f" (khớp {', '.join(through[d.pk])})" if through.get(d.pk) else ""
            self.stdout.write(
                f"[{d.rank:.2f}] {d.meeting} — mục {d.section_order}, nhiệm vụ {d.position}"
                f"{note}: {d.text[:160]}"
            )
