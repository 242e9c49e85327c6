from django.core.management.base import BaseCommand, CommandError

from claims.errors import InvalidInput
from claims.jobs.kinds.learning import training_settings
from claims.learning.activation import model_activate
from claims.learning.documents import PARTS
from claims.learning.training import BelowBaseline, train_suggester
from claims.learning.uncertainty import uncertainty_refresh
from claims.models import Project


class Command(BaseCommand):
    help = (
        "Train a suggestion model (span tagger, claim classifier, stance classifier) on a "
        "project's gold annotations and store it in the database as the project's next "
        "version, unless its claim classifier ranks below the bag of n-grams on dev."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, metavar="SLUG", help="project slug")
        parser.add_argument(
            "--submitted",
            action="store_true",
            help="also learn from submitted annotations where a sentence has no gold",
        )
        parser.add_argument("--epochs", type=int, default=4, help="passes over the data (4)")
        parser.add_argument(
            "--parts",
            metavar="PART,...",
            help=f"train only these parts ({', '.join(PARTS)}; default: all the labels allow)",
        )
        parser.add_argument(
            "--activate", action="store_true", help="make it the project's active model"
        )

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}")
        if options["epochs"] < 1:
            raise CommandError("--epochs: must be at least 1")
        parts = options["parts"] and [p.strip() for p in options["parts"].split(",") if p.strip()]
        unknown = sorted(set(parts or ()) - set(PARTS))
        if unknown:
            raise CommandError(f"--parts: unknown {', '.join(unknown)}; known: {', '.join(PARTS)}")
        try:
            model = train_suggester(
                project=project,
                submitted=options["submitted"],
                parts=parts or None,
                settings=training_settings({"epochs": options["epochs"]}),
                progress=self.show,
            )
        except InvalidInput as error:
            raise CommandError("; ".join(error.lines())) from None
        except BelowBaseline as error:
            raise CommandError(str(error)) from None
        meta = model.meta
        self.stdout.write(
            f"Stored model v{model.version} of {project.slug} ({model.size / 1e6:.1f} MB): "
            f"{meta['documents']} articles, {meta['labelled']} labelled sentences, "
            f"{meta['seconds']:.0f} s."
        )
        for part, figures in model.figures.items():
            shown = "  ".join(f"{name} {value:.3f}" for name, value in figures.items())
            self.stdout.write(f"  dev {part:<8} {shown}")
        if options["activate"]:
            model_activate(model=model)
            scored = uncertainty_refresh(model=model)
            parts = ", ".join(scored["parts"]) or "nothing"
            self.stdout.write(
                f"Activated; the queue's uncertainty ({parts}) scored for {scored['scored']} "
                "sentences."
            )
        else:
            self.stdout.write("Not active: activate it in the admin or with --activate.")

    def show(self, progress) -> None:
        figures = "  ".join(f"{k} {v:.3f}" for k, v in progress.dev.items())
        self.stdout.write(
            f"  {progress.component}{f' ({progress.stage})' if progress.stage else ''} "
            f"epoch {progress.epoch} {progress.done:4.0%} "
            f"{progress.seconds:5.0f} s loss {progress.loss:9.1f}"
            + (f"  dev {figures}" if figures else ""),
        )
        self.stdout.flush()
