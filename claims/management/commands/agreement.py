import json

from django.core.management.base import BaseCommand, CommandError

from claims.models import Project
from claims.quality.report import AgreementReport, agreement_report


def figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = "Print inter-annotator agreement of a project's submitted annotations."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, metavar="SLUG", help="project slug")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}")
        report = agreement_report(project)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(text_lines(report)))


def text_lines(report: AgreementReport) -> list[str]:
    counts = report.sentences
    lines = [
        f"Agreement in project {report.project} "
        f"({report.annotations_per_sentence} annotation(s) wanted per sentence)",
        f"Sentences: {counts.to_label} to label, {counts.complete} complete, "
        f"{counts.annotated} with a submitted annotation, {counts.comparable} with two or more, "
        f"{counts.adjudicated} adjudicated",
        "",
        f"{'Label field':<44} {'items':>6} {'observed':>9} {'Fleiss k':>9} {'alpha':>9}",
    ]
    for label in report.labels:
        a = label.agreement
        lines.append(
            f"{label.title[:44]:<44} {a.n_items:>6} {figure(a.observed):>9} "
            f"{figure(a.fleiss_kappa):>9} {figure(a.krippendorff_alpha):>9}"
        )
    claim = report.labels[0].agreement
    if claim.pairs:
        lines += ["", "Cohen's kappa per pair (claim label):"]
        lines += [
            f"  {p.annotators[0]} / {p.annotators[1]}: {figure(p.kappa)} over {p.n_items}"
            for p in claim.pairs
        ]
    lines += ["", f"{'Spans':<10} {'items':>6} {'exact F1':>9} {'overlap F1':>11} {'spans':>7}"]
    for spans in report.spans:
        lines.append(
            f"{spans.role:<10} {spans.n_items:>6} {figure(spans.exact.f1):>9} "
            f"{figure(spans.overlap.f1):>11} {spans.exact.n_spans:>7}"
        )
    speakers = report.speakers
    lines += [
        f"Speaker agreement: {speakers.agreeing} of {speakers.compared} overlapping sources "
        f"({figure(speakers.share)})",
        "",
        f"{'Annotator':<20} {'done':>6} {'median s':>9} {'others':>8} {'k others':>9} "
        f"{'gold':>7} {'k gold':>7}",
    ]
    for a in report.annotators:
        lead = "n/a" if a.median_lead_time_s is None else f"{a.median_lead_time_s:.1f}"
        lines.append(
            f"{a.username[:20]:<20} {a.done:>6} {lead:>9} {figure(a.agreement_with_others):>8} "
            f"{figure(a.kappa_with_others):>9} {figure(a.agreement_with_gold):>7} "
            f"{figure(a.kappa_with_gold):>7}"
        )
    return lines
