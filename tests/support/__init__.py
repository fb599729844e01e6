"""What several test modules share: GraphQL documents, builders of test records and steps, the
visibility oracle, a live server, the doc-example reader. Test modules import them from here
(`from tests.support.resources import register`), never from one another; fixtures live in
conftest.py. `python -m pytest` from the repository root puts `tests` on the path."""
