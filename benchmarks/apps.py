from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Installed only when BENCH_MODE is on (`make bench`): dataset builder and baseline view."""

    name = "benchmarks"
    verbose_name = "Banc d'essai"
