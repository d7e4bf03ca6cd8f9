from tests.workproducts.conftest import doc_project  # noqa: F401  (the same project)
