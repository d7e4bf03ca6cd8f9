"""Work products: the documents an activity produces (goals, mandate, risk assessment, plans, …).

One generic mechanism: a `WorkProduct` per project and kind, with a state (draft, sent for consultation,
adopted), a version that rises with every change to its content, and PDF versions. Each kind is
described once in `registry.py` (its main form, its tables of rows, how its content reads); the views,
the Dokumenter tab, the signed content and the PDFs work from that description.
"""
