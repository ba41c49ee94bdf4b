"""Small forms and dialogs."""
