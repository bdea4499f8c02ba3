"""The process editor: thin views over processes.services, answering HTMX with partials.

One module per table it edits: ``table1`` (missions page, a process's Table 1 row), ``tree``
(the process tree), ``table2`` (edition and process lists, lanes), ``editor`` (the process
page), ``steps`` (Table 3 rows), ``flows`` (branches and loops), ``legal`` (legal references),
``history``; ``edition`` holds the edition overview and history, which show manuals and
processes together; ``common`` holds what they share.
"""

from processes.views.edition import edition_history, edition_overview
from processes.views.editor import preview, process_editor
from processes.views.flows import flow_add, flow_delete
from processes.views.history import process_history
from processes.views.legal import legal_add, legal_new, legal_search
from processes.views.steps import (
    duration_check,
    step_delete,
    step_edit,
    step_move,
    step_new,
    step_row,
    step_table,
)
from processes.views.table1 import process_edit, table1
from processes.views.table2 import (
    edition_list,
    lane_merge,
    row_create,
    row_delete,
    row_edit,
    row_move,
    row_view,
)
from processes.views.tree import process_create, process_delete, process_move

__all__ = [
    "duration_check",
    "edition_history",
    "edition_list",
    "edition_overview",
    "flow_add",
    "flow_delete",
    "lane_merge",
    "legal_add",
    "legal_new",
    "legal_search",
    "preview",
    "process_create",
    "process_delete",
    "process_edit",
    "process_editor",
    "process_history",
    "process_move",
    "row_create",
    "row_delete",
    "row_edit",
    "row_move",
    "row_view",
    "step_delete",
    "step_edit",
    "step_move",
    "step_new",
    "step_row",
    "step_table",
    "table1",
]
