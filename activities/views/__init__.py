"""Pages of the activities app, one module per domain: organized life (activities, attachments,
the rhythm of branch life) and documents, lists and letters. Every lookup starts from the user's
scope (organizations.scoping): a record outside it is a 404, a write by leadership a 403; documents, lists
and letters are written by committee staff only."""
