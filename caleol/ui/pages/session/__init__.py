"""The séance workspace, split by concern: controller, agenda, candidates, decision,
attendance, actions; `workspace.SessionWorkspace` assembles them."""
