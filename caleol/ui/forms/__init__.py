"""One form per organisation record, hosted alike by the setup assistant's pages and
by the Référentiels dialogs: each lays out its fields, builds the service's record
from them (`record()`), shows a record (`set_record()`) and shows a refusal beside
the fields it is about (`show_error()`). Forms never save: their host does, through
`caleol.services.organisation`.
"""
