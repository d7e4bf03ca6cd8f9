from django.dispatch import Signal

# Sent inside process_start's transaction once a project's phases, activities and items exist.
process_started = Signal()  # sender=Process, process=…, by=…

# Sent inside the transaction of every write to a work product (content or state), so that participation can
# refresh the steps whose signed content includes it.
work_product_changed = Signal()  # sender=WorkProduct, work_product=…, by=…

# Sent by an app that provides a participation step's content (registry.StepContent), inside the transaction of
# every write that changes it, so that participation refreshes the project's steps of that kind.
step_content_changed = Signal()  # sender=…, project=…, step_kind=…, by=…
