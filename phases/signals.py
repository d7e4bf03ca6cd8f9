from django.dispatch import Signal

# Sent inside process_start's transaction once a project's phases, activities and items exist.
process_started = Signal()  # sender=Process, process=…, by=…
